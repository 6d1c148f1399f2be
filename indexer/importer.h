// Importer: reads article files in any supported format and upserts them
// into a site, in batches.
//
// Input arrives as records from a RecordReader (record_reader.h), so the
// Importer knows no format. A bad record never stops the import: it is
// reported as SOURCE:LINE: reason, the good records around it are indexed,
// and the import's result says how many were rejected. Each batch is
// committed atomically, so an interrupted import keeps every committed batch
// and loses at most the one in progress. Articles identical to the stored
// ones (same content hash) are not written again, so re-running an import
// changes nothing.
//
// Not thread-safe: one Importer per import.
#ifndef CHAJA_INDEXER_IMPORTER_H_
#define CHAJA_INDEXER_IMPORTER_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "index/site_writer.h"
#include "indexer/article_sink.h"
#include "indexer/record_reader.h"

namespace chaja::indexer {

struct ImportOptions {
  // Articles written per commit (unchanged articles do not count).
  size_t batch_size = 5000;
  // Reject JSON fields that are not Article fields (typos) instead of ignoring them.
  bool reject_unknown_fields = true;
  // The input format; kAuto detects it per file.
  Format format = Format::kAuto;
  // Dates without a zone are in this zone (the site's).
  absl::TimeZone timezone = absl::UTCTimeZone();
  // Whole-file formats (all but JSONL) refuse larger files.
  uint64_t max_file_bytes = uint64_t{1} << 30;
  uint64_t max_html_bytes = kDefaultMaxHtmlBytes;  // see ReaderOptions
  // RSS <category> mapping (ReaderOptions::rss_categories).
  RssCategories rss_categories = RssCategories::kAuto;
  // Input size when known in advance (0 = unknown): progress shows ETA.
  uint64_t total_bytes = 0;
};

struct ImportStats {
  size_t records = 0;     // records read (good and bad)
  size_t indexed = 0;     // articles written: added + replaced
  size_t added = 0;       // new ids
  size_t replaced = 0;    // ids whose article changed
  size_t unchanged = 0;   // identical to what the site has: not written
  size_t deleted = 0;     // articles deleted (--delete, --prune)
  size_t rejected = 0;    // records reported as bad
  size_t skipped = 0;     // left out on purpose: drafts, pages, attachments
  size_t duplicates = 0;  // ids seen earlier in this import (the later record wins)
  size_t warnings = 0;    // indexed, but with a warning (encoding, duplicate id)
  uint64_t bytes = 0;     // input bytes read
  uint64_t total_bytes = 0;  // input size if known, else 0
  bool committing = false;   // a batch commit is running (progress shows it)
  // Changes written but not kept because their commit failed (a full disk):
  // they are not counted in indexed, added, replaced or deleted.
  size_t not_kept = 0;
};

// Where rejected records and progress go; tests capture them.
struct ImportReporter {
  // Called with "SOURCE:LINE: reason" for every rejected record.
  std::function<void(const std::string&)> on_rejected;
  // Called with "SOURCE:LINE: warning: …" for input indexed despite a problem.
  std::function<void(const std::string&)> on_warning;
  // Called now and then with the running totals (for a progress line).
  std::function<void(const ImportStats&)> on_progress;
};

class Importer {
 public:
  // Writes into `writer`, which must outlive the Importer.
  Importer(index::SiteWriter* writer, ImportOptions options, ImportReporter reporter);
  // Writes into any sink (the streamed path), which must outlive the Importer.
  Importer(ArticleSink* sink, ImportOptions options, ImportReporter reporter);

  // Imports a file ("-" is standard input) or a folder in options.format.
  // Bad records are reported and counted; the returned status is not OK only
  // when the input cannot be read (NOT_FOUND, DATA_LOSS) or the database fails.
  absl::Status Import(const std::string& path);

  // Imports a document fetched from `url` (feed_fetch.h), in options.format.
  // Sets *channel_title (may be null) to a feed's <title>, "" for other formats.
  absl::Status ImportFetched(const std::string& url, std::string bytes, std::string* channel_title);

  // Imports every record of `reader`.
  absl::Status ImportRecords(RecordReader* reader);

  // Imports one JSON Lines file ("-" reads standard input), whatever options.format says.
  absl::Status ImportJsonlFile(const std::string& path);

  // Imports JSON Lines text already in memory; `source` names it in messages.
  absl::Status ImportJsonl(absl::string_view source, absl::string_view text);

  // Deletes one article by id; a missing id is reported as rejected.
  absl::Status Delete(const std::string& id);

  // Deletes every article of the site that this import did not read: the input
  // was a full export. FAILED_PRECONDITION, deleting nothing, when a record was
  // rejected or nothing was read (the export is then not known to be complete).
  absl::Status Prune();

  // Commits the last partial batch. Call once at the end.
  absl::Status Finish();

  const ImportStats& stats() const { return stats_; }

 private:
  absl::Status ImportRecord(Record* record);
  absl::Status CommitIfBatchFull();
  absl::Status Commit();
  void Reject(absl::string_view location, absl::string_view reason);
  void Warn(const std::string& message);
  void MaybeReportProgress();
  ReaderOptions MakeReaderOptions();

  std::unique_ptr<ArticleSink> owned_sink_;
  ArticleSink* sink_;
  ImportOptions options_;
  ImportReporter reporter_;
  ImportStats stats_;
  // What the batch not committed yet changed, taken back out of stats_ if
  // its commit fails.
  struct BatchCounts {
    size_t added = 0;
    size_t replaced = 0;
    size_t deleted = 0;
  };
  BatchCounts batch_;
  absl::flat_hash_set<std::string> seen_ids_;
  std::chrono::steady_clock::time_point last_progress_;
};

}  // namespace chaja::indexer

#endif  // CHAJA_INDEXER_IMPORTER_H_
