// BulkBuilder: fills an empty site with several Xapian writers at once.
//
// Xapian allows one writer per database and a writer keeps one core busy, so
// a first import of a large site would use one core of the machine. Instead,
// articles are spread over N temporary shards by a hash of their id (so the
// same id always lands in the same shard and replaces itself there), each
// shard is written by its own thread, and Finish() merges the shards with
// Xapian's compactor into one compact database that replaces the empty site.
//
// What a crash costs: nothing is visible until Finish(); a killed bulk import
// leaves the site as it was (empty) and the next run starts over. Imports into
// a site that has articles use SiteWriter, which commits batch by batch.
//
// Thread-compatible: Add() and Finish() are called from one thread; the
// shard threads are internal.
#ifndef CHAJA_INDEX_BULK_BUILDER_H_
#define CHAJA_INDEX_BULK_BUILDER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "chaja/v1/article.pb.h"
#include "index/document_builder.h"
#include "index/site_writer.h"

namespace chaja::index {

class BulkBuilder {
 public:
  // `writer` holds the site's write lock and must stay open until Finish();
  // its database must be empty (FAILED_PRECONDITION otherwise). The shards are
  // built in DATA/<site>/bulk.tmp/, removed by Finish() and by the next Start().
  static absl::StatusOr<std::unique_ptr<BulkBuilder>> Start(const std::string& data_dir, const std::string& site,
                                                            int shards, SiteWriter* writer,
                                                            const ArticleLimits& limits = ArticleLimits());
  ~BulkBuilder();

  // Validates the article (INVALID_ARGUMENT, as SiteWriter::Upsert) and queues
  // it for its shard. `outcome`: kAdded, or kReplaced for an id seen before in
  // this import. Fails if a shard thread failed.
  absl::Status Add(v1::Article article, SiteWriter::UpsertOutcome* outcome);

  // Every id added so far.
  std::vector<std::string> Ids() const;

  // Waits for the shards, merges them into the site's database (compacted)
  // and reopens `writer` on it. Call once.
  absl::Status Finish();

 private:
  class Shard;
  BulkBuilder(std::string site_path, std::string work_dir, SiteWriter* writer, ArticleLimits limits);

  const std::string site_path_;
  const std::string work_dir_;
  SiteWriter* writer_;
  const ArticleLimits limits_;
  std::vector<std::unique_ptr<Shard>> shards_;
  absl::flat_hash_set<std::string> ids_;
  bool finished_ = false;
};

}  // namespace chaja::index

#endif  // CHAJA_INDEX_BULK_BUILDER_H_
