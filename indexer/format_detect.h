// Which import format a file is in, from its first bytes (and its name only
// when the content does not say).
//
//   '{'                                  JSON Lines
//   <rss …> with the wordpress.org/export namespace   WordPress WXR
//   <rss …> or <rdf:RDF …>               RSS
//   <feed …>                             Atom
//   <!DOCTYPE html>, <html>, <head>, …   a saved HTML page
//   "---" (YAML front matter) or "+++"   Markdown
//   otherwise by extension: .jsonl/.ndjson, .md/.markdown, .html/.htm
//
// Thread-safe (pure functions).
#ifndef CHAJA_INDEXER_FORMAT_DETECT_H_
#define CHAJA_INDEXER_FORMAT_DETECT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "indexer/record_reader.h"

namespace chaja::indexer {

// The format of a file starting with `head` (a few KB are enough), or
// INVALID_ARGUMENT saying why none fits.
absl::StatusOr<Format> DetectFormat(absl::string_view head, absl::string_view path);

// "auto", "jsonl", "rss", "atom", "wxr", "markdown", "html" → Format.
absl::StatusOr<Format> ParseFormatName(absl::string_view name);
std::string FormatName(Format format);

}  // namespace chaja::indexer

#endif  // CHAJA_INDEXER_FORMAT_DETECT_H_
