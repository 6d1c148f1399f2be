// HttpApi: searchd's HTTP/JSON face, independent of the HTTP library. It maps
// a request (method, path, query, headers, body) to a response over the same
// SearchBackend calls the gRPC SearchServiceImpl makes; bodies are the
// protobuf JSON mapping of the same chaja.v1 messages. HttpServer
// (http_server.h) feeds it from cpp-httplib.
//
// Routes (google.api.http style; {x} is one percent-decoded path segment):
//   GET  /healthz                                    {"status":"SERVING"}
//   GET  /metrics        Prometheus text (docs/metrics.md), when searchd serves it
//   GET  /v1/sites                                   ListSitesResponse
//   GET  /v1/sites/{site}                            SiteStats
//   GET  /v1/sites/{site}/search?q=…                 SearchResponse (query: SearchRequest fields)
//   POST /v1/sites/{site}/search  (JSON SearchRequest body, Content-Type application/json)
//   GET  /v1/sites/{site}/articles/{id}              Article
//   GET  /v1/sites/{site}/articles/{id}/related      GetRelatedResponse
//   GET  /v1/sites/{site}/articles/{id}/category-posts   ListCategoryPostsResponse
//   GET  /v1/sites/{site}/categories/{category}/posts    ListCategoryPostsResponse
//   GET  /v1/sites/{site}/archive?year=&month=       GetArchiveResponse
//   GET  /v1/sites/{site}/equivalents/suggestions    SuggestEquivalentsResponse
//   GET  /v1/sites/{site}/stats/queries?zero_results=1&since=7d&limit=N
//        QueryStatsResponse
//   (these two for the owner: Authorization: Bearer <write token>; never
//   cached (Cache-Control: no-store), no ETag)
//   OPTIONS on every /v1/sites/{site}… route         CORS preflight
//   GET  any path web::FindAsset knows (/, /widget.js, …)   the embedded file,
//        with a Content-Security-Policy (same-origin scripts only) and
//        X-Frame-Options: DENY
// HEAD works wherever GET does. Errors are {"code": N, "status": "NOT_FOUND",
// "message": "…"} with the HTTP status of HttpStatusFromCode().
//
// Caching: GET answers on /v1 carry a weak ETag derived, without running the
// request, from the request message, the site's index revision and settings
// generation (SearchBackend::State) and a per-process nonce (so a restart with
// other flags or code never revalidates an old answer); a matching
// If-None-Match gets 304 and the request is not run. Cache-Control is
// "no-cache": clients revalidate every time, so updates show at once.
//
// Thread-safe: Handle() may run on any number of threads at once.
#ifndef CHAJA_SEARCHD_HTTP_API_H_
#define CHAJA_SEARCHD_HTTP_API_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "searchd/http_query.h"
#include "searchd/metrics.h"
#include "searchd/search_backend.h"

namespace chaja::searchd {

struct HttpRequest {
  std::string method;  // "GET", "HEAD", "POST", "OPTIONS", …
  // The request target as sent (path?query), still percent-encoded, so an id
  // holding "%2F" stays one path segment.
  std::string target;
  // The body; a POST search reads it as JSON.
  std::string body;
  // The Content-Type header; "" if absent. A POST search needs
  // application/json (415 otherwise): a cross-origin POST with that type is
  // not "simple", so a browser asks the site's CORS rules first.
  std::string content_type;
  std::string origin;         // the Origin header; "" if absent
  std::string if_none_match;  // the If-None-Match header; "" if absent
  // The Authorization header (owner routes want "Bearer <token>"); nullopt
  // if absent. And the client's address, for the log of refused tokens.
  std::optional<std::string> authorization;
  std::string peer;
  // True once the client has closed its connection; nullptr if unknown.
  std::function<bool()> client_gone;
};

struct HttpResponse {
  int status = 200;
  std::string content_type;  // "" when there is no body (204, 304)
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // The error this answers, OK for a success: what /metrics counts.
  absl::Status error;
};

// The HTTP status for a status code, after google/rpc/code.proto:
// INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE 400; UNAUTHENTICATED
// 401; PERMISSION_DENIED 403; NOT_FOUND 404; ALREADY_EXISTS, ABORTED 409;
// RESOURCE_EXHAUSTED 429; CANCELLED 499; UNIMPLEMENTED 501; UNAVAILABLE 503;
// DEADLINE_EXCEEDED 504; OK 200; anything else 500.
int HttpStatusFromCode(absl::StatusCode code);

// The JSON error answer for `status` (not OK), with HttpStatusFromCode().
HttpResponse ErrorResponse(const absl::Status& status);

class HttpApi {
 public:
  // `backend` is not owned and must outlive this object. `metrics_page`, if
  // set, makes GET /metrics answer its text (Prometheus format 0.0.4).
  explicit HttpApi(SearchBackend* backend, std::function<std::string()> metrics_page = nullptr);

  // Never throws; every failure is an HttpResponse.
  HttpResponse Handle(const HttpRequest& request) const;

 private:
  struct Route;
  struct Call;
  HttpResponse Dispatch(const HttpRequest& request) const;
  static const std::vector<Route>& Routes();
  static bool Matches(const Route& route, const std::vector<std::string>& segments, Call* call);
  std::optional<HttpResponse> ServeFixedPath(const HttpRequest& request, const std::string& path) const;
  // Serves `call` on `route`, counted as its rpc's request (metrics.h).
  HttpResponse ServeCounted(const Route& route, Call& call) const;
  // Counts a refusal before any rpc, logs it, and answers `status`.
  HttpResponse Reject(RejectReason reason, const absl::Status& status) const;
  HttpResponse ServeSiteRoute(const Route& route, const Call& call) const;
  HttpResponse ListSites(const Call& call) const;
  HttpResponse Search(const Call& call) const;
  // Answers `request` with `method` (a SearchBackend member, or a callable
  // taking the backend and the request), with an ETag.
  template <typename Request, typename Method>
  HttpResponse Read(const Call& call, const Request& request, Method method) const;
  std::string ETag(const std::string& route, const std::string& request_bytes, const std::string& state) const;

  SearchBackend* backend_;
  const std::function<std::string()> metrics_page_;
  // Random per process: ETags of an earlier run never match.
  const uint64_t nonce_;
};

}  // namespace chaja::searchd

#endif  // CHAJA_SEARCHD_HTTP_API_H_
