// SearchBackend: everything searchd answers, independent of the transport.
// The gRPC service (and later the HTTP/JSON API) are thin adapters over it, so
// every front end shares one code path, one validation and one error mapping.
//
// Thread-safe: any number of request threads may call it concurrently. Each
// call borrows a Searcher (a Xapian::Database, which is not thread-safe) from a
// per-site pool and returns it afterwards; a borrowed Searcher is refreshed
// first, so commits by the writer are visible without a restart. Per-site
// settings and the per-revision SiteColumns snapshot are shared by all threads.
#ifndef CHAJA_SEARCHD_SEARCH_BACKEND_H_
#define CHAJA_SEARCHD_SEARCH_BACKEND_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "chaja/v1/search.pb.h"
#include "index/memory_postings.h"
#include "index/searcher.h"
#include "index/site_columns.h"
#include "index/site_config.h"

namespace chaja::searchd {

class SearchBackend {
 public:
  explicit SearchBackend(std::string data_dir, index::RankingParams ranking = {});
  // Waits for background loads of in-memory posting lists (they stop early).
  ~SearchBackend();
  SearchBackend(const SearchBackend&) = delete;
  SearchBackend& operator=(const SearchBackend&) = delete;

  // Every method: INVALID_ARGUMENT for a bad site name, query or field;
  // NOT_FOUND for an unknown site or article; UNAVAILABLE/DATA_LOSS if the
  // site's database is unusable.
  absl::StatusOr<v1::SearchResponse> Search(const v1::SearchRequest& request);
  absl::StatusOr<v1::Article> GetArticle(const v1::GetArticleRequest& request);
  absl::StatusOr<v1::ListCategoryPostsResponse> ListCategoryPosts(const v1::ListCategoryPostsRequest& request);
  absl::StatusOr<v1::GetArchiveResponse> GetArchive(const v1::GetArchiveRequest& request);
  absl::StatusOr<v1::GetRelatedResponse> GetRelated(const v1::GetRelatedRequest& request);
  absl::StatusOr<v1::SiteStats> GetSiteStats(const v1::GetSiteStatsRequest& request);
  absl::StatusOr<v1::ListSitesResponse> ListSites();

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

  const std::string& data_dir() const { return data_dir_; }

 private:
  // Borrows a refreshed Searcher of `site`, runs `fn`, returns the Searcher.
  template <typename T>
  absl::StatusOr<T> WithSearcher(const std::string& site,
                                 const std::function<absl::StatusOr<T>(index::Searcher&)>& fn);
  absl::StatusOr<std::unique_ptr<index::Searcher>> Acquire(const std::string& site);
  void Release(const std::string& site, std::unique_ptr<index::Searcher> searcher);
  std::shared_ptr<const index::SiteSettings> Settings(const std::string& site);
  absl::StatusOr<std::shared_ptr<const index::SiteColumns>> Columns(const std::string& site,
                                                                   const Xapian::Database& db);

  // The newest in-memory posting lists of `site` (maybe of an older revision:
  // the Searcher checks), or nullptr. A site big enough to shortlist whose
  // lists are missing or stale gets a background load, at most one at a time
  // and, after the first, no sooner than ten load times after the last, so a
  // site under a stream of commits spends at most a tenth of a core on it and
  // is answered by Xapian meanwhile.
  std::shared_ptr<const index::MemoryPostings> Postings(const std::string& site, const Xapian::Database& db);
  void LoadPostings(const std::string& site, const std::string& path);
  // Bytes of RankingParams::memory_postings_max_bytes not held by other sites.
  uint64_t BudgetLeft(const std::string& site);

  const std::string data_dir_;
  const index::RankingParams ranking_;
  std::mutex mu_;
  // Idle searchers per site; at most one per concurrent request.
  std::map<std::string, std::vector<std::unique_ptr<index::Searcher>>> idle_;
  std::map<std::string, std::shared_ptr<const index::SiteSettings>> settings_;
  std::atomic<uint64_t> settings_generation_{0};
  // The newest snapshot per site; rebuilt when a request sees a newer revision.
  std::mutex columns_mu_;
  std::map<std::string, std::shared_ptr<const index::SiteColumns>> columns_;
  struct SitePostings {
    std::shared_ptr<const index::MemoryPostings> current;
    bool loading = false;
    std::chrono::steady_clock::time_point next_load;
    std::thread loader;
  };
  std::mutex postings_mu_;
  std::map<std::string, SitePostings> postings_;
  std::atomic<bool> stopping_{false};
};

}  // namespace chaja::searchd

#endif  // CHAJA_SEARCHD_SEARCH_BACKEND_H_
