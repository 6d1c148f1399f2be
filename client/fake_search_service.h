// Test-only: an in-process chaja.v1.SearchService on 127.0.0.1 (a free port)
// that records each request and answers with canned responses, so the client
// and the CLI commands can be tested without searchd.
#ifndef CHAJA_CLIENT_FAKE_SEARCH_SERVICE_H_
#define CHAJA_CLIENT_FAKE_SEARCH_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <mutex>
#include <string>

#include "absl/strings/str_cat.h"
#include "chaja/v1/search.grpc.pb.h"

namespace chaja::client::testing {

// Every rpc stores its request in last_<rpc> and answers with <rpc>_response,
// or with `status` when that is not OK. Set the fields before a call and read
// them after it returns (the mutex orders the handler's writes before).
class FakeSearchService final : public v1::SearchService::Service {
 public:
  grpc::Status Search(grpc::ServerContext*, const v1::SearchRequest* request, v1::SearchResponse* response) override {
    return Answer(*request, &last_search, search_response, response);
  }
  grpc::Status GetArticle(grpc::ServerContext*, const v1::GetArticleRequest* request, v1::Article* response) override {
    return Answer(*request, &last_get_article, article, response);
  }
  grpc::Status ListCategoryPosts(grpc::ServerContext*, const v1::ListCategoryPostsRequest* request,
                                 v1::ListCategoryPostsResponse* response) override {
    return Answer(*request, &last_list_category_posts, category_posts_response, response);
  }
  grpc::Status Suggest(grpc::ServerContext*, const v1::SuggestRequest* request,
                       v1::SuggestResponse* response) override {
    return Answer(*request, &last_suggest, suggest_response, response);
  }
  grpc::Status SuggestEquivalents(grpc::ServerContext* context, const v1::SuggestEquivalentsRequest* request,
                                  v1::SuggestEquivalentsResponse* response) override {
    RecordAuthorization(*context);
    return Answer(*request, &last_suggest_equivalents, suggest_equivalents_response, response);
  }
  grpc::Status GetArchive(grpc::ServerContext*, const v1::GetArchiveRequest* request,
                          v1::GetArchiveResponse* response) override {
    return Answer(*request, &last_get_archive, archive_response, response);
  }
  grpc::Status GetRelated(grpc::ServerContext*, const v1::GetRelatedRequest* request,
                          v1::GetRelatedResponse* response) override {
    return Answer(*request, &last_get_related, related_response, response);
  }
  grpc::Status ListSites(grpc::ServerContext*, const v1::ListSitesRequest* request,
                         v1::ListSitesResponse* response) override {
    return Answer(*request, &last_list_sites, sites_response, response);
  }
  grpc::Status GetSiteStats(grpc::ServerContext*, const v1::GetSiteStatsRequest* request,
                            v1::SiteStats* response) override {
    return Answer(*request, &last_get_site_stats, site_stats, response);
  }

  grpc::Status QueryStats(grpc::ServerContext* context, const v1::QueryStatsRequest* request,
                          v1::QueryStatsResponse* response) override {
    RecordAuthorization(*context);
    return Answer(*request, &last_query_stats, query_stats_response, response);
  }

  // Number of calls answered, over every rpc.
  int calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }

  grpc::Status status;
  v1::SearchResponse search_response;
  v1::Article article;
  v1::ListCategoryPostsResponse category_posts_response;
  v1::GetArchiveResponse archive_response;
  v1::SuggestResponse suggest_response;
  v1::SuggestEquivalentsResponse suggest_equivalents_response;
  v1::GetRelatedResponse related_response;
  v1::ListSitesResponse sites_response;
  v1::SiteStats site_stats;
  v1::QueryStatsResponse query_stats_response;

  v1::SearchRequest last_search;
  v1::GetArticleRequest last_get_article;
  v1::ListCategoryPostsRequest last_list_category_posts;
  v1::GetArchiveRequest last_get_archive;
  v1::SuggestRequest last_suggest;
  v1::SuggestEquivalentsRequest last_suggest_equivalents;
  v1::GetRelatedRequest last_get_related;
  v1::ListSitesRequest last_list_sites;
  v1::GetSiteStatsRequest last_get_site_stats;
  v1::QueryStatsRequest last_query_stats;
  // The "authorization" metadata of the last owner call (QueryStats,
  // SuggestEquivalents); "" for none.
  std::string last_authorization;

 private:
  void RecordAuthorization(const grpc::ServerContext& context) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = context.client_metadata().find("authorization");
    last_authorization = it == context.client_metadata().end() ? "" : std::string(it->second.data(), it->second.size());
  }

  template <typename Request, typename Response>
  grpc::Status Answer(const Request& request, Request* last, const Response& canned, Response* response) {
    std::lock_guard<std::mutex> lock(mu_);
    ++calls_;
    *last = request;
    if (!status.ok()) return status;
    *response = canned;
    return grpc::Status::OK;
  }

  std::mutex mu_;
  int calls_ = 0;
};

// A gRPC server on 127.0.0.1:0 serving `service` (not owned) until destroyed.
class FakeServer {
 public:
  explicit FakeServer(grpc::Service* service) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(service);
    server_ = builder.BuildAndStart();
  }
  ~FakeServer() {
    if (server_ != nullptr) server_->Shutdown();
  }
  bool ok() const { return server_ != nullptr && port_ > 0; }
  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }

 private:
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace chaja::client::testing

#endif  // CHAJA_CLIENT_FAKE_SEARCH_SERVICE_H_
