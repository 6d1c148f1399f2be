// searchd's in-memory posting lists (index/memory_postings.h) through
// SearchBackend: loaded in the background for big sites only, answering as
// Xapian does, never used for a revision they have not seen, and dropped
// cleanly when searchd stops in the middle of a load.
#include <chrono>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "index/site_writer.h"
#include "search/memory_postings.h"
#include "searchd/search_backend.h"
#include "testing/temp_dir.h"

namespace chaja {
namespace {

const char* const kBodies[] = {"정말 좋은 영화였습니다", "배우들의 연기가 좋았습니다", "다시 보고 싶은 영화입니다",
                               "음악이 좋았던 영화", "지루한 스토리였다"};

class MemoryPostingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<index::SiteWriter>> writer = index::SiteWriter::Open(data_dir_, "big");
    ASSERT_TRUE(writer.ok()) << writer.status();
    writer_ = *std::move(writer);
    for (int i = 0; i < 400; ++i) {
      v1::Article a;
      a.set_id(absl::StrCat("r", i));
      std::string body = kBodies[i % 5];
      if (i % 40 == 3) body += " 흡연 장면이 많았다";
      if (i % 9 == 0) body += " 반전이 있는 결말";
      a.set_body(body);
      a.set_category(i % 3 == 0 ? "영화/한국" : "영화/외국");  // a boolean term: no weight changes
      ASSERT_TRUE(writer_->Upsert(a).ok());
    }
    ASSERT_TRUE(writer_->Commit().ok());
    params_.shortlist_min_docs = 100;  // "big" (400 posts) shortlists
    params_.shortlist_share = 0.5;  // every test query has a selective gram: the lists rank it
    params_.shortlist_size = 30;
  }

  static v1::SearchRequest Query(const std::string& text, uint32_t offset = 0) {
    v1::SearchRequest request;
    request.set_site("big");
    request.set_query(text);
    request.set_offset(offset);
    request.set_limit(10);
    return request;
  }

  // Searches until the lists of the site's current revision are loaded.
  static v1::SiteStats WaitForLists(searchd::SearchBackend* backend) {
    v1::GetSiteStatsRequest request;
    request.set_site("big");
    v1::SiteStats stats;
    for (int attempt = 0; attempt < 400; ++attempt) {
      EXPECT_TRUE(backend->Search(Query("영화")).ok());
      stats = *backend->GetSiteStats(request);
      if (stats.memory_postings_bytes() > 0 && stats.memory_postings_revision() == stats.revision()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return stats;
  }

  const testing::TempDir temp_dir_{"memory_postings_test"};
  const std::string data_dir_ = temp_dir_.path();
  std::unique_ptr<index::SiteWriter> writer_;  // closed before temp_dir_ is removed
  search::RankingParams params_;
};

TEST_F(MemoryPostingsTest, LoadedInTheBackgroundAndAnswerAsXapian) {
  searchd::SearchBackend with_lists(data_dir_, params_);
  search::RankingParams without = params_;
  without.memory_postings = false;
  searchd::SearchBackend xapian_only(data_dir_, without);

  const v1::SiteStats stats = WaitForLists(&with_lists);
  EXPECT_GT(stats.memory_postings_bytes(), 0u);
  ASSERT_EQ(stats.memory_postings_revision(), stats.revision());
  v1::GetSiteStatsRequest stats_request;
  stats_request.set_site("big");
  EXPECT_EQ(xapian_only.GetSiteStats(stats_request)->memory_postings_bytes(), 0u);

  for (const char* text : {"흡연 장면이 많았던 영화", "반전 결말 음악", "연기가 좋았던 배우들", "흡연 반전"}) {
    for (uint32_t offset : {0u, 5u}) {
      SCOPED_TRACE(absl::StrCat(text, " offset ", offset));
      absl::StatusOr<v1::SearchResponse> a = with_lists.Search(Query(text, offset));
      absl::StatusOr<v1::SearchResponse> b = xapian_only.Search(Query(text, offset));
      ASSERT_TRUE(a.ok() && b.ok());
      // Each path really answered: the comparison cannot pass by skipping one.
      EXPECT_EQ(a->ranker(), "memory");
      EXPECT_EQ(b->ranker(), "xapian");
      ASSERT_EQ(a->hits_size(), b->hits_size());
      for (int i = 0; i < a->hits_size(); ++i) {
        EXPECT_EQ(a->hits(i).id(), b->hits(i).id()) << i;
        EXPECT_NEAR(a->hits(i).score(), b->hits(i).score(), 1e-9) << i;
      }
    }
  }
}

// Facets alone (limit 0): the lists count the matches, rank none, and agree
// with Xapian and with a search that shows hits.
TEST_F(MemoryPostingsTest, FacetsAloneCountAsXapian) {
  searchd::SearchBackend with_lists(data_dir_, params_);
  search::RankingParams without = params_;
  without.memory_postings = false;
  searchd::SearchBackend xapian_only(data_dir_, without);
  ASSERT_GT(WaitForLists(&with_lists).memory_postings_bytes(), 0u);
  for (const char* text : {"흡연 장면이 많았던 영화", "반전 결말 음악", "흡연 반전"}) {
    for (bool facets : {true, false}) {
      SCOPED_TRACE(absl::StrCat(text, facets ? " with facets" : ""));
      v1::SearchRequest request = Query(text);
      if (facets) request.add_facets()->set_field(v1::FACET_FIELD_CATEGORY);
      v1::SearchRequest shown = request;
      shown.add_facets()->set_field(v1::FACET_FIELD_CATEGORY);  // an exact total
      request.set_limit(0);
      absl::StatusOr<v1::SearchResponse> a = with_lists.Search(request);
      absl::StatusOr<v1::SearchResponse> b = xapian_only.Search(request);
      absl::StatusOr<v1::SearchResponse> c = xapian_only.Search(shown);
      ASSERT_TRUE(a.ok() && b.ok() && c.ok());
      EXPECT_EQ(a->ranker(), "memory");
      EXPECT_EQ(b->ranker(), "xapian");
      EXPECT_EQ(a->hits_size(), 0);
      EXPECT_EQ(b->hits_size(), 0);
      EXPECT_TRUE(a->total_hits_exact());
      EXPECT_TRUE(b->total_hits_exact());
      EXPECT_EQ(a->total_hits(), c->total_hits());
      EXPECT_EQ(b->total_hits(), c->total_hits());
      ASSERT_EQ(a->facets_size(), facets ? 1 : 0);
      ASSERT_EQ(b->facets_size(), facets ? 1 : 0);
      if (facets) {
        EXPECT_EQ(a->facets(0).DebugString(), c->facets(0).DebugString());
        EXPECT_EQ(b->facets(0).DebugString(), c->facets(0).DebugString());
        ASSERT_GT(a->facets(0).category_tree_size(), 0);
        EXPECT_EQ(a->facets(0).category_tree(0).value(), "영화");
      }
    }
  }
}

TEST_F(MemoryPostingsTest, ACommitIsSeenAtOnceAndTheListsCatchUp) {
  searchd::SearchBackend backend(data_dir_, params_);
  const v1::SiteStats before = WaitForLists(&backend);
  ASSERT_EQ(before.memory_postings_revision(), before.revision());

  // A new post the loaded lists do not have: found by the next search.
  v1::Article fresh;
  fresh.set_id("fresh");
  fresh.set_body("흡연 장면 흡연 장면 흡연 장면");
  ASSERT_TRUE(writer_->Upsert(fresh).ok());
  ASSERT_TRUE(writer_->Delete("r3").ok());
  ASSERT_TRUE(writer_->Commit().ok());
  absl::StatusOr<v1::SearchResponse> response = backend.Search(Query("흡연 장면"));
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_GT(response->hits_size(), 0);
  EXPECT_EQ(response->hits(0).id(), "fresh");
  for (const v1::SearchHit& hit : response->hits()) EXPECT_NE(hit.id(), "r3") << "deleted";

  // Then the lists are reloaded at the new revision, with the same answer.
  const v1::SiteStats after = WaitForLists(&backend);
  EXPECT_GT(after.revision(), before.revision());
  EXPECT_EQ(after.memory_postings_revision(), after.revision());
  absl::StatusOr<v1::SearchResponse> again = backend.Search(Query("흡연 장면"));
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->hits_size(), response->hits_size());
  for (int i = 0; i < again->hits_size(); ++i) EXPECT_EQ(again->hits(i).id(), response->hits(i).id()) << i;
}

// Issue 14: lists are loaded again after commits; the old ones go once the
// new ones arrive and no search holds them.
TEST_F(MemoryPostingsTest, ListsDoNotPileUpAcrossCommits) {
  searchd::SearchBackend backend(data_dir_, params_);
  WaitForLists(&backend);
  const int64_t live = search::MemoryPostings::live_count();
  for (int i = 0; i < 5; ++i) {
    v1::Article fresh;
    fresh.set_id(absl::StrCat("fresh", i));
    fresh.set_body("새 영화 리뷰");
    ASSERT_TRUE(writer_->Upsert(fresh).ok());
    ASSERT_TRUE(writer_->Commit().ok());
    const v1::SiteStats stats = WaitForLists(&backend);
    ASSERT_EQ(stats.memory_postings_revision(), stats.revision());
  }
  EXPECT_EQ(search::MemoryPostings::live_count(), live);
}

TEST_F(MemoryPostingsTest, SmallSitesAndTightBudgetsKeepNoListsAndStoppingMidLoadIsClean) {
  search::RankingParams high = params_;
  high.shortlist_min_docs = 1000;  // "big" is too small now
  {
    searchd::SearchBackend backend(data_dir_, high);
    ASSERT_TRUE(backend.Search(Query("영화")).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    v1::GetSiteStatsRequest request;
    request.set_site("big");
    EXPECT_EQ(backend.GetSiteStats(request)->memory_postings_bytes(), 0u);
  }
  // A budget too small for the lists: none are kept, Xapian answers.
  search::RankingParams tight = params_;
  tight.memory_postings_max_bytes = 4096;
  {
    searchd::SearchBackend backend(data_dir_, tight);
    for (int i = 0; i < 10; ++i) {
      absl::StatusOr<v1::SearchResponse> response = backend.Search(Query("흡연 장면"));
      ASSERT_TRUE(response.ok()) << response.status();
      EXPECT_GT(response->hits_size(), 0);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    v1::GetSiteStatsRequest request;
    request.set_site("big");
    EXPECT_EQ(backend.GetSiteStats(request)->memory_postings_bytes(), 0u);
  }
  // Room for the lists but not for the rankers' scratch buffers beside them
  // (8 bytes a post each): those count against the budget too, so no lists.
  {
    searchd::SearchBackend measuring(data_dir_, params_);
    const uint64_t lists = WaitForLists(&measuring).memory_postings_bytes();
    ASSERT_GT(lists, 0u);
    search::RankingParams no_room_for_scratch = params_;
    no_room_for_scratch.memory_postings_max_bytes = lists + 1024;  // < lists + 8 × 8 × 401 bytes
    searchd::SearchBackend backend(data_dir_, no_room_for_scratch);
    for (int i = 0; i < 10; ++i) {
      absl::StatusOr<v1::SearchResponse> response = backend.Search(Query("흡연 장면"));
      ASSERT_TRUE(response.ok()) << response.status();
      EXPECT_EQ(response->ranker(), "xapian");
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    v1::GetSiteStatsRequest request;
    request.set_site("big");
    EXPECT_EQ(backend.GetSiteStats(request)->memory_postings_bytes(), 0u);
  }
  // Destroyed right after a load started: the loader stops and is joined.
  for (int i = 0; i < 5; ++i) {
    searchd::SearchBackend backend(data_dir_, params_);
    ASSERT_TRUE(backend.Search(Query("흡연 장면")).ok());
  }
}

}  // namespace
}  // namespace chaja
