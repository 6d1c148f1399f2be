#include "client/commands.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"

#include "client/channel.h"
#include "client/site_file.h"

namespace chaja::client {

const char kUsage[] =
    "the command-line client of chaja-searchd.\n"
    "  chaja search QUERY...   --site NAME [--limit N] [--offset N | --page_token T]\n"
    "                          [--tag T[,T]] [--any_tag] [--exclude_tag T[,T]] [--category C]\n"
    "                          [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--sort relevance|newest|oldest|comments]\n"
    "                          [--match any|all] [--facets tag,category] [--facet_limit N] [--typing]\n"
    "  chaja tags [QUERY...]        tag cloud (same filters as search)\n"
    "  chaja categories [QUERY...]  category counts (same filters as search)\n"
    "  chaja related ID [--limit N] the posts most related to an article\n"
    "  chaja category ID | chaja category --category NAME   other posts of the category\n"
    "  chaja archive YYYY-MM | YYYY  posts per day (a calendar) or per month\n"
    "  chaja get ID                 one whole article\n"
    "  chaja sites [NAME]           the sites searchd serves (or one site's stats)\n"
    "  chaja suggest PREFIX... [--limit N]  what a reader typing PREFIX may mean (titles, tags, words)\n"
    "  chaja synonyms list          the equivalents in effect (우분투 = Ubuntu) and where they come from\n"
    "  chaja synonyms suggest --token_file F [--limit N] [--max_posts N]  pairs found in the site's posts that no list has, with evidence\n"
    "  chaja synonyms accept --data DIR 'RULE'...  add rules to DIR/<site>/site.json (then SIGHUP searchd)\n"
    "  chaja stats queries --token_file F [--zero_results] [--since 7d] [--limit N]  what readers searched for\n"
    "  chaja cluster plan --groups N (--data DIR | --sizes FILE) [--placement BASE]  spread sites over node groups\n"
    "  chaja cluster proxy-config --placement FILE --out DIR  haproxy.cfg + site map for the placement\n"
    "  chaja cluster move --placement FILE --site NAME --group GROUP  put a site on another group (scripts/move-site)\n"
    "Every command: --server 127.0.0.1:7700 [--tls_ca PEM [--tls_server_name NAME]], --json (protobuf JSON of the\n"
    "response), --tz Asia/Seoul.\n"
    "Query syntax: words, \"a phrase\", -excluded, +required, a OR b, tag:NAME, category:NAME, title:WORD";

namespace {

CommandResult UsageError(absl::string_view message) { return {2, "", absl::StrCat("chaja: ", message, "\n")}; }

CommandResult CallFailed(const absl::Status& status) {
  return {1, "", absl::StrCat("chaja: ", absl::StatusCodeToString(status.code()), ": ", status.message(), "\n")};
}

// The response as JSON or as text.
template <typename Response, typename Render>
CommandResult Print(const absl::StatusOr<Response>& response, const CliOptions& options, Render render) {
  if (!response.ok()) return CallFailed(response.status());
  if (options.json) return {0, ToJson(*response), ""};
  return {0, render(*response), ""};
}

absl::StatusOr<v1::FacetField> ParseFacetField(absl::string_view name) {
  const std::string lower = absl::AsciiStrToLower(name);
  if (lower == "tag" || lower == "tags") return v1::FACET_FIELD_TAG;
  if (lower == "category" || lower == "categories") return v1::FACET_FIELD_CATEGORY;
  return absl::InvalidArgumentError(absl::StrCat("--facets takes tag and category, not \"", name, "\""));
}

bool HasFilters(const CliOptions& options) {
  return !options.tags.empty() || !options.exclude_tags.empty() || !options.category.empty() || !options.from.empty() ||
         !options.to.empty();
}

// ASCII letters, digits and '_': what flag names are made of.
bool LooksLikeFlagName(absl::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

std::string OneOperandMessage(absl::string_view command, absl::string_view what) {
  return absl::StrCat("chaja ", command, " takes one ", what);
}

CommandResult RunSearch(const SearchClient& client, const std::vector<std::string>& words, const CliOptions& options) {
  if (words.empty() && !HasFilters(options)) {
    return UsageError("chaja search needs a QUERY (or --tag/--category/--from/--to to list articles)");
  }
  absl::StatusOr<v1::SearchRequest> request = BuildSearchRequest(words, options);
  if (!request.ok()) return UsageError(request.status().message());
  return Print(client.Search(*request), options,
               [&](const v1::SearchResponse& r) { return FormatSearchResponse(*request, r, options.format); });
}

// `chaja tags` / `chaja categories`: one facet over the (possibly empty) query.
CommandResult RunFacet(const SearchClient& client, v1::FacetField field, const std::vector<std::string>& words,
                       const CliOptions& options) {
  CliOptions facet_options = options;
  facet_options.facets.clear();
  absl::StatusOr<v1::SearchRequest> request = BuildSearchRequest(words, facet_options);
  if (!request.ok()) return UsageError(request.status().message());
  request->set_limit(0);  // facets alone: no hits are read
  request->set_offset(0);
  request->clear_page_token();
  v1::FacetRequest* facet = request->add_facets();
  facet->set_field(field);
  facet->set_limit(options.facet_limit);
  absl::StatusOr<v1::SearchResponse> response = client.Search(*request);
  if (response.ok()) response->clear_hits();
  return Print(response, options, [&](const v1::SearchResponse& r) {
    std::string out;
    for (const v1::FacetResult& f : r.facets()) {
      if (f.field() == field) out += FormatFacet(f, options.format);
    }
    absl::StrAppend(&out, "(", r.total_hits_exact() ? "" : "about ", FormatCount(r.total_hits()),
                    r.total_hits() == 1 ? " post" : " posts");
    if (!words.empty()) absl::StrAppend(&out, " matching ", PlainText(request->query()));
    out += ")\n";
    return out;
  });
}

CommandResult RunRelated(const SearchClient& client, const std::vector<std::string>& operands,
                         const CliOptions& options) {
  if (operands.size() != 1) return UsageError(OneOperandMessage("related", "article ID"));
  v1::GetRelatedRequest request;
  request.set_site(options.site);
  request.set_article_id(operands[0]);
  request.set_limit(options.limit);
  return Print(client.GetRelated(request), options,
               [&](const v1::GetRelatedResponse& r) { return FormatRelated(request, r, options.format); });
}

CommandResult RunCategory(const SearchClient& client, const std::vector<std::string>& operands,
                          const CliOptions& options) {
  if (operands.size() > 1) return UsageError(OneOperandMessage("category", "article ID"));
  if (operands.empty() == options.category.empty()) {
    return UsageError("chaja category takes an article ID or --category NAME (one of them)");
  }
  v1::ListCategoryPostsRequest request;
  request.set_site(options.site);
  if (operands.empty()) {
    request.set_category(options.category);
  } else {
    request.set_article_id(operands[0]);
  }
  request.set_offset(options.offset);
  request.set_limit(options.limit);
  request.set_page_token(options.page_token);
  return Print(client.ListCategoryPosts(request), options,
               [&](const v1::ListCategoryPostsResponse& r) { return FormatCategoryPosts(request, r, options.format); });
}

CommandResult RunArchive(const SearchClient& client, const std::vector<std::string>& operands,
                         const CliOptions& options) {
  if (operands.size() != 1) return UsageError(OneOperandMessage("archive", "YYYY-MM or YYYY"));
  absl::StatusOr<YearMonth> when = ParseYearMonth(operands[0]);
  if (!when.ok()) return UsageError(when.status().message());
  v1::GetArchiveRequest request;
  request.set_site(options.site);
  request.set_year(when->year);
  request.set_month(when->month);
  return Print(client.GetArchive(request), options,
               [&](const v1::GetArchiveResponse& r) { return FormatArchive(r, options.format); });
}

CommandResult RunSuggest(const SearchClient& client, const std::vector<std::string>& operands,
                         const CliOptions& options) {
  if (operands.empty()) return UsageError("chaja suggest needs a PREFIX (what has been typed so far)");
  v1::SuggestRequest request;
  request.set_site(options.site);
  request.set_prefix(absl::StrJoin(operands, " "));
  request.set_limit(options.limit);
  return Print(client.Suggest(request), options,
               [&](const v1::SuggestResponse& r) { return FormatSuggestions(request, r, options.format); });
}

// The write token of --token_file, which the owner's commands send.
absl::StatusOr<std::string> OwnerToken(absl::string_view command, const CliOptions& options) {
  if (options.token_file.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("chaja ", command,
                                                   " needs --token_file FILE (the file of searchd's "
                                                   "--index_token_file): it is for the site's owner"));
  }
  return ReadToken(options.token_file);
}

CommandResult RunSynonyms(const SearchClient& client, const std::vector<std::string>& operands,
                          const CliOptions& options) {
  const std::string action = operands.empty() ? "list" : operands[0];
  const std::vector<std::string> rest(operands.begin() + std::min<size_t>(1, operands.size()), operands.end());
  if (action == "list" && rest.empty()) {
    v1::GetSiteStatsRequest request;
    request.set_site(options.site);
    return Print(client.GetSiteStats(request), options,
                 [&](const v1::SiteStats& s) { return FormatEquivalents(s, options.format); });
  }
  if (action == "suggest" && rest.empty()) {
    absl::StatusOr<std::string> token = OwnerToken("synonyms suggest", options);
    if (!token.ok()) return UsageError(token.status().message());
    v1::SuggestEquivalentsRequest request;
    request.set_site(options.site);
    request.set_limit(options.limit);
    request.set_max_posts(options.max_posts);
    return Print(client.SuggestEquivalents(request, *token), options, [&](const v1::SuggestEquivalentsResponse& r) {
      return FormatEquivalentCandidates(options.site, r, options.format);
    });
  }
  if (action == "accept" && !rest.empty()) {
    if (options.data_dir.empty()) return UsageError("chaja synonyms accept needs --data DIR (searchd's data folder)");
    absl::StatusOr<int> added = AddSynonymRules(options.data_dir, options.site, rest);
    if (!added.ok()) return CallFailed(added.status());
    return {0,
            absl::StrCat("added ", *added, " rule(s) to ", options.data_dir, "/", options.site,
                         "/site.json; searchd applies them on SIGHUP (kill -HUP $(pidof chaja-searchd))\n"),
            ""};
  }
  return UsageError(
      "chaja synonyms list | suggest --token_file F [--limit N] [--max_posts N] | accept --data DIR 'RULE'...");
}

// "7d" or "7" → 7; "" → 0 (all days).
absl::StatusOr<uint32_t> ParseSinceDays(absl::string_view text) {
  if (text.empty()) return 0;
  absl::string_view number = text;
  absl::ConsumeSuffix(&number, "d");
  uint32_t days = 0;
  if (number.empty() || !absl::ascii_isdigit(static_cast<unsigned char>(number[0])) ||
      !absl::SimpleAtoi(number, &days) || days == 0) {
    return absl::InvalidArgumentError(absl::StrCat("--since takes a number of days (7d), not \"", PlainText(text), "\""));
  }
  return days;
}

CommandResult RunStats(const SearchClient& client, const std::vector<std::string>& operands,
                       const CliOptions& options) {
  if (operands != std::vector<std::string>{"queries"}) {
    return UsageError("chaja stats queries --token_file FILE [--zero_results] [--since 7d] [--limit N]");
  }
  absl::StatusOr<std::string> token = OwnerToken("stats queries", options);
  if (!token.ok()) return UsageError(token.status().message());
  absl::StatusOr<uint32_t> since = ParseSinceDays(options.since);
  if (!since.ok()) return UsageError(since.status().message());
  v1::QueryStatsRequest request;
  request.set_site(options.site);
  request.set_zero_results_only(options.zero_results);
  request.set_since_days(*since);
  request.set_limit(options.limit);
  return Print(client.QueryStats(request, *token), options,
               [&](const v1::QueryStatsResponse& r) { return FormatQueryStats(request, r, options.format); });
}

CommandResult RunGet(const SearchClient& client, const std::vector<std::string>& operands, const CliOptions& options) {
  if (operands.size() != 1) return UsageError(OneOperandMessage("get", "article ID"));
  v1::GetArticleRequest request;
  request.set_site(options.site);
  request.set_id(operands[0]);
  return Print(client.GetArticle(request), options,
               [&](const v1::Article& a) { return FormatArticle(a, options.format); });
}

CommandResult RunSites(const SearchClient& client, const std::vector<std::string>& operands,
                       const CliOptions& options) {
  if (operands.size() > 1) return UsageError("chaja sites takes at most one site NAME");
  if (operands.empty()) {
    return Print(client.ListSites(), options, [&](const v1::ListSitesResponse& r) {
      return FormatSites({r.sites().begin(), r.sites().end()}, options.format);
    });
  }
  v1::GetSiteStatsRequest request;
  request.set_site(operands[0]);
  return Print(client.GetSiteStats(request), options,
               [&](const v1::SiteStats& s) { return FormatSites({s}, options.format); });
}

}  // namespace

CommandResult RunCommand(const SearchClient& client, const std::vector<std::string>& args, const CliOptions& options) {
  if (args.empty()) return UsageError(kUsage);
  const std::string& command = args[0];
  const std::vector<std::string> operands(args.begin() + 1, args.end());
  if (command == "sites") return RunSites(client, operands, options);
  if (command == "cluster") return RunCluster(operands, options);

  using Runner = CommandResult (*)(const SearchClient&, const std::vector<std::string>&, const CliOptions&);
  static constexpr std::pair<absl::string_view, Runner> kCommands[] = {
      {"search", RunSearch},
      {"tags", [](const SearchClient& c, const std::vector<std::string>& o,
                  const CliOptions& opt) { return RunFacet(c, v1::FACET_FIELD_TAG, o, opt); }},
      {"categories", [](const SearchClient& c, const std::vector<std::string>& o,
                        const CliOptions& opt) { return RunFacet(c, v1::FACET_FIELD_CATEGORY, o, opt); }},
      {"related", RunRelated},
      {"category", RunCategory},
      {"archive", RunArchive},
      {"get", RunGet},
      {"suggest", RunSuggest},
      {"synonyms", RunSynonyms},
      {"stats", RunStats},
  };
  for (const auto& [name, run] : kCommands) {
    if (command != name) continue;
    if (options.site.empty()) {
      return UsageError(absl::StrCat("chaja ", command, " needs --site NAME (chaja sites lists them)"));
    }
    return run(client, operands, options);
  }
  return UsageError(absl::StrCat("unknown command \"", PlainText(command), "\"\n", kUsage));
}

absl::StatusOr<v1::SearchRequest> BuildSearchRequest(const std::vector<std::string>& words, const CliOptions& options) {
  v1::SearchRequest request;
  request.set_site(options.site);
  request.set_query(absl::StrJoin(words, " "));
  if (options.limit != 0) request.set_limit(options.limit);  // --limit 0: the server's default
  request.set_offset(options.offset);
  request.set_page_token(options.page_token);
  for (const std::string& tag : options.tags) request.add_tags(tag);
  request.set_tag_match(options.any_tag ? v1::TAG_MATCH_ANY : v1::TAG_MATCH_ALL);
  for (const std::string& tag : options.exclude_tags) request.add_exclude_tags(tag);
  request.set_category(options.category);

  static constexpr std::pair<absl::string_view, v1::SortOrder> kSorts[] = {
      {"relevance", v1::SORT_ORDER_RELEVANCE},
      {"newest", v1::SORT_ORDER_NEWEST},
      {"oldest", v1::SORT_ORDER_OLDEST},
      {"comments", v1::SORT_ORDER_MOST_COMMENTED},
      {"most-commented", v1::SORT_ORDER_MOST_COMMENTED},
  };
  bool sorted = false;
  for (const auto& [name, order] : kSorts) {
    if (options.sort == name) {
      request.set_sort(order);
      sorted = true;
    }
  }
  if (!sorted) return absl::InvalidArgumentError("--sort must be relevance, newest, oldest or comments");
  if (options.match != "any" && options.match != "all") {
    return absl::InvalidArgumentError("--match must be any or all");
  }
  request.set_match_mode(options.match == "all" ? v1::MATCH_MODE_ALL : v1::MATCH_MODE_ANY);
  request.set_typing(options.typing);

  for (const std::string& name : options.facets) {
    absl::StatusOr<v1::FacetField> field = ParseFacetField(name);
    if (!field.ok()) return field.status();
    v1::FacetRequest* facet = request.add_facets();
    facet->set_field(*field);
    facet->set_limit(options.facet_limit);
  }

  absl::Time from = absl::InfinitePast();
  if (!options.from.empty()) {
    absl::StatusOr<absl::Time> day = ParseDay(options.from, options.format.zone);
    if (!day.ok()) return absl::InvalidArgumentError(absl::StrCat("--from: ", day.status().message()));
    from = *day;
    request.mutable_published_from()->set_seconds(absl::ToUnixSeconds(from));
  }
  if (!options.to.empty()) {
    absl::StatusOr<absl::Time> day = ParseDay(options.to, options.format.zone);
    if (!day.ok()) return absl::InvalidArgumentError(absl::StrCat("--to: ", day.status().message()));
    // --to names the last day included; the request's bound is exclusive.
    const absl::CivilDay next = absl::ToCivilDay(*day, options.format.zone) + 1;
    const absl::Time to = absl::FromCivil(next, options.format.zone);
    if (to <= from) return absl::InvalidArgumentError("--from is after --to");
    request.mutable_published_to()->set_seconds(absl::ToUnixSeconds(to));
  }
  return request;
}

absl::StatusOr<YearMonth> ParseYearMonth(absl::string_view text) {
  auto digits = [](absl::string_view s, size_t min, size_t max, int* value) {
    if (s.size() < min || s.size() > max) return false;
    for (char c : s) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
    }
    return absl::SimpleAtoi(s, value);
  };
  const std::vector<absl::string_view> parts = absl::StrSplit(text, absl::ByAnyChar("-/."));
  YearMonth out;
  const bool ok = (parts.size() == 1 || parts.size() == 2) && digits(parts[0], 4, 4, &out.year) && out.year >= 1 &&
                  (parts.size() == 1 || (digits(parts[1], 1, 2, &out.month) && out.month >= 1 && out.month <= 12));
  if (!ok) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected YYYY-MM (a month) or YYYY (a year), not \"", PlainText(text), "\""));
  }
  return out;
}

absl::StatusOr<absl::Time> ParseDay(absl::string_view text, absl::TimeZone zone) {
  absl::CivilDay day;
  if (text.size() != 10 || !absl::ParseCivilTime(text, &day) || absl::FormatCivilTime(day) != text) {
    return absl::InvalidArgumentError(absl::StrCat("expected a date YYYY-MM-DD, not \"", PlainText(text), "\""));
  }
  return absl::FromCivil(day, zone);
}

absl::StatusOr<absl::TimeZone> ZoneForFlag(const std::string& name) {
  absl::TimeZone zone;
  if (absl::LoadTimeZone(name, &zone)) return zone;
  if (name == "Asia/Seoul") return absl::FixedTimeZone(9 * 3600);
  return absl::InvalidArgumentError(absl::StrCat("--tz: unknown time zone \"", PlainText(name), "\""));
}

std::vector<std::string> ProtectQueryWords(const std::vector<std::string>& argv) {
  std::vector<std::string> flags;
  std::vector<std::string> others;
  if (!argv.empty()) flags.push_back(argv[0]);
  bool flags_ended = false;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (flags_ended) {
      others.push_back(arg);
      continue;
    }
    if (arg == "--") {
      flags_ended = true;
      continue;
    }
    absl::string_view name = arg;
    if (!absl::ConsumePrefix(&name, "--") && !absl::ConsumePrefix(&name, "-")) {
      others.push_back(arg);
      continue;
    }
    const size_t eq = name.find('=');
    const bool has_value = eq != absl::string_view::npos;
    if (has_value) name = name.substr(0, eq);
    // absl's help flags are not registered flags; they take a value only with '='.
    static constexpr absl::string_view kUsageFlags[] = {"help",    "helpfull",        "helpshort", "helppackage",
                                                        "version", "only_check_args", "helpon",    "helpmatch"};
    if (std::find(std::begin(kUsageFlags), std::end(kUsageFlags), name) != std::end(kUsageFlags)) {
      flags.push_back(arg);
      continue;
    }
    const absl::CommandLineFlag* flag = name.empty() ? nullptr : absl::FindCommandLineFlag(name);
    bool negated = false;
    if (flag == nullptr && absl::StartsWith(name, "no") && name.size() > 2) {
      flag = absl::FindCommandLineFlag(name.substr(2));
      if (flag != nullptr && !flag->IsOfType<bool>()) flag = nullptr;
      negated = flag != nullptr;
    }
    if (flag == nullptr && !(absl::StartsWith(arg, "--") && LooksLikeFlagName(name))) {
      others.push_back(arg);
      continue;
    }
    // A registered flag, or `--lmit`: a mistyped flag that absl should reject
    // rather than a query word.
    flags.push_back(arg);
    if (flag == nullptr) continue;
    if (!has_value && !negated && !flag->IsOfType<bool>() && i + 1 < argv.size()) flags.push_back(argv[++i]);
  }
  flags.push_back("--");
  flags.insert(flags.end(), others.begin(), others.end());
  return flags;
}

}  // namespace chaja::client
