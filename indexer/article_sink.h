// Where the Importer sends articles: the seam between reading input and
// writing an index.
//
// Two sinks: SiteWriterSink below (a local database, exclusive write lock)
// and IndexServiceSink (index_service_sink.h: searchd's IndexService Upsert
// stream). Every reader, limit, report and --prune works through either.
//
// Not thread-safe: one sink per import.
#ifndef CHAJA_INDEXER_ARTICLE_SINK_H_
#define CHAJA_INDEXER_ARTICLE_SINK_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "chaja/v1/article.pb.h"
#include "index/site_writer.h"

namespace chaja::indexer {

using UpsertOutcome = index::SiteWriter::UpsertOutcome;

class ArticleSink {
 public:
  virtual ~ArticleSink() = default;
  // Adds or replaces by id; kUnchanged when the stored article is identical.
  // INVALID_ARGUMENT when the article breaks a limit or is malformed (the
  // record is rejected); any other code is fatal for the import.
  virtual absl::Status Upsert(const v1::Article& article, UpsertOutcome* outcome) = 0;
  // NOT_FOUND if there is no such article.
  virtual absl::Status Delete(const std::string& id) = 0;
  // Every id in the site, for --prune.
  virtual absl::StatusOr<std::vector<std::string>> AllIds() = 0;
  // Changes not yet committed.
  virtual size_t pending() const = 0;
  // Makes the pending changes durable and visible, atomically.
  virtual absl::Status Commit() = 0;
};

// The local database of a site. Does not own the writer.
class SiteWriterSink : public ArticleSink {
 public:
  explicit SiteWriterSink(index::SiteWriter* writer) : writer_(writer) {}
  absl::Status Upsert(const v1::Article& article, UpsertOutcome* outcome) override {
    return writer_->Upsert(article, outcome);
  }
  absl::Status Delete(const std::string& id) override { return writer_->Delete(id); }
  absl::StatusOr<std::vector<std::string>> AllIds() override { return writer_->AllIds(); }
  size_t pending() const override { return writer_->pending(); }
  absl::Status Commit() override { return writer_->Commit(); }

 private:
  index::SiteWriter* writer_;
};

}  // namespace chaja::indexer

#endif  // CHAJA_INDEXER_ARTICLE_SINK_H_
