// Issue 14: every search has a server-side deadline (a default, and a cap on
// what a gRPC client asks) and stops when its client goes away.
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>
#include <httplib.h>

#include "absl/time/time.h"
#include "chaja/v1/search.grpc.pb.h"
#include "gtest/gtest.h"
#include "searchd/http_connection.h"
#include "searchd/search_backend.h"
#include "testing/searchd.h"
#include "testing/sites.h"
#include "testing/temp_dir.h"

namespace chaja::searchd {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1800000000);

TEST(DeadlineForTest, AClientWithoutADeadlineGetsTheDefault) {
  const DeadlinePolicy policy{absl::Seconds(2), absl::Seconds(10)};
  EXPECT_EQ(DeadlineFor(CallerContext{}, policy, kNow).at(), kNow + absl::Seconds(2));
}

TEST(DeadlineForTest, AClientsOwnDeadlineIsKeptUpToTheCap) {
  const DeadlinePolicy policy{absl::Seconds(2), absl::Seconds(10)};
  CallerContext caller;
  caller.client_deadline = kNow + absl::Milliseconds(300);
  EXPECT_EQ(DeadlineFor(caller, policy, kNow).at(), kNow + absl::Milliseconds(300));
  caller.client_deadline = kNow + absl::Seconds(5);
  EXPECT_EQ(DeadlineFor(caller, policy, kNow).at(), kNow + absl::Seconds(5));
  caller.client_deadline = kNow + absl::Hours(1);
  EXPECT_EQ(DeadlineFor(caller, policy, kNow).at(), kNow + absl::Seconds(10));
}

TEST(PeerClosedTest, SeesTheOtherEndClose) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  EXPECT_FALSE(PeerClosed(fds[0]));
  ASSERT_EQ(::write(fds[1], "GET", 3), 3);  // unread bytes are not a hang-up
  EXPECT_FALSE(PeerClosed(fds[0]));
  ::close(fds[1]);
  EXPECT_TRUE(PeerClosed(fds[0]));
  ::close(fds[0]);
}

class SearchDeadlineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(testing::WriteSiteFromJsonl(temp_dir_.path(), "blog", testing::SampleBlogPath()).ok());
  }

  // searchd whose searches may run `timeout` by default and at most `cap`.
  std::unique_ptr<testing::ServerUnderTest> Start(absl::Duration timeout, absl::Duration cap) {
    ServerOptions options = testing::LoopbackOptions(temp_dir_.path());
    options.http_listen = "127.0.0.1:0";
    options.deadlines = {timeout, cap};
    absl::StatusOr<std::unique_ptr<testing::ServerUnderTest>> server = testing::ServerUnderTest::Start(options);
    EXPECT_TRUE(server.ok()) << server.status();
    return server.ok() ? *std::move(server) : nullptr;
  }

  static grpc::Status GrpcSearch(const testing::ServerUnderTest& server, absl::Duration client_deadline) {
    auto stub = v1::SearchService::NewStub(grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(client_deadline));
    v1::SearchRequest request;
    request.set_site("blog");
    request.set_query("우분투");
    v1::SearchResponse response;
    return stub->Search(&context, request, &response);
  }

  const testing::TempDir temp_dir_{"deadline_test"};
};

TEST_F(SearchDeadlineTest, TheBackendStopsAtTheCallersDeadlineOrDeparture) {
  SearchBackend backend(temp_dir_.path());
  v1::SearchRequest request;
  request.set_site("blog");
  request.set_query("우분투");
  EXPECT_TRUE(backend.Search(request).ok());
  CallerContext late;
  late.client_deadline = absl::Now() - absl::Seconds(1);
  EXPECT_EQ(backend.Search(request, late).status().code(), absl::StatusCode::kDeadlineExceeded);
  CallerContext gone;
  gone.client_gone = [] { return true; };
  EXPECT_EQ(backend.Search(request, gone).status().code(), absl::StatusCode::kCancelled);
}

// Synonym discovery reads up to 10M posts: it stops at the deadline too.
TEST_F(SearchDeadlineTest, DiscoveryStopsAtTheCallersDeadline) {
  // Discovery of the sample blog takes seconds under ASan: a default of minutes.
  SearchBackend backend(temp_dir_.path(), search::RankingParams(), DeadlinePolicy{absl::Minutes(5), absl::Minutes(5)},
                        OwnerOptions{"owner-token-0123456789", {}});
  v1::SuggestEquivalentsRequest request;
  request.set_site("blog");
  CallerContext owner;
  owner.authorization = "Bearer owner-token-0123456789";
  EXPECT_TRUE(backend.SuggestEquivalents(request, owner).ok());
  CallerContext late = owner;
  late.client_deadline = absl::Now() - absl::Seconds(1);
  EXPECT_EQ(backend.SuggestEquivalents(request, late).status().code(), absl::StatusCode::kDeadlineExceeded);
}

// A searchd whose default deadline cannot be met answers 504 over HTTP and
// DEADLINE_EXCEEDED over gRPC; a gRPC client's longer deadline is capped.
TEST_F(SearchDeadlineTest, SearchdAppliesItsDefaultAndItsCap) {
  std::unique_ptr<testing::ServerUnderTest> strict = Start(absl::Nanoseconds(1), absl::Nanoseconds(1));
  ASSERT_NE(strict, nullptr);
  httplib::Client http("127.0.0.1", strict->http_port());
  const auto answer = http.Get("/v1/sites/blog/search?q=%EC%9A%B0%EB%B6%84%ED%88%AC");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 504) << answer->body;
  EXPECT_EQ(GrpcSearch(*strict, absl::Seconds(30)).error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);

  std::unique_ptr<testing::ServerUnderTest> relaxed = Start(absl::Seconds(30), absl::Seconds(60));
  ASSERT_NE(relaxed, nullptr);
  EXPECT_TRUE(GrpcSearch(*relaxed, absl::Seconds(30)).ok());
}

}  // namespace
}  // namespace chaja::searchd
