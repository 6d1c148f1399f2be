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
#include "absl/strings/str_cat.h"
#include "chaja/v1/article.pb.h"
#include "index/bulk_builder.h"
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

// A first import into an empty site: index::BulkBuilder writes shards in
// parallel and merges them when the import is committed at its end. Nothing
// is pending in the importer's sense (it never commits mid-way), because a
// partial bulk build is never visible anyway.
class BulkSink : public ArticleSink {
 public:
  explicit BulkSink(std::unique_ptr<index::BulkBuilder> builder) : builder_(std::move(builder)) {}
  absl::Status Upsert(const v1::Article& article, UpsertOutcome* outcome) override {
    return builder_->Add(article, outcome);
  }
  // The site was empty and nothing is written before the end.
  absl::Status Delete(const std::string& id) override {
    return absl::NotFoundError(absl::StrCat("no article with id \"", id, "\""));
  }
  absl::StatusOr<std::vector<std::string>> AllIds() override { return builder_->Ids(); }
  size_t pending() const override { return 0; }
  absl::Status Commit() override { return builder_->Finish(); }

 private:
  std::unique_ptr<index::BulkBuilder> builder_;
};

}  // namespace chaja::indexer

#endif  // CHAJA_INDEXER_ARTICLE_SINK_H_
