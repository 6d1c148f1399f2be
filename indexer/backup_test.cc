// Backups (index/backup.h): a copy of a site taken while a writer commits
// holds exactly the revision its manifest names, a restore makes that
// revision another site (or replaces a site a reader has open), and the
// refusals leave everything as it was.
#include "index/backup.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <xapian.h>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "index/site.h"
#include "index/site_writer.h"
#include "search/site_reader.h"
#include "testing/sites.h"
#include "testing/temp_dir.h"

namespace chaja::index {
namespace {

namespace fs = std::filesystem;

// Every document's data by document id: what a site holds, byte for byte.
using Contents = std::map<Xapian::docid, std::string>;

Contents ReadContents(const std::string& db_path) {
  Contents contents;
  const Xapian::Database db(db_path);
  for (Xapian::PostingIterator it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
    contents[*it] = db.get_document(*it).get_data();
  }
  return contents;
}

std::string DatabasePath(const std::string& data_dir, const std::string& site) {
  return *SiteDatabasePath(data_dir, site);
}

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::vector<v1::Article>> written =
        chaja::testing::WriteSiteFromJsonl(data_, "blog", chaja::testing::SampleBlogPath());
    ASSERT_TRUE(written.ok()) << written.status();
    articles_ = *std::move(written);
  }

  chaja::testing::TempDir dir_{"backup_test"};
  const std::string data_ = dir_.path() + "/data";
  const std::string backup_ = dir_.path() + "/backup";
  std::vector<v1::Article> articles_;
};

// A writer that keeps changing one article after another and commits each
// change, recording what every revision it made holds.
class LiveWriter {
 public:
  LiveWriter(std::string data_dir, std::vector<v1::Article> articles)
      : data_(std::move(data_dir)), articles_(std::move(articles)) {
    Record();
    thread_ = std::thread([this] { Run(); });
  }
  ~LiveWriter() { Stop(); }

  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  void WaitForCommits(int n) const {
    for (const int target = commits_ + n; commits_ < target && !failed_;) std::this_thread::yield();
  }
  bool failed() const { return failed_; }
  // What revision `revision` held; empty if this writer did not make it.
  Contents At(Xapian::rev revision) {
    std::lock_guard<std::mutex> lock(mu_);
    return revisions_.count(revision) ? revisions_[revision] : Contents();
  }

 private:
  void Run() {
    absl::StatusOr<std::unique_ptr<SiteWriter>> writer = SiteWriter::Open(data_, "blog");
    if (!writer.ok()) {
      failed_ = true;
      return;
    }
    for (int change = 0; !stop_; ++change) {
      v1::Article article = articles_[change % articles_.size()];
      article.set_title(absl::StrCat(article.title(), " (고침 ", change, ")"));
      if (!(*writer)->Upsert(article).ok() || !(*writer)->Commit().ok()) {
        failed_ = true;
        return;
      }
      Record();
      ++commits_;
      // Paced like a busy live site (searchd commits streams at most every
      // 250 ms): back-to-back commits on a loaded machine discarded the
      // revision being copied in each of the backup's attempts.
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  void Record() {
    const std::string path = DatabasePath(data_, "blog");
    const Xapian::rev revision = Xapian::Database(path).get_revision();
    Contents contents = ReadContents(path);
    std::lock_guard<std::mutex> lock(mu_);
    revisions_[revision] = std::move(contents);
  }

  const std::string data_;
  const std::vector<v1::Article> articles_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> failed_{false};
  std::atomic<int> commits_{0};
  std::mutex mu_;
  std::map<Xapian::rev, Contents> revisions_;
};

TEST_F(BackupTest, ABackupOfALiveSiteRestoresEveryArticleOfItsRevision) {
  LiveWriter writer(data_, articles_);
  writer.WaitForCommits(3);
  // Usually a few commits land during the copy too (0–4 in 10 runs).
  absl::StatusOr<BackupManifest> manifest = BackupSite(data_, "blog", backup_);
  writer.WaitForCommits(3);  // commits on both sides of the copy
  writer.Stop();
  ASSERT_FALSE(writer.failed());
  ASSERT_TRUE(manifest.ok()) << manifest.status();
  EXPECT_EQ(manifest->site, "blog");
  EXPECT_EQ(manifest->documents, articles_.size());
  EXPECT_FALSE(manifest->created.empty());
  EXPECT_FALSE(manifest->chaja_version.empty());
  const Contents expected = writer.At(manifest->revision);
  ASSERT_EQ(expected.size(), articles_.size()) << "the manifest names revision " << manifest->revision
                                               << ", which the writer never made";

  const std::string other_data = dir_.path() + "/other";
  absl::StatusOr<BackupManifest> restored = RestoreSite(backup_, other_data, "copy", /*force=*/false);
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ(restored->revision, manifest->revision);
  EXPECT_EQ(ReadContents(DatabasePath(other_data, "copy")), expected);
  // The live site moved on: the copy is the revision, not the site now.
  EXPECT_NE(ReadContents(DatabasePath(data_, "blog")), expected);
}

TEST_F(BackupTest, TheCopyIsOfTheRevisionTheHandleReadsNotTheNewest) {
  const std::string path = DatabasePath(data_, "blog");
  Xapian::Database pinned(path);
  const Contents at_open = ReadContents(path);
  const Xapian::rev revision = pinned.get_revision();
  {
    auto writer = SiteWriter::Open(data_, "blog");
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Delete(articles_[0].id()).ok());
    ASSERT_TRUE((*writer)->Commit().ok());  // one commit: the old revision's blocks are still there
  }
  absl::StatusOr<BackupManifest> manifest = BackupDatabase(pinned, "blog", backup_);
  ASSERT_TRUE(manifest.ok()) << manifest.status();
  EXPECT_EQ(manifest->revision, revision);
  EXPECT_EQ(manifest->documents, articles_.size());
  ASSERT_TRUE(RestoreSite(backup_, data_, "copy", /*force=*/false).ok());
  EXPECT_EQ(ReadContents(DatabasePath(data_, "copy")), at_open);
  EXPECT_EQ(ReadContents(path).size(), articles_.size() - 1);
}

TEST_F(BackupTest, ARevisionRecycledBeforeTheCopyIsRetriedOnTheNewest) {
  const std::string path = DatabasePath(data_, "blog");
  Xapian::Database pinned(path);
  {
    // Rewriting every article several times reuses the blocks of the revision
    // `pinned` reads: Xapian then reports DatabaseModifiedError.
    auto writer = SiteWriter::Open(data_, "blog");
    ASSERT_TRUE(writer.ok());
    for (int round = 0; round < 5; ++round) {
      for (v1::Article article : articles_) {
        article.set_body(absl::StrCat(article.body(), " 다시 ", round));
        ASSERT_TRUE((*writer)->Upsert(article).ok());
      }
      ASSERT_TRUE((*writer)->Commit().ok());
    }
  }
  const Xapian::rev newest = Xapian::Database(path).get_revision();
  absl::StatusOr<BackupManifest> manifest = BackupDatabase(pinned, "blog", backup_);
  ASSERT_TRUE(manifest.ok()) << manifest.status();
  EXPECT_EQ(manifest->revision, newest);
  ASSERT_TRUE(RestoreSite(backup_, data_, "copy", /*force=*/false).ok());
  EXPECT_EQ(ReadContents(DatabasePath(data_, "copy")), ReadContents(path));
}

TEST_F(BackupTest, ARestoreReplacesTheSiteAReaderHasOpen) {
  ASSERT_TRUE(BackupSite(data_, "blog", backup_).ok());
  const Contents backed_up = ReadContents(DatabasePath(data_, "blog"));
  {
    auto writer = SiteWriter::Open(data_, "blog");
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Delete(articles_[0].id()).ok());
    ASSERT_TRUE((*writer)->Commit().ok());
  }
  absl::StatusOr<std::unique_ptr<search::SiteReader>> reader = search::SiteReader::Open(DatabasePath(data_, "blog"));
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_FALSE((*reader)->GetArticle(articles_[0].id()).ok());

  ASSERT_TRUE(RestoreSite(backup_, data_, "blog", /*force=*/true).ok());
  ASSERT_TRUE((*reader)->Refresh().ok());  // what searchd does before a request
  EXPECT_EQ((*reader)->doc_count(), articles_.size());
  for (const v1::Article& article : articles_) {
    absl::StatusOr<v1::Article> read = (*reader)->GetArticle(article.id());
    ASSERT_TRUE(read.ok()) << article.id() << ": " << read.status();
    EXPECT_EQ(read->title(), article.title());
    EXPECT_EQ(read->body(), article.body());
  }
  EXPECT_EQ(ReadContents(DatabasePath(data_, "blog")), backed_up);
}

TEST_F(BackupTest, TheSiteSettingsTravelWithTheBackup) {
  const std::string settings = R"({"timeZone": "Europe/Paris"})";
  std::ofstream(data_ + "/blog/site.json") << settings;
  ASSERT_TRUE(BackupSite(data_, "blog", backup_).ok());
  const std::string other_data = dir_.path() + "/other";
  ASSERT_TRUE(RestoreSite(backup_, other_data, "copy", /*force=*/false).ok());
  std::ifstream in(other_data + "/copy/site.json");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()), settings);
}

TEST_F(BackupTest, ARestoreOverASiteWithArticlesNeedsForce) {
  ASSERT_TRUE(BackupSite(data_, "blog", backup_).ok());
  const Contents before = ReadContents(DatabasePath(data_, "blog"));
  absl::StatusOr<BackupManifest> restored = RestoreSite(backup_, data_, "blog", /*force=*/false);
  EXPECT_EQ(restored.status().code(), absl::StatusCode::kFailedPrecondition) << restored.status();
  EXPECT_NE(restored.status().message().find("--force"), absl::string_view::npos) << restored.status();
  EXPECT_EQ(ReadContents(DatabasePath(data_, "blog")), before);
}

TEST_F(BackupTest, ARestoreIntoASiteAnotherWriterHoldsIsUnavailable) {
  ASSERT_TRUE(BackupSite(data_, "blog", backup_).ok());  // backups need no lock
  auto writer = SiteWriter::Open(data_, "blog");
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE(BackupSite(data_, "blog", dir_.path() + "/while-locked").ok());
  absl::StatusOr<BackupManifest> restored = RestoreSite(backup_, data_, "blog", /*force=*/true);
  EXPECT_EQ(restored.status().code(), absl::StatusCode::kUnavailable) << restored.status();
  EXPECT_NE(restored.status().message().find("stop that writer"), absl::string_view::npos) << restored.status();
}

TEST_F(BackupTest, ABackupIntoAFolderWithFilesIsRefused) {
  fs::create_directories(backup_);
  std::ofstream(backup_ + "/keep.txt") << "an older backup";
  absl::StatusOr<BackupManifest> manifest = BackupSite(data_, "blog", backup_);
  EXPECT_EQ(manifest.status().code(), absl::StatusCode::kFailedPrecondition) << manifest.status();
  EXPECT_FALSE(fs::exists(backup_ + "/xapian"));
  EXPECT_FALSE(fs::exists(backup_ + "/manifest.txt"));
  // An empty folder is fine.
  const std::string empty = dir_.path() + "/empty";
  fs::create_directories(empty);
  EXPECT_TRUE(BackupSite(data_, "blog", empty).ok());
}

TEST_F(BackupTest, ABackupOfAMissingSiteIsNotFound) {
  absl::StatusOr<BackupManifest> manifest = BackupSite(data_, "nosuchsite", backup_);
  EXPECT_EQ(manifest.status().code(), absl::StatusCode::kNotFound) << manifest.status();
  EXPECT_NE(manifest.status().message().find("nosuchsite"), absl::string_view::npos);
  EXPECT_FALSE(fs::exists(backup_));
  EXPECT_FALSE(fs::exists(data_ + "/nosuchsite"));
}

TEST_F(BackupTest, ARestoreFromADamagedBackupChangesNothing) {
  ASSERT_TRUE(BackupSite(data_, "blog", backup_).ok());
  const std::string manifest = backup_ + "/manifest.txt";
  std::string text;
  {
    std::ifstream in(manifest);
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const size_t count = text.find("documents: ");
  ASSERT_NE(count, std::string::npos) << text;
  const std::string wrong_count = std::string(text).replace(count, text.find('\n', count) - count, "documents: 7");
  const std::string other_data = dir_.path() + "/other";
  const std::vector<std::string> damaged = {"", "not a manifest\n", text.substr(0, count), wrong_count};
  for (const std::string& bad : damaged) {
    std::ofstream(manifest, std::ios::trunc) << bad;
    absl::StatusOr<BackupManifest> restored = RestoreSite(backup_, other_data, "copy", /*force=*/false);
    EXPECT_EQ(restored.status().code(), absl::StatusCode::kDataLoss) << bad << "\n" << restored.status();
    EXPECT_FALSE(fs::exists(other_data + "/copy")) << bad;
  }
  std::ofstream(manifest, std::ios::trunc) << text;
  std::ofstream(backup_ + "/xapian/iamglass", std::ios::trunc) << "garbage";
  EXPECT_EQ(RestoreSite(backup_, other_data, "copy", false).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_FALSE(fs::exists(other_data + "/copy"));
}

}  // namespace
}  // namespace chaja::index
