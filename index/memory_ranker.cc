#include "index/memory_ranker.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace chaja::index {
namespace {

using Op = QueryNode::Op;

// Xapian 1.4's BM25Weight (weight/bm25weight.cc), computed in the same order
// so that weights agree: a term's weight is log of the idf ratio (raised for
// terms held by more than a third of the posts) × factor × (k1 + 1), and a
// posting adds termweight × wdf / (k1 × (normlen × b + 1 − b) + wdf).
class Bm25 {
 public:
  Bm25(const MemoryPostings& postings, const RankingParams& params)
      : params_(params),
        doc_count_(postings.doc_count()),
        len_factor_(postings.average_length() != 0 ? 1 / postings.average_length() : 0) {}

  double TermWeight(Xapian::doccount term_freq, double factor) const {
    double tw = (doc_count_ - term_freq + 0.5) / (term_freq + 0.5);
    if (tw < 2) tw = tw * 0.5 + 1;
    double weight = std::log(tw) * factor;
    if (params_.k3 != 0) {
      const double wqf = 1;  // every query term is its own leaf
      weight *= (params_.k3 + 1) * wqf / (params_.k3 + wqf);
    }
    return weight * (params_.k1 + 1);
  }

  double SumPart(double term_weight, Xapian::termcount wdf, Xapian::termcount length) const {
    const double normlen = std::max(length * len_factor_, params_.min_normlen);
    const double wdf_double = wdf;
    const double denom = params_.k1 * (normlen * params_.b + (1 - params_.b)) + wdf_double;
    return term_weight * (wdf_double / denom);
  }

 private:
  const RankingParams& params_;
  const Xapian::doccount doc_count_;
  const double len_factor_;
};

// The whole query over the shortlist: the query tree with a cursor per term.
struct Evaluator {
  Op op = Op::kNothing;
  std::vector<Evaluator> children;
  MemoryPostings::Cursor cursor;
  double term_weight = 0;

  static Evaluator Compile(const QueryNode& node, const MemoryPostings& postings, const Bm25& bm25, double factor) {
    Evaluator e;
    e.op = node.op;
    if (node.op == Op::kTerm) {
      e.cursor = postings.Open(node.term);
      const Xapian::doccount tf = postings.term_freq(node.term);
      if (factor != 0 && tf != 0) e.term_weight = bm25.TermWeight(tf, factor);
      return e;
    }
    const double child_factor = node.op == Op::kScale ? factor * node.factor : factor;
    for (const QueryNode& child : node.children) e.children.push_back(Compile(child, postings, bm25, child_factor));
    return e;
  }

  // Whether post `did` (of length `length`) matches; its weight is added to
  // *weight only if it does.
  bool Match(Xapian::docid did, Xapian::termcount length, const Bm25& bm25, double* weight) {
    switch (op) {
      case Op::kTerm:
        cursor.SkipTo(did);
        if (cursor.at_end() || cursor.docid() != did) return false;
        if (term_weight != 0) *weight += bm25.SumPart(term_weight, cursor.wdf(), length);
        return true;
      case Op::kScale:
        return children.front().Match(did, length, bm25, weight);
      case Op::kOr: {
        bool any = false;
        for (Evaluator& child : children) {
          double w = 0;
          if (child.Match(did, length, bm25, &w)) {
            any = true;
            *weight += w;
          }
        }
        return any;
      }
      case Op::kAnd: {
        double sum = 0;
        for (Evaluator& child : children) {
          if (!child.Match(did, length, bm25, &sum)) return false;
        }
        *weight += sum;
        return true;
      }
      default:
        return false;  // not taken: ShortlistsMatches() refuses other operators
    }
    return false;
  }
};

// Xapian's MSet order: weight descending, then docid ascending.
bool Better(double a_weight, Xapian::docid a, double b_weight, Xapian::docid b) {
  return a_weight != b_weight ? a_weight > b_weight : a < b;
}

// Whether scoring every term as if ORed (step 1) shortlists only posts the
// query can match: true for ORs of (scaled) terms, with ANDs only as one
// alternative of an OR (a compound like GPT-4o: gpt AND 4o, OR gpt4o).
// Required groups, filters and exclusions are peeled off first (Peel).
bool ShortlistsMatches(const QueryNode& node, bool under_or) {
  switch (node.op) {
    case Op::kTerm:
      return true;
    case Op::kScale:
      return ShortlistsMatches(node.children.front(), under_or);
    case Op::kOr:
      for (const QueryNode& child : node.children) {
        if (!ShortlistsMatches(child, true)) return false;
      }
      return true;
    case Op::kAnd:
      if (!under_or) return false;
      for (const QueryNode& child : node.children) {
        if (!ShortlistsMatches(child, false)) return false;
      }
      return true;
    default:
      return false;
  }
}

// Sets the bits of the posts that hold `term`.
void MarkPostings(const MemoryPostings& postings, const std::string& term, DocBitmap* bits) {
  for (MemoryPostings::Cursor c = postings.Open(term); !c.at_end(); c.Next()) {
    (*bits)[c.docid() / 64] |= uint64_t{1} << (c.docid() % 64);
  }
}

// Keeps in `allowed` the posts of `part` (or, with `exclude`, those not in it).
void Restrict(DocBitmap* allowed, const DocBitmap& part, bool exclude) {
  for (size_t w = 0; w < allowed->size(); ++w) (*allowed)[w] &= exclude ? ~part[w] : part[w];
}

// A query split for the ranker: its posts must match every `required` part
// and none of the `excluded` ones, and `scoring` weighs them as the whole
// query does. BuildQuery's shape is AND_NOT(FILTER(core, filters), excluded)
// with core = AND_MAYBE(AND(required groups), optional groups), AND(required
// groups) or the optional groups alone; for posts that match every required
// group, the OR of all groups has the weight AND_MAYBE gives.
struct PeeledQuery {
  QueryNode scoring;
  std::vector<const QueryNode*> required;
  std::vector<const QueryNode*> excluded;
};

PeeledQuery Peel(const QueryNode& node) {
  PeeledQuery p;
  const QueryNode* core = &node;
  auto all_of = [](const QueryNode& n, std::vector<const QueryNode*>* out) {
    if (n.op != Op::kAnd) {
      out->push_back(&n);
      return;
    }
    for (const QueryNode& child : n.children) out->push_back(&child);
  };
  if (core->op == Op::kAndNot) {
    for (size_t i = 1; i < core->children.size(); ++i) p.excluded.push_back(&core->children[i]);
    core = &core->children.front();
  }
  if (core->op == Op::kFilter) {
    for (size_t i = 1; i < core->children.size(); ++i) all_of(core->children[i], &p.required);
    core = &core->children.front();
  }
  if (core->op != Op::kAndMaybe && core->op != Op::kAnd) {
    p.scoring = *core;
    return p;
  }
  std::vector<const QueryNode*> groups;
  all_of(core->op == Op::kAnd ? *core : core->children.front(), &groups);
  p.required.insert(p.required.end(), groups.begin(), groups.end());
  if (core->op == Op::kAndMaybe) {
    for (size_t i = 1; i < core->children.size(); ++i) groups.push_back(&core->children[i]);
  }
  std::vector<QueryNode> scoring;
  for (const QueryNode* group : groups) scoring.push_back(*group);
  p.scoring = QueryNode::Combine(Op::kOr, std::move(scoring));
  return p;
}

// The posts matching `node` (terms, OR, AND, scaling), or false for other operators.
bool MatchBitmap(const MemoryPostings& postings, const QueryNode& node, DocBitmap* bits) {
  const size_t words = postings.last_docid() / 64 + 1;
  switch (node.op) {
    case Op::kTerm:
      bits->assign(words, 0);
      MarkPostings(postings, node.term, bits);
      return true;
    case Op::kMatchAll:
      bits->assign(words, ~uint64_t{0});
      return true;
    case Op::kScale:
      return MatchBitmap(postings, node.children.front(), bits);
    case Op::kOr:
    case Op::kAnd: {
      DocBitmap child;
      for (size_t i = 0; i < node.children.size(); ++i) {
        if (!MatchBitmap(postings, node.children[i], i == 0 ? bits : &child)) return false;
        if (i == 0) continue;
        for (size_t w = 0; w < words; ++w) (*bits)[w] = node.op == Op::kOr ? (*bits)[w] | child[w] : (*bits)[w] & child[w];
      }
      return !node.children.empty();
    }
    default:
      return false;
  }
}

// Xapian's kind of estimate of how many posts match `node` (an OR of terms),
// from term frequencies.
double EstimateMatches(const MemoryPostings& postings, const QueryNode& node) {
  const double n = postings.doc_count();
  if (n == 0) return 0;
  switch (node.op) {
    case Op::kTerm:
      return postings.term_freq(node.term);
    case Op::kScale:
      return EstimateMatches(postings, node.children.front());
    case Op::kOr: {
      double est = 0;
      for (const QueryNode& child : node.children) {
        const double e = EstimateMatches(postings, child);
        est = est + e - est * e / n;  // as if terms were independent
      }
      return est;
    }
    case Op::kAnd: {
      double est = n;
      for (const QueryNode& child : node.children) est = est * EstimateMatches(postings, child) / n;
      return est;
    }
    default:
      return 0;  // not taken: ShortlistsMatches() refuses other operators
  }
}

}  // namespace

DocBitmap AllowedPosts(const MemoryPostings& postings, const std::vector<std::vector<std::string>>& clauses,
                       const std::vector<std::string>& excluded) {
  const size_t words = postings.last_docid() / 64 + 1;
  DocBitmap allowed(words, ~uint64_t{0});
  DocBitmap part;
  for (const std::vector<std::string>& clause : clauses) {
    part.assign(words, 0);
    for (const std::string& term : clause) MarkPostings(postings, term, &part);
    Restrict(&allowed, part, /*exclude=*/false);
  }
  part.assign(words, 0);
  for (const std::string& term : excluded) MarkPostings(postings, term, &part);
  Restrict(&allowed, part, /*exclude=*/true);
  return allowed;
}

std::optional<MemoryRanking> RankInMemory(const MemoryPostings& postings, const QueryNode& whole,
                                          const QueryNode& selective, const RankingParams& params, uint32_t offset,
                                          uint32_t limit, MemoryRankerScratch* scratch, const DocBitmap* allowed) {
  if (params.k2 != 0) return std::nullopt;
  // Required, filtered and excluded parts become a bitmap of allowed posts;
  // what is left to score must be an OR of terms.
  const PeeledQuery peeled = Peel(whole);
  if (!ShortlistsMatches(peeled.scoring, false)) return std::nullopt;
  DocBitmap own_allowed;
  if (!peeled.required.empty() || !peeled.excluded.empty()) {
    own_allowed = allowed != nullptr ? *allowed : DocBitmap(postings.last_docid() / 64 + 1, ~uint64_t{0});
    DocBitmap part;
    for (const QueryNode* required : peeled.required) {
      if (!MatchBitmap(postings, *required, &part)) return std::nullopt;
      Restrict(&own_allowed, part, /*exclude=*/false);
    }
    for (const QueryNode* excluded : peeled.excluded) {
      if (!MatchBitmap(postings, *excluded, &part)) return std::nullopt;
      Restrict(&own_allowed, part, /*exclude=*/true);
    }
    allowed = &own_allowed;
  }
  const QueryNode selective_scoring = Peel(selective).scoring;
  const Bm25 bm25(postings, params);

  // 1. The shortlist: selective terms' BM25 summed per post.
  std::vector<float>& scores = scratch->scores;
  std::vector<Xapian::docid>& touched = scratch->touched;
  if (scores.size() < postings.last_docid() + 1) scores.assign(postings.last_docid() + 1, 0);
  auto accumulate = [&](const QueryNode& tree) {
    for (Xapian::docid did : touched) scores[did] = 0;
    touched.clear();
    ForEachWeightedTerm(tree, [&](const QueryNode& term, double factor) {
      const Xapian::doccount tf = postings.term_freq(term.term);
      if (tf == 0 || factor == 0) return;
      const double term_weight = bm25.TermWeight(tf, factor);
      for (MemoryPostings::Cursor c = postings.Open(term.term); !c.at_end(); c.Next()) {
        const Xapian::docid did = c.docid();
        if (allowed != nullptr && ((*allowed)[did / 64] >> (did % 64) & 1) == 0) continue;
        const double w = bm25.SumPart(term_weight, c.wdf(), postings.doc_length(did));
        if (w <= 0) continue;
        float& score = scores[did];
        if (score == 0) touched.push_back(did);
        score += static_cast<float>(w);
      }
    });
  };
  touched.clear();
  accumulate(selective_scoring);
  const size_t needed = static_cast<size_t>(offset) + limit;
  // Too few posts have a selective term for the page: every term then, as
  // Xapian would rank the whole query (for an OR of terms the sums are the
  // weights themselves, so the shortlist holds the true best posts).
  if (touched.size() < needed) accumulate(peeled.scoring);
  std::optional<MemoryRanking> ranking;
  {
    const size_t keep = std::min<size_t>(std::max<size_t>(params.shortlist_size, needed), touched.size());
    auto better = [&](Xapian::docid a, Xapian::docid b) { return Better(scores[a], a, scores[b], b); };
    if (keep > 0) std::nth_element(touched.begin(), touched.begin() + (keep - 1), touched.end(), better);
    std::vector<Xapian::docid> shortlist(touched.begin(), touched.begin() + keep);
    std::sort(shortlist.begin(), shortlist.end());

    // 2. The whole query on the shortlist.
    Evaluator evaluator = Evaluator::Compile(peeled.scoring, postings, bm25, 1.0);
    std::vector<MemoryHit> matched;
    for (Xapian::docid did : shortlist) {
      double weight = 0;
      if (evaluator.Match(did, postings.doc_length(did), bm25, &weight)) matched.push_back({did, weight});
    }
    std::sort(matched.begin(), matched.end(),
              [](const MemoryHit& a, const MemoryHit& b) { return Better(a.weight, a.docid, b.weight, b.docid); });
    ranking.emplace();
    double estimate = EstimateMatches(postings, peeled.scoring);
    if (allowed != nullptr && postings.doc_count() > 0) {
      // As Xapian estimates a filter: the share of posts it lets through.
      uint64_t through = 0;
      for (uint64_t word : *allowed) through += static_cast<uint64_t>(__builtin_popcountll(word));
      estimate *= std::min(1.0, static_cast<double>(through) / postings.doc_count());
    }
    ranking->estimated_total = std::max<uint64_t>(static_cast<uint64_t>(std::llround(estimate)), matched.size());
    for (size_t i = offset; i < matched.size() && i < needed; ++i) ranking->hits.push_back(matched[i]);
  }
  for (Xapian::docid did : touched) scores[did] = 0;
  return ranking;
}

}  // namespace chaja::index
