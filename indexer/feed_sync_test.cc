// Feed fetching and polling against tests/feed_server.py on a free loopback
// port (started per suite), and the Tistory / WordPress category rules.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "index/site_config.h"
#include "index/site_writer.h"
#include "indexer/feed_fetch.h"
#include "indexer/feed_sync.h"
#include "indexer/formats/feed_reader.h"
#include "indexer/reader_factory.h"
#include "testing/temp_dir.h"

namespace chaja::indexer {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteAll(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// The fixture feeds, copied into a folder the tests may rewrite, served by
// tests/feed_server.py.
class FeedServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new chaja::testing::TempDir("feed_sync_test");
    served_ = dir_->path() + "/served";
    std::filesystem::create_directory(served_);
    for (const char* name : {"tistory.xml", "tistory_new_post.xml", "wordpress.xml", "broken.xml"}) {
      std::filesystem::copy_file(std::string(CHAJA_FEED_TESTDATA) + "/" + name, served_ + "/" + name);
    }
    const std::string port_file = dir_->path() + "/port";
    pid_ = fork();
    if (pid_ == 0) {
      execlp("python3", "python3", CHAJA_FEED_SERVER, served_.c_str(), "--port-file", port_file.c_str(), nullptr);
      _exit(127);
    }
    for (int i = 0; i < 1200 && port_ == 0; ++i) {  // up to 60 s: python3 starts slowly on a loaded machine
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      (void)absl::SimpleAtoi(absl::StripAsciiWhitespace(ReadAll(port_file)), &port_);
    }
  }
  static void TearDownTestSuite() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    delete dir_;
  }
  void SetUp() override { ASSERT_NE(port_, 0) << "feed_server.py did not start"; }

  static std::string Url(const std::string& path) { return absl::StrCat("http://127.0.0.1:", port_, path); }

  static chaja::testing::TempDir* dir_;
  static std::string served_;
  static pid_t pid_;
  static int port_;
};

chaja::testing::TempDir* FeedServerTest::dir_ = nullptr;
std::string FeedServerTest::served_;
pid_t FeedServerTest::pid_ = 0;
int FeedServerTest::port_ = 0;

TEST_F(FeedServerTest, FetchesAFeedAndItsValidators) {
  absl::StatusOr<FetchResult> got = FetchUrl(Url("/feed/tistory.xml"), FetchOptions());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->http_status, 200);
  EXPECT_FALSE(got->not_modified);
  EXPECT_EQ(got->body, ReadAll(served_ + "/tistory.xml"));
  EXPECT_FALSE(got->etag.empty());
  EXPECT_FALSE(got->last_modified.empty());
}

TEST_F(FeedServerTest, MatchingEtagOrDateIs304) {
  absl::StatusOr<FetchResult> first = FetchUrl(Url("/feed/wordpress.xml"), FetchOptions());
  ASSERT_TRUE(first.ok()) << first.status();
  FetchOptions by_etag;
  by_etag.etag = first->etag;
  absl::StatusOr<FetchResult> again = FetchUrl(Url("/feed/wordpress.xml"), by_etag);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->not_modified);
  EXPECT_TRUE(again->body.empty());
  FetchOptions by_date;
  by_date.last_modified = first->last_modified;
  again = FetchUrl(Url("/feed/wordpress.xml"), by_date);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->not_modified);
  FetchOptions stale;
  stale.etag = "\"something-else\"";
  again = FetchUrl(Url("/feed/wordpress.xml"), stale);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->not_modified);
}

TEST_F(FeedServerTest, GzipIsUndone) {
  absl::StatusOr<FetchResult> got = FetchUrl(Url("/gzip/tistory.xml"), FetchOptions());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->body, ReadAll(served_ + "/tistory.xml"));
}

TEST_F(FeedServerTest, FollowsRedirectsWithinTheBound) {
  absl::StatusOr<FetchResult> got = FetchUrl(Url("/redirect/3/tistory.xml"), FetchOptions());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->final_url, Url("/feed/tistory.xml"));
  EXPECT_EQ(got->body, ReadAll(served_ + "/tistory.xml"));
  FetchOptions two;
  two.max_redirects = 2;
  EXPECT_EQ(FetchUrl(Url("/redirect/3/tistory.xml"), two).status().code(), absl::StatusCode::kFailedPrecondition);
  absl::Status loop = FetchUrl(Url("/loop"), FetchOptions()).status();
  EXPECT_EQ(loop.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(loop.message().find("redirect"), absl::string_view::npos) << loop;
}

TEST_F(FeedServerTest, SlowServerTimesOut) {
  FetchOptions options;
  options.timeout = absl::Seconds(1);
  absl::Status s = FetchUrl(Url("/slow"), options).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kDeadlineExceeded) << s;
  EXPECT_NE(s.message().find("timed out"), absl::string_view::npos) << s;
}

TEST_F(FeedServerTest, HugeBodyStopsAtTheCap) {
  FetchOptions options;
  options.max_bytes = 1 << 20;
  absl::Status s = FetchUrl(Url("/huge"), options).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted) << s;
  EXPECT_NE(s.message().find("size cap"), absl::string_view::npos) << s;
}

TEST_F(FeedServerTest, HttpErrorsAndBadUrlsSayWhat) {
  absl::Status missing = FetchUrl(Url("/status/404"), FetchOptions()).status();
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  EXPECT_NE(missing.message().find("HTTP 404"), absl::string_view::npos) << missing;
  EXPECT_EQ(FetchUrl(Url("/status/503"), FetchOptions()).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(FetchUrl("file:///etc/passwd", FetchOptions()).status().code(), absl::StatusCode::kInvalidArgument);
  // Port 1 on loopback: nothing listens there.
  absl::Status refused = FetchUrl("http://127.0.0.1:1/feed", FetchOptions()).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(refused.message().find("cannot connect"), absl::string_view::npos) << refused;
}

// Polling into a real site: new posts, a 304 that costs nothing, no deletes.
TEST_F(FeedServerTest, SyncUpsertsNewPostsAndSkipsUnchangedFeeds) {
  chaja::testing::TempDir data("feed_sync_site");
  WriteAll(served_ + "/live.xml", ReadAll(served_ + "/tistory.xml"));
  absl::StatusOr<std::unique_ptr<index::SiteWriter>> writer = index::SiteWriter::Open(data.path(), "blog");
  ASSERT_TRUE(writer.ok()) << writer.status();
  SiteWriterSink sink(writer->get());
  v1::FeedConfig feed;
  feed.set_url(Url("/feed/live.xml"));
  feed.set_interval_seconds(600);
  FeedSyncOptions options;
  v1::FeedStatus state;
  const absl::Time t0 = absl::FromUnixSeconds(1800000000);

  ImportStats first = SyncFeed(feed, &sink, options, t0, &state);
  EXPECT_TRUE(state.ok()) << state.result();
  EXPECT_EQ(first.added, 3u);
  EXPECT_EQ((*writer)->doc_count(), 3u);
  EXPECT_EQ(state.channel_title(), "AI 탐구노트");
  EXPECT_EQ(state.next_run().seconds(), absl::ToUnixSeconds(t0 + absl::Seconds(600)));
  const size_t built = (*writer)->documents_built();

  ImportStats second = SyncFeed(feed, &sink, options, t0 + absl::Minutes(10), &state);
  EXPECT_EQ(state.result(), "not modified");
  EXPECT_EQ(state.not_modified(), 1u);
  EXPECT_EQ(second.records, 0u);  // nothing parsed
  EXPECT_EQ((*writer)->documents_built(), built);  // nothing analysed or written

  // One post more, and the oldest one gone from the feed: added, not deleted.
  std::string changed = ReadAll(served_ + "/tistory_new_post.xml");
  const size_t last_item = changed.rfind("    <item>");
  changed.erase(last_item, changed.find("</item>", last_item) + 8 - last_item);
  WriteAll(served_ + "/live.xml", changed);
  ImportStats third = SyncFeed(feed, &sink, options, t0 + absl::Minutes(20), &state);
  EXPECT_TRUE(state.ok()) << state.result();
  EXPECT_EQ(third.added, 1u);
  EXPECT_EQ(third.unchanged, 2u);
  EXPECT_EQ(state.result(), "1 new, 0 changed, 2 unchanged");
  EXPECT_EQ((*writer)->doc_count(), 4u);
  EXPECT_EQ(state.polls(), 3u);
}

TEST_F(FeedServerTest, FailuresBackOffAndKeepTheValidators) {
  chaja::testing::TempDir data("feed_sync_fail");
  absl::StatusOr<std::unique_ptr<index::SiteWriter>> writer = index::SiteWriter::Open(data.path(), "blog");
  ASSERT_TRUE(writer.ok()) << writer.status();
  SiteWriterSink sink(writer->get());
  v1::FeedConfig feed;
  feed.set_url(Url("/status/500"));
  feed.set_interval_seconds(100);
  FeedSyncOptions options;
  options.max_backoff = absl::Seconds(350);
  v1::FeedStatus state;
  state.set_etag("\"kept\"");
  const absl::Time t0 = absl::FromUnixSeconds(1800000000);
  SyncFeed(feed, &sink, options, t0, &state);
  EXPECT_FALSE(state.ok());
  EXPECT_NE(state.result().find("HTTP 500"), std::string::npos) << state.result();
  EXPECT_EQ(state.failures(), 1u);
  EXPECT_EQ(state.next_run().seconds(), absl::ToUnixSeconds(t0 + absl::Seconds(200)));
  SyncFeed(feed, &sink, options, t0, &state);
  EXPECT_EQ(state.next_run().seconds(), absl::ToUnixSeconds(t0 + absl::Seconds(350)));  // 400, capped
  EXPECT_EQ(state.etag(), "\"kept\"");

  // A broken feed: its complete items are kept, the poll fails.
  feed.set_url(Url("/feed/broken.xml"));
  v1::FeedStatus broken;
  ImportStats stats = SyncFeed(feed, &sink, options, t0, &broken);
  EXPECT_FALSE(broken.ok());
  EXPECT_NE(broken.result().find("rejected"), std::string::npos) << broken.result();
  EXPECT_EQ(stats.added, 1u);
  EXPECT_TRUE(broken.etag().empty());  // fetched again next time, not hidden by a 304
}

TEST(FeedState, SavedAndNamesTheSite) {
  chaja::testing::TempDir data("feed_state");
  std::filesystem::create_directory(data.path() + "/blog");
  v1::FeedStates states;
  FeedStateFor("https://a.tistory.com/rss", &states)->set_channel_title("AI 탐구노트");
  ASSERT_TRUE(index::SaveFeedStates(data.path(), "blog", states).ok());
  absl::StatusOr<index::SiteSettings> settings = index::LoadSiteSettings(data.path(), "blog");
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->display_name, "AI 탐구노트");
  WriteAll(data.path() + "/blog/site.json", R"({"displayName": "내 블로그", "feeds": [{"url": "https://a.tistory.com/rss"}]})");
  settings = index::LoadSiteSettings(data.path(), "blog");
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->display_name, "내 블로그");
  ASSERT_EQ(settings->feeds.size(), 1u);
  FeedSyncOptions options;
  EXPECT_EQ(FeedInterval(settings->feeds[0], options), absl::Minutes(15));
  WriteAll(data.path() + "/blog/site.json", R"({"feeds": [{"url": "ftp://a/rss"}]})");
  EXPECT_EQ(index::LoadSiteSettings(data.path(), "blog").status().code(), absl::StatusCode::kInvalidArgument);
  WriteAll(data.path() + "/blog/site.json", R"({"feeds": [{"url": "https://a/rss", "rssCategories": "x"}]})");
  EXPECT_EQ(index::LoadSiteSettings(data.path(), "blog").status().code(), absl::StatusCode::kInvalidArgument);
}

// The category rules on the fixture feeds.
std::vector<v1::Article> ReadFeed(const std::string& name, RssCategories mode, const std::string& url = "") {
  ReaderOptions options;
  options.rss_categories = mode;
  options.feed_url = url;
  std::unique_ptr<RecordReader> reader = RecordReaderForBytes(
      name, name, ReadAll(std::string(CHAJA_FEED_TESTDATA) + "/" + name), Format::kAuto, options);
  std::vector<v1::Article> out;
  Record record;
  while (reader->Next(&record)) {
    EXPECT_TRUE(record.article.ok()) << record.location << ": " << record.article.status();
    if (record.article.ok()) out.push_back(*record.article);
  }
  return out;
}

std::vector<std::string> Tags(const v1::Article& a) { return {a.tags().begin(), a.tags().end()}; }

TEST(TistoryFeed, FirstCategoryIsTheCategoryTheRestAreTags) {
  std::vector<v1::Article> posts = ReadFeed("tistory.xml", RssCategories::kAuto);
  ASSERT_EQ(posts.size(), 3u);
  EXPECT_EQ(posts[0].category(), "AI 관련 소식");
  EXPECT_EQ(Tags(posts[0]), (std::vector<std::string>{"LLM", "오픈소스"}));
  EXPECT_EQ(posts[1].category(), "공부 기록/딥러닝");
  EXPECT_EQ(Tags(posts[1]), (std::vector<std::string>{"파이토치", "어텐션"}));
  EXPECT_EQ(posts[2].category(), "");
  EXPECT_TRUE(posts[2].tags().empty());
  // The flag overrides the recognition.
  posts = ReadFeed("tistory.xml", RssCategories::kAllTags);
  EXPECT_EQ(posts[0].category(), "");
  EXPECT_EQ(Tags(posts[0]), (std::vector<std::string>{"AI 관련 소식", "LLM", "오픈소스"}));
}

TEST(TistoryFeed, RecognisedByHostWithoutTheGenerator) {
  // The WordPress fixture served from a tistory.com URL counts as Tistory's.
  std::vector<v1::Article> posts = ReadFeed("wordpress.xml", RssCategories::kAuto, "https://x.tistory.com/rss");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].category(), "개발");
}

TEST(WordPressFeed, KeepsEveryCategoryAsATag) {
  std::vector<v1::Article> posts = ReadFeed("wordpress.xml", RssCategories::kAuto);
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].category(), "");
  EXPECT_EQ(Tags(posts[0]), (std::vector<std::string>{"개발", "Rust", "CLI"}));
  posts = ReadFeed("wordpress.xml", RssCategories::kFirstIsCategory);
  EXPECT_EQ(posts[0].category(), "개발");
  EXPECT_EQ(Tags(posts[0]), (std::vector<std::string>{"Rust", "CLI"}));
}

TEST(TistoryFeed, RecognisedByTheGeneratorOnItsOwnDomain) {
  // A Tistory blog on a custom domain: only <generator>TISTORY</generator> tells.
  std::string text = ReadAll(std::string(CHAJA_FEED_TESTDATA) + "/tistory.xml");
  for (size_t at; (at = text.find("aitamgu.tistory.com")) != std::string::npos;) {
    text.replace(at, strlen("aitamgu.tistory.com"), "blog.example.kr");
  }
  FeedReader reader("custom", text, Format::kRss, ReaderOptions());
  Record record;
  ASSERT_TRUE(reader.Next(&record));
  ASSERT_TRUE(record.article.ok()) << record.article.status();
  EXPECT_EQ(record.article->category(), "AI 관련 소식");
  EXPECT_EQ(Tags(*record.article), (std::vector<std::string>{"LLM", "오픈소스"}));
}

TEST(TistoryFeed, ChannelTitleIsRead) {
  FeedReader reader("t", ReadAll(std::string(CHAJA_FEED_TESTDATA) + "/tistory.xml"), Format::kRss, ReaderOptions());
  Record record;
  while (reader.Next(&record)) {
  }
  EXPECT_EQ(reader.channel_title(), "AI 탐구노트");
  EXPECT_TRUE(reader.is_tistory());
}

}  // namespace
}  // namespace chaja::indexer
