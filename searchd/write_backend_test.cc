// WriteBackend's group commit (issue 14): streams that end close together
// share a commit, so a site under a stream of single-post writes makes a few
// revisions a second, not one per post.
#include "searchd/write_backend.h"

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
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
