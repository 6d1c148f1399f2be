#include "searchd/site_registry.h"

#include <algorithm>
#include <cstdio>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "index/site.h"

namespace chaja::searchd {

namespace {

// Lines about closed sites: the first, then at most one this often.
constexpr auto kClosedLogInterval = std::chrono::minutes(1);

}  // namespace

int64_t DefaultMaxOpenReaders(uint64_t fd_limit) {
  const uint64_t reserved = std::max<uint64_t>(128, fd_limit / 4);
  if (fd_limit <= reserved + kFdsPerReader) return 1;
  return std::min<int64_t>(kMaxDefaultOpenReaders, static_cast<int64_t>((fd_limit - reserved) / kFdsPerReader));
}

SiteRegistry::SiteRegistry(std::string data_dir, search::RankingParams ranking, RevisionPins* pins,
                           int64_t max_open_readers)
    : data_dir_(std::move(data_dir)),
      ranking_(ranking),
      budget_(ranking.memory_postings_max_bytes),
      counting_(std::max(1, static_cast<int>(std::thread::hardware_concurrency()) - 1)),
      pins_(pins),
      max_open_readers_(std::max<int64_t>(1, max_open_readers)) {}

std::shared_ptr<const index::SiteSettings> SiteRegistry::LoadSettings(const std::string& name) const {
  absl::StatusOr<index::SiteSettings> loaded = index::LoadSiteSettings(data_dir_, name);
  std::lock_guard<std::mutex> lock(good_mu_);
  if (loaded.ok()) {
    auto settings = std::make_shared<const index::SiteSettings>(*std::move(loaded));
    last_good_settings_[name] = settings;
    return settings;
  }
  auto good = last_good_settings_.find(name);
  const bool kept = good != last_good_settings_.end();
  std::fprintf(stderr, "chaja-searchd: %s; using %s\n", std::string(loaded.status().message()).c_str(),
               kept ? "the last good settings" : "defaults");
  if (kept) return good->second;
  index::SiteSettings defaults;
  defaults.name = defaults.display_name = name;
  return std::make_shared<const index::SiteSettings>(std::move(defaults));
}

absl::StatusOr<std::shared_ptr<ServedSite>> SiteRegistry::Get(const std::string& name) {
  std::shared_ptr<ServedSite> found;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = sites_.find(name);
    if (it != sites_.end()) {
      uses_.splice(uses_.begin(), uses_, it->second.use);
      found = it->second.site;  // its name was checked when it was added
    }
  }
  if (found != nullptr) {
    // Its requests may open more readers: keep room for one more.
    if (readers_.value() >= max_open_readers_) CloseColdSites(1, name);
    return found;
  }
  CloseColdSites(1, name);
  absl::StatusOr<std::shared_ptr<ServedSite>> site = Open(name);
  if (!site.ok()) return site;
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, added] = sites_.emplace(name, Entry{*site, {}});
  if (added) {
    it->second.use = uses_.insert(uses_.begin(), name);
  } else {
    uses_.splice(uses_.begin(), uses_, it->second.use);  // a racing first request's site wins
  }
  return it->second.site;
}

absl::StatusOr<std::shared_ptr<ServedSite>> SiteRegistry::GetForScan(const std::string& name, bool* open) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = sites_.find(name);
    *open = it != sites_.end();
    if (*open) return it->second.site;  // left in its place of use
  }
  return Open(name);
}

absl::StatusOr<std::shared_ptr<ServedSite>> SiteRegistry::Open(const std::string& name) {
  absl::StatusOr<std::string> path = index::SiteDatabasePath(data_dir_, name);
  if (!path.ok()) return path.status();
  // Opened outside the lock: another site's requests never wait for it.
  absl::StatusOr<std::unique_ptr<search::SiteReader>> reader = search::SiteReader::Open(*path);
  if (reader.status().code() == absl::StatusCode::kNotFound) {
    return absl::NotFoundError(absl::StrCat("unknown site \"", name, "\": nothing has been indexed for it"));
  }
  if (!reader.ok()) return reader.status();
  return std::make_shared<ServedSite>(name, *path, *std::move(reader), LoadSettings(name), ranking_, &budget_,
                                      &counting_, pins_, &readers_);
}

void SiteRegistry::CloseColdSites(int64_t room, const std::string& keep) {
  if (readers_.value() + room <= max_open_readers_) return;
  std::vector<std::shared_ptr<ServedSite>> cold;
  {
    std::lock_guard<std::mutex> lock(mu_);
    cold = TakeColdSitesLocked(room, keep);
  }
  const size_t closed = cold.size();
  cold.clear();  // closes their readers, outside the lock
  if (closed > 0) LogClosed(closed);
}

std::vector<std::shared_ptr<ServedSite>> SiteRegistry::TakeColdSitesLocked(int64_t room, const std::string& keep) {
  std::vector<std::shared_ptr<ServedSite>> cold;
  int64_t open = readers_.value();
  for (auto use = uses_.end(); use != uses_.begin() && open + room > max_open_readers_;) {
    --use;
    auto it = sites_.find(*use);
    ServedSite& site = *it->second.site;
    // use_count 1: only the map holds it, and new holders come through the
    // map under mu_, so no request is reading it or can start to.
    if (*use == keep || it->second.site.use_count() != 1 || site.HoldsMemoryLists()) continue;
    open -= site.open_readers();
    cold.push_back(std::move(it->second.site));
    sites_.erase(it);
    use = uses_.erase(use);
  }
  return cold;
}

void SiteRegistry::LogClosed(size_t closed) {
  const uint64_t total = sites_closed_.fetch_add(closed) + closed;
  std::lock_guard<std::mutex> lock(mu_);
  closed_since_log_ += closed;
  const auto now = std::chrono::steady_clock::now();
  if (total != closed_since_log_ && now - last_log_ < kClosedLogInterval) return;
  std::fprintf(stderr,
               "chaja-searchd: closed %llu least recently used sites' databases%s to stay within %lld open readers "
               "(--max_open_readers); %zu sites open, %llu closed since the start\n",
               static_cast<unsigned long long>(closed_since_log_), total == closed_since_log_ ? " (the first)" : "",
               static_cast<long long>(max_open_readers_), sites_.size(), static_cast<unsigned long long>(total));
  closed_since_log_ = 0;
  last_log_ = now;
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
    auto settings = std::make_shared<const index::SiteSettings>(*std::move(loaded));
    {
      std::lock_guard<std::mutex> lock(good_mu_);
      last_good_settings_[name] = settings;
    }
    // A closed site takes them when it opens again (opening every site here
    // would close the ones in use).
    std::shared_ptr<ServedSite> site;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = sites_.find(name);
      if (it != sites_.end()) site = it->second.site;
    }
    if (site != nullptr) site->set_settings(settings);
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
  for (const auto& [name, entry] : sites_) sites.push_back(entry.site);
  return sites;
}

}  // namespace chaja::searchd
