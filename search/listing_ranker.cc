#include "search/listing_ranker.h"

namespace chaja::search {

absl::StatusOr<std::optional<RankedPage>> ListingRanker::Rank(const RankQuery& query) {
  const QueryPlan& plan = *query.plan;
  if (columns_ == nullptr || !plan.MatchesEverything() || !plan.phrase_checks.empty() ||
      query.sort == v1::SORT_ORDER_MOST_COMMENTED) {
    return std::nullopt;
  }
  const auto& by_time = columns_->by_published();
  if (query.facets != nullptr) {
    for (const auto& [published, did] : by_time) query.facets->Count(did);
  }
  RankedPage page;
  page.total = by_time.size();
  page.total_exact = true;
  const bool oldest_first = query.sort == v1::SORT_ORDER_OLDEST;
  for (uint64_t i = query.page.offset; i < page.total && i < query.page.end(); ++i) {
    page.hits.push_back({oldest_first ? by_time[i].second : by_time[page.total - 1 - i].second, 0.0});
  }
  return page;
}

}  // namespace chaja::search
