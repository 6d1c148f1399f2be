#include "client/search_client.h"

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"

namespace chaja::client {
namespace {

// gRPC and absl share status codes, so the code and message are copied; the
// two transport-level failures get a hint about what to check.
absl::Status FromGrpcStatus(const grpc::Status& status, const std::string& address, absl::string_view rpc_name) {
  if (status.ok()) return absl::OkStatus();
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    return absl::UnavailableError(absl::StrCat("cannot reach chaja-searchd at ", address,
                                               " (is it running? start it with chaja-searchd --data DIR): ",
                                               status.error_message()));
  }
  if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED) {
    std::string message = absl::StrCat("chaja-searchd at ", address, " does not implement ", rpc_name,
                                       " (an older chaja-searchd?)");
    if (!status.error_message().empty()) absl::StrAppend(&message, ": ", status.error_message());
    return absl::UnimplementedError(message);
  }
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

}  // namespace

SearchClient::SearchClient(const std::string& address, std::chrono::milliseconds timeout)
    : address_(address),
      stub_(v1::SearchService::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()))),
      timeout_(timeout) {}

template <typename Request, typename Response>
absl::StatusOr<Response> SearchClient::Call(StubMethod<Request, Response> method, absl::string_view rpc_name,
                                            const Request& request) const {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + timeout_);
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

absl::StatusOr<v1::GetRelatedResponse> SearchClient::GetRelated(const v1::GetRelatedRequest& request) const {
  return Call(&v1::SearchService::Stub::GetRelated, "GetRelated", request);
}

absl::StatusOr<v1::ListSitesResponse> SearchClient::ListSites(const v1::ListSitesRequest& request) const {
  return Call(&v1::SearchService::Stub::ListSites, "ListSites", request);
}

absl::StatusOr<v1::SiteStats> SearchClient::GetSiteStats(const v1::GetSiteStatsRequest& request) const {
  return Call(&v1::SearchService::Stub::GetSiteStats, "GetSiteStats", request);
}

}  // namespace chaja::client
