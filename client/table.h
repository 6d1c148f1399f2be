// Terminal layout helpers for the chaja CLI: display width of UTF-8 text and
// aligned tables.
//
// A terminal cell is not a byte or a code point: Hangul syllables, CJK
// ideographs and full-width forms take two columns, combining marks and the
// Hangul medial/final jamo none. Padding by byte count or code points breaks
// every table with a Korean title in it, so all padding here goes by
// DisplayWidth().
//
// Cells must already be sanitized (PlainText / MarkupToTerminal in format.h)
// and carry no escape codes: the table adds its own styling.
#ifndef CHAJA_CLIENT_TABLE_H_
#define CHAJA_CLIENT_TABLE_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace chaja::client {

// Terminal columns `text` takes: East Asian Wide and Fullwidth characters
// (Unicode's East_Asian_Width W/F: Hangul, Han, Kana, full-width forms, most
// emoji) count 2; combining marks, format characters, controls and Hangul
// medial/final jamo count 0; everything else 1. Each invalid UTF-8 byte counts
// 1 (terminals show a replacement character).
size_t DisplayWidth(absl::string_view text);

// `text` cut to at most `width` columns, ending in "…" when something was cut.
// Never splits a character; a wide character that does not fit is left out.
std::string TruncateToWidth(absl::string_view text, size_t width);

enum class Align { kLeft, kRight };

// `text` padded with spaces to `width` columns (unchanged when wider).
std::string PadToWidth(absl::string_view text, size_t width, Align align = Align::kLeft);

// A text table: columns separated by two spaces, each as wide as its widest
// cell (or its header), cut to max_width when one is set. The last column of a
// left-aligned row is not padded, so lines carry no trailing spaces.
//
// Not thread-safe; build one per output.
class Table {
 public:
  struct Column {
    std::string header;
    Align align = Align::kLeft;
    // 0: unlimited. Longer cells are cut with "…".
    size_t max_width = 0;
  };

  explicit Table(std::vector<Column> columns) : columns_(std::move(columns)) {}

  // Missing trailing cells are empty; extra cells are ignored.
  void AddRow(std::vector<std::string> cells);
  size_t rows() const { return rows_.size(); }

  // The table, one line per row, each ending in '\n'. The header line is
  // printed unless every header is empty, in bold when `color`. `indent`
  // prefixes every line.
  std::string Render(bool color = false, absl::string_view indent = "") const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace chaja::client

#endif  // CHAJA_CLIENT_TABLE_H_
