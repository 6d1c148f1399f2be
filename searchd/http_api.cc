#include "searchd/http_api.h"

#include <functional>
#include <map>
#include <optional>
#include <random>

#include <google/protobuf/wrappers.pb.h>
#include <google/protobuf/util/json_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "index/site.h"
#include "index/status.h"
#include "searchd/backend_call.h"
#include "web/assets.h"

namespace chaja::searchd {
namespace {

constexpr char kJson[] = "application/json; charset=utf-8";

// `text` as a JSON string literal, escaped by protobuf's JSON printer (a
// StringValue maps to a bare JSON string).
std::string JsonString(absl::string_view text) {
  google::protobuf::StringValue value;
  value.set_value(std::string(text));
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(value, &json).ok()) return "\"\"";
  return json;
}

// {"code": 5, "status": "NOT_FOUND", "message": "…"}, in this order.
std::string ErrorJson(int grpc_code, absl::string_view code_name, absl::string_view message) {
  return absl::StrCat("{\"code\":", grpc_code, ",\"status\":", JsonString(code_name), ",\"message\":",
                      JsonString(message), "}");
}

HttpResponse JsonResponse(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  // Zero counts and empty strings are printed, so clients need no defaults.
  options.always_print_primitive_fields = true;
  HttpResponse response;
  const auto printed = google::protobuf::util::MessageToJsonString(message, &response.body, options);
  if (!printed.ok()) return ErrorResponse(absl::InternalError(absl::StrCat("JSON: ", printed.message().ToString())));
  response.content_type = kJson;
  return response;
}

// FNV-1a, 64 bits: a stable digest for ETags. Caches send a URL's own tag
// back, so a wrong 304 would need two states of one request to collide
// (about 2^-64); no secrecy is involved.
uint64_t Fnv1a(absl::string_view bytes, uint64_t hash = 14695981039346656037ull) {
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

// If-None-Match holds `etag` (weak comparison, RFC 9110 13.1.2: W/ ignored).
bool IfNoneMatchHolds(absl::string_view header, absl::string_view etag) {
  absl::ConsumePrefix(&etag, "W/");
  for (absl::string_view candidate : absl::StrSplit(header, ',')) {
    candidate = absl::StripAsciiWhitespace(candidate);
    absl::ConsumePrefix(&candidate, "W/");
    if (!candidate.empty() && candidate == etag) return true;
  }
  return false;
}

HttpResponse NotModified(const std::string& etag) {
  HttpResponse response;
  response.status = 304;
  response.headers.push_back({"ETag", etag});
  return response;
}

HttpResponse MethodNotAllowed(const std::string& method, const std::string& allow) {
  // 405 has no status code of its own; UNIMPLEMENTED is the nearest, as in
  // grpc-gateway.
  HttpResponse response;
  response.status = 405;
  response.content_type = kJson;
  response.body = ErrorJson(static_cast<int>(absl::StatusCode::kUnimplemented), "UNIMPLEMENTED",
                            absl::StrCat("method ", method, " is not allowed here; use ", allow));
  response.headers.push_back({"Allow", allow});
  response.error = absl::UnimplementedError("method not allowed");
  return response;
}

bool AllowsOrigin(const index::SiteSettings& settings, absl::string_view origin) {
  for (const std::string& allowed : settings.allowed_origins) {
    // Scheme and host are case-insensitive; browsers send them lower-case.
    if (allowed == "*" || absl::EqualsIgnoreCase(allowed, origin)) return true;
  }
  return false;
}

// A POST body must be declared JSON: text/plain, form and multipart bodies
// are what a cross-origin page may send without a preflight.
bool IsJsonContentType(absl::string_view content_type) {
  const absl::string_view media_type = absl::StripAsciiWhitespace(content_type.substr(0, content_type.find(';')));
  return absl::EqualsIgnoreCase(media_type, "application/json");
}

HttpResponse UnsupportedMediaType(absl::string_view content_type) {
  HttpResponse response = ErrorResponse(absl::InvalidArgumentError(
      absl::StrCat("a POST search needs Content-Type: application/json, not \"", content_type, "\"")));
  response.status = 415;
  return response;
}

// The embedded pages' policy: scripts and connections only from this origin;
// inline styles are allowed because the widget styles its Shadow DOM with a
// <style> element and the demo sizes its tag cloud with style attributes.
constexpr char kAssetCsp[] =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// The parts of a SiteState an answer depends on.
std::string StateKey(const SearchBackend::SiteState& state) {
  return absl::StrCat(state.index_uuid, ".", state.revision, ".", state.settings_generation);
}

}  // namespace

int HttpStatusFromCode(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
      return 409;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kCancelled:
      return 499;
    case absl::StatusCode::kUnimplemented:
      return 501;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    default:
      return 500;
  }
}

HttpResponse ErrorResponse(const absl::Status& status) {
  HttpResponse response;
  response.status = HttpStatusFromCode(status.code());
  response.content_type = kJson;
  response.body = ErrorJson(static_cast<int>(status.code()), absl::StatusCodeToString(status.code()), status.message());
  response.error = status;
  return response;
}

// /healthz: 200 SERVING, or 503 NOT_SERVING on a replica whose copies lag
// (replica.h), so that a proxy's HTTP check takes it out of rotation.
HttpResponse HealthResponse(const ReplicationHealth& health) {
  HttpResponse response;
  response.content_type = kJson;
  response.status = health.serving ? 200 : 503;
  response.body = absl::StrCat(R"({"status":")", health.serving ? "SERVING" : "NOT_SERVING", "\"");
  if (health.lag_seconds > 0) absl::StrAppend(&response.body, R"(,"replicationLagSeconds":)", health.lag_seconds);
  if (!health.message.empty()) absl::StrAppend(&response.body, R"(,"message":)", JsonString(health.message));
  response.body += "}";
  response.headers.push_back({"Cache-Control", "no-store"});
  return response;
}

struct HttpApi::Call {
  const HttpRequest& request;
  const Route& route;
  QueryParams params;
  // Path variables by name ("site", "id", "category"), decoded.
  std::map<std::string, std::string> vars;
  // For routes under /v1/sites/{site}: the site's state (or why there is none).
  absl::StatusOr<SearchBackend::SiteState> state = absl::UnknownError("no site");
};

namespace {

// An HTTP client sets no deadline; it can close its connection.
CallerContext CallerOf(const HttpRequest& request) {
  return CallerContext{absl::InfiniteFuture(), request.client_gone, request.authorization, request.peer};
}

// The answer of an owner route (the backend checks the write token): no
// ETag, since a 304 would answer before that check, and no-store, so no
// shared cache keeps the owner's data.
template <typename Response>
HttpResponse OwnerResponse(const absl::StatusOr<Response>& result) {
  HttpResponse response = result.ok() ? JsonResponse(*result) : ErrorResponse(result.status());
  response.headers.push_back({"Cache-Control", "no-store"});
  return response;
}

// "7d" or "7": days.
bool ParseDays(absl::string_view text, uint32_t* days) {
  absl::ConsumeSuffix(&text, "d");
  return !text.empty() && absl::ascii_isdigit(static_cast<unsigned char>(text[0])) && absl::SimpleAtoi(text, days);
}

// The query statistics' parameters: since=7d (or since_days=7),
// zero_results=1 (or zero_results_only=true), limit=N.
absl::Status QueryStatsFromQuery(const QueryParams& params, v1::QueryStatsRequest* request) {
  QueryParams rest;
  for (const auto& [name, value] : params) {
    if (name != "since") {
      rest.emplace_back(name, value);
    } else if (uint32_t days = 0; ParseDays(value, &days)) {
      request->set_since_days(days);
    } else {
      return absl::InvalidArgumentError(absl::StrCat("since must be a number of days (7d), not \"", value, "\""));
    }
  }
  QueryFillOptions options;
  options.path_fields = {"site"};
  options.name_aliases = {{"zero_results", "zero_results_only"}};
  return FillFromQuery(rest, options, request);
}

}  // namespace

struct HttpApi::Route {
  // Also the ETag's route key.
  const char* name;
  // Literal segments, or "{var}" for one segment.
  std::vector<std::string> pattern;
  bool post = false;  // POST is accepted (search)
  HttpResponse (*serve)(const HttpApi&, const Call&) = nullptr;
};

namespace {

uint64_t RandomNonce() {
  std::random_device random;
  return (uint64_t{random()} << 32) ^ random();
}

}  // namespace

HttpApi::HttpApi(SearchBackend* backend, std::function<std::string()> metrics_page)
    : backend_(backend), metrics_page_(std::move(metrics_page)), nonce_(RandomNonce()) {}

std::string HttpApi::ETag(const std::string& route, const std::string& request_bytes, const std::string& state) const {
  uint64_t hash = Fnv1a(absl::string_view(reinterpret_cast<const char*>(&nonce_), sizeof(nonce_)));
  // Lengths first, so the concatenation is unambiguous.
  hash = Fnv1a(absl::StrCat(route.size(), ":", route, request_bytes.size(), ":"), hash);
  hash = Fnv1a(request_bytes, hash);
  hash = Fnv1a(state, hash);
  return absl::StrCat("W/\"", absl::Hex(hash, absl::kZeroPad16), "\"");
}

template <typename Request, typename Method>
HttpResponse HttpApi::Read(const Call& call, const Request& request, Method method) const {
  if (!call.state.ok()) return ErrorResponse(call.state.status());
  // Request messages hold no maps, so their serialization is canonical.
  const std::string etag = ETag(call.route.name, request.SerializeAsString(), StateKey(*call.state));
  if (IfNoneMatchHolds(call.request.if_none_match, etag)) return NotModified(etag);
  const auto result = CallBackend([&] { return std::invoke(method, backend_, request); });
  if (!result.ok()) return ErrorResponse(result.status());
  HttpResponse response = JsonResponse(*result);
  if (response.status == 200) response.headers.push_back({"ETag", etag});
  return response;
}

namespace {

// Fills `request` from the query string; the path variables are set already.
template <typename Request>
absl::Status Fill(const QueryParams& params, std::set<std::string> path_fields, Request* request) {
  QueryFillOptions options;
  options.path_fields = std::move(path_fields);
  return FillFromQuery(params, options, request);
}

}  // namespace

namespace {

// A POST search's request: its JSON body, for the site of the URL.
absl::Status SearchFromJsonBody(const std::string& body, bool has_params, const std::string& site,
                                v1::SearchRequest* request) {
  if (has_params) return absl::InvalidArgumentError("a POST search takes its fields from the JSON body, not the URL");
  if (!absl::StripAsciiWhitespace(body).empty()) {
    const auto parsed = google::protobuf::util::JsonStringToMessage(body, request);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("invalid JSON SearchRequest body: ", parsed.message().ToString()));
    }
  }
  if (!request->site().empty() && request->site() != site) {
    return absl::InvalidArgumentError(
        absl::StrCat("the body names site \"", request->site(), "\" but the URL names \"", site, "\""));
  }
  request->set_site(site);
  return absl::OkStatus();
}

// facet=tag&facet=category and one facet_limit for all (FacetRequest is a
// message, so it has no query-string form of its own) into `request`; the
// other parameters into `rest`.
absl::Status TakeFacetParams(const QueryParams& params, QueryParams* rest, v1::SearchRequest* request) {
  std::vector<v1::FacetField> facets;
  const std::string* facet_limit = nullptr;
  for (const auto& param : params) {
    if (param.first == "facet" || param.first == "facets") {
      absl::StatusOr<const google::protobuf::EnumValueDescriptor*> field =
          ParseEnumValue(*v1::FacetField_descriptor(), param.second);
      if (!field.ok() || (*field)->number() == v1::FACET_FIELD_UNSPECIFIED) {
        return absl::InvalidArgumentError(absl::StrCat("query parameter \"", param.first, "\": invalid value \"",
                                                       param.second, "\" (use tag or category)"));
      }
      facets.push_back(static_cast<v1::FacetField>((*field)->number()));
    } else if (param.first == "facet_limit" || param.first == "facetLimit") {
      if (facet_limit != nullptr) {
        return absl::InvalidArgumentError(absl::StrCat("query parameter \"", param.first, "\" is given twice"));
      }
      facet_limit = &param.second;
    } else {
      rest->push_back(param);
    }
  }
  uint32_t limit = 0;
  if (facet_limit != nullptr) {
    if (!absl::SimpleAtoi(*facet_limit, &limit)) {
      return absl::InvalidArgumentError(
          absl::StrCat("query parameter \"facet_limit\": invalid value \"", *facet_limit, "\" (a whole number)"));
    }
    if (facets.empty()) {
      return absl::InvalidArgumentError("query parameter \"facet_limit\" needs facet=tag or facet=category");
    }
  }
  for (const v1::FacetField field : facets) {
    v1::FacetRequest* facet = request->add_facets();
    facet->set_field(field);
    facet->set_limit(limit);
  }
  return absl::OkStatus();
}

// A GET search's request from its query string, with the search box's
// shorthands beside the field names (q, tag, exclude_tag, match, comments).
absl::Status SearchFromQuery(const QueryParams& params, const std::string& site, v1::SearchRequest* request) {
  request->set_site(site);
  QueryParams rest;
  CHAJA_RETURN_IF_ERROR(TakeFacetParams(params, &rest, request));
  QueryFillOptions options;
  options.path_fields = {"site"};
  options.name_aliases = {{"q", "query"}, {"tag", "tags"}, {"exclude_tag", "exclude_tags"}, {"match", "match_mode"}};
  options.enum_aliases = {{"comments", "SORT_ORDER_MOST_COMMENTED"}};
  return FillFromQuery(rest, options, request);
}

}  // namespace

HttpResponse HttpApi::Search(const Call& call) const {
  const std::string& site = call.vars.at("site");
  v1::SearchRequest request;
  if (call.request.method == "POST") {
    if (!IsJsonContentType(call.request.content_type)) {
      backend_->metrics()->Reject(RejectReason::kUnsupportedMediaType);
      return UnsupportedMediaType(call.request.content_type);
    }
    if (absl::Status s = SearchFromJsonBody(call.request.body, !call.params.empty(), site, &request); !s.ok()) {
      return ErrorResponse(s);
    }
    if (!call.state.ok()) return ErrorResponse(call.state.status());
    // POST answers are not cached (no ETag): browsers and proxies don't reuse them.
    absl::StatusOr<v1::SearchResponse> result =
        CallBackend([&] { return backend_->Search(request, CallerOf(call.request)); });
    return result.ok() ? JsonResponse(*result) : ErrorResponse(result.status());
  }
  if (absl::Status s = SearchFromQuery(call.params, site, &request); !s.ok()) return ErrorResponse(s);
  return Read(call, request, [&](SearchBackend* backend, const v1::SearchRequest& r) {
    return backend->Search(r, CallerOf(call.request));
  });
}

HttpResponse HttpApi::ListSites(const Call& call) const {
  v1::ListSitesRequest request;
  if (absl::Status s = Fill(call.params, {}, &request); !s.ok()) return ErrorResponse(s);
  // The list depends on every site: its ETag covers each site's state (or the
  // reason it has none, since ListSites leaves broken sites out).
  std::string state;
  absl::StatusOr<std::vector<std::string>> sites = index::ListSites(backend_->data_dir());
  if (!sites.ok()) return ErrorResponse(sites.status());
  for (const std::string& site : *sites) {
    absl::StatusOr<SearchBackend::SiteState> s = CallBackend([&] { return backend_->State(site); });
    absl::StrAppend(&state, site, "=", s.ok() ? StateKey(*s) : absl::StatusCodeToString(s.status().code()), ";");
  }
  const std::string etag = ETag(call.route.name, "", state);
  if (IfNoneMatchHolds(call.request.if_none_match, etag)) return NotModified(etag);
  absl::StatusOr<v1::ListSitesResponse> result = CallBackend([&] { return backend_->ListSites(); });
  if (!result.ok()) return ErrorResponse(result.status());
  HttpResponse response = JsonResponse(*result);
  if (response.status == 200) response.headers.push_back({"ETag", etag});
  return response;
}

HttpResponse HttpApi::ServeSiteRoute(const Route& route, const Call& call) const {
  const HttpRequest& request = call.request;
  // CORS (https://fetch.spec.whatwg.org/#http-cors-protocol): only origins the
  // site lists get the headers; for any other the browser withholds the answer.
  const bool cors = !request.origin.empty() && call.state.ok() && AllowsOrigin(*call.state->settings, request.origin);
  std::vector<std::pair<std::string, std::string>> cors_headers = {{"Vary", "Origin"}};
  if (cors) {
    cors_headers.push_back({"Access-Control-Allow-Origin", request.origin});
    cors_headers.push_back({"Access-Control-Expose-Headers", "ETag"});
  }
  HttpResponse response;
  if (request.method == "OPTIONS") {
    if (!call.state.ok()) {
      response = ErrorResponse(call.state.status());
    } else if (request.origin.empty()) {
      // Not a preflight: say what the route accepts.
      response.status = 204;
      response.headers.push_back({"Allow", route.post ? "GET, HEAD, POST, OPTIONS" : "GET, HEAD, OPTIONS"});
    } else if (!cors) {
      response = ErrorResponse(absl::PermissionDeniedError(
          absl::StrCat("origin ", request.origin, " may not call site \"", call.vars.at("site"),
                       "\" from a browser; list it in allowedOrigins of the site's site.json")));
    } else {
      response.status = 204;
      response.headers.push_back({"Access-Control-Allow-Methods", "GET, POST, OPTIONS"});
      response.headers.push_back({"Access-Control-Allow-Headers", "Content-Type, If-None-Match"});
      response.headers.push_back({"Access-Control-Max-Age", "600"});
    }
  } else {
    response = route.serve(*this, call);
  }
  response.headers.insert(response.headers.end(), cors_headers.begin(), cors_headers.end());
  return response;
}

// Every route of the API, in the order they are tried.
const std::vector<HttpApi::Route>& HttpApi::Routes() {
  static const std::vector<Route>* const routes = new std::vector<Route>{
      {"Health", {"healthz"}, false,
       [](const HttpApi& api, const Call&) { return HealthResponse(api.backend_->Health()); }},
      {"ListSites", {"v1", "sites"}, false, [](const HttpApi& api, const Call& call) { return api.ListSites(call); }},
      {"GetSiteStats", {"v1", "sites", "{site}"}, false,
       [](const HttpApi& api, const Call& call) {
         v1::GetSiteStatsRequest request;
         request.set_site(call.vars.at("site"));
         if (absl::Status s = Fill(call.params, {"site"}, &request); !s.ok()) return ErrorResponse(s);
         return api.Read(call, request, &SearchBackend::GetSiteStats);
       }},
      {"Search", {"v1", "sites", "{site}", "search"}, true,
       [](const HttpApi& api, const Call& call) { return api.Search(call); }},
      {"GetArticle", {"v1", "sites", "{site}", "articles", "{id}"}, false,
       [](const HttpApi& api, const Call& call) {
         v1::GetArticleRequest request;
         request.set_site(call.vars.at("site"));
         request.set_id(call.vars.at("id"));
         if (absl::Status s = Fill(call.params, {"site", "id"}, &request); !s.ok()) return ErrorResponse(s);
         return api.Read(call, request, &SearchBackend::GetArticle);
       }},
      {"GetRelated", {"v1", "sites", "{site}", "articles", "{id}", "related"}, false,
       [](const HttpApi& api, const Call& call) {
         v1::GetRelatedRequest request;
         request.set_site(call.vars.at("site"));
         request.set_article_id(call.vars.at("id"));
         if (absl::Status s = Fill(call.params, {"site", "article_id"}, &request); !s.ok()) {
           return ErrorResponse(s);
         }
         return api.Read(call, request, &SearchBackend::GetRelated);
       }},
      {"ListCategoryPosts", {"v1", "sites", "{site}", "articles", "{id}", "category-posts"}, false,
       [](const HttpApi& api, const Call& call) {
         v1::ListCategoryPostsRequest request;
         request.set_site(call.vars.at("site"));
         request.set_article_id(call.vars.at("id"));
         if (absl::Status s = Fill(call.params, {"site", "article_id", "category"}, &request); !s.ok()) {
           return ErrorResponse(s);
         }
         return api.Read(call, request, &SearchBackend::ListCategoryPosts);
       }},
      {"ListCategoryPostsByName", {"v1", "sites", "{site}", "categories", "{category}", "posts"}, false,
       [](const HttpApi& api, const Call& call) {
         v1::ListCategoryPostsRequest request;
         request.set_site(call.vars.at("site"));
         request.set_category(call.vars.at("category"));
         if (absl::Status s = Fill(call.params, {"site", "article_id", "category"}, &request); !s.ok()) {
           return ErrorResponse(s);
         }
         return api.Read(call, request, &SearchBackend::ListCategoryPosts);
       }},
      {"Suggest", {"v1", "sites", "{site}", "suggest"}, false,
       [](const HttpApi& api, const Call& call) {
         v1::SuggestRequest request;
         request.set_site(call.vars.at("site"));
         // ?q= is the short form search boxes use (OpenSearch suggestions).
         QueryParams params;
         for (const auto& [name, value] : call.params) {
           if (name == "q") {
             request.set_prefix(value);
           } else {
             params.emplace_back(name, value);
           }
         }
         if (absl::Status s = Fill(params, {"site"}, &request); !s.ok()) return ErrorResponse(s);
         return api.Read(call, request, &SearchBackend::Suggest);
       }},
      {"SuggestEquivalents", {"v1", "sites", "{site}", "equivalents", "suggestions"}, false,
       [](const HttpApi& api, const Call& call) {
         v1::SuggestEquivalentsRequest request;
         request.set_site(call.vars.at("site"));
         if (absl::Status s = Fill(call.params, {"site"}, &request); !s.ok()) return ErrorResponse(s);
         return OwnerResponse(
             CallBackend([&] { return api.backend_->SuggestEquivalents(request, CallerOf(call.request)); }));
       }},
      {"QueryStats", {"v1", "sites", "{site}", "stats", "queries"}, false,
       [](const HttpApi& api, const Call& call) {
         v1::QueryStatsRequest request;
         request.set_site(call.vars.at("site"));
         if (absl::Status s = QueryStatsFromQuery(call.params, &request); !s.ok()) return ErrorResponse(s);
         return OwnerResponse(CallBackend([&] { return api.backend_->QueryStats(request, CallerOf(call.request)); }));
       }},
      {"GetArchive", {"v1", "sites", "{site}", "archive"}, false,
       [](const HttpApi& api, const Call& call) {
         v1::GetArchiveRequest request;
         request.set_site(call.vars.at("site"));
         if (absl::Status s = Fill(call.params, {"site"}, &request); !s.ok()) return ErrorResponse(s);
         return api.Read(call, request, &SearchBackend::GetArchive);
       }},
  };
  return *routes;
}

namespace {

// The path's segments, each percent-decoded after the split (so "%2F"
// inside an id or a category does not split it).
absl::StatusOr<std::vector<std::string>> DecodedSegments(absl::string_view path) {
  if (!absl::ConsumePrefix(&path, "/")) return absl::InvalidArgumentError("the request path must start with /");
  std::vector<std::string> segments;
  for (absl::string_view raw : absl::StrSplit(path, '/')) {
    std::string segment;
    if (!PercentDecode(raw, /*plus_is_space=*/false, &segment)) {
      return absl::InvalidArgumentError(absl::StrCat("malformed percent-encoding in the path: ", raw));
    }
    if (!IsStrictUtf8(segment)) return absl::InvalidArgumentError("the path is not UTF-8 once decoded");
    segments.push_back(std::move(segment));
  }
  return segments;
}

absl::StatusOr<QueryParams> DecodedParams(absl::string_view query) {
  QueryParams params;
  if (!ParseQueryString(query, &params)) {
    return absl::InvalidArgumentError("malformed percent-encoding in the query string");
  }
  for (const auto& [name, value] : params) {
    if (!IsStrictUtf8(name) || !IsStrictUtf8(value)) {
      return absl::InvalidArgumentError("a query parameter is not UTF-8 once decoded");
    }
  }
  return params;
}

}  // namespace

// /metrics and the embedded browser files (web/assets.h), by exact path.
std::optional<HttpResponse> HttpApi::ServeFixedPath(const HttpRequest& request, const std::string& path) const {
  const bool get = request.method == "GET" || request.method == "HEAD";
  if (path == "/metrics" && metrics_page_ != nullptr) {
    if (!get) return MethodNotAllowed(request.method, "GET, HEAD");
    HttpResponse response;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body = metrics_page_();
    return response;
  }
  const web::Asset* asset = web::FindAsset(path);
  if (asset == nullptr) return std::nullopt;
  if (!get) return MethodNotAllowed(request.method, "GET, HEAD");
  const std::string etag(asset->etag);
  HttpResponse response;
  if (IfNoneMatchHolds(request.if_none_match, etag)) {
    response.status = 304;
  } else {
    response.content_type = std::string(asset->content_type);
    response.body = std::string(asset->body);
  }
  response.headers.push_back({"ETag", etag});
  response.headers.push_back({"Cache-Control", "public, max-age=300"});
  response.headers.push_back({"Content-Security-Policy", kAssetCsp});
  response.headers.push_back({"X-Frame-Options", "DENY"});
  return response;
}

// Whether `route` matches `segments`; fills call->vars from its "{var}"s.
bool HttpApi::Matches(const Route& route, const std::vector<std::string>& segments, Call* call) {
  if (route.pattern.size() != segments.size()) return false;
  for (size_t i = 0; i < segments.size(); ++i) {
    const std::string& part = route.pattern[i];
    if (part.front() != '{') {
      if (part != segments[i]) return false;
      continue;
    }
    if (segments[i].empty()) return false;
    call->vars[part.substr(1, part.size() - 2)] = segments[i];
  }
  return true;
}

HttpResponse HttpApi::Dispatch(const HttpRequest& request) const {
  const std::string& method = request.method;
  const size_t question = request.target.find('?');
  const std::string raw_path = request.target.substr(0, question);
  const absl::string_view query =
      question == std::string::npos ? absl::string_view() : absl::string_view(request.target).substr(question + 1);
  if (std::optional<HttpResponse> fixed = ServeFixedPath(request, raw_path)) return *std::move(fixed);

  absl::StatusOr<std::vector<std::string>> segments = DecodedSegments(raw_path);
  if (!segments.ok()) return Reject(RejectReason::kInvalidRequest, segments.status());
  absl::StatusOr<QueryParams> params = DecodedParams(query);
  if (!params.ok()) return Reject(RejectReason::kInvalidRequest, params.status());
  for (const Route& route : Routes()) {
    Call call{request, route, *params, {}};
    if (!Matches(route, *segments, &call)) continue;
    const bool get = method == "GET" || method == "HEAD";
    const bool site_route = call.vars.count("site") > 0;
    if (!(get || (route.post && method == "POST") || (site_route && method == "OPTIONS"))) {
      std::string allow = route.post ? "GET, HEAD, POST" : "GET, HEAD";
      if (site_route) absl::StrAppend(&allow, ", OPTIONS");
      backend_->metrics()->Reject(RejectReason::kMethodNotAllowed);
      LogRejected(absl::StrCat("reason=method_not_allowed transport=http route=", route.name), method);
      return MethodNotAllowed(method, allow);
    }
    return ServeCounted(route, call);
  }
  return Reject(RejectReason::kNoRoute, absl::NotFoundError(absl::StrCat("no such route: ", method, " ", raw_path)));
}

namespace {

// The rpc a route runs; nullopt for /healthz.
std::optional<Rpc> RpcOfRoute(absl::string_view route) {
  if (route == "ListCategoryPostsByName") return Rpc::kListCategoryPosts;
  for (size_t i = 0; i < static_cast<size_t>(Rpc::kCount); ++i) {
    if (route == RpcName(static_cast<Rpc>(i))) return static_cast<Rpc>(i);
  }
  return std::nullopt;
}

}  // namespace

HttpResponse HttpApi::ServeCounted(const Route& route, Call& call) const {
  const bool site_route = call.vars.count("site") > 0;
  const std::optional<Rpc> rpc = RpcOfRoute(route.name);
  // A CORS preflight runs no rpc.
  if (!rpc.has_value() || call.request.method == "OPTIONS") {
    if (site_route) call.state = CallBackend([&] { return backend_->State(call.vars.at("site")); });
    return site_route ? ServeSiteRoute(route, call) : route.serve(*this, call);
  }
  // Counted here, not at the backend call, so answers the HTTP front end
  // gives itself (a bad parameter, an unknown site, 304) count too.
  RequestMetrics::Scope scope(backend_->metrics(), *rpc, Transport::kHttp);
  if (site_route) call.state = CallBackend([&] { return backend_->State(call.vars.at("site")); });
  HttpResponse response = site_route ? ServeSiteRoute(route, call) : route.serve(*this, call);
  scope.Finish(response.error);
  LogIfRejected(*rpc, Transport::kHttp, response.error);
  return response;
}

HttpResponse HttpApi::Reject(RejectReason reason, const absl::Status& status) const {
  backend_->metrics()->Reject(reason);
  LogRejected(absl::StrCat("reason=", RejectReasonName(reason), " transport=http"), status.message());
  return ErrorResponse(status);
}

HttpResponse HttpApi::Handle(const HttpRequest& request) const {
  HttpResponse response;
  try {
    response = Dispatch(request);
  } catch (const std::exception& e) {
    response = ErrorResponse(absl::InternalError(absl::StrCat("unexpected error: ", e.what())));
  } catch (...) {
    response = ErrorResponse(absl::InternalError("unexpected error"));
  }
  bool has_cache_control = false;
  for (const auto& header : response.headers) has_cache_control |= header.first == "Cache-Control";
  // API answers change with every commit: a client may keep one but must
  // revalidate it (ETag) before use.
  if (!has_cache_control) response.headers.push_back({"Cache-Control", "no-cache"});
  response.headers.push_back({"X-Content-Type-Options", "nosniff"});
  return response;
}

}  // namespace chaja::searchd
