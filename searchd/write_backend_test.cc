// WriteBackend's group commit (issue 14): streams that end close together
// share a commit, so a site under a stream of single-post writes makes a few
// revisions a second, not one per post.
#include "searchd/write_backend.h"

#include <atomic>
#include <chrono>
#include <future>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "searchd/revision_pins.h"
#include "searchd/site_registry.h"
#include "testing/temp_dir.h"

namespace chaja::searchd {
namespace {

TEST(WriteBackendTest, StreamsEndingTogetherShareACommit) {
  const testing::TempDir temp_dir("write_backend_test");
  WriteBackend backend(temp_dir.path());
  constexpr int kStreams = 12;
  std::vector<std::thread> streams;
  std::vector<absl::StatusOr<uint64_t>> answers(kStreams, absl::UnknownError("not run"));
  for (int i = 0; i < kStreams; ++i) {
    streams.emplace_back([&, i] {
      v1::Article article;
      article.set_id(absl::StrCat("post", i));
      article.set_title(absl::StrCat("글 ", i));
      article.set_body("본문");
      index::SiteWriter::UpsertOutcome outcome;
      const absl::Status upserted = backend.Upsert("blog", article, &outcome);
      answers[i] = upserted.ok() ? backend.Commit("blog") : upserted;
    });
  }
  for (std::thread& stream : streams) stream.join();
  for (const absl::StatusOr<uint64_t>& answer : answers) {
    ASSERT_TRUE(answer.ok()) << answer.status();
    EXPECT_GE(*answer, 1u);  // at least its own post is committed when it is told
  }
  const std::vector<std::pair<std::string, uint64_t>> commits = backend.CommitCounts();
  ASSERT_EQ(commits.size(), 1u);
  // The first stream commits at once; the rest end within the interval and
  // share one or two commits (one each before the change).
  EXPECT_LE(commits[0].second, 4u);
  EXPECT_EQ(*backend.Commit("blog"), static_cast<uint64_t>(kStreams));
}

TEST(RevisionPinsTest, AChangeWaitsOnlyForReadsOfOlderRevisions) {
  RevisionPins pins;
  RevisionPins::Pin before_any_commit = pins.PinNewest("blog");  // revision 0
  pins.Committed("blog", 1);
  RevisionPins::Pin newest = pins.PinNewest("blog");
  EXPECT_EQ(pins.PinnedReads("blog"), 2u);
  EXPECT_FALSE(pins.WaitForOlderReads("blog", std::chrono::milliseconds(20)));  // revision 0 is still read
  EXPECT_TRUE(pins.WaitForOlderReads("other", std::chrono::milliseconds(0)));  // sites are apart

  std::future<bool> waited = std::async(std::launch::async, [&] {
    return pins.WaitForOlderReads("blog", std::chrono::minutes(1));
  });
  before_any_commit.Renew();  // now on revision 1, the newest: the wait ends
  EXPECT_TRUE(waited.get());
  EXPECT_EQ(pins.PinnedReads("blog"), 2u);

  pins.Committed("blog", 2);
  { RevisionPins::Pin moved = std::move(newest); }  // released once, by the pin it was moved to
  before_any_commit = RevisionPins::Pin();
  EXPECT_EQ(pins.PinnedReads("blog"), 0u);
  EXPECT_TRUE(pins.WaitForOlderReads("blog", std::chrono::milliseconds(0)));
}

v1::Article PostOfRound(int post, int round) {
  v1::Article article;
  article.set_id(absl::StrCat("post", post));
  article.set_title(absl::StrCat("글 ", post, " 판 ", round));
  std::string body;
  for (int i = 0; i < 200; ++i) absl::StrAppend(&body, "낱말", post * 1000 + i, "x", round, " ");
  article.set_body(body);
  return article;
}

// A read that takes a while as single-post writes are committed: with the
// writer waiting for it (revision_pins.h) it runs once, on one revision.
// Without, the writer reuses the blocks of the revision it reads and the read
// is retried (seen: 2 attempts when WriteBackend is given no pins). The
// writer's wait is bounded (3 s): the read must not take longer.
TEST(WriteBackendTest, ALongReadKeepsItsRevisionWhileWritesGoOn) {
  const testing::TempDir temp_dir("write_backend_pins_test");
  RevisionPins pins;
  WriteBackend writes(temp_dir.path(), &pins);
  constexpr int kPosts = 300;
  for (int post = 0; post < kPosts; ++post) {
    index::SiteWriter::UpsertOutcome outcome;
    ASSERT_TRUE(writes.Upsert("blog", PostOfRound(post, 0), &outcome).ok());
  }
  ASSERT_TRUE(writes.Commit("blog").ok());
  SiteRegistry reads(temp_dir.path(), search::RankingParams(), &pins);
  absl::StatusOr<std::shared_ptr<ServedSite>> site = reads.Get("blog");
  ASSERT_TRUE(site.ok()) << site.status();

  std::promise<void> read_started;
  std::atomic<int> commits{0};
  std::thread writer([&] {
    read_started.get_future().wait();
    for (int round = 1; round <= 3; ++round) {
      for (int post = 0; post < kPosts; ++post) {
        index::SiteWriter::UpsertOutcome outcome;
        ASSERT_TRUE(writes.Upsert("blog", PostOfRound(post, round), &outcome).ok());
      }
      ASSERT_TRUE(writes.Commit("blog").ok());
      ++commits;
    }
  });
  int attempts = 0;
  const absl::StatusOr<int> read = (*site)->Read<int>(
      [&](search::SiteReader& reader, const search::SiteView&) -> absl::StatusOr<int> {
        if (++attempts == 1) read_started.set_value();
        // Until the three commits are made, or the writer waits for this read.
        const auto until = std::chrono::steady_clock::now() + std::chrono::minutes(1);
        while (commits < 3 && pins.WaitingChanges("blog") == 0 && std::chrono::steady_clock::now() < until) {
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        for (int post = 0; post < kPosts; ++post) {
          absl::StatusOr<v1::Article> article = reader.GetArticle(absl::StrCat("post", post));
          if (!article.ok()) return article.status();
        }
        return kPosts;
      },
      /*shared_parts=*/false);
  writer.join();
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(attempts, 1);
  EXPECT_EQ(commits, 3);
  EXPECT_EQ(pins.PinnedReads("blog"), 0u);
}

// Streams that arrive while the writer waits for a read wait together and
// share a commit, so a long read costs the writes one wait, not one each
// (seen: 8 streams made 8 commits when each waited for the read in turn).
TEST(WriteBackendTest, StreamsWaitingForAReadShareACommit) {
  const testing::TempDir temp_dir("write_backend_wait_test");
  RevisionPins pins;
  WriteBackend writes(temp_dir.path(), &pins);
  index::SiteWriter::UpsertOutcome outcome;
  ASSERT_TRUE(writes.Upsert("blog", PostOfRound(0, 0), &outcome).ok());
  ASSERT_TRUE(writes.Commit("blog").ok());
  RevisionPins::Pin old_read = pins.PinNewest("blog");
  ASSERT_TRUE(writes.Upsert("blog", PostOfRound(0, 1), &outcome).ok());
  ASSERT_TRUE(writes.Commit("blog").ok());  // the read's revision is now the older one
  const uint64_t commits_before = writes.CommitCounts()[0].second;

  constexpr int kStreams = 8;
  std::vector<std::thread> streams;
  std::atomic<int> done{0};
  for (int i = 1; i <= kStreams; ++i) {
    streams.emplace_back([&, i] {
      index::SiteWriter::UpsertOutcome own;
      EXPECT_TRUE(writes.Upsert("blog", PostOfRound(i, 0), &own).ok());
      EXPECT_TRUE(writes.Commit("blog").ok());
      ++done;
    });
  }
  const auto until = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  while (pins.WaitingChanges("blog") == 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the other streams queue up meanwhile
  EXPECT_EQ(done, 0);  // no stream changed the site under the read
  old_read = RevisionPins::Pin();
  for (std::thread& stream : streams) stream.join();
  EXPECT_LE(writes.CommitCounts()[0].second - commits_before, 2u);
  EXPECT_EQ(*writes.Commit("blog"), static_cast<uint64_t>(kStreams + 1));
}

// A site is created by its first kept article: a rejected article, a commit
// or a delete under a mistyped name leave no empty site behind.
TEST(WriteBackendTest, OnlyAKeptArticleCreatesASite) {
  const testing::TempDir temp_dir("write_backend_new_site_test");
  WriteBackend backend(temp_dir.path());
  const std::filesystem::path folder = std::filesystem::path(temp_dir.path()) / "blgo";
  v1::Article no_id;  // rejected: an article needs an id
  no_id.set_title("제목");
  EXPECT_EQ(backend.Upsert("blgo", no_id, nullptr).code(), absl::StatusCode::kInvalidArgument);
  absl::StatusOr<uint64_t> count = backend.Commit("blgo");
  ASSERT_TRUE(count.ok()) << count.status();
  EXPECT_EQ(*count, 0u);
  v1::DeleteRequest request;
  request.set_site("blgo");
  request.add_ids("post1");
  absl::StatusOr<v1::DeleteResponse> deleted = backend.Delete(request);
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(deleted->not_found_size(), 1);
  EXPECT_FALSE(std::filesystem::exists(folder));

  v1::Article good = no_id;
  good.set_id("post1");
  ASSERT_TRUE(backend.Upsert("blgo", good, nullptr).ok());
  EXPECT_EQ(*backend.Commit("blgo"), 1u);
  EXPECT_TRUE(std::filesystem::exists(folder));
}

}  // namespace
}  // namespace chaja::searchd
