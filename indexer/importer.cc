#include "indexer/importer.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "chaja/v1/article.pb.h"
#include "index/status.h"

namespace chaja::indexer {
namespace {

constexpr auto kProgressInterval = std::chrono::milliseconds(250);

// Protobuf's messages start with a position like "INVALID_ARGUMENT:"; keep the prose.
std::string JsonErrorReason(absl::string_view message) {
  absl::string_view m = message;
  absl::ConsumePrefix(&m, "INVALID_ARGUMENT:");
  // Protobuf adds a second line with a ^ marker; one record, one line.
  m = m.substr(0, m.find('\n'));
  return absl::StrCat("invalid article JSON: ", absl::StripAsciiWhitespace(m));
}

}  // namespace

Importer::Importer(index::SiteWriter* writer, ImportOptions options, ImportReporter reporter)
    : writer_(writer), options_(options), reporter_(std::move(reporter)) {
  if (options_.batch_size == 0) options_.batch_size = 1;
}

void Importer::Reject(absl::string_view source, size_t line_number, absl::string_view reason) {
  ++stats_.rejected;
  if (reporter_.on_rejected) reporter_.on_rejected(absl::StrCat(source, ":", line_number, ": ", reason));
}

void Importer::MaybeReportProgress() {
  if (!reporter_.on_progress) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_progress_ < kProgressInterval) return;
  last_progress_ = now;
  reporter_.on_progress(stats_);
}

absl::Status Importer::CommitIfBatchFull() {
  if (writer_->pending() < options_.batch_size) return absl::OkStatus();
  return writer_->Commit();
}

absl::Status Importer::ImportLine(absl::string_view source, size_t line_number, absl::string_view line) {
  line = absl::StripAsciiWhitespace(line);
  if (line.empty()) return absl::OkStatus();
  ++stats_.records;
  v1::Article article;
  google::protobuf::util::JsonParseOptions json_options;
  json_options.ignore_unknown_fields = !options_.reject_unknown_fields;
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(line.data(), line.size()), &article, json_options);
  if (!parsed.ok()) {
    Reject(source, line_number, JsonErrorReason(parsed.ToString()));
    return absl::OkStatus();
  }
  const absl::Status upserted = writer_->Upsert(article);
  if (upserted.code() == absl::StatusCode::kInvalidArgument) {
    Reject(source, line_number, upserted.message());
    return absl::OkStatus();
  }
  CHAJA_RETURN_IF_ERROR(upserted);
  ++stats_.indexed;
  MaybeReportProgress();
  return CommitIfBatchFull();
}

absl::Status Importer::ImportJsonl(absl::string_view source, absl::string_view text) {
  size_t line_number = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == absl::string_view::npos) end = text.size();
    absl::string_view line = text.substr(start, end - start);
    ++line_number;
    if (line_number == 1) absl::ConsumePrefix(&line, "\xEF\xBB\xBF");  // UTF-8 BOM
    stats_.bytes += end - start + 1;
    CHAJA_RETURN_IF_ERROR(ImportLine(source, line_number, line));
    start = end + 1;
  }
  return absl::OkStatus();
}

absl::Status Importer::ImportJsonlFile(const std::string& path) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) return absl::NotFoundError(absl::StrCat("cannot open ", path));
    in = &file;
  }
  const std::string source = path == "-" ? "<stdin>" : path;
  std::string line;
  size_t line_number = 0;
  while (std::getline(*in, line)) {
    ++line_number;
    stats_.bytes += line.size() + 1;
    absl::string_view view = line;
    if (line_number == 1) absl::ConsumePrefix(&view, "\xEF\xBB\xBF");
    CHAJA_RETURN_IF_ERROR(ImportLine(source, line_number, view));
  }
  if (in->bad()) return absl::DataLossError(absl::StrCat("read error in ", source, " after line ", line_number));
  return absl::OkStatus();
}

absl::Status Importer::Delete(const std::string& id) {
  ++stats_.records;
  const absl::Status s = writer_->Delete(id);
  if (s.code() == absl::StatusCode::kNotFound) {
    Reject("--delete", stats_.records, s.message());
    return absl::OkStatus();
  }
  CHAJA_RETURN_IF_ERROR(s);
  ++stats_.deleted;
  return CommitIfBatchFull();
}

absl::Status Importer::Finish() {
  if (reporter_.on_progress) reporter_.on_progress(stats_);
  return writer_->Commit();
}

}  // namespace chaja::indexer
