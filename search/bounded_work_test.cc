// Issue 14: no request can take a core. Every repeated field of a search is
// bounded, and snippets and the phrase check read a bounded window of a
// post, so a post's size does not set a search's cost.
#include <atomic>
#include <memory>
#include <string>

#include <xapian.h>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "index/document_builder.h"
#include "index/site.h"
#include "index/site_writer.h"
#include "search/deadline.h"
#include "search/hit_writer.h"
#include "search/page_token.h"
#include "search/phrase_filter.h"
#include "search/query_plan.h"
#include "search/site_reader.h"
#include "testing/temp_dir.h"

namespace chaja::search {
namespace {

TEST(BoundedRequestTest, RepeatedFieldsHaveALimit) {
  v1::SearchRequest request;
  for (uint32_t i = 0; i < kMaxTagFilters; ++i) {
    request.add_tags(absl::StrCat("tag", i));
    request.add_exclude_tags(absl::StrCat("other", i));
  }
  for (uint32_t i = 0; i < kMaxFacetRequests; ++i) request.add_facets()->set_field(v1::FACET_FIELD_TAG);
  EXPECT_TRUE(ValidateSearchRequest(request).ok());
  for (auto* field : {request.mutable_tags(), request.mutable_exclude_tags()}) {
    field->Add("one too many");
    const absl::Status status = ValidateSearchRequest(request);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    field->RemoveLast();
  }
  request.add_facets()->set_field(v1::FACET_FIELD_CATEGORY);
  EXPECT_EQ(ValidateSearchRequest(request).code(), absl::StatusCode::kInvalidArgument);
}

// A post of `body_bytes` of filler with `tail` at its very end.
Xapian::Document LongPost(size_t body_bytes, const std::string& tail) {
  v1::Article article;
  article.set_id("long");
  article.set_title("긴 글");
  std::string body;
  while (body.size() < body_bytes) body += "채우는 문장이다. ";
  article.set_body(body + tail);
  return index::DocumentBuilder().Build(article);
}

TEST(BoundedWindowTest, ThePhraseCheckReadsTheStartOfALongPost) {
  PlanOptions options;
  const absl::StatusOr<QueryPlan> plan = PlanQuery("\"희귀한 구절\"", options);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->phrase_checks.size(), 1u);
  const PhraseFilter filter(plan->phrase_checks);
  EXPECT_TRUE(filter(LongPost(1000, " 희귀한 구절이 있다.")));
  // Beyond the window the phrase is not looked for: the check costs the
  // window, not the post.
  EXPECT_FALSE(filter(LongPost(kPhraseWindowBytes + 100, " 희귀한 구절이 있다.")));
}

TEST(BoundedWindowTest, TheSnippetIsCutFromTheStartOfALongPost) {
  PlanOptions options;
  const absl::StatusOr<QueryPlan> plan = PlanQuery("희귀한", options);
  ASSERT_TRUE(plan.ok());
  const HitWriter writer(*plan);
  v1::SearchResponse response;
  ASSERT_TRUE(writer.Add(LongPost(1000, " 희귀한 구절이 있다."), 1.0, &response).ok());
  ASSERT_TRUE(writer.Add(LongPost(kSnippetWindowBytes + 100, " 희귀한 구절이 있다."), 1.0, &response).ok());
  EXPECT_NE(response.hits(0).snippet().find("<mark>"), std::string::npos) << response.hits(0).snippet();
  EXPECT_EQ(response.hits(1).snippet().find("<mark>"), std::string::npos);
}

// A long post keeps a head, its body cut at kStoredHeadBodyBytes, beside
// the whole article; a short post has none.
TEST(BoundedWindowTest, ALongPostKeepsAHead) {
  const Xapian::Document long_post = LongPost(index::kStoredHeadBodyBytes + 1000, " 끝");
  const absl::StatusOr<v1::Article> head = index::ArticleHeadFromDocument(long_post);
  const absl::StatusOr<v1::Article> whole = index::ArticleFromDocument(long_post);
  ASSERT_TRUE(head.ok() && whole.ok());
  EXPECT_LE(head->body().size(), index::kStoredHeadBodyBytes);
  EXPECT_GT(whole->body().size(), index::kStoredHeadBodyBytes);
  EXPECT_EQ(head->title(), whole->title());
  EXPECT_EQ(LongPost(1000, " 끝").get_value(index::kSlotStoredHead), "");
}

// Snippets and the phrase check read the head, never the whole data: a post
// whose head and data differ (made so here) is judged by its head.
TEST(BoundedWindowTest, SearchesReadTheHead) {
  Xapian::Document doc = LongPost(100, " 사과가 있다.");
  v1::Article head = *index::ArticleFromDocument(doc);
  head.set_body("바나나가 있다.");
  doc.add_value(index::kSlotStoredHead, head.SerializeAsString());
  PlanOptions options;
  const absl::StatusOr<QueryPlan> plan = PlanQuery("\"바나나가 있다\"", options);
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(PhraseFilter(plan->phrase_checks)(doc));
  v1::SearchResponse response;
  ASSERT_TRUE(HitWriter(*plan).Add(doc, 1.0, &response).ok());
  EXPECT_NE(response.hits(0).snippet().find("<mark>"), std::string::npos) << response.hits(0).snippet();
}

// A site of 300 posts that all hold the query's words, read through a
// SiteReader with a view of its own (the in-memory lists on demand).
class DeadlineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<index::SiteWriter>> writer = index::SiteWriter::Open(data_dir_, "blog");
    ASSERT_TRUE(writer.ok()) << writer.status();
    for (int i = 0; i < 300; ++i) {
      v1::Article article;
      article.set_id(absl::StrCat("p", i));
      article.set_title(absl::StrCat("영화 리뷰 ", i));
      article.set_body(absl::StrCat("정말 좋은 영화였다. 배우의 연기와 음악이 좋았다. ", i));
      ASSERT_TRUE((*writer)->Upsert(article).ok());
    }
    ASSERT_TRUE((*writer)->Commit().ok());
    absl::StatusOr<std::string> path = index::SiteDatabasePath(data_dir_, "blog");
    ASSERT_TRUE(path.ok());
    absl::StatusOr<std::unique_ptr<SiteReader>> reader = SiteReader::Open(*path);
    ASSERT_TRUE(reader.ok()) << reader.status();
    reader_ = *std::move(reader);
    absl::StatusOr<std::shared_ptr<const index::SiteColumns>> columns = reader_->LoadColumns();
    ASSERT_TRUE(columns.ok());
    view_.settings = std::make_shared<index::SiteSettings>();
    view_.columns = *columns;
    view_.tag_groups = MakeTagGroups(view_.columns, *view_.settings);
  }

  // Ranks from the in-memory lists from now on.
  void UseMemoryLists() {
    absl::StatusOr<std::shared_ptr<const MemoryPostings>> postings =
        MemoryPostings::Load(Xapian::Database(*index::SiteDatabasePath(data_dir_, "blog")));
    ASSERT_TRUE(postings.ok());
    view_.postings = *postings;
    view_.scratch = &scratch_;
    view_.ranking.shortlist_min_docs = 1;
    view_.ranking.shortlist_share = 1.0;  // every term shortlists: all posts hold them
  }

  // A deadline whose client is gone from the `n`th check on: a search that
  // checks only before it starts would never see it.
  Deadline GoneAtCheck(int n) {
    return Deadline(absl::InfiniteFuture(), [this, n] { return ++checks_ >= n; });
  }

  static v1::SearchRequest Request(const std::string& query) {
    v1::SearchRequest request;
    request.set_query(query);
    request.set_limit(1);
    return request;
  }

  const testing::TempDir temp_dir_{"deadline_test"};
  const std::string data_dir_ = temp_dir_.path();
  std::unique_ptr<SiteReader> reader_;
  SiteView view_;
  MemoryRankerScratch scratch_;
  std::atomic<int> checks_{0};
};

TEST_F(DeadlineTest, APassedDeadlineStopsTheSearch) {
  const Deadline passed(absl::Now() - absl::Seconds(1));
  const absl::StatusOr<v1::SearchResponse> response = reader_->Search(Request("영화"), view_, passed);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kDeadlineExceeded) << response.status();
  EXPECT_TRUE(reader_->Search(Request("영화"), view_, Deadline(absl::Now() + absl::Hours(1))).ok());
}

// Xapian's match checks as it goes: with one hit to write, only a check
// inside the match sees the client leave on the second check.
TEST_F(DeadlineTest, TheXapianMatchStopsWhenTheClientLeaves) {
  const absl::StatusOr<v1::SearchResponse> response = reader_->Search(Request("영화"), view_, GoneAtCheck(2));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kCancelled) << response.status();
  checks_ = 0;
  const absl::StatusOr<v1::SearchResponse> whole = reader_->Search(Request("영화"), view_, GoneAtCheck(1000));
  ASSERT_TRUE(whole.ok()) << whole.status();
  EXPECT_EQ(whole->ranker(), "xapian");
  EXPECT_GE(checks_.load(), 3);
}

TEST_F(DeadlineTest, ThePhraseCheckStopsWhenTheClientLeaves) {
  const absl::StatusOr<v1::SearchResponse> response =
      reader_->Search(Request("\"좋은 영화\""), view_, GoneAtCheck(2));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kCancelled) << response.status();
}

// The in-memory ranker checks between the terms it adds up.
TEST_F(DeadlineTest, TheInMemoryRankerStopsWhenTheClientLeaves) {
  UseMemoryLists();
  const absl::StatusOr<v1::SearchResponse> whole = reader_->Search(Request("영화 배우 연기 음악"), view_);
  ASSERT_TRUE(whole.ok()) << whole.status();
  ASSERT_EQ(whole->ranker(), "memory");
  const absl::StatusOr<v1::SearchResponse> response =
      reader_->Search(Request("영화 배우 연기 음악"), view_, GoneAtCheck(2));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kCancelled) << response.status();
}

// Words past the 32nd are not searched, and the answer says which.
TEST_F(DeadlineTest, ALongQueryIsSearchedUpToItsWordLimit) {
  std::string query;
  for (int i = 0; i < 40; ++i) query += i % 2 == 0 ? "영화 " : "음악 ";
  const absl::StatusOr<v1::SearchResponse> response = reader_->Search(Request(query + "끝말"), view_);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->ignored_query(), "영화 음악 영화 음악 영화 음악 영화 음악 끝말");
  EXPECT_EQ(response->hits_size(), 1);
}

TEST(RetryWhenModifiedTest, RetriesABusyRevisionUntilItReads) {
  int calls = 0;
  int refreshes = 0;
  const absl::Status status = RetryWhenModified(
      [&] { return ++calls < kMaxReadAttempts ? absl::AbortedError("modified") : absl::OkStatus(); },
      [&] {
        ++refreshes;
        return absl::OkStatus();
      });
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(calls, kMaxReadAttempts);
  EXPECT_EQ(refreshes, kMaxReadAttempts - 1);
}

TEST(RetryWhenModifiedTest, ADataLossIsTriedOnceMore) {
  int calls = 0;
  const absl::Status status = RetryWhenModified(
      [&] {
        ++calls;
        return absl::DataLossError("corrupt block");
      },
      [] { return absl::OkStatus(); });
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(calls, 2);
}

TEST(RetryWhenModifiedTest, StopsRetryingAtTheDeadline) {
  int calls = 0;
  const absl::Status status = RetryWhenModified(
      [&] {
        ++calls;
        return absl::AbortedError("modified");
      },
      [] { return absl::OkStatus(); }, Deadline(absl::Now() - absl::Seconds(1)));
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded) << status;
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace chaja::search
