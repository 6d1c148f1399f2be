#include "index/site_config.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <google/protobuf/util/json_util.h>

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

}  // namespace

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
  if (!config.display_name().empty()) settings.display_name = config.display_name();
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
