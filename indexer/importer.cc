#include "indexer/importer.h"

#include "absl/strings/str_cat.h"
#include "index/status.h"
#include "indexer/formats/feed_reader.h"
#include "indexer/formats/jsonl_reader.h"
#include "indexer/reader_factory.h"

namespace chaja::indexer {
namespace {

constexpr auto kProgressInterval = std::chrono::milliseconds(250);

}  // namespace

Importer::Importer(index::SiteWriter* writer, ImportOptions options, ImportReporter reporter)
    : Importer(static_cast<ArticleSink*>(nullptr), options, std::move(reporter)) {
  owned_sink_ = std::make_unique<SiteWriterSink>(writer);
  sink_ = owned_sink_.get();
}

Importer::Importer(ArticleSink* sink, ImportOptions options, ImportReporter reporter)
    : sink_(sink), options_(options), reporter_(std::move(reporter)) {
  if (options_.batch_size == 0) options_.batch_size = 1;
  stats_.total_bytes = options_.total_bytes;
}

void Importer::Reject(absl::string_view location, absl::string_view reason) {
  ++stats_.rejected;
  if (reporter_.on_rejected) reporter_.on_rejected(absl::StrCat(location, ": ", reason));
}

void Importer::Warn(const std::string& message) {
  ++stats_.warnings;
  if (reporter_.on_warning) reporter_.on_warning(message);
}

void Importer::MaybeReportProgress() {
  if (!reporter_.on_progress) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_progress_ < kProgressInterval) return;
  last_progress_ = now;
  reporter_.on_progress(stats_);
}

ReaderOptions Importer::MakeReaderOptions() {
  ReaderOptions reader_options;
  reader_options.timezone = options_.timezone;
  reader_options.reject_unknown_fields = options_.reject_unknown_fields;
  reader_options.max_file_bytes = options_.max_file_bytes;
  reader_options.max_html_bytes = options_.max_html_bytes;
  reader_options.rss_categories = options_.rss_categories;
  reader_options.on_warning = [this](const std::string& message) { Warn(message); };
  return reader_options;
}

absl::Status Importer::Commit() {
  // A commit of a big batch takes seconds: say so instead of a frozen bar.
  stats_.committing = true;
  if (reporter_.on_progress && sink_->pending() > 0) reporter_.on_progress(stats_);
  const absl::Status committed = sink_->Commit();
  stats_.committing = false;
  if (!committed.ok()) {
    stats_.added -= batch_.added;
    stats_.replaced -= batch_.replaced;
    stats_.indexed -= batch_.added + batch_.replaced;
    stats_.deleted -= batch_.deleted;
    stats_.not_kept += batch_.added + batch_.replaced + batch_.deleted;
  }
  batch_ = BatchCounts();
  return committed;
}

absl::Status Importer::CommitIfBatchFull() {
  if (sink_->pending() < options_.batch_size) return absl::OkStatus();
  return Commit();
}

absl::Status Importer::ImportRecord(Record* record) {
  ++stats_.records;
  if (!record->article.ok()) {
    Reject(record->location, record->article.status().message());
    return absl::OkStatus();
  }
  const v1::Article& article = *record->article;
  UpsertOutcome outcome = UpsertOutcome::kAdded;
  const absl::Status upserted = sink_->Upsert(article, &outcome);
  if (upserted.code() == absl::StatusCode::kInvalidArgument) {
    Reject(record->location, upserted.message());
    return absl::OkStatus();
  }
  CHAJA_RETURN_IF_ERROR(upserted);
  if (!seen_ids_.insert(article.id()).second) {
    ++stats_.duplicates;
    Warn(absl::StrCat(record->location, ": warning: id \"", article.id().substr(0, 100),
                      "\" appears earlier in this import; this record replaces it"));
  }
  switch (outcome) {
    case UpsertOutcome::kAdded:
      ++stats_.added;
      ++batch_.added;
      ++stats_.indexed;
      break;
    case UpsertOutcome::kReplaced:
      ++stats_.replaced;
      ++batch_.replaced;
      ++stats_.indexed;
      break;
    case UpsertOutcome::kUnchanged:
      ++stats_.unchanged;
      break;
  }
  return CommitIfBatchFull();
}

absl::Status Importer::ImportRecords(RecordReader* reader) {
  const uint64_t bytes_before = stats_.bytes;
  const size_t skipped_before = stats_.skipped;
  Record record;
  absl::Status status;
  while (reader->Next(&record)) {
    status = ImportRecord(&record);
    stats_.bytes = bytes_before + reader->bytes_read();
    stats_.skipped = skipped_before + reader->skipped();
    if (!status.ok()) return status;
    MaybeReportProgress();
  }
  stats_.bytes = bytes_before + reader->bytes_read();
  stats_.skipped = skipped_before + reader->skipped();
  return reader->status();
}

absl::Status Importer::Import(const std::string& path) {
  absl::StatusOr<std::unique_ptr<RecordReader>> reader = OpenRecordReader(path, options_.format, MakeReaderOptions());
  if (!reader.ok()) return reader.status();
  return ImportRecords(reader->get());
}

absl::Status Importer::ImportFetched(const std::string& url, std::string bytes, std::string* channel_title) {
  ReaderOptions reader_options = MakeReaderOptions();
  reader_options.feed_url = url;
  std::unique_ptr<RecordReader> reader = RecordReaderForBytes(url, url, std::move(bytes), options_.format, reader_options);
  const absl::Status status = ImportRecords(reader.get());
  if (channel_title != nullptr) {
    const auto* feed = dynamic_cast<const FeedReader*>(reader.get());
    *channel_title = feed != nullptr ? feed->channel_title() : "";
  }
  return status;
}

absl::Status Importer::ImportJsonl(absl::string_view source, absl::string_view text) {
  JsonlReader reader(std::string(source), text, MakeReaderOptions());
  return ImportRecords(&reader);
}

absl::Status Importer::ImportJsonlFile(const std::string& path) {
  absl::StatusOr<std::unique_ptr<RecordReader>> reader = OpenRecordReader(path, Format::kJsonl, MakeReaderOptions());
  if (!reader.ok()) return reader.status();
  return ImportRecords(reader->get());
}

absl::Status Importer::Delete(const std::string& id) {
  ++stats_.records;
  const absl::Status s = sink_->Delete(id);
  if (s.code() == absl::StatusCode::kNotFound) {
    Reject(absl::StrCat("--delete:", stats_.records), s.message());
    return absl::OkStatus();
  }
  CHAJA_RETURN_IF_ERROR(s);
  ++stats_.deleted;
  ++batch_.deleted;
  return CommitIfBatchFull();
}

absl::Status Importer::Prune() {
  if (stats_.rejected > 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "--prune not done: ", stats_.rejected, " record(s) were rejected, so the export is not known to be complete"));
  }
  if (seen_ids_.empty()) {
    return absl::FailedPreconditionError("--prune not done: the import read no articles");
  }
  absl::StatusOr<std::vector<std::string>> ids = sink_->AllIds();
  if (!ids.ok()) return ids.status();
  for (const std::string& id : *ids) {
    if (seen_ids_.contains(id)) continue;
    const absl::Status s = sink_->Delete(id);
    if (s.code() == absl::StatusCode::kNotFound) continue;
    CHAJA_RETURN_IF_ERROR(s);
    ++stats_.deleted;
    ++batch_.deleted;
    CHAJA_RETURN_IF_ERROR(CommitIfBatchFull());
  }
  return absl::OkStatus();
}

absl::Status Importer::Finish() {
  const absl::Status committed = Commit();
  if (reporter_.on_progress) reporter_.on_progress(stats_);
  return committed;
}

}  // namespace chaja::indexer
