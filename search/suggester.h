// Suggest: what the reader may be typing into the search box, from the site
// itself — titles, tags, categories and words that start with the text typed
// so far (down to the jamo of the syllable being composed), whose 초성 it is,
// or that it spells when typed in the other keyboard mode (query_reading.h).
//
// Titles come from the title-key terms (index::kPrefixTitleKey, a range walk);
// tags and categories from the column snapshot, counted by their terms; words
// from the site's grams and Latin terms. Sites indexed before those terms
// existed get no title or 초성-title suggestions until they are re-indexed.
//
// Thread-compatible: reads one database handle.
#ifndef CHAJA_SEARCH_SUGGESTER_H_
#define CHAJA_SEARCH_SUGGESTER_H_

#include <xapian.h>

#include "absl/status/statusor.h"
#include "chaja/v1/search.pb.h"
#include "index/site_columns.h"
#include "search/tag_groups.h"

namespace chaja::search {

inline constexpr uint32_t kDefaultSuggestions = 8;
inline constexpr uint32_t kMaxSuggestions = 50;

// INVALID_ARGUMENT for a limit over kMaxSuggestions or a prefix longer than a
// query may be; an empty prefix suggests nothing. `columns` may be null;
// with `tag_groups`, a tag counts the posts of its merged tag (ubuntu counts
// the 우분투 posts too), as the tag cloud does.
absl::StatusOr<v1::SuggestResponse> Suggest(const v1::SuggestRequest& request, const Xapian::Database& db,
                                            const index::SiteColumns* columns, const TagGroups* tag_groups = nullptr);

}  // namespace chaja::search

#endif  // CHAJA_SEARCH_SUGGESTER_H_
