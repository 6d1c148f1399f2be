#include "indexer/importer.h"

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "search/searcher.h"
#include "index/site.h"
#include "index/site_writer.h"
#include "testing/temp_dir.h"

namespace chaja::indexer {
namespace {

std::string Line(const std::string& id, const std::string& title) {
  return absl::StrCat(R"({"id": ")", id, R"(", "title": ")", title,
                      R"(", "body": "본문 )", id,
                      R"(", "category": "테스트", "tags": ["태그"], "published": "2025-01-01T00:00:00Z", "commentCount": 3})");
}

class ImporterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<index::SiteWriter>> writer = index::SiteWriter::Open(data_dir_, "blog");
    ASSERT_TRUE(writer.ok()) << writer.status();
    writer_ = *std::move(writer);
    reporter_.on_rejected = [this](const std::string& message) { rejected_.push_back(message); };
  }

  // Committed articles, as a reader in another process would see them.
  size_t CommittedDocs() {
    absl::StatusOr<std::string> path = index::SiteDatabasePath(data_dir_, "blog");
    EXPECT_TRUE(path.ok());
    absl::StatusOr<std::unique_ptr<search::Searcher>> searcher = search::Searcher::Open(*path);
    EXPECT_TRUE(searcher.ok()) << searcher.status();
    return searcher.ok() ? (*searcher)->doc_count() : 0;
  }

  // Ids of committed articles matching `query`, space separated.
  std::string Search(const std::string& query) {
    absl::StatusOr<std::string> path = index::SiteDatabasePath(data_dir_, "blog");
    absl::StatusOr<std::unique_ptr<search::Searcher>> searcher = search::Searcher::Open(*path);
    if (!searcher.ok()) return "ERROR: " + searcher.status().ToString();
    v1::SearchRequest request;
    request.set_site("blog");
    request.set_query(query);
    request.set_limit(100);
    request.set_sort(v1::SORT_ORDER_OLDEST);
    absl::StatusOr<v1::SearchResponse> response = (*searcher)->Search(request);
    if (!response.ok()) return "ERROR: " + response.status().ToString();
    std::vector<std::string> ids;
    for (const v1::SearchHit& hit : response->hits()) ids.push_back(hit.id());
    return absl::StrJoin(ids, " ");
  }

  // The "SOURCE:LINE" part of each rejection message.
  std::vector<std::string> RejectedLocations() const {
    std::vector<std::string> out;
    for (const std::string& m : rejected_) {
      const size_t second_colon = m.find(':', m.find(':') + 1);
      out.push_back(m.substr(0, second_colon));
    }
    return out;
  }

  const testing::TempDir temp_dir_{"importer_test"};
  const std::string data_dir_ = temp_dir_.path();
  std::unique_ptr<index::SiteWriter> writer_;  // closed before temp_dir_ is removed
  ImportReporter reporter_;
  std::vector<std::string> rejected_;
};

TEST_F(ImporterTest, ReportsExactlyTheBadLinesWithTheirLineNumbers) {
  const std::string text = absl::StrJoin(
      std::vector<std::string>{
          Line("p1", "첫 글"),                                // 1
          R"({"id": "broken", "title": )",                    // 2 invalid JSON
          "",                                                 // 3 blank
          R"({"title": "아이디 없음", "body": "본문"})",      // 4 missing id
          R"({"id": "p5", "commentCount": "many"})",          // 5 wrong type
          R"({"id": "p6", "titel": "오타 필드"})",            // 6 unknown field
          Line("p7", "일곱째 글"),                            // 7
          "   ",                                              // 8 blank (spaces)
          R"({"id": "p9", "published": "yesterday"})",        // 9 bad timestamp
          R"([1, 2, 3])",                                     // 10 not an object
          Line("p11", "열한째 글"),                           // 11
      },
      "\n");
  Importer importer(writer_.get(), ImportOptions(), reporter_);
  const absl::Status imported = importer.ImportJsonl("posts.jsonl", text);
  ASSERT_TRUE(imported.ok()) << imported;
  ASSERT_TRUE(importer.Finish().ok());

  EXPECT_EQ(RejectedLocations(),
            (std::vector<std::string>{"posts.jsonl:2", "posts.jsonl:4", "posts.jsonl:5", "posts.jsonl:6",
                                      "posts.jsonl:9", "posts.jsonl:10"}))
      << absl::StrJoin(rejected_, "\n");
  for (const std::string& m : rejected_) {
    // "SOURCE:LINE: reason", with a reason.
    const size_t second_colon = m.find(':', m.find(':') + 1);
    ASSERT_NE(second_colon, std::string::npos) << m;
    EXPECT_EQ(m.substr(second_colon, 2), ": ") << m;
    EXPECT_GT(m.size(), second_colon + 2) << m;
  }
  ASSERT_EQ(rejected_.size(), 6u);
  EXPECT_TRUE(absl::StrContains(rejected_[1], "id")) << rejected_[1];
  EXPECT_TRUE(absl::StrContains(rejected_[3], "titel")) << rejected_[3];

  const ImportStats& stats = importer.stats();
  EXPECT_EQ(stats.records, 9u);  // blank lines are not records
  EXPECT_EQ(stats.indexed, 3u);
  EXPECT_EQ(stats.rejected, 6u);
  EXPECT_EQ(stats.deleted, 0u);
  EXPECT_EQ(stats.bytes, text.size() + 1);

  EXPECT_EQ(CommittedDocs(), 3u);
  EXPECT_EQ(Search("본문"), "p1 p7 p11");
  EXPECT_EQ(Search("일곱째"), "p7");
}

TEST_F(ImporterTest, RejectionMessagesAreOneLine) {
  // A reason that spans lines breaks "SOURCE:LINE: reason" for grep and
  // editors, and would echo a long record into the terminal.
  const std::string long_bad = R"({"id": "x", "body": ")" + std::string(5000, 'a') + R"(", "title": })";
  const std::string text = absl::StrJoin(
      std::vector<std::string>{R"({"id": "broken", "title": )", long_bad, R"({"id": "p5", "commentCount": "many"})"},
      "\n");
  Importer importer(writer_.get(), ImportOptions(), reporter_);
  ASSERT_TRUE(importer.ImportJsonl("posts.jsonl", text).ok());
  ASSERT_EQ(rejected_.size(), 3u);
  EXPECT_EQ(RejectedLocations(), (std::vector<std::string>{"posts.jsonl:1", "posts.jsonl:2", "posts.jsonl:3"}));
  for (const std::string& m : rejected_) EXPECT_LT(m.size(), 1000u) << "message too long: " << m.substr(0, 200);
  for (const std::string& m : rejected_) EXPECT_EQ(m.find('\n'), std::string::npos) << m;
}

TEST_F(ImporterTest, UnknownFieldsCanBeIgnored) {
  ImportOptions options;
  options.reject_unknown_fields = false;
  Importer importer(writer_.get(), options, reporter_);
  ASSERT_TRUE(importer.ImportJsonl("x.jsonl", R"({"id": "p1", "titel": "오타", "body": "본문"})").ok());
  ASSERT_TRUE(importer.Finish().ok());
  EXPECT_TRUE(rejected_.empty()) << absl::StrJoin(rejected_, "\n");
  EXPECT_EQ(importer.stats().indexed, 1u);
}

TEST_F(ImporterTest, ByteOrderMarkOnTheFirstLineIsAccepted) {
  const std::string text = "\xEF\xBB\xBF" + Line("p1", "첫 글") + "\n" + Line("p2", "둘째 글") + "\n";
  Importer importer(writer_.get(), ImportOptions(), reporter_);
  ASSERT_TRUE(importer.ImportJsonl("bom.jsonl", text).ok());
  ASSERT_TRUE(importer.Finish().ok());
  EXPECT_TRUE(rejected_.empty()) << absl::StrJoin(rejected_, "\n");
  EXPECT_EQ(importer.stats().indexed, 2u);
  EXPECT_EQ(Search("본문"), "p1 p2");
}

TEST_F(ImporterTest, ByteOrderMarkAfterTheFirstLineIsAnError) {
  const std::string text = Line("p1", "첫 글") + "\n\xEF\xBB\xBF" + Line("p2", "둘째 글") + "\n";
  Importer importer(writer_.get(), ImportOptions(), reporter_);
  ASSERT_TRUE(importer.ImportJsonl("bom.jsonl", text).ok());
  ASSERT_TRUE(importer.Finish().ok());
  EXPECT_EQ(RejectedLocations(), std::vector<std::string>{"bom.jsonl:2"});
  EXPECT_EQ(importer.stats().indexed, 1u);
}

TEST_F(ImporterTest, CrLfLineEndingsKeepLineNumbers) {
  const std::string text = Line("p1", "첫 글") + "\r\n{bad json}\r\n\r\n" + Line("p4", "넷째 글") + "\r\n";
  Importer importer(writer_.get(), ImportOptions(), reporter_);
  ASSERT_TRUE(importer.ImportJsonl("crlf.jsonl", text).ok());
  ASSERT_TRUE(importer.Finish().ok());
  EXPECT_EQ(RejectedLocations(), std::vector<std::string>{"crlf.jsonl:2"});
  EXPECT_EQ(importer.stats().indexed, 2u);
}

TEST_F(ImporterTest, CommitsEveryBatch) {
  ImportOptions options;
  options.batch_size = 2;
  Importer importer(writer_.get(), options, reporter_);
  std::vector<std::string> lines;
  for (int i = 1; i <= 5; ++i) lines.push_back(Line(absl::StrCat("p", i), absl::StrCat("글 ", i)));
  ASSERT_TRUE(importer.ImportJsonl("batch.jsonl", absl::StrJoin(lines, "\n")).ok());
  // Two full batches are committed as the import goes; the fifth waits for Finish().
  EXPECT_EQ(CommittedDocs(), 4u);
  EXPECT_EQ(writer_->pending(), 1u);
  ASSERT_TRUE(importer.Finish().ok());
  EXPECT_EQ(CommittedDocs(), 5u);
  EXPECT_EQ(writer_->pending(), 0u);
}

TEST_F(ImporterTest, BadLinesDoNotCountTowardsABatch) {
  ImportOptions options;
  options.batch_size = 2;
  Importer importer(writer_.get(), options, reporter_);
  const std::string text = absl::StrJoin(std::vector<std::string>{Line("p1", "a"), "{oops", "{oops", Line("p4", "b"), Line("p5", "c")},
                                         "\n");
  ASSERT_TRUE(importer.ImportJsonl("b.jsonl", text).ok());
  EXPECT_EQ(CommittedDocs(), 2u);
  ASSERT_TRUE(importer.Finish().ok());
  EXPECT_EQ(CommittedDocs(), 3u);
  EXPECT_EQ(importer.stats().rejected, 2u);
}

TEST_F(ImporterTest, UpsertingAnIdAgainReplacesIt) {
  Importer importer(writer_.get(), ImportOptions(), reporter_);
  ASSERT_TRUE(importer.ImportJsonl("a.jsonl", Line("p1", "사과") + "\n" + Line("p1", "바나나")).ok());
  ASSERT_TRUE(importer.Finish().ok());
  EXPECT_EQ(importer.stats().indexed, 2u);
  EXPECT_EQ(CommittedDocs(), 1u);
  EXPECT_EQ(Search("바나나"), "p1");
  EXPECT_EQ(Search("사과"), "");
}

TEST_F(ImporterTest, DeleteOfAnUnknownIdIsRejected) {
  Importer importer(writer_.get(), ImportOptions(), reporter_);
  ASSERT_TRUE(importer.ImportJsonl("a.jsonl", Line("p1", "사과") + "\n" + Line("p2", "바나나")).ok());
  ASSERT_TRUE(importer.Finish().ok());

  Importer deleter(writer_.get(), ImportOptions(), reporter_);
  const absl::Status unknown = deleter.Delete("nope");
  ASSERT_TRUE(unknown.ok()) << unknown;
  const absl::Status known = deleter.Delete("p1");
  ASSERT_TRUE(known.ok()) << known;
  ASSERT_TRUE(deleter.Finish().ok());

  EXPECT_EQ(deleter.stats().rejected, 1u);
  EXPECT_EQ(deleter.stats().deleted, 1u);
  ASSERT_EQ(rejected_.size(), 1u);
  EXPECT_TRUE(absl::StrContains(rejected_[0], "nope")) << rejected_[0];
  EXPECT_EQ(CommittedDocs(), 1u);
  EXPECT_EQ(Search("사과"), "");
  EXPECT_EQ(Search("바나나"), "p2");
}

TEST_F(ImporterTest, ImportsAFileAndNamesItInMessages) {
  const std::string path = data_dir_ + "/in.jsonl";
  {
    std::ofstream out(path, std::ios::binary);
    out << Line("p1", "첫 글") << "\n\n" << R"({"id": 5})" << "\n" << Line("p4", "넷째 글") << "\n";
  }
  Importer importer(writer_.get(), ImportOptions(), reporter_);
  const absl::Status imported = importer.ImportJsonlFile(path);
  ASSERT_TRUE(imported.ok()) << imported;
  ASSERT_TRUE(importer.Finish().ok());
  EXPECT_EQ(RejectedLocations(), std::vector<std::string>{path + ":3"}) << absl::StrJoin(rejected_, "\n");
  EXPECT_EQ(importer.stats().indexed, 2u);
  EXPECT_EQ(Search("본문"), "p1 p4");
}

TEST_F(ImporterTest, MissingFileIsAnError) {
  Importer importer(writer_.get(), ImportOptions(), reporter_);
  const absl::Status s = importer.ImportJsonlFile(data_dir_ + "/does-not-exist.jsonl");
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "does-not-exist.jsonl")) << s;
}

TEST_F(ImporterTest, InvalidUtf8LinesAreRejected) {
  const std::string text = R"({"id": "bad", "title": "깨진 글", "body": "정상 텍스트 )" + std::string("\xFF\xFE") +
                           R"( 끝"})" + "\n" + Line("good", "좋은 글");
  Importer importer(writer_.get(), ImportOptions(), reporter_);
  ASSERT_TRUE(importer.ImportJsonl("utf8.jsonl", text).ok());
  ASSERT_TRUE(importer.Finish().ok());
  EXPECT_EQ(RejectedLocations(), std::vector<std::string>{"utf8.jsonl:1"});
  EXPECT_EQ(importer.stats().indexed, 1u);
  EXPECT_EQ(Search("정상 텍스트"), "");
  EXPECT_EQ(Search("좋은"), "good");
}


std::string Fixture(const std::string& name) { return std::string(CHAJA_INGEST_TESTDATA) + "/" + name; }

TEST_F(ImporterTest, ReimportingTheSameInputChangesNothingAndSaysSo) {
  std::vector<std::string> lines;
  for (int i = 1; i <= 5; ++i) lines.push_back(Line(absl::StrCat("p", i), absl::StrCat("글 ", i)));
  const std::string text = absl::StrJoin(lines, "\n");
  {
    Importer first(writer_.get(), ImportOptions(), reporter_);
    ASSERT_TRUE(first.ImportJsonl("a.jsonl", text).ok());
    ASSERT_TRUE(first.Finish().ok());
    EXPECT_EQ(first.stats().added, 5u);
  }
  Importer again(writer_.get(), ImportOptions(), reporter_);
  ASSERT_TRUE(again.ImportJsonl("a.jsonl", text).ok());
  EXPECT_EQ(writer_->pending(), 0u);  // nothing to commit
  ASSERT_TRUE(again.Finish().ok());
  EXPECT_EQ(again.stats().indexed, 0u);
  EXPECT_EQ(again.stats().unchanged, 5u);
  EXPECT_EQ(CommittedDocs(), 5u);

  // One changed article is the only write.
  lines[2] = Line("p3", "고친 제목");
  Importer changed(writer_.get(), ImportOptions(), reporter_);
  ASSERT_TRUE(changed.ImportJsonl("a.jsonl", absl::StrJoin(lines, "\n")).ok());
  ASSERT_TRUE(changed.Finish().ok());
  EXPECT_EQ(changed.stats().replaced, 1u);
  EXPECT_EQ(changed.stats().unchanged, 4u);
  EXPECT_EQ(Search("고친"), "p3");
}

TEST_F(ImporterTest, PruneDeletesWhatAFullExportNoLongerHas) {
  {
    Importer first(writer_.get(), ImportOptions(), reporter_);
    ASSERT_TRUE(first.ImportJsonl("a.jsonl", Line("p1", "a") + "\n" + Line("p2", "b") + "\n" + Line("p3", "c")).ok());
    ASSERT_TRUE(first.Finish().ok());
  }
  Importer second(writer_.get(), ImportOptions(), reporter_);
  ASSERT_TRUE(second.ImportJsonl("a.jsonl", Line("p1", "a") + "\n" + Line("p3", "c")).ok());
  const absl::Status pruned = second.Prune();
  ASSERT_TRUE(pruned.ok()) << pruned;
  ASSERT_TRUE(second.Finish().ok());
  EXPECT_EQ(second.stats().deleted, 1u);
  EXPECT_EQ(CommittedDocs(), 2u);
  EXPECT_EQ(Search("본문"), "p1 p3");
}

TEST_F(ImporterTest, PruneIsRefusedWhenTheExportMayBeIncomplete) {
  {
    Importer first(writer_.get(), ImportOptions(), reporter_);
    ASSERT_TRUE(first.ImportJsonl("a.jsonl", Line("p1", "a") + "\n" + Line("p2", "b")).ok());
    ASSERT_TRUE(first.Finish().ok());
  }
  Importer with_bad_line(writer_.get(), ImportOptions(), reporter_);
  ASSERT_TRUE(with_bad_line.ImportJsonl("a.jsonl", Line("p1", "a") + "\n{broken").ok());
  EXPECT_EQ(with_bad_line.Prune().code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(with_bad_line.Finish().ok());

  Importer empty(writer_.get(), ImportOptions(), reporter_);
  ASSERT_TRUE(empty.ImportJsonl("empty.jsonl", "").ok());
  EXPECT_EQ(empty.Prune().code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(empty.Finish().ok());
  EXPECT_EQ(CommittedDocs(), 2u);  // nothing lost
}

TEST_F(ImporterTest, DuplicateIdsInOneBatchKeepTheLastAndWarn) {
  std::vector<std::string> warnings;
  reporter_.on_warning = [&warnings](const std::string& w) { warnings.push_back(w); };
  Importer importer(writer_.get(), ImportOptions(), reporter_);
  ASSERT_TRUE(importer.ImportJsonl("d.jsonl", Line("p1", "사과") + "\n" + Line("p1", "바나나")).ok());
  ASSERT_TRUE(importer.Finish().ok());
  EXPECT_EQ(importer.stats().duplicates, 1u);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_TRUE(absl::StartsWith(warnings[0], "d.jsonl:2: warning: ")) << warnings[0];
  EXPECT_EQ(CommittedDocs(), 1u);
  EXPECT_EQ(Search("바나나"), "p1");
}

TEST_F(ImporterTest, OversizedArticlesAreRejectedAndNothingIsLost) {
  {
    Importer first(writer_.get(), ImportOptions(), reporter_);
    ASSERT_TRUE(first.ImportJsonl("a.jsonl", Line("keep", "남을 글")).ok());
    ASSERT_TRUE(first.Finish().ok());
  }
  // A 50 MB body (over the 16 MB default) and 10,000 tags (over 1,000), next to a good line.
  std::string huge = R"({"id": "huge", "title": "큰 글", "body": ")";
  huge.append(50u << 20, 'a');
  huge.append(R"("})");
  std::string tags = R"({"id": "tags", "title": "태그 많은 글", "tags": [)";
  for (int i = 0; i < 10000; ++i) absl::StrAppend(&tags, i ? "," : "", "\"t", i, "\"");
  tags.append("]}");
  Importer importer(writer_.get(), ImportOptions(), reporter_);
  ASSERT_TRUE(importer.ImportJsonl("big.jsonl", huge + "\n" + tags + "\n" + Line("ok", "좋은 글")).ok());
  ASSERT_TRUE(importer.Finish().ok());
  EXPECT_EQ(RejectedLocations(), (std::vector<std::string>{"big.jsonl:1", "big.jsonl:2"}));
  ASSERT_EQ(rejected_.size(), 2u);
  EXPECT_TRUE(absl::StrContains(rejected_[0], "body is 52428800 bytes; the limit is")) << rejected_[0];
  EXPECT_TRUE(absl::StrContains(rejected_[1], "10000 tags; the limit is 1000")) << rejected_[1];
  EXPECT_EQ(CommittedDocs(), 2u);
  EXPECT_EQ(Search("남을"), "keep");
}

TEST_F(ImporterTest, LimitsAreConfigurable) {
  index::ArticleLimits limits;
  limits.max_body_bytes = 10;
  limits.max_tags = 2;
  writer_->set_limits(limits);
  Importer importer(writer_.get(), ImportOptions(), reporter_);
  ASSERT_TRUE(importer
                  .ImportJsonl("l.jsonl", R"({"id": "short", "body": "짧은 글"})"
                                          "\n"
                                          R"({"id": "long", "body": "이 본문은 열 바이트보다 깁니다"})"
                                          "\n"
                                          R"({"id": "tags", "tags": ["a", "b", "c"]})")
                  .ok());
  ASSERT_TRUE(importer.Finish().ok());
  EXPECT_EQ(RejectedLocations(), (std::vector<std::string>{"l.jsonl:2", "l.jsonl:3"}));
  EXPECT_EQ(CommittedDocs(), 1u);
}

TEST_F(ImporterTest, ImportsEveryFormatDetectedFromTheContent) {
  ImportOptions options;
  absl::LoadTimeZone("Asia/Seoul", &options.timezone);
  std::vector<std::string> warnings;
  reporter_.on_warning = [&warnings](const std::string& w) { warnings.push_back(w); };
  Importer importer(writer_.get(), options, reporter_);
  for (const char* fixture : {"rss2.xml", "atom.xml", "wordpress.wxr.xml", "hugo", "jekyll", "tistory_page.html",
                              "euckr_feed.xml", "cp949_page.html"}) {
    const absl::Status s = importer.Import(Fixture(fixture));
    ASSERT_TRUE(s.ok()) << fixture << ": " << s;
  }
  ASSERT_TRUE(importer.Finish().ok());
  EXPECT_TRUE(rejected_.empty()) << absl::StrJoin(rejected_, "\n");
  EXPECT_EQ(warnings.size(), 1u) << absl::StrJoin(warnings, "\n");  // the bad bytes of cp949_page.html
  // 3 RSS + 3 Atom + 2 WXR + 2 Hugo + 2 Jekyll + 1 page + 1 EUC-KR + 1 CP949
  EXPECT_EQ(importer.stats().indexed, 15u);
  EXPECT_EQ(importer.stats().skipped, 4u);  // WXR draft, page, attachment; Hugo draft
  EXPECT_EQ(CommittedDocs(), 15u);
  EXPECT_EQ(Search("똠방각하"), "cp949_page.html old-1");  // oldest first; the page has no date
  EXPECT_EQ(Search("\"가상환경\""), "https://wp.example.kr/?p=11");
  EXPECT_EQ(Search("스크립트"), "");
  EXPECT_EQ(Search("초안"), "");
  EXPECT_EQ(Search("tag:Docker"), "docker-intro dev-example-101");
}

TEST_F(ImporterTest, TruncatedFeedKeepsItsCompleteItems) {
  Importer importer(writer_.get(), ImportOptions(), reporter_);
  ASSERT_TRUE(importer.Import(Fixture("truncated.xml")).ok());
  ASSERT_TRUE(importer.Finish().ok());
  EXPECT_EQ(importer.stats().indexed, 2u);
  ASSERT_EQ(rejected_.size(), 1u);
  EXPECT_TRUE(absl::StrContains(rejected_[0], "truncated.xml:29: XML error")) << rejected_[0];
}

}  // namespace
// A sink whose commits fail, as on a full disk.
class FullDiskSink : public ArticleSink {
 public:
  explicit FullDiskSink(std::vector<std::string> ids = {}) : ids_(std::move(ids)) {}
  absl::Status Upsert(const v1::Article&, UpsertOutcome* outcome) override {
    ++pending_;
    *outcome = UpsertOutcome::kAdded;
    return absl::OkStatus();
  }
  absl::Status Delete(const std::string&) override {
    ++pending_;
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<std::string>> AllIds() override { return ids_; }
  size_t pending() const override { return pending_; }
  absl::Status Commit() override {
    if (pending_ == 0) return absl::OkStatus();
    pending_ = 0;
    return absl::ResourceExhaustedError("No space left on device");
  }

 private:
  std::vector<std::string> ids_;
  size_t pending_ = 0;
};

// Issue 14: the summary counts only what was kept; a batch whose commit
// failed is reported as not kept.
TEST_F(ImporterTest, ABatchWhoseCommitFailedIsNotCounted) {
  FullDiskSink sink;
  Importer importer(&sink, ImportOptions(), reporter_);
  ASSERT_TRUE(importer.Delete("old").ok());
  ASSERT_TRUE(importer.ImportJsonl("input.jsonl", Line("a", "하나") + "\n" + Line("b", "둘") + "\n").ok());
  EXPECT_EQ(importer.Finish().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(importer.stats().indexed, 0u);
  EXPECT_EQ(importer.stats().added, 0u);
  EXPECT_EQ(importer.stats().deleted, 0u);
  EXPECT_EQ(importer.stats().not_kept, 3u);
}

// The deletions of --prune count once each, so a failed commit takes back
// exactly what it did not keep (they were counted twice in the batch, and the
// deleted count went below zero).
TEST_F(ImporterTest, APruneWhoseCommitFailedIsNotCounted) {
  FullDiskSink sink({"a", "gone-1", "gone-2"});
  Importer importer(&sink, ImportOptions(), reporter_);
  ASSERT_TRUE(importer.ImportJsonl("input.jsonl", Line("a", "하나") + "\n").ok());
  ASSERT_TRUE(importer.Prune().ok());
  EXPECT_EQ(importer.Finish().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(importer.stats().deleted, 0u);
  EXPECT_EQ(importer.stats().not_kept, 3u);
}

}  // namespace chaja::indexer
