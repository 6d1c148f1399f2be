#include "index/site_config.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <google/protobuf/util/json_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "index/schema.h"
#include "index/site.h"

namespace chaja::index {
namespace {

// "*" or scheme://host[:port], as browsers send in the Origin header.
bool IsOrigin(absl::string_view origin) {
  if (origin == "*") return true;
  const size_t scheme_end = origin.find("://");
  if (scheme_end == absl::string_view::npos || scheme_end == 0) return false;
  const absl::string_view host = origin.substr(scheme_end + 3);
  return !host.empty() && host.find_first_of("/?#@ \t") == absl::string_view::npos;
}

absl::Status ValidateFeeds(const std::string& file, const v1::SiteConfig& config) {
  for (const v1::FeedConfig& feed : config.feeds()) {
    const std::string url = absl::AsciiStrToLower(feed.url());
    if (!absl::StartsWith(url, "http://") && !absl::StartsWith(url, "https://")) {
      return absl::InvalidArgumentError(
          absl::StrCat(file, ": feeds: \"", feed.url(), "\" is not an http:// or https:// URL"));
    }
    const std::string& mode = feed.rss_categories();
    if (!mode.empty() && mode != "auto" && mode != "first-is-category" && mode != "all-tags") {
      return absl::InvalidArgumentError(absl::StrCat(file, ": feeds: rssCategories \"", mode,
                                                     "\" is not auto, first-is-category or all-tags"));
    }
  }
  return absl::OkStatus();
}

// The file's text; *found false (and "") when it cannot be opened.
std::string ReadFile(const std::filesystem::path& path, bool* found) {
  std::ifstream in(path);
  *found = static_cast<bool>(in);
  if (!in) return std::string();
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

absl::StatusOr<v1::FeedStates> LoadFeedStates(const std::string& data_dir, const std::string& site) {
  const std::filesystem::path path = std::filesystem::path(data_dir) / site / kFeedStateFileName;
  bool found = false;
  const std::string text = ReadFile(path, &found);
  v1::FeedStates states;
  if (!found) return states;
  const auto parsed = google::protobuf::util::JsonStringToMessage(text, &states);
  if (!parsed.ok()) return absl::InvalidArgumentError(absl::StrCat(path.string(), ": ", parsed.message().ToString()));
  return states;
}

std::string FeedChannelTitle(const v1::FeedStates& states) {
  for (const v1::FeedStatus& feed : states.feeds()) {
    if (!feed.channel_title().empty()) return feed.channel_title();
  }
  return "";
}

absl::Status SaveFeedStates(const std::string& data_dir, const std::string& site, const v1::FeedStates& states) {
  const std::filesystem::path path = std::filesystem::path(data_dir) / site / kFeedStateFileName;
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  if (!google::protobuf::util::MessageToJsonString(states, &json, options).ok()) {
    return absl::InternalError("cannot write the feed state as JSON");
  }
  const std::filesystem::path temporary = path.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << json;
    if (!out.flush()) return absl::DataLossError(absl::StrCat("cannot write ", temporary.string()));
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) return absl::DataLossError(absl::StrCat("cannot replace ", path.string(), ": ", ec.message()));
  return absl::OkStatus();
}

absl::StatusOr<absl::TimeZone> LoadZone(const std::string& name) {
  absl::TimeZone zone;
  if (absl::LoadTimeZone(name, &zone)) return zone;
  if (name == kDefaultTimeZone) return absl::FixedTimeZone(9 * 3600);
  return absl::InvalidArgumentError(absl::StrCat("unknown time zone \"", name, "\" (use an IANA name)"));
}

absl::StatusOr<SiteSettings> LoadSiteSettings(const std::string& data_dir, const std::string& site) {
  if (absl::Status s = ValidateSiteName(site); !s.ok()) return s;
  SiteSettings settings;
  settings.name = site;
  settings.display_name = site;
  const std::filesystem::path path = std::filesystem::path(data_dir) / site / kSiteConfigFileName;
  v1::SiteConfig config;
  std::ifstream in(path);
  if (in) {
    std::stringstream text;
    text << in.rdbuf();
    const auto parsed = google::protobuf::util::JsonStringToMessage(text.str(), &config);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(path.string(), ": ", parsed.message().ToString()));
    }
  }
  if (!config.display_name().empty()) {
    settings.display_name = config.display_name();
  } else if (absl::StatusOr<v1::FeedStates> feeds = LoadFeedStates(data_dir, site); feeds.ok()) {
    // A polled feed's title names the site until site.json does.
    if (std::string title = FeedChannelTitle(*feeds); !title.empty()) settings.display_name = std::move(title);
  }
  if (!config.time_zone().empty()) settings.time_zone_name = config.time_zone();
  absl::StatusOr<absl::TimeZone> zone = LoadZone(settings.time_zone_name);
  if (!zone.ok()) return absl::InvalidArgumentError(absl::StrCat(path.string(), ": ", zone.status().message()));
  settings.time_zone = *zone;
  if (config.title_boost() < 0 || config.body_weight() < 0) {
    return absl::InvalidArgumentError(absl::StrCat(path.string(), ": weights must not be negative"));
  }
  settings.title_boost = config.title_boost();
  if (config.body_weight() > 0) settings.body_weight = config.body_weight();
  for (const std::string& origin : config.allowed_origins()) {
    if (!IsOrigin(origin)) {
      return absl::InvalidArgumentError(absl::StrCat(path.string(), ": allowedOrigins: \"", origin,
                                                     "\" is not an origin; write scheme://host[:port] with no "
                                                     "path or trailing slash (or \"*\" for any origin)"));
    }
    settings.allowed_origins.push_back(origin);
  }
  if (absl::Status s = ValidateFeeds(path.string(), config); !s.ok()) return s;
  settings.feeds.assign(config.feeds().begin(), config.feeds().end());
  const bool builtin = !config.has_builtin_synonyms() || config.builtin_synonyms();
  const std::vector<std::string> rules(config.synonyms().begin(), config.synonyms().end());
  absl::StatusOr<std::shared_ptr<const Equivalents>> equivalents = Equivalents::Make(rules, builtin);
  if (!equivalents.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path.string(), ": ", equivalents.status().message()));
  }
  settings.equivalents = *std::move(equivalents);
  settings.tag_names.assign(config.tag_names().begin(), config.tag_names().end());
  settings.category_order.assign(config.category_order().begin(), config.category_order().end());
  return settings;
}

}  // namespace chaja::index
