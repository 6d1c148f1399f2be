#include "index/site_writer.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "index/bulk_builder.h"
#include "index/schema.h"
#include "search/searcher.h"
#include "index/site.h"
#include "testing/temp_dir.h"

namespace chaja::index {
namespace {

using search::RankingParams;
using search::Searcher;

v1::Article MakeArticle(const std::string& id, const std::string& title, const std::string& body) {
  v1::Article article;
  article.set_id(id);
  article.set_title(title);
  article.set_body(body);
  article.set_category("테스트");
  article.mutable_published()->set_seconds(1735689600);  // 2025-01-01T00:00:00Z
  return article;
}

// A fresh data folder under /tmp for each test, removed afterwards.
class SiteWriterTest : public ::testing::Test {
 protected:
  std::unique_ptr<SiteWriter> OpenWriter(const std::string& site = "blog") {
    absl::StatusOr<std::unique_ptr<SiteWriter>> writer = SiteWriter::Open(data_dir_, site);
    EXPECT_TRUE(writer.ok()) << writer.status();
    return writer.ok() ? *std::move(writer) : nullptr;
  }

  std::unique_ptr<Searcher> OpenSearcher(const std::string& site = "blog") {
    absl::StatusOr<std::string> path = SiteDatabasePath(data_dir_, site);
    EXPECT_TRUE(path.ok()) << path.status();
    if (!path.ok()) return nullptr;
    absl::StatusOr<std::unique_ptr<Searcher>> searcher = Searcher::Open(*path);
    EXPECT_TRUE(searcher.ok()) << searcher.status();
    return searcher.ok() ? *std::move(searcher) : nullptr;
  }

  // Ids of the hits for `query`, space separated, or "ERROR: …".
  static std::string Ids(Searcher* searcher, const std::string& query) {
    v1::SearchRequest request;
    request.set_site("blog");
    request.set_query(query);
    request.set_limit(100);
    absl::StatusOr<v1::SearchResponse> response = searcher->Search(request);
    if (!response.ok()) return "ERROR: " + response.status().ToString();
    std::vector<std::string> ids;
    for (const v1::SearchHit& hit : response->hits()) ids.push_back(hit.id());
    return absl::StrJoin(ids, " ");
  }

  const testing::TempDir temp_dir_{"site_writer_test"};
  const std::string data_dir_ = temp_dir_.path();
};

TEST_F(SiteWriterTest, UpsertWithTheSameIdReplacesTheArticle) {
  std::unique_ptr<SiteWriter> writer = OpenWriter();
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(writer->Upsert(MakeArticle("a", "사과 이야기", "첫 번째 본문")).ok());
  ASSERT_TRUE(writer->Commit().ok());
  ASSERT_TRUE(writer->Upsert(MakeArticle("a", "바나나 이야기", "두 번째 본문")).ok());
  ASSERT_TRUE(writer->Commit().ok());
  EXPECT_EQ(writer->doc_count(), 1u);

  std::unique_ptr<Searcher> searcher = OpenSearcher();
  ASSERT_NE(searcher, nullptr);
  EXPECT_EQ(searcher->doc_count(), 1u);
  EXPECT_EQ(Ids(searcher.get(), "바나나"), "a");
  EXPECT_EQ(Ids(searcher.get(), "사과"), "");
  EXPECT_EQ(Ids(searcher.get(), "\"첫 번째\""), "");
  EXPECT_EQ(Ids(searcher.get(), "\"두 번째\""), "a");
}

TEST_F(SiteWriterTest, DeleteRemovesAnArticleAndReportsUnknownIds) {
  std::unique_ptr<SiteWriter> writer = OpenWriter();
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(writer->Upsert(MakeArticle("a", "사과", "본문")).ok());
  ASSERT_TRUE(writer->Upsert(MakeArticle("b", "바나나", "본문")).ok());
  ASSERT_TRUE(writer->Commit().ok());

  const absl::Status deleted = writer->Delete("a");
  ASSERT_TRUE(deleted.ok()) << deleted;
  EXPECT_EQ(writer->pending(), 1u);
  ASSERT_TRUE(writer->Commit().ok());
  EXPECT_EQ(writer->pending(), 0u);
  EXPECT_EQ(writer->doc_count(), 1u);

  const absl::Status unknown = writer->Delete("no-such-id");
  EXPECT_EQ(unknown.code(), absl::StatusCode::kNotFound) << unknown;
  EXPECT_TRUE(absl::StrContains(unknown.message(), "no-such-id")) << unknown;
  // Deleting twice: the second time the id is gone.
  EXPECT_EQ(writer->Delete("a").code(), absl::StatusCode::kNotFound);

  std::unique_ptr<Searcher> searcher = OpenSearcher();
  ASSERT_NE(searcher, nullptr);
  EXPECT_EQ(Ids(searcher.get(), "사과"), "");
  EXPECT_EQ(Ids(searcher.get(), "바나나"), "b");
}

TEST_F(SiteWriterTest, ReadersSeeChangesOnlyAfterCommit) {
  std::unique_ptr<SiteWriter> writer = OpenWriter();
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(writer->Upsert(MakeArticle("a", "사과", "본문")).ok());
  ASSERT_TRUE(writer->Commit().ok());

  std::unique_ptr<Searcher> searcher = OpenSearcher();
  ASSERT_NE(searcher, nullptr);
  ASSERT_TRUE(writer->Upsert(MakeArticle("b", "바나나", "본문")).ok());
  ASSERT_TRUE(writer->Delete("a").ok());
  EXPECT_EQ(writer->pending(), 2u);

  // Neither a refreshed reader nor a new one sees uncommitted changes.
  ASSERT_TRUE(searcher->Refresh().ok());
  EXPECT_EQ(searcher->doc_count(), 1u);
  EXPECT_EQ(Ids(searcher.get(), "바나나"), "");
  EXPECT_EQ(Ids(searcher.get(), "사과"), "a");
  std::unique_ptr<Searcher> fresh = OpenSearcher();
  ASSERT_NE(fresh, nullptr);
  EXPECT_EQ(Ids(fresh.get(), "바나나"), "");

  ASSERT_TRUE(writer->Commit().ok());
  ASSERT_TRUE(searcher->Refresh().ok());
  EXPECT_EQ(searcher->doc_count(), 1u);
  EXPECT_EQ(Ids(searcher.get(), "바나나"), "b");
  EXPECT_EQ(Ids(searcher.get(), "사과"), "");
}

// Issue 14: a bulk import killed right after its swap left bulk.tmp (a
// site's size of disk) that re-runs, which write incrementally, never removed.
TEST_F(SiteWriterTest, OpeningTheWriterRemovesWhatAKilledBulkImportLeft) {
  const std::filesystem::path leftover = std::filesystem::path(data_dir_) / "blog" / kBulkWorkDirName / "shard-0";
  std::filesystem::create_directories(leftover);
  std::ofstream(leftover / "postlist.glass") << "stale";
  ASSERT_TRUE(SiteWriter::Open(data_dir_, "blog").ok());
  EXPECT_FALSE(std::filesystem::exists(leftover.parent_path()));
}

TEST_F(SiteWriterTest, SecondWriterOnTheSameSiteIsUnavailable) {
  std::unique_ptr<SiteWriter> first = OpenWriter();
  ASSERT_NE(first, nullptr);
  absl::StatusOr<std::unique_ptr<SiteWriter>> second = SiteWriter::Open(data_dir_, "blog");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable) << second.status();
  EXPECT_TRUE(absl::StrContains(second.status().message(), "--server") ||
              absl::StrContains(second.status().message(), "lock"))
      << second.status();

  // Another site is a different database with its own lock.
  std::unique_ptr<SiteWriter> other = OpenWriter("other");
  EXPECT_NE(other, nullptr);

  // Once the first writer is gone the site can be opened again.
  first.reset();
  std::unique_ptr<SiteWriter> again = OpenWriter();
  EXPECT_NE(again, nullptr);
}

TEST_F(SiteWriterTest, InvalidSiteNamesAreRejectedBeforeTouchingTheDisk) {
  for (const std::string& site : {std::string("../x"), std::string("a/b"), std::string(""), std::string(65, 'a'),
                                  std::string(".."), std::string("a b"), std::string("사이트")}) {
    absl::StatusOr<std::unique_ptr<SiteWriter>> writer = SiteWriter::Open(data_dir_, site);
    ASSERT_FALSE(writer.ok()) << "site \"" << site << "\"";
    EXPECT_EQ(writer.status().code(), absl::StatusCode::kInvalidArgument) << writer.status();
    EXPECT_FALSE(writer.status().message().empty());
  }
  // Nothing was created, inside or outside the data folder.
  EXPECT_TRUE(std::filesystem::is_empty(data_dir_));
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(data_dir_).parent_path() / "x" / "xapian"));

  // 64 characters of letters, digits, '-' and '_' are fine.
  const std::string longest = std::string(62, 'a') + "-_";
  EXPECT_NE(OpenWriter(longest), nullptr);
}

TEST_F(SiteWriterTest, ArticleWithoutIdIsInvalid) {
  std::unique_ptr<SiteWriter> writer = OpenWriter();
  ASSERT_NE(writer, nullptr);
  const absl::Status s = writer->Upsert(MakeArticle("", "제목", "본문"));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "id")) << s;
  EXPECT_EQ(writer->pending(), 0u);

  const absl::Status too_long = writer->Upsert(MakeArticle(std::string(kMaxIdBytes + 1, 'x'), "제목", "본문"));
  EXPECT_EQ(too_long.code(), absl::StatusCode::kInvalidArgument) << too_long;
  ASSERT_TRUE(writer->Commit().ok());
  EXPECT_EQ(writer->doc_count(), 0u);
}

TEST_F(SiteWriterTest, LongTokensInTheBodyIndexFine) {
  std::unique_ptr<SiteWriter> writer = OpenWriter();
  ASSERT_NE(writer, nullptr);
  const std::string url = "https://example.com/" + std::string(300, 'p') + "?q=" + std::string(120, '9');
  std::string b64;
  for (int i = 0; i < 4000; ++i) b64.push_back("QUJDRGVmZ2g0NTY3+/"[i % 18]);
  ASSERT_TRUE(writer->Upsert(MakeArticle("url", "링크 모음", "참고 링크: " + url + " 끝부분 설명")).ok());
  ASSERT_TRUE(writer->Upsert(MakeArticle("b64", "이미지 데이터", "data:image/png;base64," + b64 + " 마무리")).ok());
  ASSERT_TRUE(writer->Upsert(MakeArticle("word", "긴 단어", std::string(1000, 'a') + " 짧은말")).ok());
  const absl::Status committed = writer->Commit();
  ASSERT_TRUE(committed.ok()) << committed;
  EXPECT_EQ(writer->doc_count(), 3u);

  std::unique_ptr<Searcher> searcher = OpenSearcher();
  ASSERT_NE(searcher, nullptr);
  EXPECT_EQ(Ids(searcher.get(), "끝부분"), "url");
  EXPECT_EQ(Ids(searcher.get(), "마무리"), "b64");
  EXPECT_EQ(Ids(searcher.get(), "짧은말"), "word");
}

TEST_F(SiteWriterTest, LongTagsCategoriesAndIdsIndexFine) {
  std::unique_ptr<SiteWriter> writer = OpenWriter();
  ASSERT_NE(writer, nullptr);
  v1::Article article = MakeArticle(std::string(kMaxIdBytes, 'i'), "긴 태그", "본문 내용");
  const std::string long_tag(1000, 't');
  article.add_tags(long_tag);
  article.add_tags(std::string(1000, 't') + "2");
  article.set_category(std::string(300, 'c') + "/" + std::string(300, 'd'));
  const absl::Status upserted = writer->Upsert(article);
  ASSERT_TRUE(upserted.ok()) << upserted;
  const absl::Status committed = writer->Commit();
  ASSERT_TRUE(committed.ok()) << committed;

  std::unique_ptr<Searcher> searcher = OpenSearcher();
  ASSERT_NE(searcher, nullptr);
  v1::SearchRequest request;
  request.set_site("blog");
  request.add_tags(long_tag);
  absl::StatusOr<v1::SearchResponse> response = searcher->Search(request);
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->hits_size(), 1);
  EXPECT_EQ(response->hits(0).id(), article.id());
  // A tag sharing the first 1000 bytes is a different tag.
  request.clear_tags();
  request.add_tags(std::string(1000, 't') + "3");
  response = searcher->Search(request);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->hits_size(), 0);
}

TEST_F(SiteWriterTest, InvalidUtf8IsRejectedAndSearchesKeepWorking) {
  std::unique_ptr<SiteWriter> writer = OpenWriter();
  ASSERT_NE(writer, nullptr);
  const std::string body = std::string("깨진 \xFF\xFE 바이트와 \xC3") + " 정상 텍스트 \xE2\x82 끝";
  // Protobuf string fields must be valid UTF-8, so such an article is refused
  // up front instead of being stored where no search could read it back.
  const absl::Status upserted = writer->Upsert(MakeArticle("bad-utf8", "인코딩 제목", body));
  EXPECT_EQ(upserted.code(), absl::StatusCode::kInvalidArgument) << upserted;
  EXPECT_NE(upserted.message().find("UTF-8"), absl::string_view::npos) << upserted;
  ASSERT_TRUE(writer->Upsert(MakeArticle("good", "인코딩 제목", "정상 텍스트")).ok());
  ASSERT_TRUE(writer->Commit().ok());
  std::unique_ptr<Searcher> searcher = OpenSearcher();
  ASSERT_NE(searcher, nullptr);
  EXPECT_EQ(Ids(searcher.get(), "정상 텍스트"), "good");
}

TEST(SearcherTest, OpenOnAMissingPathIsNotFound) {
  const std::string path =
      (std::filesystem::temp_directory_path() / "chaja_no_such_dir_for_searcher_test" / "xapian").string();
  absl::StatusOr<std::unique_ptr<Searcher>> searcher = Searcher::Open(path);
  ASSERT_FALSE(searcher.ok());
  EXPECT_EQ(searcher.status().code(), absl::StatusCode::kNotFound) << searcher.status();
}

}  // namespace
}  // namespace chaja::index

namespace chaja::index {
namespace {

using search::RankingParams;
using search::Searcher;

TEST(ValidateArticleTest, LimitsAreConfigurableWithTodaysDefaults) {
  v1::Article article;
  article.set_id("a");
  article.set_body(std::string(kMaxBodyBytes, 'x'));
  EXPECT_TRUE(ValidateArticle(article).ok());
  article.set_body(std::string(kMaxBodyBytes + 1, 'x'));
  EXPECT_EQ(ValidateArticle(article).code(), absl::StatusCode::kInvalidArgument);

  ArticleLimits limits;
  limits.max_body_bytes = 4;
  limits.max_title_bytes = 3;
  limits.max_tags = 1;
  limits.max_id_bytes = 2;
  article.set_body("1234");
  EXPECT_TRUE(ValidateArticle(article, limits).ok());
  article.set_body("12345");
  EXPECT_TRUE(absl::StrContains(ValidateArticle(article, limits).message(), "the limit is 4"));
  article.set_body("");
  article.set_title("abcd");
  EXPECT_FALSE(ValidateArticle(article, limits).ok());
  article.set_title("");
  article.add_tags("a");
  article.add_tags("b");
  EXPECT_FALSE(ValidateArticle(article, limits).ok());
  article.clear_tags();
  article.set_id("abc");
  EXPECT_FALSE(ValidateArticle(article, limits).ok());
}

// A first import into an empty site builds parallel shards and merges them.
TEST_F(SiteWriterTest, BulkBuildMergesShardsIntoTheSite) {
  std::unique_ptr<SiteWriter> writer = OpenWriter();
  ASSERT_NE(writer, nullptr);
  // A searcher open on the empty site must see the merged database afterwards.
  std::unique_ptr<Searcher> searcher = OpenSearcher();
  ASSERT_NE(searcher, nullptr);
  const Xapian::rev empty_revision = Xapian::Database(*SiteDatabasePath(data_dir_, "blog")).get_revision();

  absl::StatusOr<std::unique_ptr<BulkBuilder>> bulk = BulkBuilder::Start(data_dir_, "blog", 3, writer.get());
  ASSERT_TRUE(bulk.ok()) << bulk.status();
  SiteWriter::UpsertOutcome outcome;
  for (int i = 0; i < 2000; ++i) {
    ASSERT_TRUE((*bulk)->Add(MakeArticle(absl::StrCat("p", i), absl::StrCat("글 ", i), "사과 본문"), &outcome).ok());
    EXPECT_EQ(outcome, SiteWriter::UpsertOutcome::kAdded);
  }
  // A later record with the same id replaces the earlier one, as in SiteWriter.
  ASSERT_TRUE((*bulk)->Add(MakeArticle("p7", "바나나 이야기", "바나나 본문"), &outcome).ok());
  EXPECT_EQ(outcome, SiteWriter::UpsertOutcome::kReplaced);
  // Bad articles are refused at once, as by SiteWriter::Upsert.
  EXPECT_EQ((*bulk)->Add(MakeArticle("", "제목", "본문"), nullptr).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ((*bulk)->Ids().size(), 2000u);

  // Nothing is visible before the merge.
  EXPECT_EQ(Xapian::Database(*SiteDatabasePath(data_dir_, "blog")).get_doccount(), 0u);
  ASSERT_TRUE((*bulk)->Finish().ok());
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(data_dir_) / "blog" / "xapian.old"));
  bulk->reset();
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(data_dir_) / "blog" / "bulk.tmp"));

  EXPECT_EQ(writer->doc_count(), 2000u);
  const Xapian::Database merged(*SiteDatabasePath(data_dir_, "blog"));
  EXPECT_EQ(merged.get_doccount(), 2000u);
  EXPECT_GT(merged.get_revision(), empty_revision);
  ASSERT_TRUE(searcher->Refresh().ok());
  EXPECT_EQ(searcher->doc_count(), 2000u);
  EXPECT_EQ(Ids(searcher.get(), "바나나"), "p7");
  EXPECT_EQ(Ids(searcher.get(), "\"글 1999\""), "p1999");

  // The writer works on the merged database: updates replace by id.
  ASSERT_TRUE(writer->Upsert(MakeArticle("p8", "포도 이야기", "포도 본문")).ok());
  ASSERT_TRUE(writer->Commit().ok());
  ASSERT_TRUE(searcher->Refresh().ok());
  EXPECT_EQ(searcher->doc_count(), 2000u);
  EXPECT_EQ(Ids(searcher.get(), "포도"), "p8");

  // A site with articles is never bulk-built over.
  EXPECT_EQ(BulkBuilder::Start(data_dir_, "blog", 2, writer.get()).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

// Big sites rank sentences through a shortlist of posts matching the rarer
// grams; here a small site is made to take that path and must rank the same.
TEST_F(SiteWriterTest, ShortlistRankingAgreesWithFullRanking) {
  std::unique_ptr<SiteWriter> writer = OpenWriter();
  ASSERT_NE(writer, nullptr);
  const char* const common[] = {"정말 좋은 영화였습니다", "배우들의 연기가 좋았습니다", "다시 보고 싶은 영화입니다"};
  for (int i = 0; i < 600; ++i) {
    std::string body = common[i % 3];
    if (i % 50 == 7) body += " 흡연 장면이 많았다";
    if (i == 123) body += " 흡연 장면이 많았다 금연 캠페인";
    ASSERT_TRUE(writer->Upsert(MakeArticle(absl::StrCat("r", i), "", body)).ok());
  }
  ASSERT_TRUE(writer->Commit().ok());
  std::unique_ptr<Searcher> whole = OpenSearcher();
  std::unique_ptr<Searcher> shortlisted = OpenSearcher();
  ASSERT_NE(whole, nullptr);
  ASSERT_NE(shortlisted, nullptr);
  RankingParams params;
  params.shortlist_min_docs = 1;
  params.shortlist_share = 0.05;  // 흡연 (13 of 600 posts) is selective, 영화 is not
  params.shortlist_size = 20;
  shortlisted->set_ranking(params);
  for (const char* query : {"흡연 장면이 많았던 영화", "금연 캠페인 영화 정말 좋은", "좋은 영화"}) {
    v1::SearchRequest request;
    request.set_site("blog");
    request.set_query(query);
    request.set_limit(5);
    absl::StatusOr<v1::SearchResponse> a = whole->Search(request);
    absl::StatusOr<v1::SearchResponse> b = shortlisted->Search(request);
    ASSERT_TRUE(a.ok() && b.ok()) << query;
    ASSERT_EQ(a->hits_size(), b->hits_size()) << query;
    for (int h = 0; h < a->hits_size(); ++h) {
      EXPECT_DOUBLE_EQ(a->hits(h).score(), b->hits(h).score()) << query << " hit " << h;
    }
    EXPECT_GE(b->total_hits(), static_cast<uint64_t>(b->hits_size())) << query;
    EXPECT_GE(b->total_hits(), a->total_hits() / 2) << query;  // an estimate of the whole query's count
  }
  // 흡연 is selective: the shortlist was taken and the count is an estimate.
  // 금연 캠페인 matches one post, too few for a page: ranked whole, same count.
  v1::SearchRequest request;
  request.set_site("blog");
  request.set_query("흡연 장면이 많았던 영화");
  EXPECT_FALSE(shortlisted->Search(request)->total_hits_exact());
  request.set_query("금연 캠페인 영화");
  EXPECT_EQ(shortlisted->Search(request)->total_hits(), whole->Search(request)->total_hits());
  EXPECT_EQ(Ids(shortlisted.get(), "금연 캠페인"), "r123");
}

}  // namespace
}  // namespace chaja::index
