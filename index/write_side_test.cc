// The write side's failure paths and costs: AdoptDatabase when renames fail,
// no analysis of unchanged articles, and a process environment left alone.
//
// Renames are made to fail by interposing rename(): std::filesystem::rename
// calls the C library's rename() through libstdc++'s PLT, so the definition
// below (exported by this executable) is the one that runs. It forwards to the
// real rename() unless a test listed the source path in FailRenamesFrom.
#include <dlfcn.h>
#include <stdlib.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "index/bulk_builder.h"
#include "index/site.h"
#include "index/site_writer.h"

namespace {

std::mutex failing_mu;
std::set<std::string>* failing_sources = new std::set<std::string>();  // never destroyed: rename() may run at exit

// Makes rename(from, …) fail with EIO for every `from` in `sources` until the
// next call (an empty set restores the real rename).
void FailRenamesFrom(std::set<std::string> sources) {
  std::lock_guard<std::mutex> lock(failing_mu);
  *failing_sources = std::move(sources);
}

}  // namespace

extern "C" int rename(const char* from, const char* to) noexcept {
  {
    std::lock_guard<std::mutex> lock(failing_mu);
    if (failing_sources->count(from) != 0) {
      errno = EIO;
      return -1;
    }
  }
  using RenameFn = int (*)(const char*, const char*);
  static const RenameFn real = reinterpret_cast<RenameFn>(dlsym(RTLD_NEXT, "rename"));
  return real(from, to);
}

namespace chaja::index {
namespace {

namespace fs = std::filesystem;

v1::Article MakeArticle(const std::string& id, const std::string& title, const std::string& body) {
  v1::Article article;
  article.set_id(id);
  article.set_title(title);
  article.set_body(body);
  article.mutable_published()->set_seconds(1735689600);  // 2025-01-01T00:00:00Z
  return article;
}

class WriteSideTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "chaja_write_side_test.XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    data_dir_ = tmpl;
    db_path_ = *SiteDatabasePath(data_dir_, "blog");
  }
  void TearDown() override {
    FailRenamesFrom({});
    std::error_code ec;
    fs::remove_all(data_dir_, ec);
  }

  std::unique_ptr<SiteWriter> OpenWriter() {
    absl::StatusOr<std::unique_ptr<SiteWriter>> writer = SiteWriter::Open(data_dir_, "blog");
    EXPECT_TRUE(writer.ok()) << writer.status();
    return writer.ok() ? *std::move(writer) : nullptr;
  }

  // A database with one article, built apart from the site (as BulkBuilder does).
  std::string BuildDatabaseElsewhere() {
    const std::string built = data_dir_ + "/built";
    Xapian::WritableDatabase db(built, Xapian::DB_CREATE);
    db.add_document(DocumentBuilder().Build(MakeArticle("new", "새 글", "새 본문")));
    db.commit();
    return built;
  }

  std::string data_dir_;
  std::string db_path_;
};

// The built database is missing: the old one is moved back and still written to.
TEST_F(WriteSideTest, AdoptingAMissingDatabaseFailsAndKeepsTheOldOne) {
  std::unique_ptr<SiteWriter> writer = OpenWriter();
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(writer->Upsert(MakeArticle("a", "사과", "사과 본문")).ok());
  ASSERT_TRUE(writer->Commit().ok());

  absl::Status adopted;
  EXPECT_NO_THROW(adopted = writer->AdoptDatabase(data_dir_ + "/no-such-database"));
  EXPECT_EQ(adopted.code(), absl::StatusCode::kInternal) << adopted;
  EXPECT_TRUE(fs::exists(db_path_ + "/iamglass"));
  EXPECT_FALSE(fs::exists(db_path_ + ".old"));
  ASSERT_TRUE(writer->Upsert(MakeArticle("b", "바나나", "바나나 본문")).ok());
  ASSERT_TRUE(writer->Commit().ok());
  EXPECT_EQ(Xapian::Database(db_path_).get_doccount(), 2u);
}

// Neither the built database nor, afterwards, the old one can be moved into
// place: a status that says where the old database is, not an exception
// (std::filesystem::rename without an error_code throws).
TEST_F(WriteSideTest, AdoptDatabaseReturnsAStatusWhenTheOldDatabaseCannotBeMovedBack) {
  std::unique_ptr<SiteWriter> writer = OpenWriter();
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(writer->Upsert(MakeArticle("a", "사과", "사과 본문")).ok());
  ASSERT_TRUE(writer->Commit().ok());
  const std::string built = BuildDatabaseElsewhere();

  FailRenamesFrom({built, db_path_ + ".old"});
  absl::Status adopted;
  EXPECT_NO_THROW(adopted = writer->AdoptDatabase(built));
  FailRenamesFrom({});
  EXPECT_EQ(adopted.code(), absl::StatusCode::kInternal) << adopted;
  EXPECT_TRUE(absl::StrContains(adopted.message(), db_path_ + ".old")) << adopted;
  EXPECT_TRUE(fs::exists(db_path_ + ".old/iamglass"));
  EXPECT_TRUE(fs::exists(built + "/iamglass"));
}

// Without injected failures the same call adopts the built database.
TEST_F(WriteSideTest, AdoptDatabaseMovesTheBuiltDatabaseIntoPlace) {
  std::unique_ptr<SiteWriter> writer = OpenWriter();
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(writer->Upsert(MakeArticle("a", "사과", "사과 본문")).ok());
  ASSERT_TRUE(writer->Commit().ok());
  const std::string built = BuildDatabaseElsewhere();

  ASSERT_TRUE(writer->AdoptDatabase(built).ok());
  EXPECT_FALSE(fs::exists(built));
  EXPECT_FALSE(fs::exists(db_path_ + ".old"));
  EXPECT_EQ(writer->doc_count(), 1u);
  EXPECT_EQ(*writer->AllIds(), std::vector<std::string>{"new"});
}

// An unchanged article is recognised by its content hash before it is
// analysed; a changed one is analysed once.
TEST_F(WriteSideTest, UnchangedArticlesAreNotAnalysed) {
  std::unique_ptr<SiteWriter> writer = OpenWriter();
  ASSERT_NE(writer, nullptr);
  SiteWriter::UpsertOutcome outcome;
  ASSERT_TRUE(writer->Upsert(MakeArticle("a", "사과", "사과 본문"), &outcome).ok());
  EXPECT_EQ(outcome, SiteWriter::UpsertOutcome::kAdded);
  ASSERT_TRUE(writer->Upsert(MakeArticle("b", "바나나", "바나나 본문"), &outcome).ok());
  ASSERT_TRUE(writer->Commit().ok());
  EXPECT_EQ(writer->documents_built(), 2u);

  ASSERT_TRUE(writer->Upsert(MakeArticle("a", "사과", "사과 본문"), &outcome).ok());
  EXPECT_EQ(outcome, SiteWriter::UpsertOutcome::kUnchanged);
  EXPECT_EQ(writer->documents_built(), 2u);
  EXPECT_EQ(writer->pending(), 0u);

  ASSERT_TRUE(writer->Upsert(MakeArticle("b", "바나나", "바뀐 본문"), &outcome).ok());
  EXPECT_EQ(outcome, SiteWriter::UpsertOutcome::kReplaced);
  EXPECT_EQ(writer->documents_built(), 3u);
  EXPECT_EQ(writer->pending(), 1u);
}

// Opening writers and bulk builds leaves the process environment alone
// (Xapian's XAPIAN_FLUSH_THRESHOLD is the program's business).
TEST_F(WriteSideTest, WritersDoNotChangeTheEnvironment) {
  const char* saved = getenv("XAPIAN_FLUSH_THRESHOLD");
  const std::string saved_value = saved != nullptr ? saved : "";
  ASSERT_EQ(unsetenv("XAPIAN_FLUSH_THRESHOLD"), 0);

  std::unique_ptr<SiteWriter> writer = OpenWriter();
  ASSERT_NE(writer, nullptr);
  EXPECT_EQ(getenv("XAPIAN_FLUSH_THRESHOLD"), nullptr);
  absl::StatusOr<std::unique_ptr<BulkBuilder>> bulk = BulkBuilder::Start(data_dir_, "blog", 2, writer.get());
  ASSERT_TRUE(bulk.ok()) << bulk.status();
  EXPECT_EQ(getenv("XAPIAN_FLUSH_THRESHOLD"), nullptr);
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE((*bulk)->Add(MakeArticle(absl::StrCat("p", i), "글", "본문"), nullptr).ok());
  }
  ASSERT_TRUE((*bulk)->Finish().ok());
  EXPECT_EQ(getenv("XAPIAN_FLUSH_THRESHOLD"), nullptr);
  EXPECT_EQ(writer->doc_count(), 50u);

  if (saved != nullptr) setenv("XAPIAN_FLUSH_THRESHOLD", saved_value.c_str(), 1);
}

}  // namespace
}  // namespace chaja::index
