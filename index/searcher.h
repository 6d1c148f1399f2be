// Searcher: answers SearchRequests from one site's database.
//
// Not thread-safe: Xapian::Database objects must not be shared between
// threads, so searchd keeps one Searcher per site per thread. Refresh() makes
// commits by the writer since the last call visible.
#ifndef CHAJA_INDEX_SEARCHER_H_
#define CHAJA_INDEX_SEARCHER_H_

#include <functional>
#include <memory>
#include <string>

#include <xapian.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include <optional>
#include "chaja/v1/search.pb.h"
#include "index/memory_postings.h"
#include "index/memory_ranker.h"
#include "index/query_builder.h"
#include "index/ranking.h"
#include "index/site_columns.h"
#include "index/site_config.h"

namespace chaja::index {

inline constexpr uint32_t kDefaultLimit = 10;
inline constexpr uint32_t kMaxLimit = 1000;
inline constexpr uint32_t kMaxOffset = 100000;
inline constexpr size_t kSnippetChars = 160;

// A page of a listing: `offset` and `limit` after resolving a page token.
struct Page {
  uint32_t offset = 0;
  uint32_t limit = kDefaultLimit;
};

// Where a Searcher gets the shared in-memory posting lists of its site: the
// newest snapshot built, or nullptr while there is none (they are built in
// the background, and only for big sites; searches then ask Xapian).
using PostingsSource = std::function<std::shared_ptr<const MemoryPostings>(const Xapian::Database&)>;

// Where a Searcher gets the shared per-revision SiteColumns snapshot.
using ColumnsSource =
    std::function<absl::StatusOr<std::shared_ptr<const SiteColumns>>(const Xapian::Database&)>;

class Searcher {
 public:
  // Opens the database at `path` read-only. NOT_FOUND if there is none.
  static absl::StatusOr<std::unique_ptr<Searcher>> Open(const std::string& path);

  // Sees the latest commit. UNAVAILABLE/DATA_LOSS if the database went bad.
  absl::Status Refresh();

  // Every method: INVALID_ARGUMENT for a malformed query or field, NOT_FOUND
  // for an unknown article id; never INTERNAL for user input.
  absl::StatusOr<v1::SearchResponse> Search(const v1::SearchRequest& request);
  absl::StatusOr<v1::Article> GetArticle(const std::string& id);
  absl::StatusOr<v1::ListCategoryPostsResponse> ListCategoryPosts(const v1::ListCategoryPostsRequest& request);
  absl::StatusOr<v1::GetArchiveResponse> GetArchive(const v1::GetArchiveRequest& request);
  absl::StatusOr<v1::GetRelatedResponse> GetRelated(const v1::GetRelatedRequest& request);
  // Document count, revision (size and dates come from the folder).
  absl::StatusOr<v1::SiteStats> GetStats();

  void set_ranking(const RankingParams& params) { ranking_ = params; }
  void set_settings(std::shared_ptr<const SiteSettings> settings) { settings_ = std::move(settings); }
  void set_columns_source(ColumnsSource source) { columns_source_ = std::move(source); }
  void set_postings_source(PostingsSource source) { postings_source_ = std::move(source); }
  Xapian::doccount doc_count() const { return db_.get_doccount(); }

 private:
  Searcher(Xapian::Database db, std::string path);
  // Runs `fn` and, if the database was modified under it, reopens and retries.
  template <typename T>
  absl::StatusOr<T> Retrying(const std::function<absl::StatusOr<T>()>& fn);
  absl::StatusOr<v1::SearchResponse> SearchOnce(const v1::SearchRequest& request);
  absl::StatusOr<v1::ListCategoryPostsResponse> CategoryPostsOnce(const v1::ListCategoryPostsRequest& request);
  absl::StatusOr<v1::GetRelatedResponse> RelatedOnce(const v1::GetRelatedRequest& request);
  absl::StatusOr<std::shared_ptr<const SiteColumns>> Columns();
  // The shortlist query of a big site: the request's query without the grams
  // held by more than RankingParams::shortlist_share of the posts.
  absl::StatusOr<BuiltQuery> SelectiveQuery(const v1::SearchRequest& request, const QueryOptions& options,
                                            const std::function<Xapian::doccount(const std::string&)>& term_freq);
  // The site's in-memory posting lists if they are of the current revision, else nullptr.
  std::shared_ptr<const MemoryPostings> CurrentPostings();
  // The page of a relevance-ranked text query from `postings`, or nullopt
  // when there are none (nullptr) or the in-memory ranker cannot answer; the
  // caller then asks Xapian.
  std::optional<MemoryRanking> RankFromMemory(const MemoryPostings* postings, const v1::SearchRequest& request,
                                               const QueryOptions& options, const BuiltQuery& built, const Page& page);
  // The document of an article id; NOT_FOUND if none.
  absl::StatusOr<Xapian::Document> FindArticle(const std::string& id);

  // The inode of the database folder, which changes when a bulk import
  // swaps in a new database; 0 if it cannot be read.
  static uint64_t FolderIdentity(const std::string& path);

  Xapian::Database db_;
  const std::string path_;
  uint64_t folder_identity_ = 0;
  // A second handle on the same database for the facet count pass, which runs
  // in a helper thread during Search (a Database must not be shared).
  std::unique_ptr<Xapian::Database> count_db_;
  RankingParams ranking_;
  std::shared_ptr<const SiteSettings> settings_;
  ColumnsSource columns_source_;
  PostingsSource postings_source_;
  MemoryRankerScratch scratch_;
};

template <typename T>
absl::StatusOr<T> Searcher::Retrying(const std::function<absl::StatusOr<T>()>& fn) {
  // A commit can recycle blocks an open reader still uses; Xapian then throws
  // DatabaseModifiedError and the answer is to reopen and run again.
  for (int attempt = 0;; ++attempt) {
    absl::StatusOr<T> result = fn();
    if (result.ok() || result.status().code() != absl::StatusCode::kAborted || attempt == 2) return result;
    if (absl::Status s = Refresh(); !s.ok()) return s;
  }
}

// Resolves offset/limit/page_token. The token is opaque to clients; it is
// bound to the request it came from (`fingerprint`: the request without its
// paging fields), so a token replayed against another query is INVALID_ARGUMENT.
absl::StatusOr<Page> ResolvePage(uint32_t offset, uint32_t limit, const std::string& page_token,
                                 const std::string& fingerprint);
// The token for the page after `page`, or "" when `total` is reached.
std::string NextPageToken(const Page& page, uint64_t total, const std::string& fingerprint);

// OK or INVALID_ARGUMENT for the request fields a searcher checks (limit,
// offset, sort, date range). Exposed for searchd and tests.
absl::Status ValidateSearchRequest(const v1::SearchRequest& request);

}  // namespace chaja::index

#endif  // CHAJA_INDEX_SEARCHER_H_
