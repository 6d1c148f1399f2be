// ListingRanker: the whole site in time order (the blog's front page, the tag
// cloud), answered from the column snapshot without any matching: only plans
// that match every post, sorted by date (relevance means newest first when
// there are no words).
#ifndef CHAJA_SEARCH_LISTING_RANKER_H_
#define CHAJA_SEARCH_LISTING_RANKER_H_

#include "index/site_columns.h"
#include "search/ranker.h"

namespace chaja::search {

class ListingRanker : public Ranker {
 public:
  // `columns` is borrowed for the ranker's life.
  explicit ListingRanker(const index::SiteColumns* columns) : columns_(columns) {}

  const char* name() const override { return "listing"; }
  absl::StatusOr<std::optional<RankedPage>> Rank(const RankQuery& query) override;

 private:
  const index::SiteColumns* columns_;
};

}  // namespace chaja::search

#endif  // CHAJA_SEARCH_LISTING_RANKER_H_
