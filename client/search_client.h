// SearchClient: a typed gRPC client for chaja-searchd, one method per rpc of
// chaja.v1.SearchService. Callers never see grpc:: statuses; every method
// returns absl::StatusOr with the server's code and message.
//
// Thread-safe: gRPC stubs may be shared between threads.
#ifndef CHAJA_CLIENT_SEARCH_CLIENT_H_
#define CHAJA_CLIENT_SEARCH_CLIENT_H_

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chaja/v1/search.grpc.pb.h"

namespace chaja::client {

// Every method returns the server's answer, or its error with the same code
// (INVALID_ARGUMENT for a malformed argument, NOT_FOUND for an unknown site or
// article id, …). Transport failures: UNAVAILABLE when searchd cannot be
// reached, DEADLINE_EXCEEDED on timeout, UNIMPLEMENTED when the server does
// not know the rpc (an older chaja-searchd). Each call has its own deadline of
// `timeout` from its start.
class SearchClient {
 public:
  // Connects lazily to `address` (host:port) without TLS.
  explicit SearchClient(const std::string& address,
                        std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));
  // Over an existing channel (TLS: see client/channel.h); `address` is for messages.
  SearchClient(std::shared_ptr<grpc::Channel> channel, const std::string& address,
               std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));

  // Ranked search with filters, facets and pagination.
  absl::StatusOr<v1::SearchResponse> Search(const v1::SearchRequest& request) const;
  // One article by id.
  absl::StatusOr<v1::Article> GetArticle(const v1::GetArticleRequest& request) const;
  // The other posts of an article's (or a named) category, with previous/next.
  absl::StatusOr<v1::ListCategoryPostsResponse> ListCategoryPosts(const v1::ListCategoryPostsRequest& request) const;
  // Posts per day of a month, or per month of a year.
  absl::StatusOr<v1::GetArchiveResponse> GetArchive(const v1::GetArchiveRequest& request) const;
  absl::StatusOr<v1::SuggestResponse> Suggest(const v1::SuggestRequest& request) const;
  // Synonym discovery, for the owner: sent with `token` as QueryStats is.
  absl::StatusOr<v1::SuggestEquivalentsResponse> SuggestEquivalents(const v1::SuggestEquivalentsRequest& request,
                                                                    const std::string& token) const;
  // The posts most related to an article.
  absl::StatusOr<v1::GetRelatedResponse> GetRelated(const v1::GetRelatedRequest& request) const;
  // Every site the server serves.
  absl::StatusOr<v1::ListSitesResponse> ListSites(const v1::ListSitesRequest& request = {}) const;
  // Size and freshness of one site.
  absl::StatusOr<v1::SiteStats> GetSiteStats(const v1::GetSiteStatsRequest& request) const;
  // What readers searched for on the site: owner data, sent with `token`
  // (searchd's write token; channel.h's ReadToken reads a token file).
  absl::StatusOr<v1::QueryStatsResponse> QueryStats(const v1::QueryStatsRequest& request,
                                                    const std::string& token) const;

 private:
  template <typename Request, typename Response>
  using StubMethod = grpc::Status (v1::SearchService::Stub::*)(grpc::ClientContext*, const Request&, Response*);

  // The one place a call is made: deadline, token, call, grpc → absl status.
  template <typename Request, typename Response>
  absl::StatusOr<Response> Call(StubMethod<Request, Response> method, absl::string_view rpc_name,
                                const Request& request, const std::string& token = "") const;

  std::string address_;
  std::unique_ptr<v1::SearchService::Stub> stub_;
  std::chrono::milliseconds timeout_;
};

}  // namespace chaja::client

#endif  // CHAJA_CLIENT_SEARCH_CLIENT_H_
