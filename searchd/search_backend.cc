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
#include "index/site_config.h"

namespace chaja::searchd {
namespace {

constexpr uint32_t kMaxQueryStatsLimit = 10000;

// Size and newest modification time of the files in a site's index folder.
void FolderStats(const std::string& path, v1::SiteStats* stats) {
  std::error_code ec;
  uint64_t bytes = 0;
  std::filesystem::file_time_type newest = std::filesystem::file_time_type::min();
  // Recursive: a replica's folder holds its live copy in replica_0 or replica_1.
  for (const auto& entry : std::filesystem::recursive_directory_iterator(path, ec)) {
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

search::Deadline DeadlineFor(const CallerContext& caller, const DeadlinePolicy& policy, absl::Time now) {
  const absl::Time wanted = caller.client_deadline == absl::InfiniteFuture() ? now + policy.default_timeout
                                                                             : caller.client_deadline;
  return search::Deadline(std::min(wanted, now + policy.max_timeout), caller.client_gone);
}

SearchBackend::SearchBackend(std::string data_dir, search::RankingParams ranking, DeadlinePolicy deadlines,
                             OwnerOptions owner, RevisionPins* pins, int64_t max_open_readers)
    : registry_(std::move(data_dir), ranking, pins, max_open_readers), deadlines_(deadlines), write_token_(std::move(owner.token)) {
  if (owner.query_stats.enabled) {
    query_stats_ = std::make_unique<QueryStatsStore>(registry_.data_dir(), owner.query_stats);
  }
}

absl::Status SearchBackend::ReloadSettings() { return registry_.ReloadSettings(); }

template <typename T>
absl::StatusOr<T> SearchBackend::Read(
    const std::string& site,
    const std::function<absl::StatusOr<T>(search::SiteReader&, const search::SiteView&)>& fn, bool shared_parts,
    const search::Deadline& deadline) {
  absl::StatusOr<std::shared_ptr<ServedSite>> served = registry_.Get(site);
  if (!served.ok()) return served.status();
  return (*served)->Read<T>(fn, shared_parts, deadline);
}

absl::StatusOr<SearchBackend::SiteState> SearchBackend::State(const std::string& site) {
  // Read the generation first: a reload racing with this call then yields a
  // state that is at worst older than the settings used, never newer.
  const uint64_t generation = registry_.settings_generation();
  absl::StatusOr<std::shared_ptr<ServedSite>> served = registry_.Get(site);
  if (!served.ok()) return served.status();
  absl::StatusOr<v1::SiteStats> stats = (*served)->Read<v1::SiteStats>(
      [](search::SiteReader& reader, const search::SiteView&) { return reader.GetStats(); }, /*shared_parts=*/false);
  if (!stats.ok()) return stats.status();
  SiteState state;
  state.revision = stats->revision();
  state.index_uuid = stats->index_uuid();
  state.settings_generation = generation;
  state.settings = (*served)->settings();
  return state;
}

absl::StatusOr<v1::SearchResponse> SearchBackend::Search(const v1::SearchRequest& request,
                                                         const CallerContext& caller) {
  const auto start = std::chrono::steady_clock::now();
  const search::Deadline deadline = DeadlineFor(caller, deadlines_, absl::Now());
  absl::TimeZone zone;
  absl::StatusOr<v1::SearchResponse> response = Read<v1::SearchResponse>(
      request.site(),
      [&](search::SiteReader& reader, const search::SiteView& view) {
        zone = view.settings->time_zone;
        return reader.Search(request, view, deadline);
      },
      /*shared_parts=*/true, deadline);
  if (!response.ok()) return response;
  if (query_stats_ != nullptr && CountsAsReaderSearch(request)) {
    query_stats_->Record(request.site(), request.query(), response->total_hits() == 0,
                         absl::ToCivilDay(absl::Now(), zone));
  }
  const auto took = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start);
  response->mutable_took()->set_seconds(took.count() / 1000000000);
  response->mutable_took()->set_nanos(static_cast<int32_t>(took.count() % 1000000000));
  return response;
}

absl::StatusOr<v1::Article> SearchBackend::GetArticle(const v1::GetArticleRequest& request) {
  return Read<v1::Article>(
      request.site(),
      [&](search::SiteReader& reader, const search::SiteView&) { return reader.GetArticle(request.id()); },
      /*shared_parts=*/false);
}

absl::StatusOr<v1::ListCategoryPostsResponse> SearchBackend::ListCategoryPosts(
    const v1::ListCategoryPostsRequest& request) {
  return Read<v1::ListCategoryPostsResponse>(
      request.site(),
      [&](search::SiteReader& reader, const search::SiteView& view) { return reader.ListCategoryPosts(request, view); });
}

absl::StatusOr<v1::SuggestResponse> SearchBackend::Suggest(const v1::SuggestRequest& request) {
  return Read<v1::SuggestResponse>(
      request.site(),
      [&](search::SiteReader& reader, const search::SiteView& view) { return reader.Suggest(request, view); });
}

absl::StatusOr<v1::SuggestEquivalentsResponse> SearchBackend::SuggestEquivalents(
    const v1::SuggestEquivalentsRequest& request, const CallerContext& caller) {
  // The owner's tool, and it may read the whole site up to the deadline.
  if (absl::Status s = write_token_.Check(caller.authorization, caller.peer, "SuggestEquivalents"); !s.ok()) return s;
  const search::Deadline deadline = DeadlineFor(caller, deadlines_, absl::Now());
  return Read<v1::SuggestEquivalentsResponse>(
      request.site(),
      [&](search::SiteReader& reader, const search::SiteView& view) {
        return reader.SuggestEquivalents(request, view, deadline);
      },
      /*shared_parts=*/false, deadline);
}

absl::StatusOr<v1::GetArchiveResponse> SearchBackend::GetArchive(const v1::GetArchiveRequest& request) {
  return Read<v1::GetArchiveResponse>(
      request.site(),
      [&](search::SiteReader& reader, const search::SiteView& view) { return reader.GetArchive(request, view); });
}

absl::StatusOr<v1::GetRelatedResponse> SearchBackend::GetRelated(const v1::GetRelatedRequest& request) {
  return Read<v1::GetRelatedResponse>(
      request.site(),
      [&](search::SiteReader& reader, const search::SiteView& view) { return reader.GetRelated(request, view); });
}

absl::StatusOr<v1::SiteStats> SearchBackend::GetSiteStats(const v1::GetSiteStatsRequest& request) {
  absl::StatusOr<std::shared_ptr<ServedSite>> served = registry_.Get(request.site());
  if (!served.ok()) return served.status();
  absl::StatusOr<v1::SiteStats> stats = Stats(*served, /*with_equivalents=*/true);
  if (stats.ok() && replica_ != nullptr) replica_->Fill(&*stats);
  if (stats.ok() && takes_writes_) stats->set_role("primary");
  return stats;
}

absl::StatusOr<v1::SiteStats> SearchBackend::Stats(const std::shared_ptr<ServedSite>& served, bool with_equivalents) {
  const std::string& site = served->name();
  absl::StatusOr<v1::SiteStats> stats = served->Read<v1::SiteStats>(
      [&](search::SiteReader& reader, const search::SiteView& view) {
        return reader.GetStats(with_equivalents ? view.settings->equivalents.get() : nullptr);
      },
      /*shared_parts=*/false);
  if (!stats.ok()) return stats;
  const std::shared_ptr<const index::SiteSettings> settings = served->settings();
  stats->set_name(site);
  stats->set_display_name(settings->display_name);
  stats->set_time_zone(settings->time_zone_name);
  // Feed polling state, written by chaja-indexer --watch: read fresh on each
  // call (a small file), so `chaja sites` shows the last poll at once.
  if (absl::StatusOr<v1::FeedStates> feeds = index::LoadFeedStates(registry_.data_dir(), site); feeds.ok()) {
    for (v1::FeedStatus& feed : *feeds->mutable_feeds()) {
      feed.clear_etag();  // validators are the poller's business
      feed.clear_last_modified();
      *stats->add_feeds() = std::move(feed);
    }
    if (settings->display_name == site && !index::FeedChannelTitle(*feeds).empty()) {
      stats->set_display_name(index::FeedChannelTitle(*feeds));
    }
  }
  FolderStats(served->path(), &*stats);
  served->AddMemoryStats(&*stats);
  served->AddOpenStats(&*stats);
  return stats;
}

absl::StatusOr<v1::ListSitesResponse> SearchBackend::ListSites() {
  absl::StatusOr<std::vector<std::string>> sites = index::ListSites(registry_.data_dir());
  if (!sites.ok()) return sites.status();
  v1::ListSitesResponse response;
  for (const std::string& site : *sites) {
    // A closed site is opened for this look only: listing every site must
    // not close the ones readers use.
    bool open = false;
    absl::StatusOr<std::shared_ptr<ServedSite>> served = registry_.GetForScan(site, &open);
    if (!served.ok()) continue;  // removed or broken meanwhile: not a site to list
    absl::StatusOr<v1::SiteStats> stats = Stats(*served, /*with_equivalents=*/false);
    if (!stats.ok()) continue;
    if (!open) {
      stats->clear_open_readers();  // closed again once listed
      stats->clear_open_since();
    }
    if (takes_writes_) stats->set_role("primary");
    *response.add_sites() = *std::move(stats);
  }
  if (replica_ != nullptr) replica_->FillAll(&response);  // one call to the primary for all sites
  return response;
}

absl::StatusOr<v1::QueryStatsResponse> SearchBackend::QueryStats(const v1::QueryStatsRequest& request,
                                                                 const CallerContext& caller) {
  if (absl::Status s = write_token_.Check(caller.authorization, caller.peer, "QueryStats"); !s.ok()) return s;
  if (query_stats_ == nullptr) {
    return absl::FailedPreconditionError("query statistics are off (chaja-searchd runs with --query_stats=false)");
  }
  if (request.limit() > kMaxQueryStatsLimit) {
    return absl::InvalidArgumentError(absl::StrCat("limit is at most ", kMaxQueryStatsLimit));
  }
  absl::StatusOr<std::shared_ptr<ServedSite>> served = registry_.Get(request.site());
  if (!served.ok()) return served.status();
  return query_stats_->Query(request, absl::ToCivilDay(absl::Now(), (*served)->settings()->time_zone));
}

}  // namespace chaja::searchd
