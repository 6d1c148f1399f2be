#include "client/cli_flags.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

#ifndef CHAJA_VERSION
#define CHAJA_VERSION "unknown"
#endif
#ifndef CHAJA_GIT_COMMIT
#define CHAJA_GIT_COMMIT "unknown"
#endif

namespace chaja::cli {
namespace {

// absl's help and version flags are not registered flags.
bool IsUsageFlag(absl::string_view name) {
  static constexpr absl::string_view kUsageFlags[] = {"help",    "helpfull",        "helpshort", "helppackage",
                                                      "version", "only_check_args", "helpon",    "helpmatch"};
  return std::find(std::begin(kUsageFlags), std::end(kUsageFlags), name) != std::end(kUsageFlags);
}

// Checks argv[*i] (a flag) and moves *i past its value when that is the next word.
absl::Status CheckOneFlag(const std::vector<std::string>& argv, size_t* i) {
  const std::string& arg = argv[*i];
  absl::string_view name = arg;
  if (!absl::ConsumePrefix(&name, "--")) absl::ConsumePrefix(&name, "-");
  const size_t eq = name.find('=');
  const bool has_value = eq != absl::string_view::npos;
  const std::string value = has_value ? std::string(name.substr(eq + 1)) : "";
  if (has_value) name = name.substr(0, eq);
  if (IsUsageFlag(name)) return absl::OkStatus();
  absl::CommandLineFlag* flag = name.empty() ? nullptr : absl::FindCommandLineFlag(name);
  if (flag == nullptr && absl::StartsWith(name, "no")) {
    absl::CommandLineFlag* negated = absl::FindCommandLineFlag(name.substr(2));
    if (negated != nullptr && negated->IsOfType<bool>()) {
      if (has_value) return absl::InvalidArgumentError(absl::StrCat("--", name, " takes no value"));
      return absl::OkStatus();
    }
  }
  if (flag == nullptr) return absl::InvalidArgumentError(absl::StrCat("unknown flag ", arg.substr(0, arg.find('='))));
  std::string text = value;
  if (!has_value) {
    if (flag->IsOfType<bool>()) return absl::OkStatus();
    // ("--" ends the flags: `chaja search x --site` reaches here as "--site --").
    if (*i + 1 >= argv.size() || argv[*i + 1] == "--") {
      return absl::InvalidArgumentError(absl::StrCat("--", name, " needs a value"));
    }
    text = argv[++*i];
  }
  std::string error;
  if (!flag->ParseFrom(text, &error)) {
    return absl::InvalidArgumentError(absl::StrCat("bad value \"", text, "\" for --", name, ": ", error));
  }
  return absl::OkStatus();
}

}  // namespace

std::string VersionString(absl::string_view program) {
  return absl::StrCat(program, " ", CHAJA_VERSION, " (commit ", CHAJA_GIT_COMMIT, ")");
}

absl::Status CheckFlags(const std::vector<std::string>& argv) {
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg == "--") break;
    if (arg.size() < 2 || arg[0] != '-') continue;
    if (absl::Status s = CheckOneFlag(argv, &i); !s.ok()) return s;
  }
  return absl::OkStatus();
}

std::vector<char*> ParseFlagsOrExit(int argc, char** argv, absl::string_view program, absl::string_view usage,
                                    absl::string_view usage_line) {
  absl::SetProgramUsageMessage(usage);
  absl::FlagsUsageConfig config;
  const std::string version = VersionString(program);
  config.version_string = [version] { return absl::StrCat(version, "\n"); };
  absl::SetFlagsUsageConfig(config);
  if (absl::Status s = CheckFlags(std::vector<std::string>(argv, argv + argc)); !s.ok()) {
    std::fprintf(stderr, "%s: %s\nusage: %s\n", std::string(program).c_str(), std::string(s.message()).c_str(),
                 std::string(usage_line).c_str());
    std::exit(2);
  }
  return absl::ParseCommandLine(argc, argv);
}

}  // namespace chaja::cli
