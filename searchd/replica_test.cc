// Issue 16: a lagging replica leaves the proxy's rotation and comes back by
// itself. The verdict comes from chaja-replicate's status file (replica.h),
// never from a call to the primary per health check.
#include "searchd/replica.h"

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "testing/searchd.h"
#include "testing/temp_dir.h"

namespace chaja {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1800000000);
const absl::Duration kMaxLag = absl::Seconds(5);
// The judge's clock in the cases below: searchd has run for a minute.
const absl::Time kNow = kStart + absl::Minutes(1);

std::string At(absl::Time t) { return absl::StrFormat("%.3f", absl::ToDoubleSeconds(t - absl::UnixEpoch())); }

// The status file of a round that ended at `round`, the primary answering
// (or not), each site caught up at the time given.
std::string Status(absl::Time round, const std::vector<std::pair<std::string, absl::Time>>& sites,
                   bool primary_answered = true) {
  std::string text = absl::StrCat("round_at ", At(round), "\nprimary ", primary_answered ? "ok" : "unreachable", "\n");
  for (const auto& [site, at] : sites) absl::StrAppend(&text, "site ", site, " ", At(at), "\n");
  return text;
}

searchd::ReplicationHealth Judge(const std::optional<std::string>& status, absl::Duration since_start) {
  return searchd::JudgeReplication(status, kStart + since_start, kStart, kMaxLag);
}

// `status` judged at kNow.
searchd::ReplicationHealth JudgeNow(const std::string& status) { return Judge(status, kNow - kStart); }

absl::Time Ago(double seconds) { return kNow - absl::Seconds(seconds); }

TEST(JudgeReplicationTest, FreshCopiesServeWithTheirLag) {
  const searchd::ReplicationHealth health = JudgeNow(Status(Ago(0.1), {{"a", Ago(0.7)}, {"b", Ago(2)}}));
  EXPECT_TRUE(health.serving);
  EXPECT_DOUBLE_EQ(health.lag_seconds, 2);  // the worst site's
}

TEST(JudgeReplicationTest, ASiteBehindByMoreThanTheLimitIsNotServing) {
  const searchd::ReplicationHealth health = JudgeNow(Status(Ago(0.1), {{"a", Ago(0.7)}, {"b", Ago(6)}}));
  EXPECT_FALSE(health.serving);
  EXPECT_DOUBLE_EQ(health.lag_seconds, 6);
  EXPECT_NE(health.message.find("site b is 6.0 s behind"), std::string::npos) << health.message;
}

// A driver that stopped (killed, stuck in a copy) no longer says anything:
// its last round ages, and the node goes out.
TEST(JudgeReplicationTest, AStaleRoundIsNotServing) {
  const searchd::ReplicationHealth health = JudgeNow(Status(Ago(9), {{"a", Ago(9)}}));
  EXPECT_FALSE(health.serving);
  EXPECT_NE(health.message.find("last round ended 9.0 s ago"), std::string::npos) << health.message;
}

// With the primary gone the copies are the freshest data there is: reads
// go on from the replicas (the cluster test kills the primary).
TEST(JudgeReplicationTest, AnUnreachablePrimaryKeepsTheCopiesServing) {
  const searchd::ReplicationHealth health =
      JudgeNow(Status(Ago(0.2), {{"a", Ago(40)}}, /*primary_answered=*/false));
  EXPECT_TRUE(health.serving);
  EXPECT_NE(health.message.find("did not answer"), std::string::npos) << health.message;
}

// No status file: the driver has max_lag from searchd's start for its first
// round; a file that does not parse counts as none.
TEST(JudgeReplicationTest, NoStatusIsServingOnlyAtFirst) {
  EXPECT_TRUE(Judge(std::nullopt, absl::Seconds(3)).serving);
  const searchd::ReplicationHealth late = Judge(std::nullopt, absl::Seconds(8));
  EXPECT_FALSE(late.serving);
  EXPECT_NE(late.message.find("is chaja-replicate running"), std::string::npos) << late.message;
  EXPECT_FALSE(Judge(std::string("round_at yesterday\n"), absl::Seconds(8)).serving);
  EXPECT_FALSE(Judge(Status(kStart, {}) + "site a\n", absl::Seconds(8)).serving);
}

// Both restarted: the previous driver's last round, older than searchd,
// gets the grace of no round instead of taking the node out at once.
TEST(JudgeReplicationTest, ARoundFromBeforeTheStartGetsTheGraceOfNone) {
  const std::string before_start = Status(kStart - absl::Seconds(20), {{"a", kStart - absl::Seconds(20)}});
  EXPECT_TRUE(Judge(before_start, absl::Seconds(1)).serving);
  const searchd::ReplicationHealth late = Judge(before_start, absl::Seconds(8));
  EXPECT_FALSE(late.serving);
  EXPECT_NE(late.message.find("since searchd started"), std::string::npos) << late.message;
}

void WriteStatus(const std::string& data_dir, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(data_dir) / ".chaja-replicate");
  std::ofstream(std::filesystem::path(data_dir) / searchd::kReplicationStatusFile) << text;
}

bool SearchServiceServing(const std::string& address) {
  bool serving = false;
  return testing::CheckHealth(address, "chaja.v1.SearchService", &serving) == grpc::StatusCode::OK && serving;
}

// The whole path: a replica searchd without a driver goes NOT_SERVING on
// both health checks (gRPC health of SearchService and /healthz 503) once
// max_lag has passed, stays alive (""), and serves again once a fresh round
// is written.
TEST(ReplicaHealthTest, HealthChecksFollowTheStatusFile) {
  const testing::TempDir dir("replica_health_test");
  searchd::ServerOptions options = testing::LoopbackOptions(dir.path());
  options.http_listen = testing::kLoopbackAnyPort;
  options.primary = "127.0.0.1:1";  // never asked by the health checks
  options.max_lag = absl::Milliseconds(300);
  absl::StatusOr<std::unique_ptr<testing::ServerUnderTest>> server = testing::ServerUnderTest::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  httplib::Client http("127.0.0.1", (*server)->http_port());
  const std::string address = (*server)->address();

  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (SearchServiceServing(address) && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(20));
  EXPECT_FALSE(SearchServiceServing(address));
  bool alive = false;
  EXPECT_EQ(testing::CheckHealth(address, "", &alive), grpc::StatusCode::OK);
  EXPECT_TRUE(alive);
  httplib::Result out = http.Get("/healthz");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 503);
  EXPECT_NE(out->body.find(R"("status":"NOT_SERVING")"), std::string::npos) << out->body;
  EXPECT_NE(out->body.find("chaja-replicate"), std::string::npos) << out->body;

  // Rounds keep coming while the test waits, as a live driver's do.
  while (!SearchServiceServing(address) && absl::Now() < deadline) {
    WriteStatus(dir.path(), Status(absl::Now(), {{"a", absl::Now() - absl::Milliseconds(50)}}));
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_TRUE(SearchServiceServing(address));
  WriteStatus(dir.path(), Status(absl::Now(), {{"a", absl::Now() - absl::Milliseconds(50)}}));
  httplib::Result back = http.Get("/healthz");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->status, 200);
  EXPECT_NE(back->body.find("replicationLagSeconds"), std::string::npos) << back->body;
}

}  // namespace
}  // namespace chaja
