// chaja-remote-shards: a site split over xapian-tcpsrv shards, read as one
// Xapian::Database through Xapian's remote backend, against one local
// database of every post (issue 16, docs/scaling.md). For each query it says
// whether the combined top k is the local one (ids and BM25 weights: the
// remote backend ranks with the statistics of all shards), and how far a
// naive merge of each shard's own top k (each with its own statistics) is
// from it. Then it runs what Chaja's Xapian path adds to a match (the ranker
// itself, the phrase check, the facet spy, a posting source) on the combined
// database and prints what Xapian 1.4 answers. bench/remote_shards/run.sh
// sets it all up.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <xapian.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "index/schema.h"
#include "search/facet_counter.h"
#include "search/phrase_filter.h"
#include "search/query_plan.h"
#include "search/ranking.h"
#include "search/xapian_ranker.h"

ABSL_FLAG(std::string, full, "", "Local Xapian database of every post (DATA/SITE/xapian).");
ABSL_FLAG(std::vector<std::string>, shards, {}, "host:port of each xapian-tcpsrv shard, comma-separated.");
ABSL_FLAG(std::string, queries, "", "File with one query per line (Chaja's query syntax).");
ABSL_FLAG(int, k, 10, "Hits compared per query.");

namespace {

using chaja::search::QueryPlan;

struct Hit {
  std::string id;
  double weight;
};

// The article id: the document's one Q-prefixed term (docids differ between
// the combined and the local database).
std::string ArticleId(const Xapian::Document& doc) {
  Xapian::TermIterator it = doc.termlist_begin();
  it.skip_to(std::string(chaja::index::kPrefixId));
  if (it == doc.termlist_end()) return "?";
  const std::string term = *it;
  return term.rfind(std::string(chaja::index::kPrefixId), 0) == 0 ? term.substr(1) : "?";
}

Xapian::BM25Weight Bm25() {
  const chaja::search::RankingParams p;
  return Xapian::BM25Weight(p.k1, p.k2, p.k3, p.b, p.min_normlen);
}

std::vector<Hit> TopK(const Xapian::Database& db, const Xapian::Query& query, int k) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  enquire.set_weighting_scheme(Bm25());
  std::vector<Hit> hits;
  const Xapian::MSet mset = enquire.get_mset(0, k);
  for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
    hits.push_back({ArticleId(it.get_document()), it.get_weight()});
  }
  return hits;
}

// Same hits in the same order up to ties: the ids of each weight above the
// last one shown match; of the last weight (a tie may straddle the cut,
// broken by docid, which differs) only the count must.
bool SameTop(const std::vector<Hit>& a, const std::vector<Hit>& b, double* max_diff) {
  *max_diff = 0;
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  for (size_t i = 0; i < a.size(); ++i) *max_diff = std::max(*max_diff, std::fabs(a[i].weight - b[i].weight));
  if (*max_diff > 1e-9) return false;
  const double last = a.back().weight;
  std::multimap<double, std::string> left, right;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::fabs(a[i].weight - last) > 1e-9) left.emplace(a[i].weight, a[i].id), right.emplace(b[i].weight, b[i].id);
  }
  std::vector<std::string> l, r;
  for (const auto& [w, id] : left) l.push_back(id);
  for (const auto& [w, id] : right) r.push_back(id);
  std::sort(l.begin(), l.end());
  std::sort(r.begin(), r.end());
  return l == r;
}

// What a coordinator without global statistics would show: each shard's own
// top k, merged by weight. Returns how many of `global`'s ids it holds.
int NaiveMergeOverlap(const std::vector<Xapian::Database>& shards, const Xapian::Query& query, int k,
                      const std::vector<Hit>& global) {
  std::vector<Hit> merged;
  for (const Xapian::Database& shard : shards) {
    for (const Hit& hit : TopK(shard, query, k)) merged.push_back(hit);
  }
  std::stable_sort(merged.begin(), merged.end(), [](const Hit& a, const Hit& b) { return a.weight > b.weight; });
  if (static_cast<int>(merged.size()) > k) merged.resize(k);
  int overlap = 0;
  for (const Hit& g : global) {
    for (const Hit& m : merged) overlap += m.id == g.id;
  }
  return overlap;
}

// Median wall time of `runs` top-k matches (the MSet only, no documents
// read), in milliseconds.
// With `page`, also each hit's stored article (Document::get_data), as the
// hit writer reads them for a page.
double MedianMs(const Xapian::Database& db, const Xapian::Query& query, int k, bool page, int runs = 7) {
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    enquire.set_weighting_scheme(Bm25());
    const Xapian::MSet mset = enquire.get_mset(0, k);
    size_t bytes = 0;
    if (page) {
      for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) bytes += it.get_document().get_data().size();
    }
    if (page && bytes == 0 && !mset.empty()) throw std::runtime_error("no stored articles");
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

Xapian::Database OpenRemote(const std::string& address) {
  const std::vector<std::string> parts = absl::StrSplit(address, ':');
  unsigned port = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[1], &port)) {
    throw std::runtime_error("--shards wants host:port, not " + address);
  }
  return Xapian::Remote::open(parts[0], port);
}

// A posting source like the Xapian ranker's shortlist filter (DocidSetSource,
// private to search/xapian_ranker.cc): a subclass without name()/serialise().
class DocidSetSource : public Xapian::PostingSource {
 public:
  explicit DocidSetSource(std::vector<Xapian::docid> ids) : ids_(std::move(ids)) { set_maxweight(0); }
  Xapian::doccount get_termfreq_min() const override { return ids_.size(); }
  Xapian::doccount get_termfreq_est() const override { return ids_.size(); }
  Xapian::doccount get_termfreq_max() const override { return ids_.size(); }
  void init(const Xapian::Database&) override { at_ = -1; }
  void next(double) override { ++at_; }
  bool at_end() const override { return at_ >= static_cast<ptrdiff_t>(ids_.size()); }
  Xapian::docid get_docid() const override { return ids_[at_]; }
  DocidSetSource* clone() const override { return new DocidSetSource(ids_); }

 private:
  std::vector<Xapian::docid> ids_;
  ptrdiff_t at_ = -1;
};

// Runs `fn` and prints what it answers ("works: …") or the Xapian exception
// it throws ("fails: …").
template <typename Fn>
void Try(const char* what, Fn fn) {
  try {
    std::printf("  %-50s %s\n", what, fn().c_str());
  } catch (const Xapian::Error& e) {
    std::printf("  %-50s fails: %s: %s\n", what, e.get_type(), e.get_msg().c_str());
  }
}

void TryChajaParts(const Xapian::Database& remote, const Xapian::Database& local, const QueryPlan& words,
                   const QueryPlan& phrase) {
  std::printf("\nChaja's Xapian path on the combined remote database (query: words; phrase: a quoted phrase)\n");
  Try("plain Enquire, BM25Weight, sorted by date", [&] {
    Xapian::Enquire enquire(remote);
    enquire.set_query(chaja::search::ToXapian(words.tree));
    enquire.set_weighting_scheme(Bm25());
    enquire.set_sort_by_value_then_relevance(chaja::index::kSlotPublished, true);
    return "works: " + std::to_string(enquire.get_mset(0, 10).size()) + " hits";
  });
  Try("XapianRanker::Rank (search/xapian_ranker.cc)", [&] {
    const chaja::search::RankingParams params;
    chaja::search::XapianRanker ranker(&remote, &params);
    chaja::search::RankQuery query;
    query.plan = &words;
    const auto page = ranker.Rank(query);
    if (!page.ok()) return "fails: status " + page.status().ToString();
    return "works: " + std::to_string((*page)->hits.size()) + " hits";
  });
  Try("PhraseFilter (MatchDecider, the phrase check)", [&] {
    Xapian::Enquire enquire(remote);
    enquire.set_query(chaja::search::ToXapian(phrase.tree));
    const chaja::search::PhraseFilter filter(phrase.phrase_checks);
    return "works: " + std::to_string(enquire.get_mset(0, 10, 0, nullptr, &filter).size()) + " hits";
  });
  Try("FacetCounter's MatchSpy (tags and categories)", [&] {
    Xapian::Enquire enquire(remote);
    enquire.set_query(chaja::search::ToXapian(words.tree));
    chaja::search::FacetCounter facets(chaja::v1::SearchRequest(), nullptr, nullptr);
    enquire.add_matchspy(facets.AsMatchSpy());
    return "works: " + std::to_string(enquire.get_mset(0, 10).size()) + " hits";
  });
  Try("a PostingSource subclass (the shortlist filter)", [&] {
    Xapian::Enquire enquire(remote);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, chaja::search::ToXapian(words.tree),
                                    Xapian::Query((new DocidSetSource({1, 2, 3}))->release())));
    return "works: " + std::to_string(enquire.get_mset(0, 10).size()) + " hits";
  });
  Try("Xapian's ValueCountMatchSpy on the category slot", [&] {
    auto count = [&](const Xapian::Database& db) {
      Xapian::Enquire enquire(db);
      enquire.set_query(chaja::search::ToXapian(words.tree));
      Xapian::ValueCountMatchSpy spy(chaja::index::kSlotCategory);
      enquire.add_matchspy(&spy);
      enquire.get_mset(0, 10, db.get_doccount());
      std::map<std::string, Xapian::doccount> counts;
      for (Xapian::TermIterator it = spy.values_begin(); it != spy.values_end(); ++it) counts[*it] = it.get_termfreq();
      return counts;
    };
    const auto remote_counts = count(remote), local_counts = count(local);
    return "works: " + std::to_string(remote_counts.size()) + " categories, " +
           (remote_counts == local_counts ? "the same counts as the local database" : "counts DIFFER from local");
  });
}

std::optional<QueryPlan> Plan(const std::string& text) {
  auto plan = chaja::search::PlanQuery(text, chaja::search::PlanOptions());
  if (!plan.ok()) {
    std::fprintf(stderr, "remote-shards: %s: %s\n", text.c_str(), std::string(plan.status().message()).c_str());
    return std::nullopt;
  }
  return std::move(*plan);
}

int Run() {
  const int k = absl::GetFlag(FLAGS_k);
  const Xapian::Database local(absl::GetFlag(FLAGS_full));
  Xapian::Database remote;
  std::vector<Xapian::Database> shards;
  for (const std::string& address : absl::GetFlag(FLAGS_shards)) {
    shards.push_back(OpenRemote(address));
    remote.add_database(shards.back());
  }
  std::printf("local: %u posts; combined remote: %u posts in %zu shards (", local.get_doccount(), remote.get_doccount(),
              shards.size());
  for (size_t i = 0; i < shards.size(); ++i) std::printf("%s%u", i ? " + " : "", shards[i].get_doccount());
  std::printf(")\n\nquery | hits | same top | max weight diff | naive merge | "
              "match ms local / remote | page ms local / remote\n");

  std::ifstream in(absl::GetFlag(FLAGS_queries));
  std::string line;
  int same = 0, total = 0;
  std::optional<QueryPlan> words, phrase;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::optional<QueryPlan> plan = Plan(line);
    if (!plan) continue;
    if (!plan->phrase_checks.empty()) {
      if (!phrase) phrase = plan;
      continue;  // a phrase needs the phrase check, shown below
    }
    if (!words) words = plan;
    const Xapian::Query query = chaja::search::ToXapian(plan->tree);
    const std::vector<Hit> want = TopK(local, query, k), got = TopK(remote, query, k);
    double max_diff = 0;
    const bool ok = SameTop(want, got, &max_diff);
    same += ok;
    ++total;
    const int overlap = NaiveMergeOverlap(shards, query, k, want);
    std::printf("%s | %zu | %s | %.1e | %d of %zu | %.2f / %.2f | %.2f / %.2f\n", line.c_str(), got.size(),
                ok ? "yes" : "NO", max_diff, overlap, want.size(), MedianMs(local, query, k, false),
                MedianMs(remote, query, k, false), MedianMs(local, query, k, true), MedianMs(remote, query, k, true));
  }
  std::printf("\n%d of %d queries: the same top %d with the same weights\n", same, total, k);
  if (words && phrase) TryChajaParts(remote, local, *words, *phrase);
  return same == total ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  try {
    return Run();
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "remote-shards: %s: %s\n", e.get_type(), e.get_msg().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "remote-shards: %s\n", e.what());
  }
  return 2;
}
