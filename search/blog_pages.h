// BlogPages: what a blog shows around its posts, read from the column
// snapshot of one revision: "other posts in this category" with the previous
// and next post, the archive calendar, and related posts.
//
// Thread-compatible: one BlogPages per request (it borrows a database handle,
// which must not be shared between threads).
#ifndef CHAJA_SEARCH_BLOG_PAGES_H_
#define CHAJA_SEARCH_BLOG_PAGES_H_

#include <xapian.h>

#include "absl/status/statusor.h"
#include "chaja/v1/search.pb.h"
#include "index/site_columns.h"
#include "index/site_config.h"
#include "search/ranking.h"
#include "search/tag_groups.h"

namespace chaja::search {

class BlogPages {
 public:
  // Everything is borrowed; `columns` must be the snapshot of `db`'s
  // revision and `tag_groups` its tags under `settings` (Related merges tags
  // by them; made on the spot when nullptr).
  BlogPages(const Xapian::Database* db, const index::SiteColumns* columns, const index::SiteSettings* settings,
            const RankingParams* ranking, const TagGroups* tag_groups = nullptr)
      : db_(db), columns_(columns), settings_(settings), ranking_(ranking), tag_groups_(tag_groups) {}

  // INVALID_ARGUMENT for bad fields, NOT_FOUND for an unknown article.
  absl::StatusOr<v1::ListCategoryPostsResponse> CategoryPosts(const v1::ListCategoryPostsRequest& request) const;
  absl::StatusOr<v1::GetArchiveResponse> Archive(const v1::GetArchiveRequest& request) const;
  absl::StatusOr<v1::GetRelatedResponse> Related(const v1::GetRelatedRequest& request) const;

 private:
  // Neighbours of `self` in its list: previous = the next older post, next =
  // the next newer one.
  absl::Status AddNeighbours(Xapian::docid self, const std::vector<bool>& listed,
                             v1::ListCategoryPostsResponse* response) const;
  absl::Status AddSummary(Xapian::docid did, v1::PostSummary* out) const;
  // The summary's tags by their merged names (TagGroups), as the tag cloud
  // shows them: "other posts" and related posts list 우분투 once, not ubuntu.
  void NameTagsAsMerged(Xapian::docid did, v1::PostSummary* out) const;
  bool InList(Xapian::docid did, const std::vector<bool>& listed) const;

  const Xapian::Database* db_;
  const index::SiteColumns* columns_;
  const index::SiteSettings* settings_;
  const RankingParams* ranking_;
  const TagGroups* tag_groups_;
};

// The document of an article id; NOT_FOUND if none, INVALID_ARGUMENT for "".
absl::StatusOr<Xapian::Document> FindArticle(const Xapian::Database& db, const std::string& id);

}  // namespace chaja::search

#endif  // CHAJA_SEARCH_BLOG_PAGES_H_
