// Fetches a feed over http(s) with libcurl: the one place Chaja talks to the
// network.
//
// Bounded in every way a remote server could make it hang or grow: a total
// time limit, a size cap on the (decoded) body, at most max_redirects
// redirects, only http and https (also after a redirect: no file://, no
// gopher://). Asks for gzip and sends If-None-Match / If-Modified-Since when
// the caller has validators from the last fetch, so an unchanged feed costs a
// 304 and no parsing. Every failure is a status whose message names the URL
// and what went wrong (cannot resolve, cannot connect, timed out, HTTP 404,
// larger than the cap, too many redirects).
//
// Thread-safe: each call uses its own curl handle.
#ifndef CHAJA_INDEXER_FEED_FETCH_H_
#define CHAJA_INDEXER_FEED_FETCH_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace chaja::indexer {

struct FetchOptions {
  absl::Duration timeout = absl::Seconds(30);  // the whole transfer, redirects included
  absl::Duration connect_timeout = absl::Seconds(10);
  uint64_t max_bytes = uint64_t{32} << 20;  // decoded body
  int max_redirects = 5;
  // Validators from the previous fetch ("" = none): a match answers 304.
  std::string etag;
  std::string last_modified;
};

struct FetchResult {
  long http_status = 0;
  bool not_modified = false;  // 304: body is empty, keep what was read before
  std::string body;           // decoded (gzip undone)
  std::string etag;           // the answer's validators, for the next fetch
  std::string last_modified;
  std::string final_url;      // after redirects
};

// True for "http://…" and "https://…" (any case): paths the indexer fetches.
bool IsHttpUrl(absl::string_view path);

// GETs `url`. Success is a 2xx answer or a 304; anything else is an error:
// INVALID_ARGUMENT (not an http(s) URL), UNAVAILABLE (DNS, connect, TLS, a
// 5xx or 429), DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED (over max_bytes),
// NOT_FOUND (404/410), FAILED_PRECONDITION (other 4xx, too many redirects).
absl::StatusOr<FetchResult> FetchUrl(const std::string& url, const FetchOptions& options);

}  // namespace chaja::indexer

#endif  // CHAJA_INDEXER_FEED_FETCH_H_
