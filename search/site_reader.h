// SiteReader: answers the read requests of one site from one handle on its
// Xapian database, against a SiteView: the parts of the same revision that
// every request shares (settings, column snapshot, in-memory posting lists).
// searchd's ServedSite pools readers and makes the views; Searcher
// (searcher.h) is the standalone form for tools and tests.
//
// A search is planned once (query_plan.h) and answered by the first ranker
// that takes the plan (ranker.h); the facet counter rides the same pass and
// the hit writer turns the page into hits.
//
// Thread-compatible: a Xapian::Database must not be shared between threads,
// so one reader serves one request at a time.
#ifndef CHAJA_SEARCH_SITE_READER_H_
#define CHAJA_SEARCH_SITE_READER_H_

#include <functional>
#include <memory>
#include <string>

#include <xapian.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "chaja/v1/search.pb.h"
#include "index/index_version.h"
#include "index/site_columns.h"
#include "index/site_config.h"
#include "search/counting_pool.h"
#include "search/deadline.h"
#include "search/memory_postings.h"
#include "search/memory_ranker.h"
#include "search/ranking.h"
#include "search/tag_groups.h"

namespace chaja::search {

// What one request reads besides its database handle.
struct SiteView {
  std::shared_ptr<const index::SiteSettings> settings;
  // The column snapshot of the reader's revision.
  std::shared_ptr<const index::SiteColumns> columns;
  // The tags of `columns` merged by the settings' equivalents; set whenever
  // `columns` is.
  std::shared_ptr<const TagGroups> tag_groups;
  // The in-memory posting lists of the same revision, or nullptr (Xapian
  // ranks); `scratch` is this request's, and set whenever `postings` is.
  std::shared_ptr<const MemoryPostings> postings;
  MemoryRankerScratch* scratch = nullptr;
  // Threads that count facets while the in-memory ranker ranks, or nullptr.
  CountingPool* counting = nullptr;
  RankingParams ranking;
};

class SiteReader {
 public:
  // Opens the database at `path` read-only. NOT_FOUND if there is none.
  static absl::StatusOr<std::unique_ptr<SiteReader>> Open(const std::string& path);
  ~SiteReader();
  // Readers alive in this process, each with an open Xapian database (for
  // searchd's /metrics).
  static int64_t open_count();

  // Sees the latest commit (or the database a bulk import swapped in).
  // UNAVAILABLE/DATA_LOSS if the database went bad.
  absl::Status Refresh();
  // The database and revision this reader sees now.
  absl::StatusOr<index::IndexVersion> Version() const;
  // How many posts the reader sees; 0 if that cannot be read.
  uint64_t doc_count() const;
  // The column snapshot of Version().
  // `previous` (nullable): a snapshot to share unchanged parts with.
  absl::StatusOr<std::shared_ptr<const index::SiteColumns>> LoadColumns(
      const index::SiteColumns* previous = nullptr) const;

  // Every method: INVALID_ARGUMENT for a malformed query or field, NOT_FOUND
  // for an unknown article id, ABORTED when the database changed under the
  // reader (Refresh, take a new view, run again); never INTERNAL for user
  // input. `view` must be of Version().
  // DEADLINE_EXCEEDED or CANCELLED once `deadline` says so, checked while
  // the search runs.
  absl::StatusOr<v1::SearchResponse> Search(const v1::SearchRequest& request, const SiteView& view,
                                            const Deadline& deadline = Deadline());
  absl::StatusOr<v1::Article> GetArticle(const std::string& id);
  absl::StatusOr<v1::ListCategoryPostsResponse> ListCategoryPosts(const v1::ListCategoryPostsRequest& request,
                                                                  const SiteView& view);
  absl::StatusOr<v1::GetArchiveResponse> GetArchive(const v1::GetArchiveRequest& request, const SiteView& view);
  absl::StatusOr<v1::GetRelatedResponse> GetRelated(const v1::GetRelatedRequest& request, const SiteView& view);
  absl::StatusOr<v1::SuggestResponse> Suggest(const v1::SuggestRequest& request, const SiteView& view);
  // Needs the view's settings only.
  // Reads up to 10M posts: stops at `deadline` as Search does.
  absl::StatusOr<v1::SuggestEquivalentsResponse> SuggestEquivalents(const v1::SuggestEquivalentsRequest& request,
                                                                    const SiteView& view,
                                                                    const Deadline& deadline = Deadline());
  // Document count, revision and index UUID (size and dates come from the
  // folder); with `equivalents`, also those in effect (site_equivalents.h).
  absl::StatusOr<v1::SiteStats> GetStats(const index::Equivalents* equivalents = nullptr);

 private:
  SiteReader(Xapian::Database db, std::string path, uint64_t folder_identity);
  // The page of `request`'s plan from the first ranker that takes it.
  absl::Status Rank(const v1::SearchRequest& request, const SiteView& view, const Deadline& deadline,
                    v1::SearchResponse* response);
  // The inode of the database folder, which changes when a bulk import
  // swaps in a new database, mixed with a replica stub's inode, which
  // changes when the replica switches copies; 0 if it cannot be read.
  static uint64_t FolderIdentity(const std::string& path);

  Xapian::Database db_;
  const std::string path_;
  uint64_t folder_identity_ = 0;
};

// OK or INVALID_ARGUMENT for the request fields a reader checks (limit,
// offset, sort, match mode, facets, date range), before any planning.
absl::Status ValidateSearchRequest(const v1::SearchRequest& request);

// Runs `fn` and, while it fails with ABORTED (the database was modified under
// the reader), calls `refresh` and runs it again: at most kMaxReadAttempts
// times in all, and not once `deadline` has passed. A long read (exact facets
// over a big site) can lose its revision to several commits in a row. A
// DATA_LOSS is tried once more the same way (see RetryWhenModified's body).
inline constexpr int kMaxReadAttempts = 6;
absl::Status RetryWhenModified(const std::function<absl::Status()>& fn, const std::function<absl::Status()>& refresh,
                               const Deadline& deadline = Deadline());

}  // namespace chaja::search

#endif  // CHAJA_SEARCH_SITE_READER_H_
