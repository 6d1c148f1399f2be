#include "index/site_config.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "index/schema.h"
#include "index/site.h"

namespace chaja::index {

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
  if (!absl::LoadTimeZone(settings.time_zone_name, &settings.time_zone)) {
    if (settings.time_zone_name == kDefaultTimeZone) {
      // Without tzdata, Seoul is still UTC+9 all year (no DST since 1988).
      settings.time_zone = absl::FixedTimeZone(9 * 3600);
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat(path.string(), ": unknown time zone \"", settings.time_zone_name, "\" (use an IANA name)"));
    }
  }
  if (config.title_boost() < 0 || config.body_weight() < 0) {
    return absl::InvalidArgumentError(absl::StrCat(path.string(), ": weights must not be negative"));
  }
  settings.title_boost = config.title_boost();
  if (config.body_weight() > 0) settings.body_weight = config.body_weight();
  return settings;
}

}  // namespace chaja::index
