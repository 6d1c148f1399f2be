#include "client/search_client.h"

#include <google/protobuf/util/message_differencer.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "client/fake_search_service.h"
#include "gtest/gtest.h"

namespace chaja::client {
namespace {

using google::protobuf::util::MessageDifferencer;
using testing::FakeSearchService;
using testing::FakeServer;

// One row per rpc: calls it through the client, and says whether the fake saw
// the request and the client got the canned answer back.
struct Rpc {
  const char* name;
  std::function<absl::Status(const SearchClient&, FakeSearchService&)> call;
};

template <typename Response>
absl::Status Check(const absl::StatusOr<Response>& got, const Response& canned, bool request_seen) {
  if (!got.ok()) return got.status();
  if (!request_seen) return absl::InternalError("the server did not see the request");
  if (!MessageDifferencer::Equals(*got, canned)) return absl::InternalError("answer differs: " + got->DebugString());
  return absl::OkStatus();
}

std::vector<Rpc> AllRpcs() {
  return {
      {"Search",
       [](const SearchClient& c, FakeSearchService& f) {
         v1::SearchRequest r;
         r.set_site("blog");
         r.set_query("패권");
         auto got = c.Search(r);
         return Check(got, f.search_response, f.last_search.query() == "패권");
       }},
      {"GetArticle",
       [](const SearchClient& c, FakeSearchService& f) {
         v1::GetArticleRequest r;
         r.set_site("blog");
         r.set_id("post-1");
         auto got = c.GetArticle(r);
         return Check(got, f.article, f.last_get_article.id() == "post-1");
       }},
      {"ListCategoryPosts",
       [](const SearchClient& c, FakeSearchService& f) {
         v1::ListCategoryPostsRequest r;
         r.set_site("blog");
         r.set_article_id("post-2");
         auto got = c.ListCategoryPosts(r);
         return Check(got, f.category_posts_response, f.last_list_category_posts.article_id() == "post-2");
       }},
      {"GetArchive",
       [](const SearchClient& c, FakeSearchService& f) {
         v1::GetArchiveRequest r;
         r.set_site("blog");
         r.set_year(2025);
         r.set_month(1);
         auto got = c.GetArchive(r);
         return Check(got, f.archive_response, f.last_get_archive.year() == 2025 && f.last_get_archive.month() == 1);
       }},
      {"GetRelated",
       [](const SearchClient& c, FakeSearchService& f) {
         v1::GetRelatedRequest r;
         r.set_site("blog");
         r.set_article_id("post-3");
         r.set_limit(7);
         auto got = c.GetRelated(r);
         return Check(got, f.related_response, f.last_get_related.limit() == 7);
       }},
      {"ListSites",
       [](const SearchClient& c, FakeSearchService& f) {
         const int before = f.calls();
         auto got = c.ListSites();
         return Check(got, f.sites_response, f.calls() == before + 1);
       }},
      {"GetSiteStats",
       [](const SearchClient& c, FakeSearchService& f) {
         v1::GetSiteStatsRequest r;
         r.set_site("blog");
         auto got = c.GetSiteStats(r);
         return Check(got, f.site_stats, f.last_get_site_stats.site() == "blog");
       }},
  };
}

void FillCannedAnswers(FakeSearchService* fake) {
  fake->search_response.set_total_hits(3);
  fake->search_response.add_hits()->set_id("post-1");
  fake->article.set_id("post-1");
  fake->article.set_body("본문");
  fake->category_posts_response.set_category("개발/파이썬");
  fake->category_posts_response.add_posts()->set_id("post-9");
  fake->archive_response.set_year(2025);
  fake->archive_response.add_counts()->set_key(22);
  fake->related_response.add_posts()->add_shared_tags("AI");
  fake->sites_response.add_sites()->set_name("blog");
  fake->site_stats.set_document_count(44);
}

TEST(SearchClientTest, EveryRpcReturnsTheServersAnswer) {
  FakeSearchService fake;
  FillCannedAnswers(&fake);
  FakeServer server(&fake);
  ASSERT_TRUE(server.ok());
  const SearchClient client(server.address());
  for (const Rpc& rpc : AllRpcs()) {
    SCOPED_TRACE(rpc.name);
    const absl::Status s = rpc.call(client, fake);
    EXPECT_TRUE(s.ok()) << s;
  }
}

TEST(SearchClientTest, EveryRpcKeepsTheServersCodeAndMessage) {
  FakeSearchService fake;
  FakeServer server(&fake);
  ASSERT_TRUE(server.ok());
  const SearchClient client(server.address());
  const struct {
    grpc::StatusCode grpc_code;
    absl::StatusCode code;
  } codes[] = {
      {grpc::StatusCode::NOT_FOUND, absl::StatusCode::kNotFound},
      {grpc::StatusCode::INVALID_ARGUMENT, absl::StatusCode::kInvalidArgument},
      {grpc::StatusCode::DATA_LOSS, absl::StatusCode::kDataLoss},
      {grpc::StatusCode::ABORTED, absl::StatusCode::kAborted},
  };
  for (const auto& c : codes) {
    fake.status = grpc::Status(c.grpc_code, "unknown site \"x\" — 없는 사이트");
    for (const Rpc& rpc : AllRpcs()) {
      SCOPED_TRACE(rpc.name);
      const absl::Status s = rpc.call(client, fake);
      EXPECT_EQ(s.code(), c.code) << s;
      EXPECT_EQ(s.message(), "unknown site \"x\" — 없는 사이트");
    }
  }
}

TEST(SearchClientTest, UnimplementedRpcNamesTheRpc) {
  // A server that registers the service but implements nothing (searchd
  // before the rpc existed answers like this).
  v1::SearchService::Service empty;
  FakeSearchService unused;
  FakeServer server(&empty);
  ASSERT_TRUE(server.ok());
  const SearchClient client(server.address());
  for (const Rpc& rpc : AllRpcs()) {
    SCOPED_TRACE(rpc.name);
    const absl::Status s = rpc.call(client, unused);
    EXPECT_EQ(s.code(), absl::StatusCode::kUnimplemented) << s;
    EXPECT_TRUE(absl::StrContains(s.message(), rpc.name)) << s;
  }
}

TEST(SearchClientTest, UnreachableServerIsUnavailable) {
  std::string address;
  {
    FakeSearchService fake;
    FakeServer server(&fake);
    address = server.address();
  }  // nothing listens there any more
  const SearchClient client(address, std::chrono::seconds(5));
  FakeSearchService unused;
  for (const Rpc& rpc : AllRpcs()) {
    SCOPED_TRACE(rpc.name);
    const absl::Status s = rpc.call(client, unused);
    EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
    EXPECT_TRUE(absl::StrContains(s.message(), address)) << s;
  }
}

class SlowService final : public v1::SearchService::Service {
 public:
  grpc::Status GetArchive(grpc::ServerContext* context, const v1::GetArchiveRequest*,
                          v1::GetArchiveResponse*) override {
    while (!context->IsCancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return grpc::Status::CANCELLED;
  }
};

TEST(SearchClientTest, SlowAnswerIsDeadlineExceeded) {
  SlowService slow;
  FakeServer server(&slow);
  ASSERT_TRUE(server.ok());
  const SearchClient client(server.address(), std::chrono::milliseconds(50));
  const absl::StatusOr<v1::GetArchiveResponse> got = client.GetArchive(v1::GetArchiveRequest());
  EXPECT_EQ(got.status().code(), absl::StatusCode::kDeadlineExceeded) << got.status();
}

}  // namespace
}  // namespace chaja::client
