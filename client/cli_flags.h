// Command-line parsing shared by chaja, chaja-indexer and chaja-searchd.
//
// absl::ParseCommandLine exits with status 1 on an unknown flag or a bad
// value, the status our programs use for "some records rejected" or "the
// call failed". Here every flag is checked first: a usage error exits with
// status 2 and one usage line. --version prints the project version and the
// commit the build was configured from.
#ifndef CHAJA_CLIENT_CLI_FLAGS_H_
#define CHAJA_CLIENT_CLI_FLAGS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace chaja::cli {

// "chaja 0.1.0 (commit 0123abcd4567)"; "(commit unknown)" when built outside git.
std::string VersionString(absl::string_view program);

// OK, or INVALID_ARGUMENT naming the first flag in `argv` (argv[0] is the
// program) that is not registered, lacks its value or has a bad one. Stops at
// "--"; "-" alone and words not starting with '-' are positional. Values are
// parsed into the flags, as the real parse will do again.
absl::Status CheckFlags(const std::vector<std::string>& argv);

// Sets the usage message and --version's text, checks the flags (a usage
// error prints "PROGRAM: REASON" and `usage_line` to stderr and exits 2), then
// parses them as absl::ParseCommandLine does and returns the positional
// arguments (argv[0] first).
std::vector<char*> ParseFlagsOrExit(int argc, char** argv, absl::string_view program, absl::string_view usage,
                                    absl::string_view usage_line);

}  // namespace chaja::cli

#endif  // CHAJA_CLIENT_CLI_FLAGS_H_
