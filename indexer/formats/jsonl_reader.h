// JSON Lines: one chaja.v1.Article per line in protobuf's JSON mapping.
//
// Streams: memory stays at one line, whatever the file size (a line over
// ReaderOptions::max_file_bytes is dropped and rejected). Blank lines are
// not records; a UTF-8 byte order mark is accepted on line 1 only. Besides
// RFC 3339, "published" accepts every form of indexer/dates.h (2025.01.22,
// RFC 822, ISO without a zone in the site's zone).
#ifndef CHAJA_INDEXER_FORMATS_JSONL_READER_H_
#define CHAJA_INDEXER_FORMATS_JSONL_READER_H_

#include <cstdio>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "indexer/record_reader.h"

namespace chaja::indexer {

// One JSON object → Article. INVALID_ARGUMENT with a one-line reason.
absl::StatusOr<v1::Article> ParseArticleJson(absl::string_view json, const ReaderOptions& options);

class JsonlReader : public RecordReader {
 public:
  // Reads `file` (closed at the end if `owned`), whose first bytes were
  // already read into `prefix`. `source` names it in locations.
  JsonlReader(std::string source, FILE* file, bool owned, std::string prefix, uint64_t total_bytes,
              ReaderOptions options);
  // Reads text already in memory.
  JsonlReader(std::string source, absl::string_view text, ReaderOptions options);
  ~JsonlReader() override;

  bool Next(Record* record) override;
  absl::Status status() const override { return status_; }
  uint64_t bytes_read() const override { return bytes_read_; }
  uint64_t total_bytes() const override { return total_bytes_; }

 private:
  // The next line without its '\n'; false at the end.
  bool NextLine(absl::string_view* line);

  std::string source_;
  FILE* file_ = nullptr;
  bool owned_ = false;
  std::string buffer_;
  size_t pos_ = 0;
  bool eof_ = false;
  bool line_too_long_ = false;  // the current line was dropped for its length
  size_t line_number_ = 0;
  uint64_t bytes_read_ = 0;
  uint64_t total_bytes_ = 0;
  ReaderOptions options_;
  absl::Status status_;
};

}  // namespace chaja::indexer

#endif  // CHAJA_INDEXER_FORMATS_JSONL_READER_H_
