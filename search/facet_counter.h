// FacetCounter: counts the tags and categories of every matching post, fed by
// whichever pass finds the matches (a Xapian match, the in-memory match
// bitmap, the whole site's listing), never by a pass of its own. Counts are
// array lookups in the column snapshot: no document or value reads.
//
// Thread-compatible: one counter per request.
#ifndef CHAJA_SEARCH_FACET_COUNTER_H_
#define CHAJA_SEARCH_FACET_COUNTER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <xapian.h>

#include "absl/status/status.h"
#include "chaja/v1/search.pb.h"
#include "index/site_columns.h"
#include "search/tag_groups.h"

namespace chaja::search {

inline constexpr uint32_t kDefaultFacetLimit = 20;
inline constexpr uint32_t kMaxFacetLimit = 1000;

class FacetCounter {
 public:
  // The facets `request` asks for, counted over `columns` (borrowed); tags
  // by their `tag_groups` (borrowed; required with columns), so a post
  // tagged 우분투 and ubuntu counts once. `category_order` (borrowed; may be
  // nullptr) orders the category tree (SiteSettings::category_order).
  FacetCounter(const v1::SearchRequest& request, const index::SiteColumns* columns, const TagGroups* tag_groups,
               const std::vector<std::string>* category_order = nullptr);
  ~FacetCounter();

  // Whether any facet was asked for.
  bool wanted() const { return want_tags_ || want_categories_; }

  void Count(Xapian::docid did);
  // Counts every post set in `bits` (bit d of word d / 64); returns how many.
  uint64_t CountBitmap(const std::vector<uint64_t>& bits);
  // Forgets every count (a ranker that counted, then declined the search).
  void Clear();
  // The counter as a Xapian match spy (owned by the counter).
  Xapian::MatchSpy* AsMatchSpy();

  // Adds the counted facets to `response`, most frequent first.
  void Fill(v1::SearchResponse* response) const;

 private:
  class Spy;
  const index::SiteColumns* columns_;
  const TagGroups* tag_groups_;
  const std::vector<std::string>* category_order_;
  std::vector<uint32_t> post_groups_;  // scratch of Count()
  bool want_tags_ = false, want_categories_ = false;
  uint32_t tag_limit_ = kDefaultFacetLimit, category_limit_ = kDefaultFacetLimit;
  std::vector<uint64_t> tag_counts_, category_counts_;
  std::unique_ptr<Spy> spy_;
};

// OK or INVALID_ARGUMENT for the request's facet fields.
absl::Status ValidateFacets(const v1::SearchRequest& request);

}  // namespace chaja::search

#endif  // CHAJA_SEARCH_FACET_COUNTER_H_
