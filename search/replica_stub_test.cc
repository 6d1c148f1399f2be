// SiteReader over a replica's folder as xapian-replicate lays it out: a stub
// file XAPIANDB naming the live copy (replica_0 or replica_1). A full copy
// lands in the other sub-folder, the stub is renamed over XAPIANDB and the
// old copy deleted; Refresh() must then read the new copy (issue 16).
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <xapian.h>

#include "search/site_reader.h"
#include "testing/temp_dir.h"

namespace chaja::search {
namespace {

// A database at `path` with `docs` empty documents; its UUID.
std::string MakeDatabase(const std::string& path, int docs) {
  Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OVERWRITE);
  for (int i = 0; i < docs; ++i) db.add_document(Xapian::Document());
  db.commit();
  return db.get_uuid();
}

// Points the stub at `copy` the way xapian-replicate does: a new file renamed into place.
void WriteStub(const std::string& folder, const std::string& copy) {
  std::ofstream(folder + "/XAPIANDB.tmp") << "# replica stub\nauto " << copy << "\n";
  ASSERT_EQ(std::rename((folder + "/XAPIANDB.tmp").c_str(), (folder + "/XAPIANDB").c_str()), 0);
}

TEST(ReplicaStubTest, RefreshFollowsTheStubToANewCopy) {
  testing::TempDir dir("replica_stub_test");
  const std::string folder = dir.path() + "/xapian";
  ASSERT_EQ(mkdir(folder.c_str(), 0777), 0);
  MakeDatabase(folder + "/replica_0", 1);
  WriteStub(folder, "replica_0");
  absl::StatusOr<std::unique_ptr<SiteReader>> reader = SiteReader::Open(folder);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->doc_count(), 1u);

  const std::string new_uuid = MakeDatabase(folder + "/replica_1", 3);
  WriteStub(folder, "replica_1");
  std::filesystem::remove_all(folder + "/replica_0");  // the old copy goes, as after a switch

  ASSERT_TRUE((*reader)->Refresh().ok());
  absl::StatusOr<index::IndexVersion> version = (*reader)->Version();
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_EQ(version->uuid, new_uuid);
  EXPECT_EQ((*reader)->doc_count(), 3u);
}

}  // namespace
}  // namespace chaja::search
