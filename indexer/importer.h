// Importer: reads article files and upserts them into a site, in batches.
//
// A bad record never stops the import: it is reported as SOURCE:LINE: reason,
// the good records around it are indexed, and the import's result says how
// many were rejected. Each batch is committed atomically, so an interrupted
// import keeps every committed batch and loses at most the one in progress.
//
// Not thread-safe: one Importer per import.
#ifndef CHAJA_INDEXER_IMPORTER_H_
#define CHAJA_INDEXER_IMPORTER_H_

#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "index/site_writer.h"

namespace chaja::indexer {

struct ImportOptions {
  // Articles per commit.
  size_t batch_size = 5000;
  // Reject JSON fields that are not Article fields (typos) instead of ignoring them.
  bool reject_unknown_fields = true;
};

struct ImportStats {
  size_t records = 0;   // records read (good and bad)
  size_t indexed = 0;   // articles upserted
  size_t deleted = 0;   // articles deleted
  size_t rejected = 0;  // records reported as bad
  size_t bytes = 0;     // input bytes read
};

// Where rejected records and progress go; tests capture them.
struct ImportReporter {
  // Called with "SOURCE:LINE: reason" for every rejected record.
  std::function<void(const std::string&)> on_rejected;
  // Called now and then with the running totals (for a progress line).
  std::function<void(const ImportStats&)> on_progress;
};

class Importer {
 public:
  Importer(index::SiteWriter* writer, ImportOptions options, ImportReporter reporter);

  // Imports one JSON Lines file ("-" reads standard input). Bad lines are
  // reported and counted; the returned status is not OK only when the file
  // cannot be read or the database fails (then nothing uncommitted is kept).
  absl::Status ImportJsonlFile(const std::string& path);

  // Imports JSON Lines text already in memory; `source` names it in messages.
  absl::Status ImportJsonl(absl::string_view source, absl::string_view text);

  // Deletes one article by id; a missing id is reported as rejected.
  absl::Status Delete(const std::string& id);

  // Commits the last partial batch. Call once at the end.
  absl::Status Finish();

  const ImportStats& stats() const { return stats_; }

 private:
  absl::Status ImportLine(absl::string_view source, size_t line_number, absl::string_view line);
  absl::Status CommitIfBatchFull();
  void Reject(absl::string_view source, size_t line_number, absl::string_view reason);
  void MaybeReportProgress();

  index::SiteWriter* writer_;
  ImportOptions options_;
  ImportReporter reporter_;
  ImportStats stats_;
  std::chrono::steady_clock::time_point last_progress_;
};

}  // namespace chaja::indexer

#endif  // CHAJA_INDEXER_IMPORTER_H_
