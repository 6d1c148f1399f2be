// ServedSite and SiteRegistry: each site's state under its own locks, so
// one site's reload never blocks another site's searches.
#include <chrono>
#include <future>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "index/site_columns.h"
#include "index/site_writer.h"
#include "searchd/search_backend.h"
#include "testing/temp_dir.h"

namespace chaja::searchd {
namespace {

class ServedSiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* site : {"a", "b"}) Write(site, "first", "우분투 설치 방법");
    backend_ = std::make_unique<SearchBackend>(data_dir_);
  }

  void Write(const std::string& site, const std::string& id, const std::string& body) {
    absl::StatusOr<std::unique_ptr<index::SiteWriter>> writer = index::SiteWriter::Open(data_dir_, site);
    ASSERT_TRUE(writer.ok()) << writer.status();
    v1::Article article;
    article.set_id(id);
    article.set_body(body);
    article.add_tags("리눅스");
    ASSERT_TRUE((*writer)->Upsert(article).ok());
    ASSERT_TRUE((*writer)->Commit().ok());
  }

  // A search with facets: it needs the site's column snapshot of its revision.
  std::future<absl::StatusOr<v1::SearchResponse>> SearchLater(const std::string& site) {
    return std::async(std::launch::async, [this, site] {
      v1::SearchRequest request;
      request.set_site(site);
      request.set_query("우분투");
      request.add_facets()->set_field(v1::FACET_FIELD_TAG);
      return backend_->Search(request);
    });
  }

  const testing::TempDir temp_dir_{"served_site_test"};
  const std::string data_dir_ = temp_dir_.path();
  std::unique_ptr<SearchBackend> backend_;  // stopped before temp_dir_ is removed
};

TEST_F(ServedSiteTest, OneSitesReloadNeverBlocksAnother) {
  ASSERT_TRUE(SearchLater("a").get().ok());
  ASSERT_TRUE(SearchLater("b").get().ok());
  // New revisions of both sites: each search must build a new snapshot.
  Write("a", "second", "우분투 업그레이드");
  Write("b", "second", "우분투 업그레이드");
  absl::StatusOr<std::shared_ptr<ServedSite>> a = backend_->Site("a");
  ASSERT_TRUE(a.ok()) << a.status();
  {
    // Site a is rebuilding its snapshot (its lock held, as a rebuild holds it).
    std::unique_lock<std::mutex> rebuilding = (*a)->HoldColumnsLockForTest();
    std::future<absl::StatusOr<v1::SearchResponse>> on_a = SearchLater("a");
    std::future<absl::StatusOr<v1::SearchResponse>> on_b = SearchLater("b");
    // b is answered while a's rebuild goes on; a waits for it.
    ASSERT_EQ(on_b.wait_for(std::chrono::seconds(60)), std::future_status::ready);
    absl::StatusOr<v1::SearchResponse> b = on_b.get();
    ASSERT_TRUE(b.ok()) << b.status();
    EXPECT_EQ(b->total_hits(), 2u);
    EXPECT_EQ(on_a.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout);
    rebuilding.unlock();
    absl::StatusOr<v1::SearchResponse> answered_a = on_a.get();
    ASSERT_TRUE(answered_a.ok()) << answered_a.status();
    EXPECT_EQ(answered_a->total_hits(), 2u);
  }
}

// Reads that need only the database (an article, the stats, the HTTP ETag
// check that runs before every request) never wait for a snapshot rebuild.
TEST_F(ServedSiteTest, DatabaseOnlyReadsDoNotWaitForTheSnapshot) {
  ASSERT_TRUE(SearchLater("a").get().ok());
  Write("a", "second", "우분투 업그레이드");
  absl::StatusOr<std::shared_ptr<ServedSite>> a = backend_->Site("a");
  ASSERT_TRUE(a.ok()) << a.status();
  // Declared before the lock, so that a failed wait releases the lock first
  // and the reads can finish.
  std::future<absl::StatusOr<v1::Article>> article;
  std::future<absl::StatusOr<SearchBackend::SiteState>> state;
  std::future<absl::StatusOr<v1::SiteStats>> stats;
  std::unique_lock<std::mutex> rebuilding = (*a)->HoldColumnsLockForTest();
  article = std::async(std::launch::async, [this] {
    v1::GetArticleRequest request;
    request.set_site("a");
    request.set_id("second");
    return backend_->GetArticle(request);
  });
  state = std::async(std::launch::async, [this] { return backend_->State("a"); });
  stats = std::async(std::launch::async, [this] {
    v1::GetSiteStatsRequest request;
    request.set_site("a");
    return backend_->GetSiteStats(request);
  });
  ASSERT_EQ(article.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  ASSERT_EQ(state.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  ASSERT_EQ(stats.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  EXPECT_TRUE(article.get().ok());
  EXPECT_TRUE(state.get().ok());
  absl::StatusOr<v1::SiteStats> got = stats.get();
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->document_count(), 2u);
}

// Bytes of the column snapshot of `site`'s newest revision.
int64_t SnapshotBytes(SearchBackend* backend, const std::string& site) {
  absl::StatusOr<std::shared_ptr<ServedSite>> served = backend->Site(site);
  if (!served.ok()) return -1;
  absl::StatusOr<int64_t> bytes = (*served)->Read<int64_t>(
      [](search::SiteReader&, const search::SiteView& view) -> absl::StatusOr<int64_t> {
        return view.columns->memory_bytes();
      });
  return bytes.ok() ? *bytes : -1;
}

// Issue 14: a snapshot is made per revision; after many commits, each
// followed by searches, the site holds the newest one alone.
TEST_F(ServedSiteTest, ColumnSnapshotsDoNotPileUpAcrossCommits) {
  ASSERT_TRUE(SearchLater("a").get().ok());
  const int64_t live = index::SiteColumns::live_count();
  const int64_t others = index::SiteColumns::live_bytes() - SnapshotBytes(backend_.get(), "a");
  for (int i = 0; i < 30; ++i) {
    Write("a", absl::StrCat("post", i), "우분투 커널");
    for (int j = 0; j < 3; ++j) ASSERT_TRUE(SearchLater("a").get().ok());
  }
  EXPECT_EQ(index::SiteColumns::live_count(), live);
  // The bytes /metrics shows are those of the snapshots alive, not of the 31 made.
  EXPECT_EQ(index::SiteColumns::live_bytes(), others + SnapshotBytes(backend_.get(), "a"));
}

TEST_F(ServedSiteTest, UnknownAndBadSitesAreRefused) {
  EXPECT_EQ(backend_->Site("nosuchsite").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(backend_->Site("../a").status().code(), absl::StatusCode::kInvalidArgument);
  // A site indexed after searchd started is served when first asked for.
  Write("late", "one", "늦게 온 글");
  EXPECT_TRUE(backend_->Site("late").ok());
}

}  // namespace
}  // namespace chaja::searchd
