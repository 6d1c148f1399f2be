#include "client/site_file.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "testing/temp_dir.h"

namespace chaja::client {
namespace {

class SiteFileTest : public ::testing::Test {
 protected:
  // A folder of its own: ctest runs these tests in parallel processes, and a
  // shared one was removed under a test by another's TearDown.
  void SetUp() override { std::filesystem::create_directories(data_ / "blog"); }

  std::string SiteJson() const {
    std::ifstream in(data_ / "blog" / "site.json");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  const chaja::testing::TempDir temp_dir_{"site_file_test"};
  const std::filesystem::path data_ = temp_dir_.path();
};

TEST_F(SiteFileTest, AddsRulesKeepsOtherSettingsAndSkipsRulesAlreadyThere) {
  std::ofstream(data_ / "blog" / "site.json") << R"({"displayName": "AI 탐구노트", "synonyms": ["도커, Docker"]})";
  absl::StatusOr<int> added = AddSynonymRules(data_.string(), "blog", {"테라폼, Terraform", "도커, Docker"});
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(*added, 1);
  const std::string json = SiteJson();
  EXPECT_NE(json.find("AI 탐구노트"), std::string::npos) << json;
  EXPECT_NE(json.find("도커, Docker"), std::string::npos) << json;
  EXPECT_NE(json.find("테라폼, Terraform"), std::string::npos) << json;
  EXPECT_FALSE(std::filesystem::exists(data_ / "blog" / "site.json.tmp"));
}

TEST_F(SiteFileTest, MakesTheFileWhenThereIsNone) {
  absl::StatusOr<int> added = AddSynonymRules(data_.string(), "blog", {"클로드, Claude"});
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(*added, 1);
  EXPECT_NE(SiteJson().find("클로드, Claude"), std::string::npos);
}

TEST_F(SiteFileTest, RefusesBadSitesAndFiles) {
  EXPECT_EQ(AddSynonymRules(data_.string(), "../blog", {"a, b"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(AddSynonymRules(data_.string(), "nosuch", {"a, b"}).status().code(), absl::StatusCode::kNotFound);
  std::ofstream(data_ / "blog" / "site.json") << R"({"unknownField": 1})";
  EXPECT_EQ(AddSynonymRules(data_.string(), "blog", {"a, b"}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SiteJson(), R"({"unknownField": 1})");  // left as it was
}

}  // namespace
}  // namespace chaja::client
