// chaja: the command-line client of chaja-searchd. Flags are parsed here into
// a CliOptions; the subcommands live in client/commands.h.
//
//   chaja search QUERY... --site NAME [flags]   chaja tags|categories [QUERY...]
//   chaja related ID   chaja category ID   chaja archive 2025-01   chaja get ID   chaja sites
#include <algorithm>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "client/channel.h"
#include "client/cli_flags.h"
#include "client/commands.h"
#include "client/search_client.h"

ABSL_FLAG(std::string, server, "127.0.0.1:7700", "chaja-searchd address (host:port).");
ABSL_FLAG(std::string, site, "", "Site to ask (chaja sites lists them).");
ABSL_FLAG(int, max_posts, 0, "chaja synonyms suggest: posts read at most (0: the server's 30,000).");
ABSL_FLAG(std::string, data, "",
          "chaja synonyms accept: searchd's data folder, whose <site>/site.json it edits; chaja cluster plan: "
          "the sites to spread.");
ABSL_FLAG(uint32_t, limit, 0, "Hits or posts to show; 0: the server's default (10; 5 related posts).");
ABSL_FLAG(uint32_t, offset, 0, "Hits or posts to skip.");
ABSL_FLAG(std::string, page_token, "", "Continue from the `next page` token of the previous answer.");
ABSL_FLAG(std::vector<std::string>, tag, {}, "Only articles with all these tags (comma-separated).");
ABSL_FLAG(bool, any_tag, false, "With --tag: articles with any of the tags instead of all.");
ABSL_FLAG(std::vector<std::string>, exclude_tag, {}, "Leave out articles with any of these tags.");
ABSL_FLAG(std::string, category, "", "Only articles of this category (and its sub-categories).");
ABSL_FLAG(std::string, from, "", "Only articles published on or after this day (YYYY-MM-DD, in --tz).");
ABSL_FLAG(std::string, to, "", "Only articles published on or before this day (YYYY-MM-DD, in --tz).");
ABSL_FLAG(std::string, sort, "relevance", "relevance, newest, oldest or comments.");
ABSL_FLAG(std::string, match, "any", "any: natural search box; all: every word must match.");
ABSL_FLAG(std::vector<std::string>, facets, {}, "search: also count these over all matches (tag,category).");
ABSL_FLAG(uint32_t, facet_limit, 0, "Values per facet; 0: the server's default (20).");
ABSL_FLAG(bool, typing, false,
          "search: the query is still being typed (its last word may be incomplete; no syntax errors).");
ABSL_FLAG(bool, json, false, "Print the response as JSON (protobuf JSON mapping).");
ABSL_FLAG(std::string, tz, "Asia/Seoul", "Time zone for dates shown and for --from/--to.");
ABSL_FLAG(int, timeout_ms, 10000, "Deadline for the call.");
ABSL_FLAG(std::string, token_file, "", "chaja stats queries, synonyms suggest: file holding searchd's index token (--index_token_file).");
ABSL_FLAG(bool, zero_results, false, "chaja stats queries: only queries that found nothing.");
ABSL_FLAG(std::string, since, "", "chaja stats queries: only queries searched in the last N days (7d).");
ABSL_FLAG(std::string, placement, "", "chaja cluster: the placement file (docs/cluster.md).");
ABSL_FLAG(std::string, out, "", "chaja cluster proxy-config: folder for haproxy.cfg and its site map.");
ABSL_FLAG(int, groups, 0, "chaja cluster plan: node groups to spread the sites over.");
ABSL_FLAG(std::string, sizes, "", "chaja cluster plan: file of `SITE BYTES` lines (instead of --data).");
ABSL_FLAG(std::string, group, "", "chaja cluster move: the group the site moves to.");
ABSL_FLAG(std::string, tls_ca, "", "PEM certificate to trust (searchd's own, or its CA): connect over TLS.");
ABSL_FLAG(std::string, tls_server_name, "",
          "With --tls_ca: the name the server's certificate must carry, when not the --server host.");

namespace {

// The command's options from the flags (INVALID_ARGUMENT for a bad --tz).
absl::StatusOr<chaja::client::CliOptions> OptionsFromFlags() {
  chaja::client::CliOptions options;
  options.site = absl::GetFlag(FLAGS_site);
  options.data_dir = absl::GetFlag(FLAGS_data);
  options.max_posts = static_cast<uint32_t>(std::max(0, absl::GetFlag(FLAGS_max_posts)));
  options.limit = absl::GetFlag(FLAGS_limit);
  options.offset = absl::GetFlag(FLAGS_offset);
  options.page_token = absl::GetFlag(FLAGS_page_token);
  options.tags = absl::GetFlag(FLAGS_tag);
  options.any_tag = absl::GetFlag(FLAGS_any_tag);
  options.exclude_tags = absl::GetFlag(FLAGS_exclude_tag);
  options.category = absl::GetFlag(FLAGS_category);
  options.from = absl::GetFlag(FLAGS_from);
  options.to = absl::GetFlag(FLAGS_to);
  options.sort = absl::GetFlag(FLAGS_sort);
  options.match = absl::GetFlag(FLAGS_match);
  options.facets = absl::GetFlag(FLAGS_facets);
  options.facet_limit = absl::GetFlag(FLAGS_facet_limit);
  options.json = absl::GetFlag(FLAGS_json);
  options.typing = absl::GetFlag(FLAGS_typing);
  options.token_file = absl::GetFlag(FLAGS_token_file);
  options.zero_results = absl::GetFlag(FLAGS_zero_results);
  options.since = absl::GetFlag(FLAGS_since);
  options.placement = absl::GetFlag(FLAGS_placement);
  options.out_dir = absl::GetFlag(FLAGS_out);
  options.groups = absl::GetFlag(FLAGS_groups);
  options.sizes_file = absl::GetFlag(FLAGS_sizes);
  options.group = absl::GetFlag(FLAGS_group);
  options.format.color = isatty(STDOUT_FILENO) && getenv("NO_COLOR") == nullptr;
  absl::StatusOr<absl::TimeZone> zone = chaja::client::ZoneForFlag(absl::GetFlag(FLAGS_tz));
  if (!zone.ok()) return zone.status();
  options.format.zone = *zone;
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  // `chaja search 도커 -쿠버네티스`: -쿠버네티스 is a query word, not a flag.
  std::vector<std::string> protected_args =
      chaja::client::ProtectQueryWords(std::vector<std::string>(argv, argv + argc));
  std::vector<char*> arg_pointers;
  for (std::string& arg : protected_args) arg_pointers.push_back(arg.data());
  const std::vector<char*> positional =
      chaja::cli::ParseFlagsOrExit(static_cast<int>(arg_pointers.size()), arg_pointers.data(), "chaja",
                                   chaja::client::kUsage, "chaja COMMAND [ARGS...] [--flags]; chaja --help lists them");

  absl::StatusOr<chaja::client::CliOptions> options = OptionsFromFlags();
  if (!options.ok()) {
    std::fprintf(stderr, "chaja: %s\n", std::string(options.status().message()).c_str());
    return 2;
  }

  chaja::client::ConnectionOptions connection;
  connection.address = absl::GetFlag(FLAGS_server);
  connection.tls_ca_file = absl::GetFlag(FLAGS_tls_ca);
  connection.tls_server_name = absl::GetFlag(FLAGS_tls_server_name);
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = chaja::client::MakeChannel(connection);
  if (!channel.ok()) {
    std::fprintf(stderr, "chaja: %s\n", std::string(channel.status().message()).c_str());
    return 2;
  }
  const chaja::client::SearchClient client(*channel, connection.address,
                                           std::chrono::milliseconds(absl::GetFlag(FLAGS_timeout_ms)));
  const chaja::client::CommandResult result =
      chaja::client::RunCommand(client, std::vector<std::string>(positional.begin() + 1, positional.end()), *options);
  std::fputs(result.out.c_str(), stdout);
  std::fputs(result.err.c_str(), stderr);
  return result.exit_code;
}
