#include "client/search_client.h"

#include <grpcpp/grpcpp.h>

#include <type_traits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "client/channel.h"

namespace chaja::client {
namespace {

// Whether a request message names a site (every rpc's but ListSites).
template <typename Request, typename = void>
struct NamesSite : std::false_type {};
template <typename Request>
struct NamesSite<Request, std::void_t<decltype(std::declval<const Request&>().site())>> : std::true_type {};

}  // namespace

SearchClient::SearchClient(const std::string& address, std::chrono::milliseconds timeout)
    : SearchClient(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()), address, timeout) {}

SearchClient::SearchClient(std::shared_ptr<grpc::Channel> channel, const std::string& address,
                           std::chrono::milliseconds timeout)
    : address_(address), stub_(v1::SearchService::NewStub(std::move(channel))), timeout_(timeout) {}

template <typename Request, typename Response>
absl::StatusOr<Response> SearchClient::Call(StubMethod<Request, Response> method, absl::string_view rpc_name,
                                            const Request& request, const std::string& token) const {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + timeout_);
  // As the indexer's IndexClient sends it.
  if (!token.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  // For a proxy in front of several searchd (docs/cluster.md).
  if constexpr (NamesSite<Request>::value) SetSiteHeader(&context, request.site());
  Response response;
  const grpc::Status status = ((*stub_).*method)(&context, request, &response);
  if (!status.ok()) return FromGrpcStatus(status, address_, rpc_name);
  return response;
}

absl::StatusOr<v1::SearchResponse> SearchClient::Search(const v1::SearchRequest& request) const {
  return Call(&v1::SearchService::Stub::Search, "Search", request);
}

absl::StatusOr<v1::Article> SearchClient::GetArticle(const v1::GetArticleRequest& request) const {
  return Call(&v1::SearchService::Stub::GetArticle, "GetArticle", request);
}

absl::StatusOr<v1::ListCategoryPostsResponse> SearchClient::ListCategoryPosts(
    const v1::ListCategoryPostsRequest& request) const {
  return Call(&v1::SearchService::Stub::ListCategoryPosts, "ListCategoryPosts", request);
}

absl::StatusOr<v1::GetArchiveResponse> SearchClient::GetArchive(const v1::GetArchiveRequest& request) const {
  return Call(&v1::SearchService::Stub::GetArchive, "GetArchive", request);
}

absl::StatusOr<v1::SuggestResponse> SearchClient::Suggest(const v1::SuggestRequest& request) const {
  return Call(&v1::SearchService::Stub::Suggest, "Suggest", request);
}

absl::StatusOr<v1::SuggestEquivalentsResponse> SearchClient::SuggestEquivalents(
    const v1::SuggestEquivalentsRequest& request, const std::string& token) const {
  return Call(&v1::SearchService::Stub::SuggestEquivalents, "SuggestEquivalents", request, token);
}

absl::StatusOr<v1::GetRelatedResponse> SearchClient::GetRelated(const v1::GetRelatedRequest& request) const {
  return Call(&v1::SearchService::Stub::GetRelated, "GetRelated", request);
}

absl::StatusOr<v1::ListSitesResponse> SearchClient::ListSites(const v1::ListSitesRequest& request) const {
  return Call(&v1::SearchService::Stub::ListSites, "ListSites", request);
}

absl::StatusOr<v1::SiteStats> SearchClient::GetSiteStats(const v1::GetSiteStatsRequest& request) const {
  return Call(&v1::SearchService::Stub::GetSiteStats, "GetSiteStats", request);
}

absl::StatusOr<v1::QueryStatsResponse> SearchClient::QueryStats(const v1::QueryStatsRequest& request,
                                                                const std::string& token) const {
  return Call(&v1::SearchService::Stub::QueryStats, "QueryStats", request, token);
}

}  // namespace chaja::client
