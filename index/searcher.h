// Searcher: answers SearchRequests from one site's database.
//
// Not thread-safe: Xapian::Database objects must not be shared between
// threads, so searchd keeps one Searcher per site per thread. Refresh() makes
// commits by the writer since the last call visible.
#ifndef CHAJA_INDEX_SEARCHER_H_
#define CHAJA_INDEX_SEARCHER_H_

#include <memory>
#include <string>

#include <xapian.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "chaja/v1/search.pb.h"

namespace chaja::index {

inline constexpr uint32_t kDefaultLimit = 10;
inline constexpr uint32_t kMaxLimit = 1000;
inline constexpr uint32_t kMaxOffset = 100000;
inline constexpr size_t kSnippetChars = 160;

// BM25 parameters, tuned on ../shared/eval (see bench/README.md): a lower k1
// than Lucene's 1.2 because bigrams repeat more than words do.
struct RankingParams {
  double k1 = 0.9;
  double k2 = 0.0;
  double k3 = 1.0;
  double b = 0.75;
  double min_normlen = 0.5;
};

class Searcher {
 public:
  // Opens the database at `path` read-only. NOT_FOUND if there is none.
  static absl::StatusOr<std::unique_ptr<Searcher>> Open(const std::string& path);

  // Sees the latest commit. UNAVAILABLE/DATA_LOSS if the database went bad.
  absl::Status Refresh();

  // INVALID_ARGUMENT for a malformed query or request field; never INTERNAL
  // for user input.
  absl::StatusOr<v1::SearchResponse> Search(const v1::SearchRequest& request);

  void set_ranking(const RankingParams& params) { ranking_ = params; }
  Xapian::doccount doc_count() const { return db_.get_doccount(); }

 private:
  explicit Searcher(Xapian::Database db) : db_(std::move(db)) {}
  absl::StatusOr<v1::SearchResponse> SearchOnce(const v1::SearchRequest& request);

  Xapian::Database db_;
  RankingParams ranking_;
};

// OK or INVALID_ARGUMENT for the request fields a searcher checks (limit,
// offset, sort, date range). Exposed for searchd and tests.
absl::Status ValidateSearchRequest(const v1::SearchRequest& request);

}  // namespace chaja::index

#endif  // CHAJA_INDEX_SEARCHER_H_
