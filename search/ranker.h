// Ranker: turns a QueryPlan into the page of posts a search shows, plus how
// many posts match. Searcher asks its rankers in turn; one that cannot answer
// a plan (a listing ranker asked for words, the in-memory ranker without
// lists) declines and the next is asked. Every ranker compiles the same plan
// (query_plan.h); none parses or analyses the query again.
//
//   ListingRanker (listing_ranker.h)  the whole site by date, from the column snapshot
//   MemoryRanker  (memory_ranker.h)   big sites, from in-memory posting lists
//   XapianRanker  (xapian_ranker.h)   everything, from the database
#ifndef CHAJA_SEARCH_RANKER_H_
#define CHAJA_SEARCH_RANKER_H_

#include <cstdint>
#include <optional>
#include <vector>

#include <xapian.h>

#include "absl/status/statusor.h"
#include "chaja/v1/search.pb.h"
#include "search/deadline.h"
#include "search/facet_counter.h"
#include "search/page_token.h"
#include "search/query_plan.h"

namespace chaja::search {

struct RankedHit {
  Xapian::docid docid = 0;
  double weight = 0;
};

struct RankedPage {
  // The page asked for, in the request's order.
  std::vector<RankedHit> hits;
  // How many posts match: exact when total_exact, else an estimate.
  uint64_t total = 0;
  bool total_exact = false;
};

struct RankQuery {
  const QueryPlan* plan = nullptr;
  v1::SortOrder sort = v1::SORT_ORDER_RELEVANCE;
  Page page;
  // When set, every matching post is counted into it in the same pass, and
  // the total is exact.
  FacetCounter* facets = nullptr;
  // Checked as the ranker works (deadline.h); nullptr: no limit.
  const Deadline* deadline = nullptr;
};

class Ranker {
 public:
  virtual ~Ranker() = default;
  // Short name of the path ("listing", "memory", "xapian"): SearchResponse.ranker.
  virtual const char* name() const = 0;
  // The page, nullopt when this ranker cannot answer `query` (the next one
  // is asked), or an error.
  virtual absl::StatusOr<std::optional<RankedPage>> Rank(const RankQuery& query) = 0;
};

}  // namespace chaja::search

#endif  // CHAJA_SEARCH_RANKER_H_
