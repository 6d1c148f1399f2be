// Opens an input path as a RecordReader of the right format.
//
// A file is read as `format`, or, with Format::kAuto, as what format_detect.h
// finds in its first bytes. JSON Lines stream; the other formats are read
// whole (up to ReaderOptions::max_file_bytes), their declared charset
// decoded to UTF-8 (encoding.h), then parsed. A folder is walked in name
// order for post files (.md, .markdown, .html, .htm, and in auto mode also
// .jsonl, .ndjson, .xml, .rss, .atom), skipping hidden entries, _drafts/,
// the NAME_files/ folders browsers save beside pages, and Hugo's _index.md
// list pages.
#ifndef CHAJA_INDEXER_READER_FACTORY_H_
#define CHAJA_INDEXER_READER_FACTORY_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "indexer/record_reader.h"

namespace chaja::indexer {

// `path` "-" is standard input. NOT_FOUND if the path does not exist or
// cannot be opened. A file whose format cannot be told, or whose charset is
// unknown, gives a reader with one rejected record (not an error status).
absl::StatusOr<std::unique_ptr<RecordReader>> OpenRecordReader(const std::string& path, Format format,
                                                               const ReaderOptions& options);

// The reader for a whole file already in memory (`bytes` as stored, any
// charset). `source` names it in locations; `path` gives fallback ids.
std::unique_ptr<RecordReader> RecordReaderForBytes(const std::string& source, const std::string& path,
                                                   std::string bytes, Format format, const ReaderOptions& options);

// The bytes OpenRecordReader(path, format) will read: the file's size, or the
// post files' sizes for a folder; 0 when unknown (standard input, a pipe).
uint64_t InputSize(const std::string& path, Format format);

}  // namespace chaja::indexer

#endif  // CHAJA_INDEXER_READER_FACTORY_H_
