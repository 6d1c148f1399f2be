#include "client/cli_flags.h"

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "gtest/gtest.h"

ABSL_FLAG(std::string, cli_test_name, "", "A string flag for the test.");
ABSL_FLAG(int, cli_test_count, 0, "An int flag for the test.");
ABSL_FLAG(bool, cli_test_switch, false, "A bool flag for the test.");

namespace chaja::cli {
namespace {

absl::Status Check(std::vector<std::string> args) {
  args.insert(args.begin(), "program");
  return CheckFlags(args);
}

TEST(CliFlagsTest, KnownFlagsInEveryFormPass) {
  EXPECT_TRUE(Check({"--cli_test_name=a", "--cli_test_count", "3", "word", "-cli_test_switch"}).ok());
  EXPECT_TRUE(Check({"--nocli_test_switch", "--cli_test_switch=false", "-", "--help"}).ok());
  EXPECT_EQ(absl::GetFlag(FLAGS_cli_test_count), 3);
  // After "--" everything is positional.
  EXPECT_TRUE(Check({"--", "--no_such_flag"}).ok());
}

TEST(CliFlagsTest, UnknownFlagIsNamed) {
  const absl::Status s = Check({"word", "--cli_test_nmae=x"});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(s.message(), "unknown flag --cli_test_nmae")) << s;
  EXPECT_FALSE(absl::StrContains(s.message(), "=x")) << s;
}

TEST(CliFlagsTest, MissingOrBadValuesAreRefused) {
  EXPECT_TRUE(absl::StrContains(Check({"--cli_test_name"}).message(), "needs a value"));
  EXPECT_TRUE(absl::StrContains(Check({"--cli_test_name", "--", "word"}).message(), "needs a value"));
  EXPECT_TRUE(absl::StrContains(Check({"--cli_test_count", "many"}).message(), "bad value \"many\""));
  EXPECT_TRUE(absl::StrContains(Check({"--cli_test_switch=maybe"}).message(), "bad value"));
  EXPECT_TRUE(absl::StrContains(Check({"--nocli_test_switch=1"}).message(), "takes no value"));
  // "no" only negates bool flags.
  EXPECT_FALSE(Check({"--nocli_test_count"}).ok());
}

TEST(CliFlagsTest, VersionSaysVersionAndCommit) {
  const std::string version = VersionString("chaja");
  EXPECT_TRUE(absl::StartsWith(version, "chaja 0.")) << version;
  EXPECT_TRUE(absl::StrContains(version, " (commit ")) << version;
  EXPECT_FALSE(absl::StrContains(version, "Debug build")) << version;
}

}  // namespace
}  // namespace chaja::cli
