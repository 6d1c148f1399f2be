// Terminal rendering of searchd answers for the chaja CLI.
//
// Snippets arrive as HTML-escaped text with <mark>…</mark>; on a terminal the
// marks become colour (only when `color` is set, i.e. on a TTY) and entities
// are decoded, so nothing from an article can emit escape codes of its own.
// Every piece of article text (titles, ids, urls, tags, categories, bodies)
// goes through MarkupToTerminal or PlainText before it is printed.
//
// All functions are pure: they return the text to print.
#ifndef CHAJA_CLIENT_FORMAT_H_
#define CHAJA_CLIENT_FORMAT_H_

#include <cstdint>
#include <string>
#include <vector>

#include <google/protobuf/message.h>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "chaja/v1/search.pb.h"

namespace chaja::client {

struct FormatOptions {
  bool color = false;
  // Dates are shown in this zone (the blog's, Asia/Seoul by default).
  absl::TimeZone zone = absl::FixedTimeZone(9 * 3600);
};

// <mark> → bold yellow (or nothing), entities decoded, control characters dropped.
std::string MarkupToTerminal(absl::string_view markup, bool color);

// Article text that is not markup (ids, urls, titles of PostSummary, tags):
// printed as written, control characters replaced by spaces.
std::string PlainText(absl::string_view text);

// "2025-01-22" in `zone`.
std::string FormatDate(const google::protobuf::Timestamp& t, absl::TimeZone zone);

// "1,234,567".
std::string FormatCount(uint64_t n);

// "512 B", "1.5 KiB", "12.3 MiB", "2.0 GiB".
std::string FormatBytes(uint64_t bytes);

// Ranked hits, then "N hits (exact) in X ms", then the facets, then the token
// for the next page.
// Suggestions, one per line with their kind and count.
std::string FormatSuggestions(const v1::SuggestRequest& request, const v1::SuggestResponse& response,
                              const FormatOptions& options);
std::string FormatSearchResponse(const v1::SearchRequest& request, const v1::SearchResponse& response,
                                 const FormatOptions& options);

// One facet as a table (TAG|CATEGORY, POSTS), by count as the server sent it,
// then "… and N more tags" when the server left values out. Categories with
// a tree (category_tree) are shown as the tree: "개발 (9)", then "  파이썬 (6)".
std::string FormatFacet(const v1::FacetResult& facet, const FormatOptions& options);

// The list under a blog post: "'카테고리' 카테고리의 다른 글", one line per
// post (title, 2025.01.22, (comments), id), the totals, then "← 이전 글" /
// "다음 글 →" lines and the token for the next page.
std::string FormatCategoryPosts(const v1::ListCategoryPostsRequest& request,
                                const v1::ListCategoryPostsResponse& response, const FormatOptions& options);

// A month (response.month() in 1..12): a calendar grid, Sunday first, one
// row per week, each day with its post count "22(3)". A year (month 0): one
// row per month with the count and a bar.
std::string FormatArchive(const v1::GetArchiveResponse& response, const FormatOptions& options);

// Related posts as a table with the reasons (shared tags, shared words,
// same category).
std::string FormatRelated(const v1::GetRelatedRequest& request, const v1::GetRelatedResponse& response,
                          const FormatOptions& options);

// A whole article: title, metadata, url, id, then the body paragraphs.
std::string FormatArticle(const v1::Article& article, const FormatOptions& options);

// The equivalents in effect on a site (SiteStats.equivalents): one line per
// set ("우분투 = Ubuntu", "LLM → 대형 언어 모델") with where it comes from.
std::string FormatEquivalents(const v1::SiteStats& stats, const FormatOptions& options);

// Candidate equivalents with their evidence, then how to accept them.
std::string FormatEquivalentCandidates(const std::string& site, const v1::SuggestEquivalentsResponse& response,
                                       const FormatOptions& options);

// Sites as a table: name, display name, documents, last update, size, zone.
std::string FormatSites(const std::vector<v1::SiteStats>& sites, const FormatOptions& options);

// Query statistics as a table (QUERY, SEARCHES, NO RESULTS, LAST SEEN) in
// the server's order, then how many distinct queries the site keeps.
std::string FormatQueryStats(const v1::QueryStatsRequest& request, const v1::QueryStatsResponse& response,
                             const FormatOptions& options);

// The protobuf JSON mapping of `message` (lowerCamelCase names), indented,
// ending in a newline.
std::string ToJson(const google::protobuf::Message& message);


}  // namespace chaja::client

#endif  // CHAJA_CLIENT_FORMAT_H_
