// chaja: the command-line client of chaja-searchd.
//
//   chaja search QUERY --site NAME [--server ADDR] [--limit N] [--offset N]
//                [--tag T[,T]] [--category C] [--sort relevance|newest|oldest|comments]
//                [--match any|all] [--json]
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include <google/protobuf/util/json_util.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_join.h"
#include "client/format.h"
#include "client/search_client.h"

ABSL_FLAG(std::string, server, "127.0.0.1:7700", "chaja-searchd address (host:port).");
ABSL_FLAG(std::string, site, "", "Site to search.");
ABSL_FLAG(uint32_t, limit, 10, "Hits to show (at most 1000).");
ABSL_FLAG(uint32_t, offset, 0, "Hits to skip.");
ABSL_FLAG(std::vector<std::string>, tag, {}, "Only articles with all these tags (comma-separated).");
ABSL_FLAG(std::string, category, "", "Only articles of this category (and its sub-categories).");
ABSL_FLAG(std::string, sort, "relevance", "relevance, newest, oldest or comments.");
ABSL_FLAG(std::string, match, "any", "any: natural search box; all: every word must match.");
ABSL_FLAG(bool, json, false, "Print the response as JSON (protobuf JSON mapping).");
ABSL_FLAG(std::string, tz, "Asia/Seoul", "Time zone for dates.");
ABSL_FLAG(int, timeout_ms, 10000, "Deadline for the call.");

namespace {

constexpr char kUsage[] =
    "Searches a Chaja site.\n"
    "  chaja search QUERY --site NAME [--server 127.0.0.1:7700] [--limit N] [--offset N]\n"
    "               [--tag T[,T]] [--category C] [--sort relevance|newest|oldest|comments]\n"
    "               [--match any|all] [--json]\n"
    "Query syntax: words, \"a phrase\", -excluded, +required, a OR b, tag:NAME, category:NAME, title:WORD";

int Fail(absl::string_view message, int code = 2) {
  std::fprintf(stderr, "chaja: %s\n", std::string(message).c_str());
  return code;
}

int RunSearch(const std::vector<std::string>& words) {
  chaja::v1::SearchRequest request;
  request.set_site(absl::GetFlag(FLAGS_site));
  request.set_query(absl::StrJoin(words, " "));
  request.set_limit(absl::GetFlag(FLAGS_limit));
  request.set_offset(absl::GetFlag(FLAGS_offset));
  for (const std::string& tag : absl::GetFlag(FLAGS_tag)) request.add_tags(tag);
  request.set_category(absl::GetFlag(FLAGS_category));
  const std::string sort = absl::GetFlag(FLAGS_sort);
  if (sort == "relevance") {
    request.set_sort(chaja::v1::SORT_ORDER_RELEVANCE);
  } else if (sort == "newest") {
    request.set_sort(chaja::v1::SORT_ORDER_NEWEST);
  } else if (sort == "oldest") {
    request.set_sort(chaja::v1::SORT_ORDER_OLDEST);
  } else if (sort == "comments" || sort == "most-commented") {
    request.set_sort(chaja::v1::SORT_ORDER_MOST_COMMENTED);
  } else {
    return Fail("--sort must be relevance, newest, oldest or comments");
  }
  const std::string match = absl::GetFlag(FLAGS_match);
  if (match != "any" && match != "all") return Fail("--match must be any or all");
  request.set_match_mode(match == "all" ? chaja::v1::MATCH_MODE_ALL : chaja::v1::MATCH_MODE_ANY);

  const chaja::client::SearchClient client(absl::GetFlag(FLAGS_server),
                                           std::chrono::milliseconds(absl::GetFlag(FLAGS_timeout_ms)));
  absl::StatusOr<chaja::v1::SearchResponse> response = client.Search(request);
  if (!response.ok()) {
    return Fail(absl::StrCat(absl::StatusCodeToString(response.status().code()), ": ", response.status().message()),
                1);
  }
  if (absl::GetFlag(FLAGS_json)) {
    std::string json;
    google::protobuf::util::JsonPrintOptions options;
    options.add_whitespace = true;
    options.preserve_proto_field_names = false;
    (void)google::protobuf::util::MessageToJsonString(*response, &json, options);
    std::fputs(json.c_str(), stdout);
    return 0;
  }
  chaja::client::FormatOptions format;
  format.color = isatty(STDOUT_FILENO);
  format.zone = chaja::client::LoadZoneOrSeoul(absl::GetFlag(FLAGS_tz));
  std::fputs(chaja::client::FormatSearchResponse(request, *response, format).c_str(), stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(kUsage);
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() < 2) return Fail(kUsage);
  const std::string command = args[1];
  const std::vector<std::string> rest(args.begin() + 2, args.end());
  if (command == "search") {
    if (rest.empty() && absl::GetFlag(FLAGS_tag).empty() && absl::GetFlag(FLAGS_category).empty()) {
      return Fail("chaja search needs a QUERY (or --tag/--category to list articles)");
    }
    return RunSearch(rest);
  }
  return Fail(absl::StrCat("unknown command \"", command, "\"\n", kUsage));
}
