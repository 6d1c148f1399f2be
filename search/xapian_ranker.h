// XapianRanker: answers any plan from the site's Xapian database: relevance
// by BM25 (through a shortlist on big sites, as the in-memory ranker does),
// or sorted by date or comments. Phrases that decide a match are checked
// against the stored text (PhraseFilter). Facets ride the ranked pass as a
// match spy; only a shortlisted pass, which sees just the shortlist, is
// followed by an unweighted counting pass of the same plan (CountingTree).
#ifndef CHAJA_SEARCH_XAPIAN_RANKER_H_
#define CHAJA_SEARCH_XAPIAN_RANKER_H_

#include <xapian.h>

#include "search/ranker.h"
#include "search/ranking.h"

namespace chaja::search {

class XapianRanker : public Ranker {
 public:
  // Both are borrowed for the ranker's life.
  XapianRanker(const Xapian::Database* db, const RankingParams* params) : db_(db), params_(params) {}

  const char* name() const override { return "xapian"; }
  // Never declines. Xapian errors become a Status (ABORTED when the database
  // was modified under the reader: refresh and run again).
  absl::StatusOr<std::optional<RankedPage>> Rank(const RankQuery& query) override;

 private:
  // Rank() without the translation of Xapian's exceptions.
  RankedPage RankOrThrow(const RankQuery& query);
  // The plan's query restricted to the best posts by its selective grams, or
  // nullopt when a shortlist does not apply or is too short for the page.
  std::optional<Xapian::Query> Shortlisted(const RankQuery& query, const Xapian::Query& whole,
                                          const Xapian::MatchDecider* decider);
  // Exact count of the plan's matches into query.facets; the total.
  uint64_t CountMatches(const RankQuery& query, const Xapian::MatchDecider* decider);
  Xapian::BM25Weight Bm25() const;

  const Xapian::Database* db_;
  const RankingParams* params_;
};

}  // namespace chaja::search

#endif  // CHAJA_SEARCH_XAPIAN_RANKER_H_
