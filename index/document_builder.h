// Article → Xapian::Document, following index/schema.h.
//
// Thread-compatible: one DocumentBuilder per thread (it reuses buffers).
#ifndef CHAJA_INDEX_DOCUMENT_BUILDER_H_
#define CHAJA_INDEX_DOCUMENT_BUILDER_H_

#include <string>

#include <xapian.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "analyzer/analyzer.h"
#include "chaja/v1/article.pb.h"
#include "chaja/v1/search.pb.h"

namespace chaja::index {

// Default limits on what one article may hold; larger input is rejected with
// INVALID_ARGUMENT rather than indexed partially.
inline constexpr size_t kMaxIdBytes = 512;
inline constexpr size_t kMaxTitleBytes = 4096;
inline constexpr size_t kMaxBodyBytes = 16 << 20;
inline constexpr int kMaxTags = 1000;

// The limits ValidateArticle applies; the indexer sets them from its flags.
struct ArticleLimits {
  size_t max_id_bytes = kMaxIdBytes;
  size_t max_title_bytes = kMaxTitleBytes;
  size_t max_body_bytes = kMaxBodyBytes;
  int max_tags = kMaxTags;
};

// OK, or INVALID_ARGUMENT naming the field that is wrong (missing id, body
// over the limit, …).
absl::Status ValidateArticle(const v1::Article& article, const ArticleLimits& limits = ArticleLimits());

// What a document keeps of its article besides the terms: the article
// serialized deterministically (the document data) and the hash of those bytes
// (kSlotContentHash). Cheap next to DocumentBuilder::Build, which analyses the
// text: SiteWriter compares the hash with the stored one before building.
struct StoredArticle {
  std::string data;
  std::string content_hash;
};
StoredArticle StoreArticle(const v1::Article& article);

class DocumentBuilder {
 public:
  // The document for `article`, which must have passed ValidateArticle.
  Xapian::Document Build(const v1::Article& article) const { return Build(article, StoreArticle(article)); }
  // The same, with StoreArticle(article) already computed.
  Xapian::Document Build(const v1::Article& article, StoredArticle stored) const;

 private:
  void IndexText(absl::string_view text, absl::string_view prefix, Xapian::termcount wdf,
                 Xapian::Document* doc) const;
  analyzer::Analyzer analyzer_;
};

// The Article stored in a document's data. DATA_LOSS if it does not parse.
absl::StatusOr<v1::Article> ArticleFromDocument(const Xapian::Document& doc);
// The same with the body cut at kStoredHeadBodyBytes, read without the rest
// of a long post (kSlotStoredHead); what searches show and check.
absl::StatusOr<v1::Article> ArticleHeadFromDocument(const Xapian::Document& doc);

// The list form of an article (category lists, related posts).
void FillPostSummary(const v1::Article& article, v1::PostSummary* out);

// Seconds since the epoch of a Timestamp, as used in kSlotPublished.
double TimestampSeconds(const google::protobuf::Timestamp& t);

}  // namespace chaja::index

#endif  // CHAJA_INDEX_DOCUMENT_BUILDER_H_
