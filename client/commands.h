// The chaja CLI's subcommands, as a library: main.cc only parses flags into a
// CliOptions and calls RunCommand, so every subcommand can be tested against
// a fake server.
//
//   search QUERY...     ranked hits (+ facets, + next page token)
//   tags [QUERY...]     tag cloud: tag counts over every post or a query's matches
//   categories [QUERY...]  the same for categories
//   related ID          the posts most related to an article, with the reasons
//   category [ID]       other posts of an article's category (or --category NAME)
//   archive YYYY-MM     a month as a calendar; archive YYYY: posts per month
//   get ID              one whole article
//   sites [NAME]        every site (or one site's stats)
//   stats queries       what readers searched for (owner data: --token_file)
//   cluster plan|proxy-config|move   placement of sites on node groups
#ifndef CHAJA_CLIENT_COMMANDS_H_
#define CHAJA_CLIENT_COMMANDS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "chaja/v1/search.pb.h"
#include "client/format.h"
#include "client/search_client.h"

namespace chaja::client {

// The usage text: every subcommand and its flags.
extern const char kUsage[];

// Everything the flags say, independent of absl::Flag.
struct CliOptions {
  std::string site;
  // 0: the server's default (10 hits, 5 related posts).
  uint32_t limit = 0;
  uint32_t offset = 0;
  std::string page_token;
  std::vector<std::string> tags;
  // Any of `tags` instead of all of them.
  bool any_tag = false;
  std::vector<std::string> exclude_tags;
  std::string category;
  // relevance, newest, oldest, comments.
  std::string sort = "relevance";
  // any, all.
  std::string match = "any";
  // Facets of `search`: "tag", "category".
  std::vector<std::string> facets;
  // Values per facet; 0: the server's default (20).
  uint32_t facet_limit = 0;
  bool typing = false;
  // Published dates YYYY-MM-DD, both inclusive, read in format.zone.
  std::string from;
  std::string to;
  // Print the response's protobuf JSON mapping instead of text.
  bool json = false;
  // The data folder of `chaja synonyms accept` (which edits site.json there).
  std::string data_dir;
  // Posts `chaja synonyms suggest` reads at most; 0: the server's default.
  uint32_t max_posts = 0;
  // `chaja stats queries`: the file of searchd's write token, only
  // zero-result queries, and the window ("7d", "7"; "" for all).
  std::string token_file;
  bool zero_results = false;
  std::string since;
  // `chaja cluster` (docs/cluster.md): the placement file, the folder
  // proxy-config writes, plan's group count and sizes file, move's group.
  std::string placement;
  std::string out_dir;
  int groups = 0;
  std::string sizes_file;
  std::string group;
  FormatOptions format;
};

// What to print and the exit status: 0 success, 1 the call failed, 2 usage.
struct CommandResult {
  int exit_code = 0;
  std::string out;  // for stdout
  std::string err;  // for stderr, "chaja: …\n"
};

// Runs `args` = {COMMAND, OPERAND...} against `client`.
CommandResult RunCommand(const SearchClient& client, const std::vector<std::string>& args, const CliOptions& options);

// `chaja cluster plan | proxy-config | move` (client/cluster_commands.cc).
CommandResult RunCluster(const std::vector<std::string>& operands, const CliOptions& options);

// The request `chaja search WORDS...` sends. INVALID_ARGUMENT for a bad
// --sort, --match, --facets or date.
absl::StatusOr<v1::SearchRequest> BuildSearchRequest(const std::vector<std::string>& words, const CliOptions& options);

// "2025-01" → {2025, 1}; "2025" → {2025, 0}. Also "2025/01", "2025.1".
// INVALID_ARGUMENT for anything else or a month outside 1..12.
struct YearMonth {
  int year = 0;
  int month = 0;
};
absl::StatusOr<YearMonth> ParseYearMonth(absl::string_view text);

// The start of day "YYYY-MM-DD" in `zone`. INVALID_ARGUMENT when malformed.
absl::StatusOr<absl::Time> ParseDay(absl::string_view text, absl::TimeZone zone);

// The zone named `name`. Asia/Seoul falls back to UTC+9 when tzdata is
// missing; any other unknown name is INVALID_ARGUMENT.
absl::StatusOr<absl::TimeZone> ZoneForFlag(const std::string& name);

// The command line with the query words protected from the flag parser: a
// word that starts with '-' but names no registered flag (`-쿠버네티스`,
// `-docker`, `-5`) is not a flag. Returns {argv0, flags and their values...,
// "--", the other arguments in their order}, for absl::ParseCommandLine.
// A non-bool flag written without '=' keeps the argument after it as its
// value (`--site x`); `--` still ends the flags; `--noFLAG` works for bool
// flags; absl's --help family stays a flag. Flags are looked up with
// absl::FindCommandLineFlag. One exception: `--name` with an ASCII name that
// is not registered stays a flag, so absl reports a mistyped `--lmit 5`
// instead of searching for it. A query word that is also a flag name
// (`-site`) still needs `--` before the query.
std::vector<std::string> ProtectQueryWords(const std::vector<std::string>& argv);

}  // namespace chaja::client

#endif  // CHAJA_CLIENT_COMMANDS_H_
