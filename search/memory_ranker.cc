#include "search/memory_ranker.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace chaja::search {
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
      case Op::kMax: {
        bool any = false;
        double best = 0;
        for (Evaluator& child : children) {
          double w = 0;
          if (child.Match(did, length, bm25, &w)) {
            best = any ? std::max(best, w) : w;
            any = true;
          }
        }
        if (any) *weight += best;
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
    case Op::kMax:  // the shortlist sums; the whole query then weighs exactly
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

// Keeps in `allowed` the posts of `part` (or, with `exclude`, those not in it).
void Restrict(DocBitmap* allowed, const DocBitmap& part, bool exclude) {
  for (size_t w = 0; w < allowed->size(); ++w) (*allowed)[w] &= exclude ? ~part[w] : part[w];
}

void MarkPostings(const MemoryPostings& postings, const std::string& term, DocBitmap* bits) {
  for (MemoryPostings::Cursor c = postings.Open(term); !c.at_end(); c.Next()) {
    (*bits)[c.docid() / 64] |= uint64_t{1} << (c.docid() % 64);
  }
}

// Sets the bits of the posts published in [from, to] (SiteColumns' time order).
void MarkPublished(const index::SiteColumns& columns, double from, double to, DocBitmap* bits) {
  const auto& by_time = columns.by_published();
  for (auto it = std::lower_bound(by_time.begin(), by_time.end(), std::make_pair(from, Xapian::docid{0}));
       it != by_time.end() && it->first <= to; ++it) {
    if (it->second / 64 < bits->size()) (*bits)[it->second / 64] |= uint64_t{1} << (it->second % 64);
  }
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

// The posts matching `node` into `bits` (sized for the lists); false when a
// date range has no columns to answer it.
bool MatchBitmap(const MemoryPostings& postings, const index::SiteColumns* columns, const QueryNode& node,
                 DocBitmap* bits) {
  const size_t words = postings.last_docid() / 64 + 1;
  switch (node.op) {
    case Op::kNothing:
      bits->assign(words, 0);
      return true;
    case Op::kTerm:
      bits->assign(words, 0);
      MarkPostings(postings, node.term, bits);
      return true;
    case Op::kMatchAll:
      bits->assign(words, ~uint64_t{0});
      return true;
    case Op::kValueRange:
      if (columns == nullptr) return false;
      bits->assign(words, 0);
      MarkPublished(*columns, node.from, node.to, bits);
      return true;
    case Op::kScale:
    case Op::kAndMaybe:  // the others only add weight
      return MatchBitmap(postings, columns, node.children.front(), bits);
    default:
      break;
  }
  // kOr, kMax, kAnd, kFilter (an AND that adds no weight), kAndNot.
  DocBitmap child;
  for (size_t i = 0; i < node.children.size(); ++i) {
    if (!MatchBitmap(postings, columns, node.children[i], i == 0 ? bits : &child)) return false;
    if (i == 0) continue;
    for (size_t w = 0; w < words; ++w) {
      uint64_t& word = (*bits)[w];
      const bool any = node.op == Op::kOr || node.op == Op::kMax;
      word = any ? word | child[w] : node.op == Op::kAndNot ? word & ~child[w] : word & child[w];
    }
  }
  if (node.children.empty()) bits->assign(words, 0);
  return true;
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
    case Op::kOr:
    case Op::kMax: {
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

// Into *allowed, the posts the peeled parts allow: every required part and
// none of the excluded; left empty when nothing is peeled (every post is
// allowed). False when a part cannot be answered from the lists.
bool AllowedPosts(const MemoryPostings& postings, const index::SiteColumns* columns, const PeeledQuery& peeled,
                  DocBitmap* allowed) {
  allowed->clear();
  if (peeled.required.empty() && peeled.excluded.empty()) return true;
  allowed->assign(postings.last_docid() / 64 + 1, ~uint64_t{0});
  DocBitmap part;
  for (const QueryNode* required : peeled.required) {
    if (!MatchBitmap(postings, columns, *required, &part)) return false;
    Restrict(allowed, part, /*exclude=*/false);
  }
  for (const QueryNode* excluded : peeled.excluded) {
    if (!MatchBitmap(postings, columns, *excluded, &part)) return false;
    Restrict(allowed, part, /*exclude=*/true);
  }
  return true;
}

// Sums the BM25 of `tree`'s weighted terms per allowed post into the
// scratch's accumulators; scratch->touched lists the posts with a score.
void Accumulate(const MemoryPostings& postings, const Bm25& bm25, const QueryNode& tree, const DocBitmap* allowed,
                MemoryRankerScratch* scratch, const Deadline* deadline) {
  std::vector<float>& scores = scratch->scores;
  for (Xapian::docid did : scratch->touched) scores[did] = 0;
  scratch->touched.clear();
  DeadlineTicker ticker(deadline, 1);  // a term's list is a long step
  ForEachWeightedTerm(tree, [&](const QueryNode& term, double factor) {
    ticker.Tick();
    const Xapian::doccount tf = postings.term_freq(term.term);
    if (tf == 0 || factor == 0) return;
    const double term_weight = bm25.TermWeight(tf, factor);
    for (MemoryPostings::Cursor c = postings.Open(term.term); !c.at_end(); c.Next()) {
      const Xapian::docid did = c.docid();
      if (allowed != nullptr && ((*allowed)[did / 64] >> (did % 64) & 1) == 0) continue;
      const double w = bm25.SumPart(term_weight, c.wdf(), postings.doc_length(did));
      if (w <= 0) continue;
      float& score = scores[did];
      if (score == 0) scratch->touched.push_back(did);
      score += static_cast<float>(w);
    }
  });
}

// The best `keep` accumulated posts, in docid order.
std::vector<Xapian::docid> Shortlist(MemoryRankerScratch* scratch, size_t keep) {
  const std::vector<float>& scores = scratch->scores;
  std::vector<Xapian::docid>& touched = scratch->touched;
  keep = std::min(keep, touched.size());
  auto better = [&](Xapian::docid a, Xapian::docid b) { return Better(scores[a], a, scores[b], b); };
  if (keep > 0) std::nth_element(touched.begin(), touched.begin() + (keep - 1), touched.end(), better);
  std::vector<Xapian::docid> shortlist(touched.begin(), touched.begin() + keep);
  std::sort(shortlist.begin(), shortlist.end());
  return shortlist;
}

// The matches of `scoring` among `shortlist`, best first.
std::vector<RankedHit> RankShortlist(const MemoryPostings& postings, const Bm25& bm25, const QueryNode& scoring,
                                     const std::vector<Xapian::docid>& shortlist) {
  Evaluator evaluator = Evaluator::Compile(scoring, postings, bm25, 1.0);
  std::vector<RankedHit> matched;
  for (Xapian::docid did : shortlist) {
    double weight = 0;
    if (evaluator.Match(did, postings.doc_length(did), bm25, &weight)) matched.push_back({did, weight});
  }
  std::sort(matched.begin(), matched.end(),
            [](const RankedHit& a, const RankedHit& b) { return Better(a.weight, a.docid, b.weight, b.docid); });
  return matched;
}

// As Xapian estimates a filtered OR: the terms' estimate times the share of
// posts the filter lets through.
uint64_t EstimateTotal(const MemoryPostings& postings, const QueryNode& scoring, const DocBitmap* allowed,
                       size_t matched) {
  double estimate = EstimateMatches(postings, scoring);
  if (allowed != nullptr && postings.doc_count() > 0) {
    uint64_t through = 0;
    for (uint64_t word : *allowed) through += static_cast<uint64_t>(__builtin_popcountll(word));
    estimate *= std::min(1.0, static_cast<double>(through) / postings.doc_count());
  }
  return std::max<uint64_t>(static_cast<uint64_t>(std::llround(estimate)), matched);
}

}  // namespace

std::optional<RankedPage> RankInMemory(const MemoryPostings& postings, const index::SiteColumns* columns,
                                       const QueryNode& whole, const QueryNode& selective, const RankingParams& params,
                                       uint32_t offset, uint32_t limit, MemoryRankerScratch* scratch,
                                       const Deadline* deadline) {
  if (params.k2 != 0) return std::nullopt;
  // Required, filtered and excluded parts become a bitmap of allowed posts;
  // what is left to score must be an OR of terms.
  const PeeledQuery peeled = Peel(whole);
  if (!ShortlistsMatches(peeled.scoring, false)) return std::nullopt;
  DocBitmap allowed;
  if (!AllowedPosts(postings, columns, peeled, &allowed)) return std::nullopt;
  const DocBitmap* allowed_ptr = allowed.empty() ? nullptr : &allowed;
  const Bm25 bm25(postings, params);
  if (scratch->scores.size() < postings.last_docid() + 1) scratch->scores.assign(postings.last_docid() + 1, 0);

  // 1. The shortlist: selective terms' BM25 summed per post. A query without
  // selective terms, or a page past the shortlist's top half, sums every
  // term instead: for an OR of terms the sums are the weights themselves, so
  // the shortlist holds the true best posts (as Xapian would rank them).
  const size_t needed = static_cast<size_t>(offset) + limit;
  const bool every_term = selective.empty() || needed > params.shortlist_size / 2;
  Accumulate(postings, bm25, every_term ? peeled.scoring : Peel(selective).scoring, allowed_ptr, scratch, deadline);
  // Too few posts have a selective term for the page: every term then.
  if (!every_term && scratch->touched.size() < needed) {
    Accumulate(postings, bm25, peeled.scoring, allowed_ptr, scratch, deadline);
  }
  const std::vector<Xapian::docid> shortlist = Shortlist(scratch, std::max<size_t>(params.shortlist_size, needed));

  // 2. The whole query on the shortlist.
  const std::vector<RankedHit> matched = RankShortlist(postings, bm25, peeled.scoring, shortlist);
  RankedPage ranking;
  ranking.total = EstimateTotal(postings, peeled.scoring, allowed_ptr, matched.size());
  for (size_t i = offset; i < matched.size() && i < needed; ++i) ranking.hits.push_back(matched[i]);
  for (Xapian::docid did : scratch->touched) scratch->scores[did] = 0;
  return ranking;
}

std::optional<DocBitmap> MatchingPosts(const MemoryPostings& postings, const index::SiteColumns* columns,
                                       const QueryNode& tree) {
  DocBitmap bits;
  if (!MatchBitmap(postings, columns, tree, &bits)) return std::nullopt;
  return bits;
}

bool MemoryRanker::Takes(const RankQuery& query) const {
  const QueryPlan& plan = *query.plan;
  return query.sort == v1::SORT_ORDER_RELEVANCE && plan.has_text && !plan.options.match_all &&
         plan.phrase_checks.empty() && postings_->doc_count() >= params_->shortlist_min_docs &&
         query.page.end() <= kMaxMemoryRankedPageEnd;
}

std::optional<RankedPage> MemoryRanker::CountOnly(const RankQuery& query) const {
  const std::optional<DocBitmap> matching = MatchingPosts(*postings_, columns_, CountingTree(*query.plan));
  DeadlineTicker(query.deadline).Throw();
  if (!matching) return std::nullopt;
  RankedPage page;
  page.total_exact = true;
  if (query.facets != nullptr) {
    page.total = query.facets->CountBitmap(*matching);
  } else {
    for (uint64_t word : *matching) page.total += __builtin_popcountll(word);
  }
  return page;
}

absl::StatusOr<std::optional<RankedPage>> MemoryRanker::Rank(const RankQuery& query) {
  if (!Takes(query)) return std::nullopt;
  if (query.page.limit == 0) return CountOnly(query);
  const double doc_count = postings_->doc_count();
  const QueryNode selective = SelectiveTree(
      *query.plan, [&](const std::string& term) { return postings_->term_freq(term) / doc_count; },
      params_->shortlist_share);
  // Facets: the plan's matches as a bitmap, counted beside the ranking.
  std::optional<DocBitmap> matching;
  uint64_t matches = 0;
  auto count = [&] {
    matching = MatchingPosts(*postings_, columns_, CountingTree(*query.plan));
    DeadlineTicker(query.deadline).Throw();
    if (matching) matches = query.facets->CountBitmap(*matching);
  };
  std::optional<std::future<void>> counted;
  if (query.facets != nullptr && counting_ != nullptr) counted = counting_->TryStart(count);
  if (query.facets != nullptr && !counted) count();
  std::optional<RankedPage> page;
  try {
    page = RankInMemory(*postings_, columns_, query.plan->tree, selective, *params_, query.page.offset,
                        query.page.limit, scratch_, query.deadline);
  } catch (const WorkStopped&) {
    if (counted) counted->wait();  // the count uses this frame's variables
    throw;
  }
  if (counted) counted->get();  // rethrows the count's WorkStopped
  if (!page || (query.facets != nullptr && !matching)) {
    if (query.facets != nullptr) query.facets->Clear();  // the next ranker counts again
    return std::nullopt;
  }
  if (query.facets != nullptr) {
    page->total = matches;
    page->total_exact = true;
  }
  return page;
}

}  // namespace chaja::search
