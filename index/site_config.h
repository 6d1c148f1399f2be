// Site settings: DATA/<site>/site.json (the JSON mapping of chaja.v1.SiteConfig),
// resolved into what searchers use.
//
// Thread-safe: SiteSettings is immutable once loaded; share it by shared_ptr.
#ifndef CHAJA_INDEX_SITE_CONFIG_H_
#define CHAJA_INDEX_SITE_CONFIG_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "index/equivalents.h"
#include "chaja/v1/site_config.pb.h"

namespace chaja::index {

inline constexpr char kSiteConfigFileName[] = "site.json";
inline constexpr char kDefaultTimeZone[] = "Asia/Seoul";
// What chaja-indexer's feed polling last did, beside site.json.
inline constexpr char kFeedStateFileName[] = "feeds-state.json";
inline constexpr uint32_t kDefaultFeedIntervalSeconds = 15 * 60;

// The IANA zone `name`; Asia/Seoul works even without tzdata (UTC+9 all year
// since 1988). INVALID_ARGUMENT for an unknown name.
absl::StatusOr<absl::TimeZone> LoadZone(const std::string& name);

struct SiteSettings {
  std::string name;
  std::string display_name;
  std::string time_zone_name = kDefaultTimeZone;
  absl::TimeZone time_zone = *LoadZone(kDefaultTimeZone);
  double title_boost = 0;
  double body_weight = 1;
  // SiteConfig.allowed_origins, validated: "*" or scheme://host[:port].
  std::vector<std::string> allowed_origins;
  // SiteConfig.feeds, validated: http(s) URLs, a known rss_categories.
  std::vector<v1::FeedConfig> feeds;
  // SiteConfig.synonyms and builtin_synonyms, resolved; never null.
  std::shared_ptr<const Equivalents> equivalents = *Equivalents::Make({}, /*builtin=*/true);
  // SiteConfig.tag_names: spellings that name merged tags.
  std::vector<std::string> tag_names;
  // SiteConfig.category_order: whole category paths, in the sidebar's order.
  std::vector<std::string> category_order;
};

// Settings of `site`: defaults when there is no site.json. The display name
// is site.json's, else the title of the site's polled feed (feeds-state.json),
// else the folder name. INVALID_ARGUMENT
// (saying file and problem) for bad JSON, an unknown field, an unknown time
// zone, a negative weight or an allowed origin that is not "*" or
// scheme://host[:port] (a path or trailing slash would never match a browser's
// Origin header, so it is refused rather than ignored), or a malformed
// synonym rule.
absl::StatusOr<SiteSettings> LoadSiteSettings(const std::string& data_dir, const std::string& site);

// DATA/<site>/feeds-state.json: empty when missing. INVALID_ARGUMENT when it
// is not a FeedStates JSON.
absl::StatusOr<v1::FeedStates> LoadFeedStates(const std::string& data_dir, const std::string& site);
// The first feed title in `states` ("" if none): the display name of a site
// whose site.json sets none.
std::string FeedChannelTitle(const v1::FeedStates& states);
// Replaces it atomically (a temporary file renamed over it).
absl::Status SaveFeedStates(const std::string& data_dir, const std::string& site, const v1::FeedStates& states);

}  // namespace chaja::index

#endif  // CHAJA_INDEX_SITE_CONFIG_H_
