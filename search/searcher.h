// Searcher: one site read straight from its folder, for tools and tests: a
// SiteReader with a SiteView of its own (default settings unless set, the
// column snapshot loaded once per revision, in-memory lists only when given),
// retried when the database changes under it. searchd does not use it: its
// ServedSite shares views between the readers of a site.
//
// Thread-compatible: one Searcher per thread.
#ifndef CHAJA_SEARCH_SEARCHER_H_
#define CHAJA_SEARCH_SEARCHER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "chaja/v1/search.pb.h"
#include "search/site_reader.h"

namespace chaja::search {

class Searcher {
 public:
  // Opens the database at `path` read-only. NOT_FOUND if there is none.
  static absl::StatusOr<std::unique_ptr<Searcher>> Open(const std::string& path);

  // Sees the latest commit. UNAVAILABLE/DATA_LOSS if the database went bad.
  absl::Status Refresh() { return reader_->Refresh(); }

  // As SiteReader's, retried when the database was modified meanwhile.
  absl::StatusOr<v1::SearchResponse> Search(const v1::SearchRequest& request);
  absl::StatusOr<v1::Article> GetArticle(const std::string& id);
  absl::StatusOr<v1::ListCategoryPostsResponse> ListCategoryPosts(const v1::ListCategoryPostsRequest& request);
  absl::StatusOr<v1::GetArchiveResponse> GetArchive(const v1::GetArchiveRequest& request);
  absl::StatusOr<v1::SuggestResponse> Suggest(const v1::SuggestRequest& request);
  absl::StatusOr<v1::GetRelatedResponse> GetRelated(const v1::GetRelatedRequest& request);
  absl::StatusOr<v1::SiteStats> GetStats() { return reader_->GetStats(); }
  uint64_t doc_count() const { return reader_->doc_count(); }

  void set_ranking(const RankingParams& params) { ranking_ = params; }
  void set_settings(std::shared_ptr<const index::SiteSettings> settings) { settings_ = std::move(settings); }
  // In-memory lists to rank from while they are of the database's revision.
  void set_memory_postings(std::shared_ptr<const MemoryPostings> postings) { postings_ = std::move(postings); }
  // Threads to count facets on beside the in-memory ranker (borrowed).
  void set_counting_pool(CountingPool* counting) { counting_ = counting; }

 private:
  explicit Searcher(std::unique_ptr<SiteReader> reader);
  // The view of the reader's current revision.
  absl::StatusOr<SiteView> View();
  template <typename T, typename Fn>
  absl::StatusOr<T> WithView(const Fn& fn);

  std::unique_ptr<SiteReader> reader_;
  RankingParams ranking_;
  std::shared_ptr<const index::SiteSettings> settings_;
  std::shared_ptr<const index::SiteColumns> columns_;
  std::shared_ptr<const TagGroups> tag_groups_;
  // What tag_groups_ was made of.
  std::shared_ptr<const index::SiteColumns> tag_groups_columns_;
  std::shared_ptr<const index::SiteSettings> tag_groups_settings_;
  std::shared_ptr<const MemoryPostings> postings_;
  MemoryRankerScratch scratch_;
  CountingPool* counting_ = nullptr;
};

}  // namespace chaja::search

#endif  // CHAJA_SEARCH_SEARCHER_H_
