// Progress display for long imports: a bar redrawn in place on a terminal,
// plain lines every few seconds otherwise (logs, CI).
//
// Count and rate are always shown; the percentage and ETA only when the
// input size is known (regular files and folders, not pipes).
// Thread-compatible.
#ifndef CHAJA_INDEXER_PROGRESS_H_
#define CHAJA_INDEXER_PROGRESS_H_

#include <cstdio>
#include <string>

#include "indexer/importer.h"

namespace chaja::indexer {

// "[=======>      ]  45%  12,345 docs  2,345 docs/s  3.2 MB/s  ETA 0:42"
std::string FormatProgressBar(const ImportStats& stats, double elapsed_seconds, int bar_width = 24);

// "progress: 12,345 records (12,000 indexed), 2,345 docs/s, 3.2 MB/s, 45% of 170.0 MB, ETA 0:42"
std::string FormatProgressLine(const ImportStats& stats, double elapsed_seconds);

// Prints progress to `out`: on a TTY, the bar at most 4 times a second;
// otherwise a plain line every `line_interval_seconds`.
class ProgressPrinter {
 public:
  ProgressPrinter(std::FILE* out, bool tty, double line_interval_seconds = 10);
  void Update(const ImportStats& stats, double elapsed_seconds);
  // Clears the bar (TTY) so the next message starts on a clean line.
  void Clear();

 private:
  std::FILE* out_;
  bool tty_;
  double line_interval_;
  double last_line_ = 0;
  bool bar_shown_ = false;
};

}  // namespace chaja::indexer

#endif  // CHAJA_INDEXER_PROGRESS_H_
