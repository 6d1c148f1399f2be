// SearchBackend: everything searchd answers, independent of the transport.
// The gRPC service and the HTTP/JSON API are thin adapters over it, so every
// front end shares one code path, one validation and one error mapping.
//
// Thread-safe: any number of request threads may call it concurrently. Each
// call finds the site in the SiteRegistry and reads it through its
// ServedSite, which lends the call a refreshed reader of the site's database
// and a view of that revision (settings, column snapshot, in-memory lists).
#ifndef CHAJA_SEARCHD_SEARCH_BACKEND_H_
#define CHAJA_SEARCHD_SEARCH_BACKEND_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "chaja/v1/search.pb.h"
#include "index/site_config.h"
#include "search/deadline.h"
#include "search/ranking.h"
#include "searchd/metrics.h"
#include "searchd/query_stats.h"
#include "searchd/replica.h"
#include "searchd/revision_pins.h"
#include "searchd/site_registry.h"
#include "searchd/write_token.h"

namespace chaja::searchd {

// How long a search may run (issue 14): `default_timeout` when the client sets
// no deadline (HTTP never does), and at most `max_timeout` whatever the
// client asks. Past it the work stops and the answer is DEADLINE_EXCEEDED.
inline constexpr absl::Duration kDefaultSearchTimeout = absl::Seconds(2);
inline constexpr absl::Duration kDefaultMaxSearchTimeout = absl::Seconds(10);
struct DeadlinePolicy {
  absl::Duration default_timeout = kDefaultSearchTimeout;
  absl::Duration max_timeout = kDefaultMaxSearchTimeout;
};

// What a front end knows about the caller of one request.
struct CallerContext {
  // The client's own deadline (gRPC's), or InfiniteFuture() for none.
  absl::Time client_deadline = absl::InfiniteFuture();
  // True once the client has gone away (a cancelled gRPC call, a closed HTTP
  // connection); nullptr when the front end cannot tell. May be called from
  // any of the request's threads.
  std::function<bool()> client_gone;
  // The "authorization" metadata or HTTP header, nullopt when absent; and
  // who called, for the log of refused tokens.
  std::optional<std::string> authorization;
  std::string peer;
};

// What only the site's owner may read, and what is kept for it.
struct OwnerOptions {
  // searchd's write token (--index_token_file); empty: owner calls are refused.
  std::string token;
  QueryStatsOptions query_stats;
};

// The deadline of a call that starts `now` under `policy`.
search::Deadline DeadlineFor(const CallerContext& caller, const DeadlinePolicy& policy, absl::Time now);

class SearchBackend {
 public:
  // `pins` (nullable): shared with this process's WriteBackend (revision_pins.h).
  // `max_open_readers`: the Xapian readers all sites may hold open
  // (site_registry.h).
  explicit SearchBackend(std::string data_dir, search::RankingParams ranking = {}, DeadlinePolicy deadlines = {},
                         OwnerOptions owner = {}, RevisionPins* pins = nullptr,
                         int64_t max_open_readers = kMaxDefaultOpenReaders);
  // Waits for background loads of in-memory posting lists (they stop early)
  // and saves the query statistics.
  ~SearchBackend() = default;
  SearchBackend(const SearchBackend&) = delete;
  SearchBackend& operator=(const SearchBackend&) = delete;

  // Every method: INVALID_ARGUMENT for a bad site name, query or field;
  // NOT_FOUND for an unknown site or article; UNAVAILABLE/DATA_LOSS if the
  // site's database is unusable.
  // Also DEADLINE_EXCEEDED past the caller's deadline (DeadlineFor) and
  // CANCELLED once the caller has gone: the search stops there.
  // A reader's search (CountsAsReaderSearch) is counted in the site's query
  // statistics once answered.
  absl::StatusOr<v1::SearchResponse> Search(const v1::SearchRequest& request, const CallerContext& caller = {});
  absl::StatusOr<v1::Article> GetArticle(const v1::GetArticleRequest& request);
  absl::StatusOr<v1::ListCategoryPostsResponse> ListCategoryPosts(const v1::ListCategoryPostsRequest& request);
  absl::StatusOr<v1::GetArchiveResponse> GetArchive(const v1::GetArchiveRequest& request);
  absl::StatusOr<v1::SuggestResponse> Suggest(const v1::SuggestRequest& request);
  // Stops at the caller's deadline as Search does (it reads up to 10M posts).
  // For the owner: the caller must hold the write token, as for QueryStats.
  absl::StatusOr<v1::SuggestEquivalentsResponse> SuggestEquivalents(const v1::SuggestEquivalentsRequest& request,
                                                                    const CallerContext& caller = {});
  absl::StatusOr<v1::GetRelatedResponse> GetRelated(const v1::GetRelatedRequest& request);
  absl::StatusOr<v1::SiteStats> GetSiteStats(const v1::GetSiteStatsRequest& request);
  absl::StatusOr<v1::ListSitesResponse> ListSites();
  // The site's query statistics, for its owner: the caller's authorization
  // must hold the write token (WriteToken::Check's errors);
  // FAILED_PRECONDITION when they are off; INVALID_ARGUMENT for a limit
  // above 10,000.
  absl::StatusOr<v1::QueryStatsResponse> QueryStats(const v1::QueryStatsRequest& request,
                                                    const CallerContext& caller);

  // Re-reads every site's site.json (searchd calls this on SIGHUP). A site
  // whose file is bad keeps its previous settings; the returned status names
  // every such file (INVALID_ARGUMENT), OK when all were read.
  absl::Status ReloadSettings();

  // What every answer about a site depends on besides the request itself.
  struct SiteState {
    // The Xapian revision of the site's index as of this call, and the
    // index's UUID (another index in the folder may reuse a revision).
    uint64_t revision = 0;
    std::string index_uuid;
    // Changes whenever ReloadSettings() runs (for any site).
    uint64_t settings_generation = 0;
    std::shared_ptr<const index::SiteSettings> settings;
  };
  // The state of `site`, read without running a query (one reopen check), so
  // a front end can build a cache validator (HTTP ETag) or apply per-site
  // rules (CORS origins) before it answers. A request run after this call sees
  // this revision or a newer one. Errors as for every method above.
  absl::StatusOr<SiteState> State(const std::string& site);

  const std::string& data_dir() const { return registry_.data_dir(); }
  // The site `name` as served (tests use it to hold a site's locks).
  absl::StatusOr<std::shared_ptr<ServedSite>> Site(const std::string& name) { return registry_.Get(name); }
  // The sites open now (for /metrics), and the registry's reader budget.
  std::vector<std::shared_ptr<ServedSite>> ServedSites() { return registry_.Sites(); }
  const SiteRegistry& registry() const { return registry_; }
  // Request counts of every front end (CallBackend's observed form).
  RequestMetrics* metrics() { return &metrics_; }
  // The one check of the write token (IndexService uses it too).
  WriteToken* write_token() { return &write_token_; }
  // nullptr when query statistics are off.
  QueryStatsStore* query_stats() { return query_stats_.get(); }
  // Replication role (docs/replication.md): with `replica` (not owned), site
  // stats say how far behind its primary this node is; else `takes_writes`
  // marks them "primary". Set before serving.
  // Whether this node takes reads: always, unless it is a replica whose
  // copies lag (replica.h).
  ReplicationHealth Health() const { return replica_ != nullptr ? replica_->health() : ReplicationHealth{}; }
  void set_replication(ReplicaStatus* replica, bool takes_writes) {
    replica_ = replica;
    takes_writes_ = takes_writes;
  }

 private:
  // The stats of `site`; with the equivalents in effect only when asked
  // (a look-up per built-in set: too much for every site of ListSites).
  // `served` is the site as Get or GetForScan found it.
  absl::StatusOr<v1::SiteStats> Stats(const std::shared_ptr<ServedSite>& served, bool with_equivalents);
  // Reads `site` through its ServedSite (ServedSite::Read).
  template <typename T>
  absl::StatusOr<T> Read(const std::string& site,
                         const std::function<absl::StatusOr<T>(search::SiteReader&, const search::SiteView&)>& fn,
                         bool shared_parts = true, const search::Deadline& deadline = search::Deadline());

  SiteRegistry registry_;
  RequestMetrics metrics_;
  const DeadlinePolicy deadlines_;
  WriteToken write_token_;
  std::unique_ptr<QueryStatsStore> query_stats_;
  ReplicaStatus* replica_ = nullptr;
  bool takes_writes_ = false;
};

}  // namespace chaja::searchd

#endif  // CHAJA_SEARCHD_SEARCH_BACKEND_H_
