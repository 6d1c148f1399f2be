// The gRPC face of searchd: chaja.v1.SearchService over a SearchBackend.
// Handlers never throw; each ends in one ToGrpcStatus() of the backend's status.
//
// Thread-safe (gRPC calls handlers from its thread pool).
#ifndef CHAJA_SEARCHD_SERVICE_H_
#define CHAJA_SEARCHD_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "chaja/v1/search.grpc.pb.h"
#include "searchd/search_backend.h"

namespace chaja::searchd {

// absl and gRPC share status codes (absl/status/status.h says so code by code),
// so the conversion copies code and message.
grpc::Status ToGrpcStatus(const absl::Status& status);

class SearchServiceImpl final : public v1::SearchService::Service {
 public:
  explicit SearchServiceImpl(SearchBackend* backend) : backend_(backend) {}

  grpc::Status Search(grpc::ServerContext* context, const v1::SearchRequest* request,
                      v1::SearchResponse* response) override;
  grpc::Status GetArticle(grpc::ServerContext* context, const v1::GetArticleRequest* request,
                          v1::Article* response) override;
  grpc::Status ListCategoryPosts(grpc::ServerContext* context, const v1::ListCategoryPostsRequest* request,
                                 v1::ListCategoryPostsResponse* response) override;
  grpc::Status GetArchive(grpc::ServerContext* context, const v1::GetArchiveRequest* request,
                          v1::GetArchiveResponse* response) override;
  grpc::Status Suggest(grpc::ServerContext* context, const v1::SuggestRequest* request,
                       v1::SuggestResponse* response) override;
  grpc::Status SuggestEquivalents(grpc::ServerContext* context, const v1::SuggestEquivalentsRequest* request,
                                  v1::SuggestEquivalentsResponse* response) override;
  grpc::Status GetRelated(grpc::ServerContext* context, const v1::GetRelatedRequest* request,
                          v1::GetRelatedResponse* response) override;
  grpc::Status ListSites(grpc::ServerContext* context, const v1::ListSitesRequest* request,
                         v1::ListSitesResponse* response) override;
  grpc::Status GetSiteStats(grpc::ServerContext* context, const v1::GetSiteStatsRequest* request,
                            v1::SiteStats* response) override;
  grpc::Status QueryStats(grpc::ServerContext* context, const v1::QueryStatsRequest* request,
                          v1::QueryStatsResponse* response) override;

 private:
  SearchBackend* backend_;  // not owned
};

}  // namespace chaja::searchd

#endif  // CHAJA_SEARCHD_SERVICE_H_
