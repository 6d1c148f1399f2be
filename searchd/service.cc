#include "searchd/service.h"

#include <chrono>
#include <utility>

#include "absl/time/time.h"
#include "searchd/backend_call.h"
#include "searchd/index_service.h"

namespace chaja::searchd {
namespace {

// Runs one backend call (CallBackend, shared with the HTTP API) and turns its
// result into the gRPC answer.
template <typename Response, typename Call>
grpc::Status Serve(SearchBackend* backend, Rpc rpc, Call&& call, Response* response) {
  absl::StatusOr<Response> result = CallBackend(backend->metrics(), rpc, Transport::kGrpc, std::forward<Call>(call));
  if (result.ok()) *response = *std::move(result);
  return ToGrpcStatus(result.status());
}

// What the gRPC call says about its caller: its deadline, if it set one, and
// whether it was cancelled (by the client, or by the server's shutdown).
CallerContext CallerOf(grpc::ServerContext* context) {
  CallerContext caller;
  const auto deadline = context->deadline();
  if (deadline != std::chrono::system_clock::time_point::max()) caller.client_deadline = absl::FromChrono(deadline);
  caller.client_gone = [context] { return context->IsCancelled(); };
  caller.authorization = AuthorizationOf(*context);
  caller.peer = context->peer();
  return caller;
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

grpc::Status SearchServiceImpl::Search(grpc::ServerContext* context, const v1::SearchRequest* request,
                                       v1::SearchResponse* response) {
  return Serve(backend_, Rpc::kSearch, [&] { return backend_->Search(*request, CallerOf(context)); }, response);
}

grpc::Status SearchServiceImpl::GetArticle(grpc::ServerContext*, const v1::GetArticleRequest* request,
                                           v1::Article* response) {
  return Serve(backend_, Rpc::kGetArticle, [&] { return backend_->GetArticle(*request); }, response);
}

grpc::Status SearchServiceImpl::ListCategoryPosts(grpc::ServerContext*, const v1::ListCategoryPostsRequest* request,
                                                  v1::ListCategoryPostsResponse* response) {
  return Serve(backend_, Rpc::kListCategoryPosts, [&] { return backend_->ListCategoryPosts(*request); }, response);
}

grpc::Status SearchServiceImpl::Suggest(grpc::ServerContext*, const v1::SuggestRequest* request,
                                        v1::SuggestResponse* response) {
  return Serve(backend_, Rpc::kSuggest, [&] { return backend_->Suggest(*request); }, response);
}

grpc::Status SearchServiceImpl::SuggestEquivalents(grpc::ServerContext* context,
                                                   const v1::SuggestEquivalentsRequest* request,
                                                   v1::SuggestEquivalentsResponse* response) {
  return Serve(
      backend_, Rpc::kSuggestEquivalents,
      [&] { return backend_->SuggestEquivalents(*request, CallerOf(context)); }, response);
}

grpc::Status SearchServiceImpl::GetArchive(grpc::ServerContext*, const v1::GetArchiveRequest* request,
                                           v1::GetArchiveResponse* response) {
  return Serve(backend_, Rpc::kGetArchive, [&] { return backend_->GetArchive(*request); }, response);
}

grpc::Status SearchServiceImpl::GetRelated(grpc::ServerContext*, const v1::GetRelatedRequest* request,
                                           v1::GetRelatedResponse* response) {
  return Serve(backend_, Rpc::kGetRelated, [&] { return backend_->GetRelated(*request); }, response);
}

grpc::Status SearchServiceImpl::ListSites(grpc::ServerContext*, const v1::ListSitesRequest*,
                                          v1::ListSitesResponse* response) {
  return Serve(backend_, Rpc::kListSites, [&] { return backend_->ListSites(); }, response);
}

grpc::Status SearchServiceImpl::GetSiteStats(grpc::ServerContext*, const v1::GetSiteStatsRequest* request,
                                             v1::SiteStats* response) {
  return Serve(backend_, Rpc::kGetSiteStats, [&] { return backend_->GetSiteStats(*request); }, response);
}

grpc::Status SearchServiceImpl::QueryStats(grpc::ServerContext* context, const v1::QueryStatsRequest* request,
                                           v1::QueryStatsResponse* response) {
  return Serve(backend_, Rpc::kQueryStats, [&] { return backend_->QueryStats(*request, CallerOf(context)); }, response);
}

}  // namespace chaja::searchd
