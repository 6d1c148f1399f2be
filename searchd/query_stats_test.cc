// Issue 15, item 5: what readers search for. The per-site table (counting,
// normalization, the eviction bound, the file), the store's persistence, and
// through an in-process searchd: what is counted, the write token over gRPC
// and HTTP, a restart, and --query_stats=false.
#include "searchd/query_stats.h"

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <httplib.h>

#include "absl/strings/str_cat.h"
#include "chaja/v1/search.grpc.pb.h"
#include "gtest/gtest.h"
#include "searchd/server.h"
#include "testing/searchd.h"
#include "testing/sites.h"
#include "testing/temp_dir.h"

namespace chaja::searchd {
namespace {

const absl::CivilDay kDay(2026, 12, 7);

std::vector<std::string> Texts(const std::vector<SiteQueryStats::Entry>& entries) {
  std::vector<std::string> texts;
  for (const auto& e : entries) texts.push_back(e.text);
  return texts;
}

std::vector<std::string> Texts(const v1::QueryStatsResponse& response) {
  std::vector<std::string> texts;
  for (const auto& q : response.queries()) texts.push_back(q.text());
  return texts;
}

TEST(NormalizeQueryTextTest, FoldsWidthCaseAndSpaces) {
  EXPECT_EQ(NormalizeQueryText("  Docker \t 설치\n"), "docker 설치");
  EXPECT_EQ(NormalizeQueryText("ＤＯＣＫＥＲ　설치"), "docker 설치");  // full-width letters, ideographic space
  EXPECT_EQ(NormalizeQueryText("ㄷㅗㅋㅓ"), "도커");                    // typed jamo assembled
  EXPECT_EQ(NormalizeQueryText(" \t "), "");
}

TEST(NormalizeQueryTextTest, CutsLongQueriesOnACharacterBoundary) {
  std::string long_query;
  for (int i = 0; i < 100; ++i) long_query += "가";  // 3 bytes each
  const std::string text = NormalizeQueryText(long_query);
  EXPECT_LE(text.size(), kMaxQueryStatBytes);
  EXPECT_EQ(text.size() % 3, 0u);
  EXPECT_EQ(text.size(), kMaxQueryStatBytes / 3 * 3);
}

TEST(CountsAsReaderSearchTest, OnlyFinalFirstPageSearchesWithAQuery) {
  v1::SearchRequest request;
  request.set_query("도커");
  EXPECT_TRUE(CountsAsReaderSearch(request));
  v1::SearchRequest typing = request;
  typing.set_typing(true);
  EXPECT_FALSE(CountsAsReaderSearch(typing));
  v1::SearchRequest next_page = request;
  next_page.set_page_token("abc");
  EXPECT_FALSE(CountsAsReaderSearch(next_page));
  v1::SearchRequest offset = request;
  offset.set_offset(10);
  EXPECT_FALSE(CountsAsReaderSearch(offset));
  EXPECT_FALSE(CountsAsReaderSearch(v1::SearchRequest()));
}

TEST(SiteQueryStatsTest, CountsSearchesZeroResultsAndTheLastDay) {
  SiteQueryStats stats(10);
  stats.Record("도커", false, kDay - 3);
  stats.Record("도커", true, kDay);
  stats.Record("도커", true, kDay - 1);  // an older day never moves last_seen back
  stats.Record("wsl", false, kDay);
  const std::vector<SiteQueryStats::Entry> entries = stats.Entries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].text, "도커");
  EXPECT_EQ(entries[1].count, 3u);
  EXPECT_EQ(entries[1].zero_result_count, 2u);
  EXPECT_EQ(entries[1].last_seen, kDay);
  EXPECT_EQ(entries[0].count, 1u);
  EXPECT_EQ(entries[0].zero_result_count, 0u);
}

TEST(SiteQueryStatsTest, KeepsAtMostMaxQueriesEvictingTheLeastCountedLeastRecent) {
  SiteQueryStats stats(4);
  for (int i = 0; i < 3; ++i) stats.Record("often", false, kDay);
  stats.Record("once-old", false, kDay);
  stats.Record("twice", false, kDay);
  stats.Record("once-new", false, kDay);
  stats.Record("twice", false, kDay);
  stats.Record("newest", false, kDay);  // full: evicts once-old (count 1, least recent)
  EXPECT_EQ(stats.size(), 4u);
  EXPECT_EQ(Texts(stats.Entries()), (std::vector<std::string>{"once-new", "newest", "twice", "often"}));
  // A flood of one-off queries replaces one another, not the repeated ones.
  for (int i = 0; i < 1000; ++i) stats.Record(absl::StrCat("bot-", i), false, kDay);
  EXPECT_EQ(stats.size(), 4u);
  EXPECT_EQ(Texts(stats.Entries()), (std::vector<std::string>{"bot-998", "bot-999", "twice", "often"}));
  EXPECT_EQ(stats.Entries()[3].count, 3u);
}

TEST(SiteQueryStatsTest, AnswersByCountOrZeroResultsWithinTheWindow) {
  SiteQueryStats stats(100);
  for (int i = 0; i < 5; ++i) stats.Record("popular", false, kDay - 10);
  for (int i = 0; i < 2; ++i) stats.Record("recent", true, kDay);
  stats.Record("missing", true, kDay - 2);
  stats.Record("missing", true, kDay - 2);
  stats.Record("missing", true, kDay - 2);
  stats.Record("three days ago", false, kDay - 3);
  v1::QueryStatsRequest request;
  EXPECT_EQ(Texts(stats.Query(request, kDay)),
            (std::vector<std::string>{"popular", "missing", "recent", "three days ago"}));
  request.set_since_days(3);  // today and the two days before
  EXPECT_EQ(Texts(stats.Query(request, kDay)), (std::vector<std::string>{"missing", "recent"}));
  request.set_since_days(1);
  EXPECT_EQ(Texts(stats.Query(request, kDay)), (std::vector<std::string>{"recent"}));
  request.set_since_days(0);
  request.set_zero_results_only(true);
  EXPECT_EQ(Texts(stats.Query(request, kDay)), (std::vector<std::string>{"missing", "recent"}));
  request.set_limit(1);
  const v1::QueryStatsResponse one = stats.Query(request, kDay);
  EXPECT_EQ(Texts(one), (std::vector<std::string>{"missing"}));
  EXPECT_EQ(one.queries(0).zero_result_count(), 3u);
  EXPECT_EQ(one.queries(0).last_seen(), "2026-12-05");
  EXPECT_EQ(one.tracked_queries(), 4u);
  EXPECT_EQ(one.max_tracked_queries(), 100u);
}

TEST(SiteQueryStatsTest, TheFileKeepsEntriesAndTheirEvictionOrder) {
  SiteQueryStats stats(10);
  stats.Record("a b", true, kDay - 1);
  stats.Record("c", false, kDay);
  stats.Record("c", false, kDay);
  stats.Record("d", false, kDay);
  const std::string text = QueryStatsFileText(stats.Entries());
  SiteQueryStats restored(10);
  for (SiteQueryStats::Entry& e : ParseQueryStatsFile(text + "garbage line\n3\tx\t2026-01-01\tbad count\n")) {
    restored.Restore(std::move(e));
  }
  EXPECT_EQ(QueryStatsFileText(restored.Entries()), text);
  EXPECT_EQ(Texts(restored.Entries()), (std::vector<std::string>{"a b", "d", "c"}));
}

TEST(QueryStatsStoreTest, SavesAtTheEndAndLoadsOnFirstUse) {
  const testing::TempDir dir("query_stats_store");
  std::filesystem::create_directories(std::filesystem::path(dir.path()) / "blog");
  QueryStatsOptions options;
  options.save_interval = absl::ZeroDuration();
  {
    QueryStatsStore store(dir.path(), options);
    store.Record("blog", "Docker", false, kDay);
    store.Record("blog", "docker", true, kDay);
    store.Record("blog", "   ", true, kDay);  // nothing to count
  }
  const std::filesystem::path file = std::filesystem::path(dir.path()) / "blog" / kQueryStatsFile;
  ASSERT_TRUE(std::filesystem::exists(file));
  EXPECT_FALSE(std::filesystem::exists(file.string() + ".tmp"));
  struct stat info;
  ASSERT_EQ(stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  QueryStatsStore again(dir.path(), options);
  v1::QueryStatsRequest request;
  request.set_site("blog");
  const v1::QueryStatsResponse response = again.Query(request, kDay);
  ASSERT_EQ(response.queries_size(), 1);
  EXPECT_EQ(response.queries(0).text(), "docker");
  EXPECT_EQ(response.queries(0).count(), 2u);
  EXPECT_EQ(response.queries(0).zero_result_count(), 1u);
}

TEST(QueryStatsStoreTest, OffCountsAndWritesNothing) {
  const testing::TempDir dir("query_stats_off");
  std::filesystem::create_directories(std::filesystem::path(dir.path()) / "blog");
  QueryStatsOptions options;
  options.enabled = false;
  {
    QueryStatsStore store(dir.path(), options);
    store.Record("blog", "docker", false, kDay);
    EXPECT_TRUE(store.SaveAll().ok());
  }
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(dir.path()) / "blog" / kQueryStatsFile));
}

// --- through searchd ------------------------------------------------------

constexpr char kToken[] = "owner-token-0123456789";

class QueryStatsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(testing::WriteSiteFromJsonl(dir_.path(), "blog", testing::SampleBlogPath()).ok());
  }

  void Start(const std::string& token = kToken, bool enabled = true) {
    ServerOptions options = testing::LoopbackOptions(dir_.path());
    options.index_token = token;
    options.http_listen = testing::kLoopbackAnyPort;
    options.query_stats.enabled = enabled;
    absl::StatusOr<std::unique_ptr<testing::ServerUnderTest>> server = testing::ServerUnderTest::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    stub_ = v1::SearchService::NewStub(grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials()));
    http_ = std::make_unique<httplib::Client>("127.0.0.1", server_->http_port());
  }

  void Stop() {
    http_.reset();
    stub_.reset();
    server_.reset();
  }

  grpc::Status Search(const v1::SearchRequest& request) {
    grpc::ClientContext context;
    v1::SearchResponse response;
    return stub_->Search(&context, request, &response);
  }

  grpc::Status Search(const std::string& query) {
    v1::SearchRequest request;
    request.set_site("blog");
    request.set_query(query);
    return Search(request);
  }

  grpc::Status QueryStats(v1::QueryStatsResponse* response, const std::string& authorization,
                          const v1::QueryStatsRequest& extra = {}) {
    grpc::ClientContext context;
    if (!authorization.empty()) context.AddMetadata("authorization", authorization);
    v1::QueryStatsRequest request = extra;
    request.set_site("blog");
    return stub_->QueryStats(&context, request, response);
  }

  const testing::TempDir dir_{"query_stats_server"};
  std::unique_ptr<testing::ServerUnderTest> server_;
  std::unique_ptr<v1::SearchService::Stub> stub_;
  std::unique_ptr<httplib::Client> http_;
};

const std::string kBearer = absl::StrCat("Bearer ", kToken);

TEST_F(QueryStatsServerTest, CountsReaderSearchesOverBothTransportsAndKeepsThemAcrossARestart) {
  Start();
  ASSERT_TRUE(Search("Docker").ok());
  ASSERT_TRUE(Search("  docker ").ok());
  ASSERT_TRUE(Search("xyzzyplugh").ok());  // finds nothing
  v1::SearchRequest typing;
  typing.set_site("blog");
  typing.set_query("dock");
  typing.set_typing(true);
  ASSERT_TRUE(Search(typing).ok());  // a keystroke: not counted
  v1::SearchRequest second_page = typing;
  second_page.set_typing(false);
  second_page.set_query("docker");
  second_page.set_offset(10);
  ASSERT_TRUE(Search(second_page).ok());  // the same search again: not counted
  auto http_search = http_->Get("/v1/sites/blog/search?q=DOCKER");
  ASSERT_TRUE(http_search);
  ASSERT_EQ(http_search->status, 200);

  v1::QueryStatsResponse response;
  grpc::Status status = QueryStats(&response, kBearer);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.queries_size(), 2);
  EXPECT_EQ(response.queries(0).text(), "docker");
  EXPECT_EQ(response.queries(0).count(), 3u);
  EXPECT_EQ(response.queries(0).zero_result_count(), 0u);
  EXPECT_EQ(response.queries(1).text(), "xyzzyplugh");
  EXPECT_EQ(response.queries(1).zero_result_count(), 1u);

  Stop();
  Start();
  v1::QueryStatsRequest zero_only;
  zero_only.set_zero_results_only(true);
  v1::QueryStatsResponse after;
  status = QueryStats(&after, kBearer, zero_only);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(after.queries_size(), 1);
  EXPECT_EQ(after.queries(0).text(), "xyzzyplugh");
  auto http_stats = http_->Get("/v1/sites/blog/stats/queries?since=7d", {{"Authorization", kBearer}});
  ASSERT_TRUE(http_stats);
  EXPECT_EQ(http_stats->status, 200) << http_stats->body;
  EXPECT_EQ(http_stats->get_header_value("Cache-Control"), "no-store");
  EXPECT_NE(http_stats->body.find("\"text\":\"docker\",\"count\":\"3\""), std::string::npos) << http_stats->body;
}

TEST_F(QueryStatsServerTest, NeedsTheWriteTokenOverGrpcAndHttp) {
  Start();
  v1::QueryStatsResponse response;
  EXPECT_EQ(QueryStats(&response, "").error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(QueryStats(&response, "Bearer wrong-token-0123456789").error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(QueryStats(&response, kToken).error_code(), grpc::StatusCode::UNAUTHENTICATED);  // no "Bearer "
  auto none = http_->Get("/v1/sites/blog/stats/queries");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  auto wrong = http_->Get("/v1/sites/blog/stats/queries", {{"Authorization", "Bearer wrong-token-0123456789"}});
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 403);
  EXPECT_EQ(server_->server().backend()->write_token()->failures(), 5u);
  auto right = http_->Get("/v1/sites/blog/stats/queries?zero_results=1&limit=5", {{"Authorization", kBearer}});
  ASSERT_TRUE(right);
  EXPECT_EQ(right->status, 200) << right->body;
  auto bad_since = http_->Get("/v1/sites/blog/stats/queries?since=week", {{"Authorization", kBearer}});
  ASSERT_TRUE(bad_since);
  EXPECT_EQ(bad_since->status, 400);
}

TEST_F(QueryStatsServerTest, WithoutAWriteTokenTheStatsAreRefusedButStillCounted) {
  Start(/*token=*/"");
  ASSERT_TRUE(Search("docker").ok());
  v1::QueryStatsResponse response;
  const grpc::Status status = QueryStats(&response, kBearer);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("--index_token_file"), std::string::npos) << status.error_message();
  auto http = http_->Get("/v1/sites/blog/stats/queries", {{"Authorization", kBearer}});
  ASSERT_TRUE(http);
  EXPECT_EQ(http->status, 400);
  Stop();
  Start();  // now with a token: the earlier search was kept
  ASSERT_TRUE(QueryStats(&response, kBearer).ok());
  ASSERT_EQ(response.queries_size(), 1);
  EXPECT_EQ(response.queries(0).text(), "docker");
}

TEST_F(QueryStatsServerTest, OffWithTheFlag) {
  Start(kToken, /*enabled=*/false);
  ASSERT_TRUE(Search("docker").ok());
  v1::QueryStatsResponse response;
  const grpc::Status status = QueryStats(&response, kBearer);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("--query_stats=false"), std::string::npos) << status.error_message();
  Stop();
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(dir_.path()) / "blog" / kQueryStatsFile));
}

}  // namespace
}  // namespace chaja::searchd
