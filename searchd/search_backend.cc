#include "searchd/search_backend.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "index/site.h"
#include "index/status.h"

namespace chaja::searchd {
namespace {

// Size and newest modification time of the files in a site's index folder.
void FolderStats(const std::string& path, v1::SiteStats* stats) {
  std::error_code ec;
  uint64_t bytes = 0;
  std::filesystem::file_time_type newest = std::filesystem::file_time_type::min();
  for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
    if (!entry.is_regular_file(ec)) continue;
    bytes += entry.file_size(ec);
    newest = std::max(newest, entry.last_write_time(ec));
  }
  stats->set_index_size_bytes(bytes);
  if (newest != std::filesystem::file_time_type::min()) {
    // file_time_type's clock is not system_clock in C++17; convert through now.
    const auto system = std::chrono::system_clock::now() +
                        std::chrono::duration_cast<std::chrono::system_clock::duration>(
                            newest - std::filesystem::file_time_type::clock::now());
    const auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(system.time_since_epoch()).count();
    stats->mutable_last_updated()->set_seconds(nanos / 1000000000);
    stats->mutable_last_updated()->set_nanos(static_cast<int32_t>(nanos % 1000000000));
  }
}

}  // namespace

SearchBackend::SearchBackend(std::string data_dir, index::RankingParams ranking)
    : data_dir_(std::move(data_dir)), ranking_(ranking) {}

std::shared_ptr<const index::SiteSettings> SearchBackend::Settings(const std::string& site) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = settings_.find(site);
    if (it != settings_.end()) return it->second;
  }
  absl::StatusOr<index::SiteSettings> loaded = index::LoadSiteSettings(data_dir_, site);
  if (!loaded.ok()) {
    std::fprintf(stderr, "chaja-searchd: %s; using defaults\n", std::string(loaded.status().message()).c_str());
    loaded = index::SiteSettings();
    loaded->name = loaded->display_name = site;
  }
  auto settings = std::make_shared<const index::SiteSettings>(*std::move(loaded));
  std::lock_guard<std::mutex> lock(mu_);
  return settings_.emplace(site, std::move(settings)).first->second;
}

absl::Status SearchBackend::ReloadSettings() {
  absl::StatusOr<std::vector<std::string>> sites = index::ListSites(data_dir_);
  if (!sites.ok()) return sites.status();
  std::vector<std::string> problems;
  for (const std::string& site : *sites) {
    absl::StatusOr<index::SiteSettings> loaded = index::LoadSiteSettings(data_dir_, site);
    if (!loaded.ok()) {
      problems.push_back(std::string(loaded.status().message()));
      continue;
    }
    auto settings = std::make_shared<const index::SiteSettings>(*std::move(loaded));
    std::lock_guard<std::mutex> lock(mu_);
    settings_[site] = settings;
    // Pooled searchers pick the new settings up when next borrowed.
  }
  // Bumped even when some files were bad: the others may have changed.
  settings_generation_.fetch_add(1);
  if (!problems.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("kept previous settings: ", absl::StrJoin(problems, "; ")));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<const index::SiteColumns>> SearchBackend::Columns(const std::string& site,
                                                                                const Xapian::Database& db) {
  // One build per revision: concurrent requests wait for it rather than repeat it.
  std::lock_guard<std::mutex> lock(columns_mu_);
  auto it = columns_.find(site);
  const Xapian::rev revision = db.get_revision();
  if (it != columns_.end() && it->second->IsOf(db)) return it->second;
  absl::StatusOr<std::shared_ptr<const index::SiteColumns>> loaded = index::SiteColumns::Load(db);
  if (!loaded.ok()) return loaded.status();
  if (it == columns_.end() || it->second->revision() < revision ||
      it->second->version().uuid != (*loaded)->version().uuid) {
    columns_[site] = *loaded;
  }
  return loaded;
}

SearchBackend::~SearchBackend() {
  stopping_ = true;  // a loader polls it and gives up early
  std::vector<std::thread> loaders;
  {
    std::lock_guard<std::mutex> lock(postings_mu_);
    for (auto& [site, state] : postings_) {
      if (state.loader.joinable()) loaders.push_back(std::move(state.loader));
    }
  }
  for (std::thread& loader : loaders) loader.join();  // unlocked: a loader takes postings_mu_ to finish
}

std::shared_ptr<const index::MemoryPostings> SearchBackend::Postings(const std::string& site,
                                                                     const Xapian::Database& db) {
  if (!ranking_.memory_postings || db.get_doccount() < ranking_.shortlist_min_docs) return nullptr;
  std::lock_guard<std::mutex> lock(postings_mu_);
  SitePostings& state = postings_[site];
  if (state.current != nullptr && state.current->IsOf(db)) return state.current;
  if (!state.loading && !stopping_ && std::chrono::steady_clock::now() >= state.next_load) {
    absl::StatusOr<std::string> path = index::SiteDatabasePath(data_dir_, site);
    if (path.ok()) {
      if (state.loader.joinable()) state.loader.join();  // finished: `loading` is false
      state.loading = true;
      state.loader = std::thread([this, site, path = *path] { LoadPostings(site, path); });
    }
  }
  return state.current;
}

uint64_t SearchBackend::BudgetLeft(const std::string& site) {
  std::lock_guard<std::mutex> lock(postings_mu_);
  uint64_t used = 0;
  for (const auto& [name, state] : postings_) {
    // The site's own older lists are dropped when the new ones arrive.
    if (name != site && state.current != nullptr) used += state.current->memory_bytes();
  }
  return used >= ranking_.memory_postings_max_bytes ? 0 : ranking_.memory_postings_max_bytes - used;
}

void SearchBackend::LoadPostings(const std::string& site, const std::string& path) {
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::shared_ptr<const index::MemoryPostings>> loaded;
  try {
    // Its own handle: a Database must not be shared between threads.
    const Xapian::Database db(path);
    loaded = index::MemoryPostings::Load(db, [this] { return stopping_.load(); }, BudgetLeft(site));
  } catch (const Xapian::Error& e) {
    loaded = index::XapianErrorToStatus(e, "opening the database to load posting lists");
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  if (loaded.ok()) {
    std::fprintf(stderr,
                 "chaja-searchd: site %s: %zu posting lists (%zu postings, %.1f MiB) in memory at revision %llu, "
                 "loaded in %.2f s\n",
                 site.c_str(), (*loaded)->term_count(), (*loaded)->posting_count(),
                 (*loaded)->memory_bytes() / 1048576.0, static_cast<unsigned long long>((*loaded)->revision()),
                 std::chrono::duration<double>(elapsed).count());
  } else if (!stopping_) {
    std::fprintf(stderr,
                 "chaja-searchd: site %s: in-memory posting lists not loaded (Xapian ranks its searches): %s%s\n",
                 site.c_str(), std::string(loaded.status().message()).c_str(),
                 loaded.status().code() == absl::StatusCode::kResourceExhausted ? " (--memory_postings_max_mb)" : "");
  }
  std::lock_guard<std::mutex> lock(postings_mu_);
  SitePostings& state = postings_[site];
  state.loading = false;
  state.next_load = std::chrono::steady_clock::now() + 10 * elapsed;
  if (loaded.status().code() == absl::StatusCode::kResourceExhausted) {
    // Other sites may shrink or go; look again now and then, not per commit.
    state.next_load = std::max(state.next_load, std::chrono::steady_clock::now() + std::chrono::minutes(5));
  }
  if (loaded.ok()) {  // loads take turns, so this one read the newest database
    state.current = *std::move(loaded);
  }
}

absl::StatusOr<std::unique_ptr<index::Searcher>> SearchBackend::Acquire(const std::string& site) {
  std::unique_ptr<index::Searcher> searcher;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = idle_.find(site);
    if (it != idle_.end() && !it->second.empty()) {
      searcher = std::move(it->second.back());
      it->second.pop_back();
    }
  }
  if (searcher == nullptr) {
    absl::StatusOr<std::string> path = index::SiteDatabasePath(data_dir_, site);
    if (!path.ok()) return path.status();
    absl::StatusOr<std::unique_ptr<index::Searcher>> opened = index::Searcher::Open(*path);
    if (opened.status().code() == absl::StatusCode::kNotFound) {
      return absl::NotFoundError(absl::StrCat("unknown site \"", site, "\": nothing has been indexed for it"));
    }
    if (!opened.ok()) return opened.status();
    searcher = *std::move(opened);
    searcher->set_ranking(ranking_);
    searcher->set_columns_source([this, site](const Xapian::Database& db) { return Columns(site, db); });
    searcher->set_postings_source([this, site](const Xapian::Database& db) { return Postings(site, db); });
  } else if (absl::Status s = searcher->Refresh(); !s.ok()) {
    return s;  // a broken searcher is dropped, not pooled
  }
  searcher->set_settings(Settings(site));
  return searcher;
}

void SearchBackend::Release(const std::string& site, std::unique_ptr<index::Searcher> searcher) {
  std::lock_guard<std::mutex> lock(mu_);
  idle_[site].push_back(std::move(searcher));
}

template <typename T>
absl::StatusOr<T> SearchBackend::WithSearcher(const std::string& site,
                                              const std::function<absl::StatusOr<T>(index::Searcher&)>& fn) {
  absl::StatusOr<std::unique_ptr<index::Searcher>> searcher = Acquire(site);
  if (!searcher.ok()) return searcher.status();
  absl::StatusOr<T> result = fn(**searcher);
  Release(site, *std::move(searcher));
  return result;
}

absl::StatusOr<SearchBackend::SiteState> SearchBackend::State(const std::string& site) {
  // Read the generation first: a reload racing with this call then yields a
  // state that is at worst older than the settings used, never newer.
  const uint64_t generation = settings_generation_.load();
  absl::StatusOr<v1::SiteStats> stats =
      WithSearcher<v1::SiteStats>(site, [](index::Searcher& s) { return s.GetStats(); });
  if (!stats.ok()) return stats.status();
  SiteState state;
  state.revision = stats->revision();
  state.index_uuid = stats->index_uuid();
  state.settings_generation = generation;
  state.settings = Settings(site);
  return state;
}

absl::StatusOr<v1::SearchResponse> SearchBackend::Search(const v1::SearchRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<v1::SearchResponse> response = WithSearcher<v1::SearchResponse>(
      request.site(), [&](index::Searcher& s) { return s.Search(request); });
  if (!response.ok()) return response;
  const auto took = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start);
  response->mutable_took()->set_seconds(took.count() / 1000000000);
  response->mutable_took()->set_nanos(static_cast<int32_t>(took.count() % 1000000000));
  return response;
}

absl::StatusOr<v1::Article> SearchBackend::GetArticle(const v1::GetArticleRequest& request) {
  return WithSearcher<v1::Article>(request.site(), [&](index::Searcher& s) { return s.GetArticle(request.id()); });
}

absl::StatusOr<v1::ListCategoryPostsResponse> SearchBackend::ListCategoryPosts(
    const v1::ListCategoryPostsRequest& request) {
  return WithSearcher<v1::ListCategoryPostsResponse>(request.site(),
                                                     [&](index::Searcher& s) { return s.ListCategoryPosts(request); });
}

absl::StatusOr<v1::GetArchiveResponse> SearchBackend::GetArchive(const v1::GetArchiveRequest& request) {
  return WithSearcher<v1::GetArchiveResponse>(request.site(), [&](index::Searcher& s) { return s.GetArchive(request); });
}

absl::StatusOr<v1::GetRelatedResponse> SearchBackend::GetRelated(const v1::GetRelatedRequest& request) {
  return WithSearcher<v1::GetRelatedResponse>(request.site(), [&](index::Searcher& s) { return s.GetRelated(request); });
}

absl::StatusOr<v1::SiteStats> SearchBackend::GetSiteStats(const v1::GetSiteStatsRequest& request) {
  absl::StatusOr<v1::SiteStats> stats =
      WithSearcher<v1::SiteStats>(request.site(), [](index::Searcher& s) { return s.GetStats(); });
  if (!stats.ok()) return stats;
  const std::shared_ptr<const index::SiteSettings> settings = Settings(request.site());
  stats->set_name(request.site());
  stats->set_display_name(settings->display_name);
  stats->set_time_zone(settings->time_zone_name);
  FolderStats(*index::SiteDatabasePath(data_dir_, request.site()), &*stats);
  {
    std::lock_guard<std::mutex> lock(postings_mu_);
    auto it = postings_.find(request.site());
    if (it != postings_.end() && it->second.current != nullptr) {
      stats->set_memory_postings_bytes(it->second.current->memory_bytes());
      stats->set_memory_postings_revision(it->second.current->revision());
    }
  }
  return stats;
}

absl::StatusOr<v1::ListSitesResponse> SearchBackend::ListSites() {
  absl::StatusOr<std::vector<std::string>> sites = index::ListSites(data_dir_);
  if (!sites.ok()) return sites.status();
  v1::ListSitesResponse response;
  for (const std::string& site : *sites) {
    v1::GetSiteStatsRequest request;
    request.set_site(site);
    absl::StatusOr<v1::SiteStats> stats = GetSiteStats(request);
    if (!stats.ok()) continue;  // removed or broken meanwhile: not a site to list
    *response.add_sites() = *std::move(stats);
  }
  return response;
}

}  // namespace chaja::searchd
