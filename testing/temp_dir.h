// chaja::testing::TempDir: a fresh folder for one test (or one suite), made
// with mkdtemp under the system temporary folder (TMPDIR, else /tmp) and
// removed with everything in it when the TempDir is destroyed.
//
//   chaja::testing::TempDir dir("site_writer_test");  // /tmp/chaja_site_writer_test.a1B2c3
//   auto writer = index::SiteWriter::Open(dir.path(), "blog");
//
// Not gtest's ::testing::TempDir() (a function naming the temporary folder).
// Part of chaja_testing (testing/CMakeLists.txt); needs nothing from Chaja.
#ifndef CHAJA_TESTING_TEMP_DIR_H_
#define CHAJA_TESTING_TEMP_DIR_H_

#include <string>

namespace chaja::testing {

class TempDir {
 public:
  // Creates <temp>/chaja_<name>.XXXXXX. Throws std::system_error if mkdtemp
  // fails; gtest reports an exception from a fixture's constructor, SetUp or
  // SetUpTestSuite as that test's failure.
  explicit TempDir(const std::string& name = "test");
  // Removes the folder and everything in it (errors are ignored).
  ~TempDir();

  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // The folder's absolute path, without a trailing slash; empty once moved from.
  const std::string& path() const { return path_; }

 private:
  void Remove();
  std::string path_;
};

}  // namespace chaja::testing

#endif  // CHAJA_TESTING_TEMP_DIR_H_
