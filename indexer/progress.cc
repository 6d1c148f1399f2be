#include "indexer/progress.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/format.h"

namespace chaja::indexer {
namespace {

std::string Duration(double seconds) {
  const int64_t s = static_cast<int64_t>(std::llround(std::max(0.0, seconds)));
  if (s >= 3600) return absl::StrFormat("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  return absl::StrFormat("%d:%02d", s / 60, s % 60);
}

// Fraction done by bytes, or a negative value when unknown.
double Fraction(const ImportStats& stats) {
  if (stats.total_bytes == 0) return -1;
  return std::min(1.0, static_cast<double>(stats.bytes) / static_cast<double>(stats.total_bytes));
}

std::string Eta(const ImportStats& stats, double elapsed) {
  const double f = Fraction(stats);
  if (f <= 0 || elapsed <= 0) return "";
  return Duration(elapsed * (1 - f) / f);
}

}  // namespace

std::string FormatProgressBar(const ImportStats& stats, double elapsed_seconds, int bar_width) {
  const double secs = std::max(elapsed_seconds, 1e-9);
  std::string out;
  const double f = Fraction(stats);
  if (f >= 0) {
    const int filled = static_cast<int>(f * bar_width);
    out = absl::StrCat("[", std::string(filled, '='), filled < bar_width ? ">" : "",
                       std::string(std::max(0, bar_width - filled - 1), ' '), "] ",
                       absl::StrFormat("%3d%%  ", static_cast<int>(f * 100)));
  }
  absl::StrAppend(&out, client::FormatCount(stats.records), " docs  ", client::FormatCount(static_cast<uint64_t>(stats.records / secs)),
                  " docs/s  ", absl::StrFormat("%.1f MB/s", stats.bytes / 1e6 / secs));
  if (stats.committing) {
    absl::StrAppend(&out, "  committing…");
  } else if (const std::string eta = Eta(stats, elapsed_seconds); !eta.empty()) {
    absl::StrAppend(&out, "  ETA ", eta);
  }
  return out;
}

std::string FormatProgressLine(const ImportStats& stats, double elapsed_seconds) {
  const double secs = std::max(elapsed_seconds, 1e-9);
  std::string out = absl::StrCat("progress: ", client::FormatCount(stats.records), " records (", client::FormatCount(stats.indexed),
                                 " indexed), ", client::FormatCount(static_cast<uint64_t>(stats.records / secs)), " docs/s, ",
                                 absl::StrFormat("%.1f MB/s", stats.bytes / 1e6 / secs));
  const double f = Fraction(stats);
  if (f >= 0) {
    absl::StrAppend(&out, absl::StrFormat(", %d%% of %.1f MB", static_cast<int>(f * 100), stats.total_bytes / 1e6));
    if (const std::string eta = Eta(stats, elapsed_seconds); !eta.empty()) absl::StrAppend(&out, ", ETA ", eta);
  }
  return out;
}

ProgressPrinter::ProgressPrinter(std::FILE* out, bool tty, double line_interval_seconds)
    : out_(out), tty_(tty), line_interval_(line_interval_seconds), last_line_(0) {}

void ProgressPrinter::Update(const ImportStats& stats, double elapsed_seconds) {
  if (tty_) {
    std::fprintf(out_, "\r\033[K%s", FormatProgressBar(stats, elapsed_seconds).c_str());
    std::fflush(out_);
    bar_shown_ = true;
    return;
  }
  // Short imports print no progress at all; long ones a line now and then.
  if (elapsed_seconds - last_line_ < line_interval_) return;
  last_line_ = elapsed_seconds;
  std::fprintf(out_, "chaja-indexer: %s\n", FormatProgressLine(stats, elapsed_seconds).c_str());
  std::fflush(out_);
}

void ProgressPrinter::Clear() {
  if (tty_ && bar_shown_) std::fputs("\r\033[K", out_);
  bar_shown_ = false;
}

}  // namespace chaja::indexer
