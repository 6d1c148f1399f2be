#include "searchd/site_registry.h"

#include <algorithm>
#include <cstdio>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "index/site.h"

namespace chaja::searchd {

SiteRegistry::SiteRegistry(std::string data_dir, search::RankingParams ranking, RevisionPins* pins)
    : data_dir_(std::move(data_dir)),
      ranking_(ranking),
      budget_(ranking.memory_postings_max_bytes),
      counting_(std::max(1, static_cast<int>(std::thread::hardware_concurrency()) - 1)),
      pins_(pins) {}

std::shared_ptr<const index::SiteSettings> SiteRegistry::LoadSettings(const std::string& name) const {
  absl::StatusOr<index::SiteSettings> loaded = index::LoadSiteSettings(data_dir_, name);
  if (!loaded.ok()) {
    std::fprintf(stderr, "chaja-searchd: %s; using defaults\n", std::string(loaded.status().message()).c_str());
    loaded = index::SiteSettings();
    loaded->name = loaded->display_name = name;
  }
  return std::make_shared<const index::SiteSettings>(*std::move(loaded));
}

absl::StatusOr<std::shared_ptr<ServedSite>> SiteRegistry::Get(const std::string& name) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = sites_.find(name);
    if (it != sites_.end()) return it->second;  // its name was checked when it was added
  }
  absl::StatusOr<std::string> path = index::SiteDatabasePath(data_dir_, name);
  if (!path.ok()) return path.status();
  // Opened outside the lock: another site's requests never wait for it.
  absl::StatusOr<std::unique_ptr<search::SiteReader>> reader = search::SiteReader::Open(*path);
  if (reader.status().code() == absl::StatusCode::kNotFound) {
    return absl::NotFoundError(absl::StrCat("unknown site \"", name, "\": nothing has been indexed for it"));
  }
  if (!reader.ok()) return reader.status();
  auto site = std::make_shared<ServedSite>(name, *path, *std::move(reader), LoadSettings(name), ranking_, &budget_,
                                           &counting_, pins_);
  std::lock_guard<std::mutex> lock(mu_);
  return sites_.emplace(name, std::move(site)).first->second;  // a racing first request's site wins
}

absl::Status SiteRegistry::ReloadSettings() {
  absl::StatusOr<std::vector<std::string>> names = index::ListSites(data_dir_);
  if (!names.ok()) return names.status();
  std::vector<std::string> problems;
  for (const std::string& name : *names) {
    absl::StatusOr<index::SiteSettings> loaded = index::LoadSiteSettings(data_dir_, name);
    if (!loaded.ok()) {
      problems.push_back(std::string(loaded.status().message()));
      continue;
    }
    // Served from now on, so that a later bad site.json keeps these settings.
    absl::StatusOr<std::shared_ptr<ServedSite>> site = Get(name);
    if (site.ok()) (*site)->set_settings(std::make_shared<const index::SiteSettings>(*std::move(loaded)));
  }
  // Bumped even when some files were bad: the others may have changed.
  settings_generation_.fetch_add(1);
  if (!problems.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("kept previous settings: ", absl::StrJoin(problems, "; ")));
  }
  return absl::OkStatus();
}

std::vector<std::shared_ptr<ServedSite>> SiteRegistry::Sites() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::shared_ptr<ServedSite>> sites;
  for (const auto& [name, site] : sites_) sites.push_back(site);
  return sites;
}

}  // namespace chaja::searchd
