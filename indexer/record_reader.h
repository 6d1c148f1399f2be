// The one interface every import format implements: a pull reader of records.
//
// A record is one article found in the input, or the reason it could not be
// made into one, with its location ("FILE:LINE" or "FILE:item N"). The
// Importer sees only records, so adding a format means adding a reader under
// indexer/formats/ and a line in reader_factory.cc.
//
// Readers never throw and never crash on any input: malformed input becomes
// rejected records; only an unreadable source ends reading with a status.
// Not thread-safe: one reader per file, used from one thread.
#ifndef CHAJA_INDEXER_RECORD_READER_H_
#define CHAJA_INDEXER_RECORD_READER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "chaja/v1/article.pb.h"

namespace chaja::indexer {

// The formats chaja-indexer reads. kAuto detects one from the content.
enum class Format { kAuto, kJsonl, kRss, kAtom, kWxr, kMarkdown, kHtml };

struct Record {
  // Where the record starts: "FILE:LINE" (or "FILE:item N" when there are no lines).
  std::string location;
  // The article, or why this record is rejected (one line, no location).
  absl::StatusOr<v1::Article> article;
};

inline constexpr uint64_t kDefaultMaxHtmlBytes = uint64_t{8} << 20;

// How an RSS item's <category> elements map (WXR keeps its own domains).
enum class RssCategories {
  kAuto,             // Tistory feeds: kFirstIsCategory; other feeds: kAllTags
  kFirstIsCategory,  // the first is the category, the rest are tags
  kAllTags,          // every one is a tag
};

struct ReaderOptions {
  // Dates without a zone are taken in this zone (the site's).
  absl::TimeZone timezone = absl::UTCTimeZone();
  // JSONL: reject fields that are not Article fields instead of ignoring them.
  bool reject_unknown_fields = true;
  // Formats read whole (all but JSONL) refuse larger files.
  uint64_t max_file_bytes = uint64_t{1} << 30;
  // Saved HTML pages: only this many bytes are parsed (with a warning), as
  // libxml2's HTML tree costs 20-40 times the page's size in memory.
  uint64_t max_html_bytes = kDefaultMaxHtmlBytes;
  // RSS: how <category> elements map, and the URL the feed was fetched from
  // ("" for a file): a *.tistory.com host marks a Tistory feed.
  RssCategories rss_categories = RssCategories::kAuto;
  std::string feed_url;
  // Receives "LOCATION: warning: …" for input that was indexed but not
  // cleanly (bytes replaced in a bad encoding, a charset guessed). May be empty.
  std::function<void(const std::string&)> on_warning;
};

class RecordReader {
 public:
  virtual ~RecordReader() = default;

  // Fills *record with the next record and returns true, or returns false at
  // the end of the input (or after a fatal read error: see status()).
  virtual bool Next(Record* record) = 0;

  // OK, or why reading stopped early (NOT_FOUND: missing file, DATA_LOSS:
  // read error, INVALID_ARGUMENT: not this format / too large).
  virtual absl::Status status() const { return absl::OkStatus(); }

  // Input bytes consumed so far, and the total when known (0 = unknown), for
  // progress and MB/s.
  virtual uint64_t bytes_read() const = 0;
  virtual uint64_t total_bytes() const { return 0; }

  // Records left out on purpose: drafts, pages, attachments (not errors).
  virtual size_t skipped() const { return 0; }
};

// A reader over records made up front: formats with one article per file
// (Markdown, HTML pages) and errors found before reading started.
class RecordListReader : public RecordReader {
 public:
  RecordListReader(std::vector<Record> records, uint64_t bytes, size_t skipped)
      : records_(std::move(records)), bytes_(bytes), skipped_(skipped) {}

  bool Next(Record* record) override {
    if (next_ >= records_.size()) return false;
    *record = std::move(records_[next_++]);
    return true;
  }
  // All at once: the bytes count as read when the first record is taken.
  uint64_t bytes_read() const override { return next_ > 0 || records_.empty() ? bytes_ : 0; }
  uint64_t total_bytes() const override { return bytes_; }
  size_t skipped() const override { return skipped_; }

 private:
  std::vector<Record> records_;
  size_t next_ = 0;
  uint64_t bytes_;
  size_t skipped_;
};

}  // namespace chaja::indexer

#endif  // CHAJA_INDEXER_RECORD_READER_H_
