// SiteWriter: the one writer of a site's database (Xapian allows one).
//
// Changes are buffered by Xapian and become visible and durable only at
// Commit(): a crash loses at most the uncommitted batch, never committed data.
// Not thread-safe: one SiteWriter per site, used from one thread at a time.
#ifndef CHAJA_INDEX_SITE_WRITER_H_
#define CHAJA_INDEX_SITE_WRITER_H_

#include <memory>
#include <string>

#include <xapian.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "chaja/v1/article.pb.h"
#include "index/document_builder.h"

namespace chaja::index {

class SiteWriter {
 public:
  // Opens (creating if needed) DATA/<site>/xapian for writing.
  // INVALID_ARGUMENT for a bad site name; UNAVAILABLE if another process holds
  // the write lock (a running chaja-searchd or chaja-indexer); INTERNAL for I/O errors.
  static absl::StatusOr<std::unique_ptr<SiteWriter>> Open(const std::string& data_dir, const std::string& site);

  enum class UpsertOutcome { kAdded, kReplaced, kUnchanged };

  // Adds the article or replaces the one with the same id; an article whose
  // content hash equals the stored one is left alone (kUnchanged), and is not
  // analysed: the hash is compared before the document is built.
  // INVALID_ARGUMENT if the article fails ValidateArticle. `outcome` may be null.
  absl::Status Upsert(const v1::Article& article, UpsertOutcome* outcome = nullptr);

  // Ids of every article in the site (for pruning what a full export lacks).
  absl::StatusOr<std::vector<std::string>> AllIds() const;

  // Removes the article. NOT_FOUND if the site has no article with this id.
  absl::Status Delete(const std::string& id);

  // Makes every change so far durable and visible to readers, atomically.
  absl::Status Commit();

  // Replaces the site's database with the one built at `built_path` (by
  // BulkBuilder), keeping the write lock, and commits until its revision is
  // above the old one's, so readers' per-revision caches never take one for
  // the other. The old database is removed.
  absl::Status AdoptDatabase(const std::string& built_path);

  // The limits Upsert validates articles against (default: ArticleLimits()).
  void set_limits(const ArticleLimits& limits) { limits_ = limits; }

  // Changes since the last Commit().
  size_t pending() const { return pending_; }
  // Articles analysed into documents by Upsert since Open(); an unchanged
  // article is recognised by its content hash before any analysis.
  size_t documents_built() const { return documents_built_; }
  Xapian::doccount doc_count() const { return db_.get_doccount(); }
  // The revision last committed.
  Xapian::rev revision() const { return db_.get_revision(); }

 private:
  SiteWriter(Xapian::WritableDatabase db, std::string path) : db_(std::move(db)), path_(std::move(path)) {}

  Xapian::WritableDatabase db_;
  const std::string path_;
  DocumentBuilder builder_;
  ArticleLimits limits_;
  size_t pending_ = 0;
  size_t documents_built_ = 0;
};

}  // namespace chaja::index

#endif  // CHAJA_INDEX_SITE_WRITER_H_
