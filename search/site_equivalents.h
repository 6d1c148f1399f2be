// The equivalents a site has in effect, as SiteStats lists them: the site's
// own sets and expansions, and the built-in sets of which the site has a
// word (in a tag or its text) — the rest of the built-in list does nothing
// on this site.
//
// Thread-compatible: reads the lexicon.
#ifndef CHAJA_SEARCH_SITE_EQUIVALENTS_H_
#define CHAJA_SEARCH_SITE_EQUIVALENTS_H_

#include <string>
#include <vector>

#include <xapian.h>

#include "absl/status/statusor.h"
#include "chaja/v1/search.pb.h"
#include "index/equivalents.h"
#include "search/equivalent_discovery.h"
#include "search/lexicon.h"

namespace chaja::search {

// Whether some post has `word`: as a tag, or all its terms in one post.
bool SiteHasWord(const Lexicon& lexicon, const std::string& word);

// The sound comparison of analyzer/loanword.h, for DiscoverEquivalents.
SoundComparison LoanwordSounds();

// The candidate pairs of SuggestEquivalents (equivalent_discovery.h) that
// `equivalents` does not have yet, with the line that accepts each.
// INVALID_ARGUMENT for a bad limit.
// Throws WorkStopped once `deadline` (nullable) has passed.
absl::StatusOr<v1::SuggestEquivalentsResponse> SuggestEquivalents(const Xapian::Database& db,
                                                                  const index::Equivalents& equivalents,
                                                                  const v1::SuggestEquivalentsRequest& request,
                                                                  const Deadline* deadline = nullptr);

// Fills stats->equivalents, builtin_equivalents and builtin_equivalent_sets.
void AddActiveEquivalents(const index::Equivalents& equivalents, const Lexicon& lexicon, v1::SiteStats* stats);

}  // namespace chaja::search

#endif  // CHAJA_SEARCH_SITE_EQUIVALENTS_H_
