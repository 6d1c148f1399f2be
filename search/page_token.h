// Pages of a listing: offset/limit and the opaque page tokens that carry a
// client from one page to the next.
//
// A token names the next offset and is bound to the request it came from (a
// hash of the request without its paging fields), so a token replayed
// against another query is INVALID_ARGUMENT. A token is validated as fully
// as the offset field itself: it must be exactly what NextPageToken makes
// and its offset at most kMaxOffset, so a forged token can ask for nothing
// an offset could not.
#ifndef CHAJA_SEARCH_PAGE_TOKEN_H_
#define CHAJA_SEARCH_PAGE_TOKEN_H_

#include <cstdint>
#include <string>

#include <google/protobuf/message.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chaja/v1/search.pb.h"

namespace chaja::search {

inline constexpr uint32_t kDefaultLimit = 10;
// Hits per page: each hit reads and highlights a stored post, so a page of
// 1,000 cost 0.4 s on 712k reviews (bench/README.md, issue 14); 100 is ten
// pages of a search box.
inline constexpr uint32_t kMaxLimit = 100;
inline constexpr uint32_t kMaxOffset = 100000;
// Repeated fields of a search: each costs a posting list or more, so an
// anonymous request must not carry thousands of them (issue 14: 16,000
// excluded tags cost 5 s of CPU).
inline constexpr uint32_t kMaxTagFilters = 64;
inline constexpr uint32_t kMaxFacetRequests = 4;

// A page of a listing: `offset` and `limit` after resolving a page token.
struct Page {
  uint32_t offset = 0;
  uint32_t limit = kDefaultLimit;

  // One past the last post of the page (never wraps).
  uint64_t end() const { return uint64_t{offset} + limit; }
};

// INVALID_ARGUMENT "<what> N is over the maximum of M" when value > max.
absl::Status CheckLimit(uint64_t value, uint64_t max, absl::string_view what);

// Resolves offset/limit/page_token; `fingerprint` identifies the request
// without its paging fields. INVALID_ARGUMENT for a limit or offset over the
// maximum or a token this server did not issue for this request.
absl::StatusOr<Page> ResolvePage(uint32_t offset, uint32_t limit, const std::string& page_token,
                                 const std::string& fingerprint);

// The token for the page after `page`, or "" when `total` is reached.
std::string NextPageToken(const Page& page, uint64_t total, const std::string& fingerprint);

// The request's bytes without its paging fields (offset, limit, page_token),
// serialized deterministically.
std::string PagingFreeFingerprint(const google::protobuf::Message& request);

// Whether a request asks for no posts at all: a search whose limit is set to
// 0 (its limit has presence; other listings' 0 means their default).
template <typename Request>
bool AsksForNoPosts(const Request&) {
  return false;
}
inline bool AsksForNoPosts(const v1::SearchRequest& request) { return request.has_limit() && request.limit() == 0; }

// The page a listing request (with offset, limit and page_token fields) asks
// for; sets *fingerprint for NextPageToken. A page of limit 0 (a search
// asking for facets alone) holds nothing and has no next page.
template <typename Request>
absl::StatusOr<Page> PageOf(const Request& request, std::string* fingerprint) {
  *fingerprint = PagingFreeFingerprint(request);
  absl::StatusOr<Page> page = ResolvePage(request.offset(), request.limit(), request.page_token(), *fingerprint);
  if (page.ok() && AsksForNoPosts(request)) page->limit = 0;
  return page;
}

}  // namespace chaja::search

#endif  // CHAJA_SEARCH_PAGE_TOKEN_H_
