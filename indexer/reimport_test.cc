// Re-running an import of the same file analyses nothing: every article is
// found unchanged by its content hash before DocumentBuilder would run.
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "index/site_writer.h"
#include "indexer/importer.h"

namespace chaja::indexer {
namespace {

class ReimportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "chaja_reimport_test.XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    data_dir_ = tmpl;
    file_ = data_dir_ + "/articles.jsonl";
    std::ofstream out(file_);
    for (int i = 0; i < kArticles; ++i) {
      out << R"({"id": "post-)" << i << R"(", "title": "제목 )" << i << R"(", "body": "한국어 본문입니다 )" << i
          << R"(", "tags": ["태그"], "published": "2025-01-01T00:00:00Z"})" << "\n";
    }
    ASSERT_TRUE(out.good());
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(data_dir_, ec);
  }

  // One run of `chaja-indexer FILE`: a fresh writer and importer, in batches of 7.
  // Returns the importer's stats and how many documents the writer built.
  std::pair<ImportStats, size_t> Run() {
    absl::StatusOr<std::unique_ptr<index::SiteWriter>> writer = index::SiteWriter::Open(data_dir_, "blog");
    EXPECT_TRUE(writer.ok()) << writer.status();
    if (!writer.ok()) return {};
    ImportOptions options;
    options.batch_size = 7;
    Importer importer(writer->get(), options, ImportReporter());
    EXPECT_TRUE(importer.Import(file_).ok());
    EXPECT_TRUE(importer.Finish().ok());
    return {importer.stats(), (*writer)->documents_built()};
  }

  static constexpr int kArticles = 30;
  std::string data_dir_;
  std::string file_;
};

TEST_F(ReimportTest, ReimportingTheSameFileAnalysesNothing) {
  const auto [first, built_first] = Run();
  EXPECT_EQ(first.added, size_t{kArticles});
  EXPECT_EQ(built_first, size_t{kArticles});

  const auto [second, built_second] = Run();
  EXPECT_EQ(second.records, size_t{kArticles});
  EXPECT_EQ(second.unchanged, size_t{kArticles});
  EXPECT_EQ(second.indexed, 0u);
  EXPECT_EQ(built_second, 0u);
}

}  // namespace
}  // namespace chaja::indexer
