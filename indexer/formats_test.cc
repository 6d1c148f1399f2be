// The import formats on the fixtures of tests/testdata/ingest/: every field
// each reader fills, and what it skips or rejects.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "indexer/formats/jsonl_reader.h"
#include "indexer/reader_factory.h"

namespace chaja::indexer {
namespace {

std::string Fixture(const std::string& name) { return std::string(CHAJA_INGEST_TESTDATA) + "/" + name; }

absl::TimeZone Seoul() {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone("Asia/Seoul", &tz));
  return tz;
}

struct ReadResult {
  std::vector<Record> records;
  std::vector<std::string> warnings;
  size_t skipped = 0;
  absl::Status status;

  // The article of record i; fails the test if it was rejected.
  const v1::Article& Article(size_t i) const {
    static const v1::Article kEmpty;
    if (i >= records.size()) {
      ADD_FAILURE() << "no record " << i;
      return kEmpty;
    }
    if (!records[i].article.ok()) {
      ADD_FAILURE() << records[i].location << ": " << records[i].article.status();
      return kEmpty;
    }
    return *records[i].article;
  }
};

ReadResult ReadAll(const std::string& path, Format format = Format::kAuto) {
  ReadResult out;
  ReaderOptions options;
  options.timezone = Seoul();
  options.on_warning = [&out](const std::string& w) { out.warnings.push_back(w); };
  absl::StatusOr<std::unique_ptr<RecordReader>> reader = OpenRecordReader(path, format, options);
  if (!reader.ok()) {
    out.status = reader.status();
    return out;
  }
  Record record;
  while ((*reader)->Next(&record)) out.records.push_back(std::move(record));
  out.skipped = (*reader)->skipped();
  out.status = (*reader)->status();
  return out;
}

std::string Rfc3339(const v1::Article& a) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", absl::FromUnixSeconds(a.published().seconds()), Seoul());
}

std::string Tags(const v1::Article& a) { return absl::StrJoin(a.tags(), ","); }

TEST(FeedReaderTest, Rss2TakesContentEncodedCategoriesAndDates) {
  const ReadResult r = ReadAll(Fixture("rss2.xml"));
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.records.size(), 3u);
  const v1::Article& a = r.Article(0);
  EXPECT_EQ(a.id(), "dev-example-101");
  EXPECT_EQ(a.url(), "https://dev.example.kr/entry/docker-install");
  EXPECT_EQ(a.title(), "우분투에서 도커 설치하기 & 설정");
  // content:encoded wins over description; script dropped, entities decoded, blocks broken.
  EXPECT_EQ(a.body(), "도커를 우분투에 설치하는 방법입니다.\n\n먼저 저장소를 추가합니다 <apt>.\n\n첫째 단계\n둘째 단계");
  EXPECT_EQ(Tags(a), "Docker,리눅스");  // "docker" is the same tag as "Docker"
  EXPECT_EQ(Rfc3339(a), "2025-01-22T10:30:00+09:00");
  EXPECT_EQ(a.author(), "김민지");
  EXPECT_EQ(a.comment_count(), 7u);
  EXPECT_TRUE(absl::EndsWith(r.records[0].location, "rss2.xml:10")) << r.records[0].location;

  const v1::Article& b = r.Article(1);
  EXPECT_EQ(b.id(), "https://dev.example.kr/entry/only-description");  // no guid: the link
  EXPECT_EQ(b.body(), "이스케이프된 HTML 본문");
  EXPECT_EQ(Rfc3339(b), "2025-01-23T18:00:00+09:00");

  const v1::Article& c = r.Article(2);
  EXPECT_EQ(c.title(), "");  // an empty title is indexed as such
  EXPECT_EQ(c.body(), "제목이 비어 있는 글의 본문");
  EXPECT_EQ(Rfc3339(c), "2025-01-24T08:00:00+09:00");
}

TEST(FeedReaderTest, AtomTakesHtmlAndXhtmlContentAndLabels) {
  const ReadResult r = ReadAll(Fixture("atom.xml"));
  ASSERT_EQ(r.records.size(), 3u);
  const v1::Article& a = r.Article(0);
  EXPECT_EQ(a.id(), "tag:blog.example.kr,2025:post-1");
  EXPECT_EQ(a.url(), "https://blog.example.kr/2025/02/k8s");
  EXPECT_EQ(a.title(), "쿠버네티스 입문");
  EXPECT_EQ(a.body(), "파드와 서비스를 알아봅니다.\n\n둘째 문단.");
  EXPECT_EQ(Tags(a), "쿠버네티스,클라우드");
  EXPECT_EQ(Rfc3339(a), "2025-02-01T09:00:00+09:00");  // published, not updated
  EXPECT_EQ(a.author(), "이서준");
  EXPECT_EQ(a.comment_count(), 3u);

  const v1::Article& b = r.Article(1);
  EXPECT_EQ(b.url(), "https://blog.example.kr/2025/02/xhtml");
  EXPECT_EQ(b.body(), "엑스에이치티엠엘 본문입니다.");
  EXPECT_EQ(Rfc3339(b), "2025-02-03T19:00:00+09:00");

  const v1::Article& c = r.Article(2);
  EXPECT_EQ(c.body(), "요약 텍스트만 있는 항목");
  EXPECT_EQ(Rfc3339(c), "2025-02-04T10:00:00+09:00");  // no zone: the site's
}

TEST(FeedReaderTest, WxrKeepsPublishedPostsOnly) {
  const ReadResult r = ReadAll(Fixture("wordpress.wxr.xml"));
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.skipped, 3u);  // the draft, the page, the attachment
  const v1::Article& a = r.Article(0);
  EXPECT_EQ(a.id(), "https://wp.example.kr/?p=11");
  EXPECT_EQ(a.url(), "https://wp.example.kr/2025/01/python-venv/");
  EXPECT_EQ(a.title(), "파이썬 가상환경 정리");
  EXPECT_EQ(a.body(), "venv 모듈로 가상환경을 만듭니다.\n\npip 로 패키지를 설치합니다.");
  EXPECT_EQ(a.category(), "개발");
  EXPECT_EQ(Tags(a), "venv,pip,파이썬");
  EXPECT_EQ(Rfc3339(a), "2025-01-20T10:00:00+09:00");
  EXPECT_EQ(a.author(), "박민지");
  EXPECT_EQ(a.comment_count(), 2u);  // not the unapproved one, not the pingback

  const v1::Article& b = r.Article(1);
  EXPECT_EQ(Rfc3339(b), "2025-01-21T09:30:00+09:00");  // wp:post_date in the site's zone
  EXPECT_EQ(b.author(), "someone");
  EXPECT_EQ(b.comment_count(), 0u);
  for (const Record& rec : r.records) {
    EXPECT_FALSE(absl::StrContains(rec.article->body(), "초안")) << "a draft was read";
  }
}

TEST(FeedReaderTest, ForcedFormatMustMatchTheRoot) {
  const ReadResult r = ReadAll(Fixture("atom.xml"), Format::kRss);
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_FALSE(r.records[0].article.ok());
  EXPECT_TRUE(absl::StrContains(r.records[0].article.status().message(), "<feed>")) << r.records[0].article.status();
}

TEST(FeedReaderTest, TruncatedFeedKeepsTheCompleteItemsAndRejectsTheRest) {
  const ReadResult r = ReadAll(Fixture("truncated.xml"));
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_EQ(r.Article(0).id(), "dev-example-101");
  EXPECT_EQ(r.Article(1).id(), "https://dev.example.kr/entry/only-description");
  EXPECT_FALSE(r.records[2].article.ok());
  EXPECT_TRUE(absl::EndsWith(r.records[2].location, "truncated.xml:29")) << r.records[2].location;
  EXPECT_TRUE(absl::StrContains(r.records[2].article.status().message(), "XML error"));
}

TEST(FeedReaderTest, EucKrFeedIsDecodedIncludingCp949OnlySyllables) {
  const ReadResult r = ReadAll(Fixture("euckr_feed.xml"));
  ASSERT_EQ(r.records.size(), 1u);
  const v1::Article& a = r.Article(0);
  EXPECT_EQ(a.title(), "똠방각하 감상문");
  EXPECT_EQ(a.body(), "예전 블로그의 글입니다. 한글 인코딩은 EUC-KR.");
  EXPECT_EQ(Tags(a), "소설");
  EXPECT_EQ(Rfc3339(a), "2006-03-03T21:10:00+09:00");
  EXPECT_TRUE(r.warnings.empty()) << absl::StrJoin(r.warnings, "\n");
}

TEST(FeedReaderTest, EntityDeclarationsAreRefused) {
  const std::string bomb =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>\n"
      "<rss><channel><item><guid>x</guid><title>&b;</title></item></channel></rss>";
  ReaderOptions options;
  std::unique_ptr<RecordReader> reader = RecordReaderForBytes("bomb.xml", "bomb.xml", bomb, Format::kAuto, options);
  Record record;
  ASSERT_TRUE(reader->Next(&record));
  EXPECT_FALSE(record.article.ok());
  EXPECT_TRUE(absl::StrContains(record.article.status().message(), "ENTITY")) << record.article.status();
  EXPECT_FALSE(reader->Next(&record));
}

std::vector<Record> ReadBytes(const std::string& bytes) {
  ReaderOptions options;
  auto reader = RecordReaderForBytes("feed.xml", "feed.xml", bytes, Format::kAuto, options);
  std::vector<Record> out;
  Record record;
  while (reader->Next(&record)) out.push_back(std::move(record));
  return out;
}

constexpr char kThreeItems[] =
    "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>\n"
    "<item><guid>a</guid><title>첫 글</title><description>본문</description></item>\n"
    "<item><guid>b</guid><title>SECOND</title><description>본문 &amp; &lt;설명&gt;</description></item>\n"
    "<item><guid>c</guid><title>셋째</title><description>본문</description></item>\n"
    "</channel></rss>\n";

// Billion laughs: ten levels of ten references, 3 GB once expanded.
std::string BillionLaughs() {
  std::string doctype = "<!DOCTYPE rss [\n<!ENTITY lol0 \"lol\">\n";
  for (int level = 1; level <= 9; ++level) {
    doctype += absl::StrCat("<!ENTITY lol", level, " \"");
    for (int i = 0; i < 10; ++i) doctype += absl::StrCat("&lol", level - 1, ";");
    doctype += "\">\n";
  }
  return doctype + "]>\n";
}

// The first record's error, or "" when it was accepted.
std::string FirstError(const std::vector<Record>& records) {
  if (records.empty()) return "no record";
  return records[0].article.ok() ? "" : std::string(records[0].article.status().message());
}

TEST(FeedReaderTest, MarkupInACommentCannotHideEntityDeclarations) {
  const std::string feed = "<?xml version=\"1.0\"?>\n<!-- <!DOCTYPE ]> -->\n" + BillionLaughs() +
                           "<rss version=\"2.0\"><channel><item><guid>x</guid><title>&lol9;</title>"
                           "<description>&lol9;</description></item></channel></rss>\n";
  const std::vector<Record> records = ReadBytes(feed);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].location, "feed.xml:4");  // the first <!ENTITY
  EXPECT_EQ(records[0].article.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(FirstError(records), "declares the entity \"lol0\"")) << FirstError(records);
}

TEST(FeedReaderTest, ExternalEntitiesAreRefusedAndNeverRead) {
  const std::string general = "<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n";
  const std::string parameter = "<!DOCTYPE rss [<!ENTITY % xxe SYSTEM \"file:///etc/passwd\"> %xxe;]>\n";
  for (const std::string& doctype : std::vector<std::string>{general, parameter}) {
    const std::string feed = "<?xml version=\"1.0\"?>\n<!-- <!DOCTYPE ]> -->\n" + doctype +
                             "<rss version=\"2.0\"><channel><item><guid>x</guid><title>&xxe;</title>"
                             "</item></channel></rss>\n";
    const std::vector<Record> records = ReadBytes(feed);
    ASSERT_EQ(records.size(), 1u) << doctype;
    EXPECT_EQ(records[0].article.status().code(), absl::StatusCode::kInvalidArgument) << doctype;
    EXPECT_TRUE(absl::StrContains(FirstError(records), "declares the entity \"xxe\"")) << FirstError(records);
  }
}

TEST(FeedReaderTest, ADocumentTypeWithoutEntitiesIsRead) {
  const std::string rss_public =
      "<!DOCTYPE rss PUBLIC \"-//Netscape Communications//DTD RSS 0.91//EN\" "
      "\"http://my.netscape.com/publish/formats/rss-0.91.dtd\">\n";
  // Only a comment in the internal subset: words in it declare nothing.
  const std::string rss_subset = "<!DOCTYPE rss [ <!-- no <!ENTITY here --> ]>\n";
  for (const std::string& doctype : std::vector<std::string>{rss_public, rss_subset}) {
    std::string feed = kThreeItems;
    feed.insert(feed.find("<rss"), doctype);
    const std::vector<Record> records = ReadBytes(feed);
    ASSERT_EQ(records.size(), 3u) << doctype << FirstError(records);
    EXPECT_EQ(FirstError(records), "") << doctype;
  }
  const std::string atom =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE feed>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
      "<entry><id>tag:a</id><title>제목</title><content>본문</content></entry></feed>\n";
  const std::vector<Record> records = ReadBytes(atom);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(FirstError(records), "");
}

TEST(FeedReaderTest, HtmlNamedEntitiesAreReadAsTheirCharacters) {
  std::string feed = kThreeItems;
  feed.replace(feed.find("SECOND"), 6, "공백&nbsp;말줄임&hellip;<![CDATA[&nbsp;]]>");
  const std::vector<Record> records = ReadBytes(feed);
  ASSERT_EQ(records.size(), 3u);
  ASSERT_TRUE(records[1].article.ok()) << records[1].article.status();
  // The entities became U+00A0 and U+2026 (and titles, HTML in RSS practice,
  // are cleaned as text: the no-break spaces become spaces).
  EXPECT_EQ(records[1].article->title(), "공백 말줄임\xE2\x80\xA6");
  EXPECT_EQ(records[1].article->body(), "본문 & <설명>");
}

TEST(FeedReaderTest, AnXmlErrorKeepsTheItemsBeforeItEvenInTheSameChunk) {
  std::string feed = kThreeItems;
  feed.replace(feed.find("SECOND"), 6, "<b>열린 태그");
  const std::vector<Record> records = ReadBytes(feed);
  ASSERT_GE(records.size(), 2u);
  ASSERT_TRUE(records[0].article.ok()) << records[0].article.status();
  EXPECT_EQ(records[0].article->id(), "a");
  EXPECT_EQ(records[1].location, "feed.xml:4");
  EXPECT_FALSE(records[1].article.ok());
  EXPECT_TRUE(absl::StrContains(records[1].article.status().message(), "XML error")) << records[1].article.status();
}

// Exports that are not quite XML (what WordPress's importer recovers from).
TEST(FeedReaderTest, StrayCdataEndRejectsOnlyItsItem) {
  const ReadResult r = ReadAll(Fixture("wxr_stray_cdata_end.xml"));
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_EQ(r.Article(0).id(), "https://wp.example.kr/?p=21");
  EXPECT_EQ(r.Article(0).author(), "박민지");
  EXPECT_TRUE(absl::EndsWith(r.records[1].location, "wxr_stray_cdata_end.xml:22")) << r.records[1].location;
  ASSERT_FALSE(r.records[1].article.ok());
  const std::string message(r.records[1].article.status().message());
  EXPECT_TRUE(absl::StrContains(message, "XML error in this item (line 27)")) << message;
  EXPECT_TRUE(absl::StrContains(message, "]]>")) << message;
  // The item after the broken one is read.
  EXPECT_EQ(r.Article(2).id(), "https://wp.example.kr/?p=23");
  EXPECT_EQ(r.Article(2).body(), "셋째 글 본문");
}

TEST(FeedReaderTest, ContentAfterTheRootIsAWarning) {
  const ReadResult r = ReadAll(Fixture("wxr_trailing_content.xml"));
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.Article(0).title(), "첫 글");
  EXPECT_EQ(r.Article(1).title(), "둘째 글");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_TRUE(absl::StrContains(r.warnings[0], "wxr_trailing_content.xml:36")) << r.warnings[0];
  EXPECT_TRUE(absl::StrContains(r.warnings[0], "Extra content")) << r.warnings[0];
}

TEST(FeedReaderTest, ItemsAfterAnErrorOutsideTheItemsAreReported) {
  // Two exports run together: the second could not be read, and says so.
  std::string feed = kThreeItems;
  feed += feed;
  const std::vector<Record> records = ReadBytes(feed);
  ASSERT_EQ(records.size(), 4u);
  for (size_t i = 0; i < 3; ++i) EXPECT_TRUE(records[i].article.ok()) << i << ": " << records[i].article.status();
  EXPECT_EQ(records[3].location, "feed.xml:7");
  EXPECT_TRUE(absl::StrContains(FirstError({records[3]}), "could not be read")) << FirstError({records[3]});
}

TEST(FeedReaderTest, NamespaceNamesMayBeIris) {
  const ReadResult r = ReadAll(Fixture("wxr_iri_namespace.xml"));
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.Article(0).title(), "첫 글");
  EXPECT_EQ(r.Article(1).title(), "둘째 글");
  EXPECT_TRUE(r.warnings.empty()) << absl::StrJoin(r.warnings, "\n");
  // Also when the rest of the file is read in recovery mode (a raw ]]> in a post).
  std::ifstream in(Fixture("wxr_stray_cdata_end.xml"));
  std::stringstream text;
  text << in.rdbuf();
  std::string feed = text.str();
  feed.insert(feed.find("<rss ") + 5, "xmlns:미디어=\"http://예시.한국/이름공간/\" ");
  std::vector<std::string> warnings;
  ReaderOptions options;
  options.on_warning = [&warnings](const std::string& w) { warnings.push_back(w); };
  auto reader = RecordReaderForBytes("iri.xml", "iri.xml", feed, Format::kAuto, options);
  std::vector<Record> records;
  for (Record record; reader->Next(&record);) records.push_back(std::move(record));
  EXPECT_EQ(records.size(), 3u);
  EXPECT_TRUE(warnings.empty()) << absl::StrJoin(warnings, "\n");
}

TEST(MarkdownReaderTest, HugoFolderWithBundleDraftAndListPage) {
  const ReadResult r = ReadAll(Fixture("hugo"));
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.skipped, 1u);  // draft: true; _index.md is not even a candidate
  const v1::Article& bundle = r.Article(0);  // bundle-post/index.md sorts first
  EXPECT_EQ(bundle.id(), "bundle-post");
  EXPECT_EQ(bundle.title(), "번들 글");
  EXPECT_EQ(Tags(bundle), "묶음");
  EXPECT_EQ(Rfc3339(bundle), "2025-01-23T00:00:00+09:00");

  const v1::Article& a = r.Article(1);
  EXPECT_EQ(a.id(), "docker-intro");
  EXPECT_EQ(a.title(), "도커 입문: 컨테이너란?");
  EXPECT_EQ(a.category(), "개발");
  EXPECT_EQ(Tags(a), "Docker,컨테이너,인프라");
  EXPECT_EQ(a.author(), "정하늘");
  EXPECT_EQ(Rfc3339(a), "2025-01-22T10:00:00+09:00");
  EXPECT_EQ(a.body(),
            "들어가며\n\n컨테이너는 가벼운 가상화입니다. 공식 문서를 참고하세요.\n\n"
            "docker run hello-world\n\n이미지\n컨테이너");
}

TEST(MarkdownReaderTest, JekyllPostsTakeDatesAndIdsFromFileNames) {
  const ReadResult r = ReadAll(Fixture("jekyll"));
  ASSERT_EQ(r.records.size(), 2u);  // _drafts/ is skipped
  const v1::Article& a = r.Article(0);
  EXPECT_EQ(a.id(), "welcome-jekyll");
  EXPECT_EQ(a.title(), "지킬에 오신 것을 환영합니다");
  EXPECT_EQ(a.category(), "jekyll");
  EXPECT_EQ(Tags(a), "환영,블로그,update");
  EXPECT_EQ(Rfc3339(a), "2025-01-22T15:32:14+09:00");
  // Liquid tags are dropped; what they wrapped stays as text.
  EXPECT_EQ(a.body(), "지킬 글 본문입니다. def hello; end\n\n두 번째 문단은 없이 남습니다.");
  const v1::Article& b = r.Article(1);
  EXPECT_EQ(b.id(), "no-date");
  EXPECT_EQ(Rfc3339(b), "2025-01-23T00:00:00+09:00");
}

TEST(MarkdownReaderTest, BadFrontMatterIsRejectedAtItsLine) {
  ReaderOptions options;
  Record record;
  auto reader = RecordReaderForBytes("post.md", "post.md", "---\ntitle: ok\ntags: [unclosed\n---\n본문\n",
                                     Format::kAuto, options);
  ASSERT_TRUE(reader->Next(&record));
  EXPECT_FALSE(record.article.ok());
  EXPECT_TRUE(absl::StartsWith(record.article.status().message(), "front matter")) << record.article.status();

  reader = RecordReaderForBytes("toml.md", "toml.md", "+++\ntitle = \"x\"\n+++\n본문\n", Format::kAuto, options);
  ASSERT_TRUE(reader->Next(&record));
  EXPECT_TRUE(absl::StrContains(record.article.status().message(), "TOML")) << record.article.status();

  reader = RecordReaderForBytes("open.md", "open.md", "---\ntitle: never closed\n", Format::kAuto, options);
  ASSERT_TRUE(reader->Next(&record));
  EXPECT_FALSE(record.article.ok());
}

// One Markdown file read from bytes: its only record.
Record MarkdownRecord(const std::string& name, const std::string& text) {
  Record record;
  auto reader = RecordReaderForBytes(name, name, text, Format::kMarkdown, ReaderOptions());
  EXPECT_TRUE(reader->Next(&record));
  return record;
}

TEST(MarkdownReaderTest, UnclosedQuoteIsAnErrorAtItsLine) {
  // yaml-cpp alone reads "title: \"Hello" to the end of the front matter,
  // making the date part of the title.
  for (const char* title : {"\"안녕", "'안녕", "\"안녕\\\"", "'it''s"}) {
    const Record record =
        MarkdownRecord("post.md", absl::StrCat("---\nlayout: post\ntitle: ", title, "\ndate: 2025-01-22\n---\n본문\n"));
    EXPECT_EQ(record.location, "post.md:3") << title;
    ASSERT_FALSE(record.article.ok()) << title << ": " << record.article->title();
    EXPECT_TRUE(absl::StrContains(record.article.status().message(), "never closed")) << record.article.status();
  }
  // In a list too.
  const Record in_list = MarkdownRecord("tags.md", "---\ntitle: ok\ntags:\n  - 'a'\n  - \"b\n---\n본문\n");
  EXPECT_EQ(in_list.location, "tags.md:5");
  EXPECT_FALSE(in_list.article.ok());
  // Closed quotes, escaped quotes and quotes spanning lines are fine.
  const Record fine = MarkdownRecord(
      "fine.md", "---\ntitle: \"따옴표 \\\" 안\"\nsummary: 'it''s'\nnote: \"두\n  줄\"\ndate: 2025-01-22\n---\n본문\n");
  ASSERT_TRUE(fine.article.ok()) << fine.article.status();
  EXPECT_EQ(fine.article->title(), "따옴표 \" 안");
}

TEST(MarkdownReaderTest, ImpossibleDateIsReportedAtItsLine) {
  const Record record = MarkdownRecord("post.md", "---\ntitle: 글\ntags: [a]\ndate: 2025-02-30\n---\n본문\n");
  EXPECT_EQ(record.location, "post.md:4");
  EXPECT_FALSE(record.article.ok());
  const Record publish = MarkdownRecord("p.md", "---\ntitle: 글\npublishDate: 2025-13-01\n---\n본문\n");
  EXPECT_EQ(publish.location, "p.md:3");
  EXPECT_FALSE(publish.article.ok());
}

TEST(HtmlPageReaderTest, TistoryPageGivesTheArticleWithoutChrome) {
  const ReadResult r = ReadAll(Fixture("tistory_page.html"));
  ASSERT_EQ(r.records.size(), 1u);
  const v1::Article& a = r.Article(0);
  EXPECT_EQ(a.id(), "https://cat.tistory.com/42");
  EXPECT_EQ(a.url(), "https://cat.tistory.com/42");
  EXPECT_EQ(a.title(), "리눅스 명령어 정리");
  EXPECT_EQ(a.category(), "개발/리눅스");
  EXPECT_EQ(Tags(a), "리눅스,bash");
  EXPECT_EQ(Rfc3339(a), "2025-01-22T15:20:00+09:00");
  EXPECT_EQ(a.author(), "고양이");
  EXPECT_EQ(a.body(),
            "자주 쓰는 명령어를 정리했습니다.\n\n파일 찾기\n\nfind . -name \"*.log\"\ngrep -r 패턴 .\n\n"
            "표로 보면:\n\nls 목록\ncd 이동");
  for (const char* chrome : {"스크립트", "메뉴", "푸터", "댓글", "관련 글", "color"}) {
    EXPECT_FALSE(absl::StrContains(a.body(), chrome)) << chrome << " in " << a.body();
  }
}

TEST(HtmlPageReaderTest, Cp949PageIsDecodedAndBadBytesAreReported) {
  const ReadResult r = ReadAll(Fixture("cp949_page.html"));
  ASSERT_EQ(r.records.size(), 1u);
  const v1::Article& a = r.Article(0);
  EXPECT_EQ(a.title(), "CP949 페이지");
  EXPECT_TRUE(absl::StartsWith(a.body(), "윈도우 메모장으로 저장한 똠방각하 페이지입니다.\n\n깨진 바이트: ")) << a.body();
  EXPECT_TRUE(absl::StrContains(a.body(), "\xEF\xBF\xBD")) << a.body();  // U+FFFD where the bad bytes were
  EXPECT_TRUE(absl::EndsWith(a.body(), " 뒤에도 글이 이어집니다.")) << a.body();
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_TRUE(absl::StrContains(r.warnings[0], "cp949_page.html:9: warning:")) << r.warnings[0];
}

TEST(HtmlPageReaderTest, OnlyTheFirstMaxHtmlBytesAreParsedWithAWarning) {
  std::string page = "<html><head><title>큰 페이지</title></head><body><article>";
  for (int i = 0; i < 20000; ++i) page += "<p>한글 문단</p>";
  page += "</article></body></html>";
  std::vector<std::string> warnings;
  ReaderOptions options;
  options.max_html_bytes = 64 * 1024 + 1;  // in the middle of a three-byte syllable
  options.on_warning = [&warnings](const std::string& w) { warnings.push_back(w); };
  auto reader = RecordReaderForBytes("big.html", "big.html", page, Format::kHtml, options);
  Record record;
  ASSERT_TRUE(reader->Next(&record));
  ASSERT_TRUE(record.article.ok()) << record.article.status();
  EXPECT_EQ(record.article->title(), "큰 페이지");
  EXPECT_LT(record.article->body().size(), options.max_html_bytes);
  EXPECT_TRUE(absl::StartsWith(record.article->body(), "한글 문단")) << record.article->body().substr(0, 40);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_TRUE(absl::StartsWith(warnings[0], "big.html:1: warning: the page has ")) << warnings[0];
  EXPECT_TRUE(absl::StrContains(warnings[0], "--max_html_bytes")) << warnings[0];
}

TEST(JsonlReaderTest, DatesInBlogFormsAreAcceptedAndBadOnesRejected) {
  const ReadResult r = ReadAll(Fixture("bad_dates.jsonl"));
  ASSERT_EQ(r.records.size(), 7u);
  EXPECT_EQ(Rfc3339(r.Article(0)), "2025-01-22T00:00:00+09:00");
  EXPECT_EQ(Rfc3339(r.Article(1)), "2025-01-22T10:00:00+09:00");
  EXPECT_EQ(Rfc3339(r.Article(2)), "2025-01-22T10:00:00+09:00");
  EXPECT_FALSE(r.records[3].article.ok());
  EXPECT_TRUE(absl::StrContains(r.records[3].article.status().message(), "어제 저녁"));
  EXPECT_TRUE(absl::EndsWith(r.records[3].location, "bad_dates.jsonl:4"));
  EXPECT_FALSE(r.records[4].article.ok());
  EXPECT_EQ(r.Article(5).title(), "");
  EXPECT_EQ(Rfc3339(r.Article(6)), "2025-01-23T00:00:00+09:00");
}

// Every record of `text` read as JSON Lines from "a.jsonl".
std::vector<Record> ReadJsonl(const std::string& text) {
  JsonlReader reader("a.jsonl", text, ReaderOptions());
  std::vector<Record> out;
  Record record;
  while (reader.Next(&record)) out.push_back(std::move(record));
  return out;
}

// "LOCATION: message" of a rejected record, "LOCATION: ok" of an accepted one.
std::string Outcome(const Record& record) {
  return absl::StrCat(record.location, ": ", record.article.ok() ? "ok" : record.article.status().message());
}

TEST(JsonlReaderTest, TagsMustBeAnArrayOfStrings) {
  const std::vector<Record> records = ReadJsonl(
      "{\"id\": \"a\", \"tags\": \"x\"}\n"
      "{\"id\": \"b\", \"tags\": [\"x\", [\"y\"]]}\n"
      "{\"id\": \"c\", \"tags\": [1]}\n"
      "{\"id\": \"d\", \"title\": \"tags\", \"tags\": [\"가\", \"나\"], \"body\": \"{[\\\"tags\\\": 1]}\"}\n"
      "{\"id\": \"e\", \"tags\": []}\n");
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(Outcome(records[0]), "a.jsonl:1: tags must be an array of strings");
  EXPECT_EQ(Outcome(records[1]), "a.jsonl:2: tags must be an array of strings");
  EXPECT_EQ(Outcome(records[2]), "a.jsonl:3: tags must be an array of strings");
  ASSERT_EQ(Outcome(records[3]), "a.jsonl:4: ok");
  EXPECT_EQ(Tags(*records[3].article), "가,나");
  EXPECT_EQ(Outcome(records[4]), "a.jsonl:5: ok");
}

TEST(JsonlReaderTest, DeepNestingIsRejectedAtItsLine) {
  const std::string deep = std::string(10000, '[') + "\"x\"" + std::string(10000, ']');
  const std::vector<Record> records =
      ReadJsonl(absl::StrCat("{\"id\": \"a\"}\n{\"id\": \"b\", \"tags\": ", deep, "}\n{\"id\": \"c\", \"x\": ", deep,
                             "}\n"));
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(Outcome(records[0]), "a.jsonl:1: ok");
  EXPECT_EQ(Outcome(records[1]), "a.jsonl:2: tags must be an array of strings");
  EXPECT_EQ(Outcome(records[2]), "a.jsonl:3: JSON nested deeper than 16 levels");
}

TEST(JsonlReaderTest, IdsWithControlCharactersAreRejected) {
  const std::vector<Record> records = ReadJsonl(
      "{\"id\": \"a\\u0001b\"}\n{\"id\": \"tab\\there\"}\n{\"id\": \"c1\\u0085\"}\n{\"id\": \"del\\u007f\"}\n"
      "{\"id\": \"한글-id_1\"}\n");
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(Outcome(records[0]), "a.jsonl:1: id contains the control character U+0001; ids must be printable");
  EXPECT_EQ(Outcome(records[1]), "a.jsonl:2: id contains the control character U+0009; ids must be printable");
  EXPECT_EQ(Outcome(records[2]), "a.jsonl:3: id contains the control character U+0085; ids must be printable");
  EXPECT_EQ(Outcome(records[3]), "a.jsonl:4: id contains the control character U+007F; ids must be printable");
  EXPECT_EQ(Outcome(records[4]), "a.jsonl:5: ok");
}

TEST(JsonlReaderTest, OverlongLinesAreDroppedNotHeld) {
  const std::string path = ::testing::TempDir() + "/long_line.jsonl";
  {
    std::ofstream out(path, std::ios::binary);
    out << R"({"id": "a", "body": ")" << std::string(3 << 20, 'x') << "\"}\n"
        << R"({"id": "b", "title": "짧은 줄"})" << "\n";
  }
  ReaderOptions options;
  options.max_file_bytes = 1 << 20;
  absl::StatusOr<std::unique_ptr<RecordReader>> reader = OpenRecordReader(path, Format::kAuto, options);
  ASSERT_TRUE(reader.ok()) << reader.status();
  Record record;
  ASSERT_TRUE((*reader)->Next(&record));
  EXPECT_TRUE(absl::EndsWith(record.location, "long_line.jsonl:1")) << record.location;
  EXPECT_TRUE(absl::StrContains(record.article.status().message(), "--max_file_bytes")) << record.article.status();
  ASSERT_TRUE((*reader)->Next(&record));
  EXPECT_TRUE(absl::EndsWith(record.location, "long_line.jsonl:2")) << record.location;
  ASSERT_TRUE(record.article.ok()) << record.article.status();
  EXPECT_EQ(record.article->id(), "b");
  EXPECT_FALSE((*reader)->Next(&record));
  std::remove(path.c_str());
}

TEST(ReaderFactoryTest, FolderOfSavedPagesSkipsTheBrowsersFilesFolders) {
  const std::string dir = ::testing::TempDir() + "/saved_pages";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir + "/post_files");
  std::filesystem::create_directories(dir + "/.git");
  std::ofstream(dir + "/post.html") << "<html><head><title>저장한 글</title></head><body><p>본문</p></body></html>";
  std::ofstream(dir + "/post_files/ad.html") << "<html><body>광고 프레임</body></html>";
  std::ofstream(dir + "/.git/x.html") << "<html><body>숨김</body></html>";
  std::ofstream(dir + "/post_files/script.js") << "var x;";
  const ReadResult r = ReadAll(dir);
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.Article(0).title(), "저장한 글");
  EXPECT_EQ(r.Article(0).body(), "본문");
  std::filesystem::remove_all(dir);
}

TEST(ReaderFactoryTest, MissingPathIsNotFound) {
  const ReadResult r = ReadAll(Fixture("does-not-exist.xml"));
  EXPECT_EQ(r.status.code(), absl::StatusCode::kNotFound) << r.status;
}

TEST(ReaderFactoryTest, UndetectableFileIsOneRejectedRecord) {
  ReaderOptions options;
  auto reader = RecordReaderForBytes("notes.txt", "notes.txt", "그냥 메모입니다.\n", Format::kAuto, options);
  Record record;
  ASSERT_TRUE(reader->Next(&record));
  EXPECT_EQ(record.location, "notes.txt:1");
  EXPECT_TRUE(absl::StrContains(record.article.status().message(), "--format")) << record.article.status();
}

// Every prefix of every fixture: readers must never crash or hang, and every
// record must be an article or a one-line reason with a location.
TEST(ReadersFuzzTest, TruncationsOfEveryFixtureNeverCrash) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(CHAJA_INGEST_TESTDATA)) {
    if (entry.is_regular_file()) files.push_back(entry.path().string());
  }
  ASSERT_GE(files.size(), 10u);
  ReaderOptions options;
  size_t runs = 0;
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string bytes = buffer.str();
    const size_t step = std::max<size_t>(1, bytes.size() / 150);
    for (size_t n = 0; n <= bytes.size(); n += step) {
      for (Format format : {Format::kAuto, Format::kRss, Format::kAtom, Format::kWxr, Format::kMarkdown,
                            Format::kHtml, Format::kJsonl}) {
        auto reader = RecordReaderForBytes("f", file, bytes.substr(0, n), format, options);
        Record record;
        for (int i = 0; i < 1000 && reader->Next(&record); ++i) {
          EXPECT_FALSE(record.location.empty());
          if (!record.article.ok()) {
            EXPECT_EQ(record.article.status().message().find('\n'), absl::string_view::npos)
                << file << " cut at " << n << ": " << record.article.status();
          }
        }
        ++runs;
      }
    }
  }
  EXPECT_GT(runs, 1000u);
}

// Inputs built to break parsers: deep nesting (which would overflow a
// recursive walk), unclosed everything, megabytes without a newline.
TEST(ReadersFuzzTest, PathologicalInputsNeverCrash) {
  std::string deep_divs = "<html><body>";
  for (int i = 0; i < 200000; ++i) deep_divs += "<div>";
  deep_divs += "깊은 글";
  std::string deep_cdata = "<?xml version=\"1.0\"?><rss><channel><item><guid>a</guid><description><![CDATA[";
  for (int i = 0; i < 200000; ++i) deep_cdata += "<b>";
  deep_cdata += "본문]]></description></item></channel></rss>";
  std::string deep_xml = "<?xml version=\"1.0\"?><rss><channel><item><guid>a</guid><title>";
  for (int i = 0; i < 100000; ++i) deep_xml += "<b>";
  const std::string deep_yaml = "---\ntitle: " + std::string(100000, '[') + "\n---\n본문\n";
  const std::string deep_quote = "---\ntitle: x\n---\n" + std::string(100000, '>') + " 인용\n";
  const std::string long_line = "{\"id\": \"x\", \"body\": \"" + std::string(20 << 20, 'a');  // never closed
  ReaderOptions options;
  for (const std::string* input :
       std::vector<const std::string*>{&deep_divs, &deep_cdata, &deep_xml, &deep_yaml, &deep_quote, &long_line}) {
    auto reader = RecordReaderForBytes("evil", "evil", *input, Format::kAuto, options);
    Record record;
    int records = 0;
    while (reader->Next(&record) && records < 10) ++records;
    EXPECT_GE(records, 1) << input->substr(0, 40);
  }
}

}  // namespace
}  // namespace chaja::indexer
