// SiteRegistry's reader budget (issue 16): the least recently used sites are
// closed to keep the open readers within it, a site a request holds is never
// closed under it, a closed site opens again on demand, and a scan of all
// sites (ListSites) does not close the sites in use.
#include "searchd/site_registry.h"

#include <filesystem>
#include <future>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "index/site_writer.h"
#include "searchd/file_limit.h"
#include "searchd/search_backend.h"
#include "testing/temp_dir.h"

namespace chaja::searchd {
namespace {

class SiteRegistryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir("site_registry_test");
    for (int i = 0; i < kSites; ++i) Write(Name(i));
  }
  static void TearDownTestSuite() { delete dir_; }

  static std::string Name(int i) { return absl::StrCat("site", i); }

  static void Write(const std::string& site) {
    absl::StatusOr<std::unique_ptr<index::SiteWriter>> writer = index::SiteWriter::Open(dir_->path(), site);
    ASSERT_TRUE(writer.ok()) << writer.status();
    for (int n = 0; n < 3; ++n) {
      v1::Article article;
      article.set_id(absl::StrCat(site, "-", n));
      article.set_body(n == 0 ? "우분투 설치 방법" : "리눅스 커널");
      ASSERT_TRUE((*writer)->Upsert(article).ok());
    }
    ASSERT_TRUE((*writer)->Commit().ok());
  }

  // Reads `site` through the registry: its post count, or -1.
  static int64_t DocCount(SiteRegistry* registry, const std::string& site) {
    absl::StatusOr<std::shared_ptr<ServedSite>> served = registry->Get(site);
    if (!served.ok()) return -1;
    absl::StatusOr<int64_t> count = (*served)->Read<int64_t>(
        [](search::SiteReader& reader, const search::SiteView&) -> absl::StatusOr<int64_t> {
          return static_cast<int64_t>(reader.doc_count());
        });
    return count.ok() ? *count : -1;
  }

  static std::set<std::string> OpenSites(SiteRegistry* registry) {
    std::set<std::string> names;
    for (const auto& site : registry->Sites()) names.insert(site->name());
    return names;
  }

  static constexpr int kSites = 40;
  static testing::TempDir* dir_;
};

testing::TempDir* SiteRegistryTest::dir_ = nullptr;

TEST_F(SiteRegistryTest, ClosesTheLeastRecentlyUsedSiteFirst) {
  SiteRegistry registry(dir_->path(), {}, nullptr, /*max_open_readers=*/3);
  for (const char* site : {"site0", "site1", "site2"}) ASSERT_EQ(DocCount(&registry, site), 3);
  ASSERT_EQ(DocCount(&registry, "site0"), 3);  // site1 is now the least recently used
  ASSERT_EQ(DocCount(&registry, "site3"), 3);
  EXPECT_EQ(OpenSites(&registry), (std::set<std::string>{"site0", "site2", "site3"}));
  ASSERT_EQ(DocCount(&registry, "site4"), 3);
  EXPECT_EQ(OpenSites(&registry), (std::set<std::string>{"site0", "site3", "site4"}));
  EXPECT_EQ(registry.sites_closed(), 2u);
  EXPECT_EQ(registry.open_readers(), 3);
}

TEST_F(SiteRegistryTest, NeverClosesASiteARequestIsReading) {
  SiteRegistry registry(dir_->path(), {}, nullptr, /*max_open_readers=*/2);
  absl::StatusOr<std::shared_ptr<ServedSite>> busy = registry.Get("site0");
  ASSERT_TRUE(busy.ok()) << busy.status();
  std::promise<void> reading, finish;
  auto read = std::async(std::launch::async, [&, site = *busy] {
    return site->Read<int64_t>([&](search::SiteReader& reader, const search::SiteView&) -> absl::StatusOr<int64_t> {
      reading.set_value();
      finish.get_future().wait();  // the reader stays lent while other sites open
      return static_cast<int64_t>(reader.doc_count());
    });
  });
  busy->reset();  // only the request holds the site now, as in searchd
  reading.get_future().wait();
  for (int i = 1; i < 6; ++i) ASSERT_EQ(DocCount(&registry, Name(i)), 3);
  EXPECT_EQ(OpenSites(&registry), (std::set<std::string>{"site0", "site5"}));
  finish.set_value();
  absl::StatusOr<int64_t> count = read.get();
  ASSERT_TRUE(count.ok()) << count.status();
  EXPECT_EQ(*count, 3);
  EXPECT_EQ(registry.open_readers(), 2);
}

TEST_F(SiteRegistryTest, AClosedSiteOpensAgainOnDemand) {
  SiteRegistry registry(dir_->path(), {}, nullptr, /*max_open_readers=*/1);
  absl::StatusOr<std::shared_ptr<ServedSite>> first = registry.Get("site0");
  ASSERT_TRUE(first.ok());
  v1::SiteStats before;
  (*first)->AddOpenStats(&before);
  EXPECT_EQ(before.open_readers(), 1u);
  std::weak_ptr<ServedSite> closed = *first;
  first->reset();
  ASSERT_EQ(DocCount(&registry, "site1"), 3);
  EXPECT_TRUE(closed.expired());  // site0 was closed whole: no snapshot or settings left behind
  ASSERT_EQ(DocCount(&registry, "site0"), 3);
  EXPECT_EQ(OpenSites(&registry), std::set<std::string>{"site0"});
  EXPECT_EQ(registry.sites_closed(), 2u);
}

TEST_F(SiteRegistryTest, OpenReadersAndFilesStayWithinTheBudget) {
  constexpr int64_t kBudget = 5;
  SiteRegistry registry(dir_->path(), {}, nullptr, kBudget);
  const uint64_t files_before = OpenFileCount();
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < kSites; ++i) {
      const int site = (i * 7 + round * 13) % kSites;  // every site, in a different order each round
      ASSERT_EQ(DocCount(&registry, Name(site)), 3) << Name(site);
      ASSERT_LE(registry.open_readers(), kBudget);
      ASSERT_LE(OpenFileCount(), files_before + kBudget * kFdsPerReader);
    }
  }
  EXPECT_EQ(registry.open_readers(), kBudget);
}

// kFdsPerReader, which sizes the default budget, is what a reader of a small
// site costs.
TEST_F(SiteRegistryTest, AReaderOfASmallSiteHoldsKFdsPerReaderFiles) {
  SiteRegistry registry(dir_->path(), {}, nullptr, kSites);
  const uint64_t files_before = OpenFileCount();
  for (int i = 0; i < kSites; ++i) ASSERT_EQ(DocCount(&registry, Name(i)), 3);
  const uint64_t files = OpenFileCount() - files_before;
  EXPECT_EQ(files, static_cast<uint64_t>(kSites * kFdsPerReader)) << files << " files for " << kSites << " readers";
}

TEST_F(SiteRegistryTest, ListingEverySiteKeepsTheOpenOnes) {
  SearchBackend backend(dir_->path(), {}, {}, {}, nullptr, /*max_open_readers=*/2);
  v1::SearchRequest request;
  request.set_query("우분투");
  for (const char* site : {"site0", "site1"}) {
    request.set_site(site);
    ASSERT_TRUE(backend.Search(request).ok());
  }
  absl::StatusOr<v1::ListSitesResponse> list = backend.ListSites();
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->sites_size(), kSites);
  for (const v1::SiteStats& stats : list->sites()) {
    const bool open = stats.name() == "site0" || stats.name() == "site1";
    EXPECT_EQ(stats.open_readers(), open ? 1u : 0u) << stats.name();
  }
  std::set<std::string> open;
  for (const auto& site : backend.ServedSites()) open.insert(site->name());
  EXPECT_EQ(open, (std::set<std::string>{"site0", "site1"}));
  EXPECT_EQ(backend.registry().open_readers(), 2);
}

TEST(DefaultMaxOpenReadersTest, KeepsAQuarterOfTheFilesAndCapsByMemory) {
  EXPECT_EQ(DefaultMaxOpenReaders(1024), (1024 - 256) / kFdsPerReader);
  EXPECT_EQ(DefaultMaxOpenReaders(256), (256 - 128) / kFdsPerReader);
  EXPECT_EQ(DefaultMaxOpenReaders(100), 1);
  EXPECT_EQ(DefaultMaxOpenReaders(1 << 20), kMaxDefaultOpenReaders);
}

}  // namespace
}  // namespace chaja::searchd
