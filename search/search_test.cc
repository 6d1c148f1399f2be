// The read side as a whole, through Searcher: one analysis per request on
// every path, the ranker that answered, and page tokens that cannot be
// forged into more than an offset could ask for.
#include <chrono>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "index/schema.h"
#include "index/site.h"
#include "index/site_columns.h"
#include "search/counting_pool.h"
#include "search/lexicon.h"
#include "search/memory_postings.h"
#include "search/page_token.h"
#include "search/query_plan.h"
#include "search/searcher.h"
#include "testing/sites.h"
#include "testing/temp_dir.h"

namespace chaja::search {
namespace {

class SearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<v1::Article> articles;
    const char* const bodies[] = {"우분투 설치 방법", "도커 컨테이너 설치", "우분투 도커 함께 쓰기", "패권 경쟁 이야기",
                                  "인공지능 패권", "오늘의 일기"};
    for (int i = 0; i < 60; ++i) {
      v1::Article article;
      article.set_id(absl::StrCat("p", i));
      article.set_title(absl::StrCat("글 ", i));
      article.set_body(bodies[i % 6]);
      article.add_tags(i % 2 == 0 ? "리눅스" : "AI");
      article.set_category(i % 3 == 0 ? "개발" : "소식");
      article.mutable_published()->set_seconds(1735689600 + i * 86400);
      articles.push_back(article);
    }
    ASSERT_TRUE(testing::WriteSite(data_dir_, "blog", articles).ok());
    path_ = *index::SiteDatabasePath(data_dir_, "blog");
    absl::StatusOr<std::unique_ptr<Searcher>> searcher = Searcher::Open(path_);
    ASSERT_TRUE(searcher.ok()) << searcher.status();
    searcher_ = *std::move(searcher);
  }

  // Shortlists from the first post and holds the lists in memory.
  void UseMemoryPath() {
    RankingParams params;
    params.shortlist_min_docs = 1;
    params.shortlist_share = 0.9;
    searcher_->set_ranking(params);
    searcher_->set_memory_postings(*MemoryPostings::LoadFrom(path_, nullptr, UINT64_MAX, 0));
  }

  const testing::TempDir temp_dir_{"search_test"};
  const std::string data_dir_ = temp_dir_.path();
  std::string path_;
  std::unique_ptr<Searcher> searcher_;  // closed before temp_dir_ is removed
};

v1::SearchRequest WithFacets(const std::string& query) {
  v1::SearchRequest request;
  request.set_query(query);
  request.add_facets()->set_field(v1::FACET_FIELD_TAG);
  request.add_facets()->set_field(v1::FACET_FIELD_CATEGORY);
  request.add_tags("리눅스");
  request.mutable_published_from()->set_seconds(1735689600);
  return request;
}

// One analysis of the query text per request, whichever path answers and
// with facets, filters and a shortlist all asked for (counted by
// QueryAnalysisCount, which PlanQuery bumps once per analysed text).
TEST_F(SearchTest, ARequestAnalysesItsQueryOnce) {
  auto analyses_of = [&](const v1::SearchRequest& request, const std::string& ranker) {
    const uint64_t before = QueryAnalysisCount();
    absl::StatusOr<v1::SearchResponse> response = searcher_->Search(request);
    EXPECT_TRUE(response.ok()) << response.status();
    EXPECT_EQ(response->ranker(), ranker);
    return QueryAnalysisCount() - before;
  };
  EXPECT_EQ(analyses_of(WithFacets("우분투 도커"), "xapian"), 1u);
  EXPECT_EQ(analyses_of(WithFacets(""), "xapian"), 1u);
  EXPECT_EQ(analyses_of(v1::SearchRequest(), "listing"), 1u);
  RankingParams shortlisting;
  shortlisting.shortlist_min_docs = 1;
  shortlisting.shortlist_share = 0.9;
  searcher_->set_ranking(shortlisting);
  EXPECT_EQ(analyses_of(WithFacets("우분투 도커"), "xapian"), 1u);  // shortlist, then the counting pass
  UseMemoryPath();
  EXPECT_EQ(analyses_of(WithFacets("우분투 도커"), "memory"), 1u);
}

// Facets and totals are the same whichever ranker counted them, on this
// thread or a counting pool's, and when the in-memory ranker counted and
// then declined (BM25's k2 is Xapian's alone) nothing is counted twice.
TEST_F(SearchTest, FacetsAreTheSameOnEveryPath) {
  const v1::SearchRequest request = WithFacets("우분투 도커 패권");
  absl::StatusOr<v1::SearchResponse> xapian = searcher_->Search(request);
  ASSERT_TRUE(xapian.ok()) << xapian.status();
  EXPECT_EQ(xapian->ranker(), "xapian");
  ASSERT_EQ(xapian->facets_size(), 2);
  auto same_as_xapian = [&](const char* ranker) {
    absl::StatusOr<v1::SearchResponse> other = searcher_->Search(request);
    ASSERT_TRUE(other.ok()) << other.status();
    EXPECT_EQ(other->ranker(), ranker);
    EXPECT_EQ(xapian->total_hits(), other->total_hits());
    EXPECT_TRUE(other->total_hits_exact());
    ASSERT_EQ(other->facets_size(), 2);
    for (int f = 0; f < 2; ++f) EXPECT_EQ(xapian->facets(f).DebugString(), other->facets(f).DebugString());
  };
  UseMemoryPath();
  same_as_xapian("memory");
  CountingPool pool(1);
  searcher_->set_counting_pool(&pool);
  for (int i = 0; i < 20; ++i) same_as_xapian("memory");
  RankingParams with_k2;
  with_k2.shortlist_min_docs = 1;
  with_k2.shortlist_share = 0.9;
  with_k2.k2 = 1;
  searcher_->set_ranking(with_k2);
  same_as_xapian("xapian");
}

// A typing request never fails on syntax; the same text sent plain keeps
// its clear INVALID_ARGUMENT.
TEST_F(SearchTest, TypingRequestsNeverFailOnSyntax) {
  auto search = [&](const std::string& query, bool typing) {
    v1::SearchRequest request;
    request.set_query(query);
    request.set_typing(typing);
    return searcher_->Search(request);
  };
  for (const char* query : {"\"우분투 설치", "우분투 OR", "도커 -", "도커 tag:", "OR 패권"}) {
    absl::StatusOr<v1::SearchResponse> typed = search(query, true);
    ASSERT_TRUE(typed.ok()) << query << ": " << typed.status();
    EXPECT_GT(typed->hits_size(), 0) << query;
  }
  for (const char* query : {"\"우분투 설", "우분투 OR", "도커 tag:", "OR 패권", "-", "!!!"}) {
    EXPECT_EQ(search(query, false).status().code(), absl::StatusCode::kInvalidArgument) << query;
  }
  // Nothing searchable typed yet: no hits, rather than an error or the whole site.
  for (const char* query : {"-", "!!!", "+"}) {
    absl::StatusOr<v1::SearchResponse> typed = search(query, true);
    ASSERT_TRUE(typed.ok()) << query << ": " << typed.status();
    EXPECT_EQ(typed->hits_size(), 0) << query;
    EXPECT_EQ(typed->total_hits(), 0u) << query;
  }
}

TEST(CountingPoolTest, RunsOnItsThreadsOrSaysItIsBusy) {
  CountingPool pool(1);
  // A thread counts as idle once it waits for work, a moment after it starts
  // or finishes a count.
  auto start_when_idle = [&](std::function<void()> count) {
    std::optional<std::future<void>> started;
    for (int i = 0; i < 5000 && !started; ++i) {
      started = pool.TryStart(count);
      if (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return started;
  };
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  const std::thread::id caller = std::this_thread::get_id();
  std::thread::id ran_on;
  std::optional<std::future<void>> first = start_when_idle([&] {
    ran_on = std::this_thread::get_id();
    released.wait();
  });
  ASSERT_TRUE(first.has_value());
  // Its one thread is busy: the next count is the caller's to run.
  EXPECT_FALSE(pool.TryStart([] {}).has_value());
  release.set_value();
  first->wait();
  EXPECT_NE(ran_on, caller);
  std::optional<std::future<void>> again = start_when_idle([] {});
  ASSERT_TRUE(again.has_value());
  again->wait();
}

TEST_F(SearchTest, TheFrontPageIsListedFromTheColumns) {
  v1::SearchRequest request;
  request.set_limit(3);
  absl::StatusOr<v1::SearchResponse> response = searcher_->Search(request);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->ranker(), "listing");
  ASSERT_EQ(response->hits_size(), 3);
  EXPECT_EQ(response->hits(0).id(), "p59");  // newest first
  EXPECT_EQ(response->total_hits(), 60u);
}

TEST_F(SearchTest, PageTokensCarryTheNextPage) {
  v1::SearchRequest request;
  request.set_query("우분투");
  request.set_limit(5);
  absl::StatusOr<v1::SearchResponse> first = searcher_->Search(request);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_FALSE(first->next_page_token().empty());
  request.set_page_token(first->next_page_token());
  absl::StatusOr<v1::SearchResponse> second = searcher_->Search(request);
  ASSERT_TRUE(second.ok()) << second.status();
  request.clear_page_token();
  request.set_offset(5);
  absl::StatusOr<v1::SearchResponse> by_offset = searcher_->Search(request);
  ASSERT_TRUE(by_offset.ok());
  ASSERT_EQ(second->hits_size(), by_offset->hits_size());
  for (int i = 0; i < second->hits_size(); ++i) EXPECT_EQ(second->hits(i).id(), by_offset->hits(i).id());
}

// A token names an offset and a hash of its request; one made by hand with
// a huge, padded or wrapping offset is refused like the offset field would
// be, and a real token does not carry over to another query.
TEST(PageTokenTest, ForgedTokensAreRefused) {
  const std::string fingerprint = "the request";
  // Made as a client can: the hash function is no secret.
  auto forged = [&](const std::string& offset) {
    return absl::WebSafeBase64Escape(absl::StrCat("p1:", offset, ":", index::StableHash(fingerprint)));
  };
  const std::string real = NextPageToken(Page{0, 10}, 1000, fingerprint);
  ASSERT_FALSE(real.empty());
  absl::StatusOr<Page> page = ResolvePage(0, 10, real, fingerprint);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->offset, 10u);
  EXPECT_EQ(ResolvePage(0, 10, real, "another request").status().code(), absl::StatusCode::kInvalidArgument);
  for (const char* offset : {"4294967295", "100001", "010", "+10", "10 ", "-1", "99999999999999999999"}) {
    EXPECT_EQ(ResolvePage(0, 10, forged(offset), fingerprint).status().code(), absl::StatusCode::kInvalidArgument)
        << offset;
  }
  // Within the limits a forged token asks for what the offset field could.
  EXPECT_EQ(ResolvePage(0, 10, forged("10"), fingerprint)->offset, 10u);
  EXPECT_FALSE(ResolvePage(0, 10, real + "AA", fingerprint).ok());
  // Offsets past the maximum are refused, and no page's end wraps.
  EXPECT_FALSE(ResolvePage(kMaxOffset + 1, 10, "", fingerprint).ok());
  EXPECT_FALSE(ResolvePage(UINT32_MAX, kMaxLimit, "", fingerprint).ok());
  EXPECT_EQ((Page{UINT32_MAX, kMaxLimit}.end()), uint64_t{UINT32_MAX} + kMaxLimit);
  EXPECT_EQ(NextPageToken(Page{kMaxOffset, kMaxLimit}, UINT64_MAX, fingerprint), "");
}

// One tag in two widths or cases on one post (DOCKER, ＤＯＣＫＥＲ) is one tag
// of the post: the tag cloud counts the post once (issue 13), for posts the
// builder deduplicates and for posts an older build indexed with both.
TEST(TagCountTest, OneTagInTwoWidthsCountsThePostOnce) {
  const testing::TempDir dir("tag_count_test");
  std::vector<v1::Article> articles(2);
  articles[0].set_id("a");
  articles[0].set_body("도커");
  articles[0].add_tags("DOCKER");
  articles[0].add_tags("ＤＯＣＫＥＲ");
  articles[1].set_id("b");
  articles[1].set_body("도커");
  articles[1].add_tags("docker");
  ASSERT_TRUE(testing::WriteSite(dir.path(), "blog", articles).ok());
  absl::StatusOr<std::unique_ptr<Searcher>> searcher = Searcher::Open(*index::SiteDatabasePath(dir.path(), "blog"));
  ASSERT_TRUE(searcher.ok()) << searcher.status();
  v1::SearchRequest request;
  request.add_facets()->set_field(v1::FACET_FIELD_TAG);
  absl::StatusOr<v1::SearchResponse> cloud = (*searcher)->Search(request);
  ASSERT_TRUE(cloud.ok()) << cloud.status();
  ASSERT_EQ(cloud->facets_size(), 1);
  ASSERT_EQ(cloud->facets(0).counts_size(), 1) << cloud->DebugString();
  EXPECT_EQ(cloud->facets(0).counts(0).count(), 2u);

  // An older build wrote both spellings into the post's tag value.
  Xapian::WritableDatabase old_db(dir.path() + "/old", Xapian::DB_CREATE_OR_OPEN);
  Xapian::Document doc;
  doc.add_value(index::kSlotPublished, Xapian::sortable_serialise(0));
  doc.add_value(index::kSlotTags, index::EncodeKeyed({{"docker", "DOCKER"}, {"docker", "ＤＯＣＫＥＲ"}}));
  const Xapian::docid did = old_db.add_document(doc);
  old_db.commit();
  absl::StatusOr<std::shared_ptr<const index::SiteColumns>> columns = index::SiteColumns::Load(old_db);
  ASSERT_TRUE(columns.ok()) << columns.status();
  EXPECT_EQ((*columns)->tags(did).size(), 1u);
}

// Issue 14: consecutive revisions' snapshots share their tag and category
// names while they are the same (one copy, not one per revision alive), and
// a new name gets a snapshot of its own names.
TEST(SiteColumnsTest, RevisionsShareUnchangedNames) {
  const testing::TempDir dir("columns_share_test");
  Xapian::WritableDatabase db(dir.path() + "/db", Xapian::DB_CREATE_OR_OPEN);
  auto add = [&](const std::string& tag, const std::string& category) {
    Xapian::Document doc;
    doc.add_value(index::kSlotPublished, Xapian::sortable_serialise(db.get_lastdocid() + 1));
    doc.add_value(index::kSlotTags, index::EncodeKeyed({{tag, tag}}));
    doc.add_value(index::kSlotCategory, index::EncodeKeyed({{category, category}}));
    db.add_document(doc);
    db.commit();
  };
  auto load = [&](const index::SiteColumns* previous) {
    absl::StatusOr<std::shared_ptr<const index::SiteColumns>> columns = index::SiteColumns::Load(db, previous);
    EXPECT_TRUE(columns.ok()) << columns.status();
    return *columns;
  };
  add("ubuntu", "linux");
  const std::shared_ptr<const index::SiteColumns> first = load(nullptr);
  const int64_t one = index::SiteColumns::live_bytes();
  add("ubuntu", "linux");  // a post with the same names
  const std::shared_ptr<const index::SiteColumns> second = load(first.get());
  EXPECT_TRUE(second->SharesNamesWith(*first));
  ASSERT_EQ(second->tags(2).size(), 1u);  // ASSERT: [0] below must not read past the span
  EXPECT_EQ(second->tag_display(second->tags(2)[0]), "ubuntu");
  EXPECT_EQ(index::SiteColumns::live_bytes(), one + second->memory_bytes());  // the names counted once
  add("docker", "linux");  // a new tag
  const std::shared_ptr<const index::SiteColumns> third = load(second.get());
  EXPECT_FALSE(third->SharesNamesWith(*second));
  ASSERT_EQ(third->tag_count(), 2u);
  ASSERT_EQ(third->tags(3).size(), 1u);
  EXPECT_EQ(third->tag_key(third->tags(3)[0]), "docker");
  ASSERT_NE(third->category(3), index::SiteColumns::kNone);
  EXPECT_EQ(third->category_key(third->category(3)), "linux");
  EXPECT_TRUE(third->SharesNamesWith(*load(third.get())));  // categories too: same db, no change
  db.delete_document(3);  // the tag goes with its post, as in a fresh load
  db.commit();
  const std::shared_ptr<const index::SiteColumns> fourth = load(third.get());
  EXPECT_FALSE(fourth->SharesNamesWith(*third));
  EXPECT_EQ(fourth->tag_count(), 1u);
  EXPECT_EQ(fourth->tag_count(), load(nullptr)->tag_count());
}

// Issue 14: a commit that changes one post costs that post's chunk of
// columns, not a copy of the site; the snapshot answers as a fresh load does.
TEST(SiteColumnsTest, RevisionsShareUnchangedChunks) {
  const testing::TempDir dir("columns_chunks_test");
  Xapian::WritableDatabase db(dir.path() + "/db", Xapian::DB_CREATE_OR_OPEN);
  auto post = [](int n, const std::string& tag) {
    Xapian::Document doc;
    doc.add_value(index::kSlotPublished, Xapian::sortable_serialise(n));
    doc.add_value(index::kSlotTags, index::EncodeKeyed({{tag, tag}, {"all", "all"}}));
    doc.add_value(index::kSlotCategory, index::EncodeKeyed({{tag, tag}}));
    return doc;
  };
  const Xapian::docid kChunk = index::SiteColumns::kChunkDocs;
  for (int n = 1; n < static_cast<int>(3 * kChunk); ++n) db.add_document(post(n, n % 2 ? "odd" : "even"));
  db.commit();
  const std::shared_ptr<const index::SiteColumns> before = *index::SiteColumns::Load(db);
  const int64_t bytes_before = index::SiteColumns::live_bytes();

  const Xapian::docid changed = kChunk + 5;
  db.replace_document(changed, post(-1, "new"));
  db.commit();
  const std::shared_ptr<const index::SiteColumns> after = *index::SiteColumns::Load(db, before.get());
  EXPECT_TRUE(after->SharesChunkWith(*before, 0));
  EXPECT_FALSE(after->SharesChunkWith(*before, 1));
  EXPECT_TRUE(after->SharesChunkWith(*before, 2));
  // One new chunk (and the chunk table and the names, which gained a tag).
  EXPECT_LT(index::SiteColumns::live_bytes() - bytes_before, after->memory_bytes() / 2);

  const std::shared_ptr<const index::SiteColumns> fresh = *index::SiteColumns::Load(db);
  ASSERT_EQ(after->last_docid(), fresh->last_docid());
  for (Xapian::docid did = 0; did <= fresh->last_docid() + 1; ++did) {
    ASSERT_EQ(after->has_post(did), fresh->has_post(did)) << did;
    if (fresh->has_post(did)) {
      EXPECT_EQ(after->published(did), fresh->published(did)) << did;
    }
    EXPECT_EQ(after->category(did), fresh->category(did)) << did;
    ASSERT_EQ(after->tags(did).size(), fresh->tags(did).size()) << did;
    for (size_t i = 0; i < fresh->tags(did).size(); ++i) {
      EXPECT_EQ(after->tag_key(after->tags(did)[i]), fresh->tag_key(fresh->tags(did)[i])) << did;
    }
  }
  ASSERT_FALSE(after->tags(changed).empty());
  EXPECT_EQ(after->tag_key(after->tags(changed)[0]), "new");
  EXPECT_EQ(after->published(changed), -1);
}

// CoOccur leapfrogs over the posting lists: the one post holding all the
// terms is found past posts that hold only some of them, in any order.
TEST(XapianLexiconTest, CoOccurFindsThePostHoldingEveryTerm) {
  const testing::TempDir dir("lexicon_test");
  Xapian::WritableDatabase db(dir.path() + "/db", Xapian::DB_CREATE_OR_OPEN);
  for (const std::vector<std::string>& terms : std::vector<std::vector<std::string>>{
           {"우분", "x"}, {"분투", "y"}, {"우분", "y"}, {"x", "분투"}, {"분투", "우분", "x"}}) {
    Xapian::Document doc;
    for (const std::string& term : terms) doc.add_term(term);
    db.add_document(doc);
  }
  db.commit();
  const XapianLexicon lexicon(&db);
  EXPECT_TRUE(lexicon.CoOccur({"우분", "분투"}));
  EXPECT_TRUE(lexicon.CoOccur({"분투", "x", "우분"}));
  EXPECT_FALSE(lexicon.CoOccur({"y", "x"}));
  EXPECT_FALSE(lexicon.CoOccur({"우분", "없음"}));
  EXPECT_FALSE(lexicon.CoOccur({}));
  EXPECT_TRUE(lexicon.status().ok());
}

}  // namespace
}  // namespace chaja::search
