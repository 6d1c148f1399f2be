// Markdown posts with YAML front matter, as Hugo and Jekyll write them.
//
//   ---
//   title: "도커 입문"
//   date: 2025-01-22 10:00:00 +0900     (any form of indexer/dates.h; no zone = the site's)
//   tags: [Docker, 입문]                (a list; a string is split at commas, else at spaces as Jekyll does)
//   categories: [개발]                  (or category:; the first is the category, the rest become tags)
//   slug: docker-intro                  (the id; without it the file name, minus Jekyll's YYYY-MM-DD- prefix,
//   ---                                  or the folder name for a Hugo bundle's index.md)
//
// Also read: url / permalink (the url), author (string, list or {name:}),
// draft: true and published: false (skipped, not errors). Without a title the
// first heading is used. The body is CommonMark (libcmark) walked to plain
// text; Hugo shortcodes ({{< >}}, {{% %}}) and Liquid tags ({% %}, {{ }}) are
// dropped. TOML front matter (+++) is rejected with a clear reason.
#ifndef CHAJA_INDEXER_FORMATS_MARKDOWN_READER_H_
#define CHAJA_INDEXER_FORMATS_MARKDOWN_READER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "indexer/record_reader.h"

namespace chaja::indexer {

// The record of one Markdown file. `path` gives the fallback id; `source`
// names the file in the location. NOT_FOUND in record.article means a draft
// (skipped on purpose).
Record MarkdownFileToRecord(const std::string& source, const std::string& path, absl::string_view utf8,
                            const ReaderOptions& options);

// CommonMark → plain text: paragraphs, headings, list items and code blocks
// separated by blank lines; inline markup and link targets dropped.
std::string MarkdownToText(absl::string_view markdown);

}  // namespace chaja::indexer

#endif  // CHAJA_INDEXER_FORMATS_MARKDOWN_READER_H_
