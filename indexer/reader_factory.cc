#include "indexer/reader_factory.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "indexer/encoding.h"
#include "indexer/format_detect.h"
#include "indexer/formats/feed_reader.h"
#include "indexer/formats/html_page_reader.h"
#include "indexer/formats/jsonl_reader.h"
#include "indexer/formats/markdown_reader.h"

namespace chaja::indexer {
namespace {

constexpr size_t kSniffBytes = 64 * 1024;

std::unique_ptr<RecordReader> Rejected(const std::string& source, long line, absl::Status reason, uint64_t bytes) {
  std::vector<Record> records(1);
  records[0].location = absl::StrCat(source, ":", line);
  records[0].article = std::move(reason);
  return std::make_unique<RecordListReader>(std::move(records), bytes, 0);
}

std::unique_ptr<RecordReader> OneRecord(Record record, uint64_t bytes) {
  std::vector<Record> records;
  size_t skipped = 0;
  if (record.article.status().code() == absl::StatusCode::kNotFound) {
    skipped = 1;  // a draft
  } else {
    records.push_back(std::move(record));
  }
  return std::make_unique<RecordListReader>(std::move(records), bytes, skipped);
}

bool WantedInFolder(const std::filesystem::path& p, Format format) {
  const std::string ext = absl::AsciiStrToLower(p.extension().string());
  const bool markdown = ext == ".md" || ext == ".markdown" || ext == ".mdown" || ext == ".mkd";
  const bool html = ext == ".html" || ext == ".htm";
  const bool jsonl = ext == ".jsonl" || ext == ".ndjson";
  const bool xml = ext == ".xml" || ext == ".rss" || ext == ".atom";
  switch (format) {
    case Format::kAuto: return markdown || html || jsonl || xml;
    case Format::kMarkdown: return markdown;
    case Format::kHtml: return html;
    case Format::kJsonl: return jsonl;
    default: return xml;
  }
}

absl::StatusOr<std::unique_ptr<RecordReader>> OpenFile(const std::string& path, Format format,
                                                        const ReaderOptions& options);

// Every post file of a folder, one after the other.
class FolderReader : public RecordReader {
 public:
  FolderReader(std::vector<std::string> files, uint64_t total, Format format, ReaderOptions options)
      : files_(std::move(files)), total_(total), format_(format), options_(std::move(options)) {}

  bool Next(Record* record) override {
    for (;;) {
      if (current_ == nullptr) {
        if (next_file_ >= files_.size()) return false;
        const std::string& file = files_[next_file_++];
        absl::StatusOr<std::unique_ptr<RecordReader>> reader = OpenFile(file, format_, options_);
        if (!reader.ok()) {
          current_ = Rejected(file, 1, reader.status(), 0);
        } else {
          current_ = *std::move(reader);
        }
      }
      if (current_->Next(record)) return true;
      if (!current_->status().ok()) {
        // A read error in one file of a folder: report it there, go on with the next.
        record->location = absl::StrCat(files_[next_file_ - 1], ":1");
        record->article = absl::InvalidArgumentError(current_->status().message());
        Close();
        return true;
      }
      Close();
    }
  }
  uint64_t bytes_read() const override { return done_bytes_ + (current_ ? current_->bytes_read() : 0); }
  uint64_t total_bytes() const override { return total_; }
  size_t skipped() const override { return done_skipped_ + (current_ ? current_->skipped() : 0); }

 private:
  void Close() {
    done_bytes_ += current_->bytes_read();
    done_skipped_ += current_->skipped();
    current_.reset();
  }

  std::vector<std::string> files_;
  size_t next_file_ = 0;
  uint64_t total_;
  Format format_;
  ReaderOptions options_;
  std::unique_ptr<RecordReader> current_;
  uint64_t done_bytes_ = 0;
  size_t done_skipped_ = 0;
};

absl::StatusOr<std::unique_ptr<RecordReader>> OpenFolder(const std::string& path, Format format,
                                                          const ReaderOptions& options) {
  std::vector<std::string> files;
  uint64_t total = 0;
  std::error_code ec;
  auto it = std::filesystem::recursive_directory_iterator(path, std::filesystem::directory_options::skip_permission_denied, ec);
  if (ec) return absl::NotFoundError(absl::StrCat("cannot read folder ", path, ": ", ec.message()));
  for (auto end = std::filesystem::recursive_directory_iterator(); it != end; it.increment(ec)) {
    if (ec) return absl::DataLossError(absl::StrCat("cannot read folder ", path, ": ", ec.message()));
    const std::string name = it->path().filename().string();
    // Hidden entries, Jekyll's drafts, and the NAME_files/ folder a browser
    // saves beside a page (its frames and scripts are not posts).
    if (absl::StartsWith(name, ".") || name == "_drafts" ||
        (absl::EndsWith(name, "_files") && it->is_directory(ec))) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec) || absl::StartsWith(name, "_index.") || !WantedInFolder(it->path(), format)) continue;
    files.push_back(it->path().string());
    total += it->file_size(ec);
  }
  std::sort(files.begin(), files.end());
  return std::unique_ptr<RecordReader>(new FolderReader(std::move(files), total, format, options));
}

absl::StatusOr<std::unique_ptr<RecordReader>> OpenFile(const std::string& path, Format format,
                                                        const ReaderOptions& options) {
  const bool is_stdin = path == "-";
  const std::string source = is_stdin ? "<stdin>" : path;
  FILE* file = is_stdin ? stdin : std::fopen(path.c_str(), "rb");
  if (file == nullptr) return absl::NotFoundError(absl::StrCat("cannot open ", path, ": ", std::strerror(errno)));
  uint64_t total = 0;
  struct stat st;
  if (fstat(fileno(file), &st) == 0 && S_ISREG(st.st_mode)) total = st.st_size;

  std::string bytes(kSniffBytes, '\0');
  bytes.resize(std::fread(bytes.data(), 1, kSniffBytes, file));
  Format detected = format;
  if (format == Format::kAuto) {
    absl::StatusOr<Format> sniffed = DetectFormat(bytes, path);
    if (sniffed.ok()) detected = *sniffed;
  }
  if (detected == Format::kJsonl && !std::ferror(file)) {
    return std::unique_ptr<RecordReader>(
        new JsonlReader(source, file, /*owned=*/!is_stdin, std::move(bytes), total, options));
  }
  // Whole-file formats: read the rest, within the limit.
  char chunk[1 << 16];
  while (!std::ferror(file) && bytes.size() <= options.max_file_bytes) {
    const size_t n = std::fread(chunk, 1, sizeof chunk, file);
    if (n == 0) break;
    bytes.append(chunk, n);
  }
  const bool read_error = std::ferror(file);
  if (!is_stdin) std::fclose(file);
  if (read_error) return absl::DataLossError(absl::StrCat("read error in ", source));
  if (bytes.size() > options.max_file_bytes) {
    return Rejected(source, 1,
                    absl::InvalidArgumentError(absl::StrCat("file is over ", options.max_file_bytes,
                                                            " bytes (--max_file_bytes); split it or raise the limit")),
                    bytes.size());
  }
  return RecordReaderForBytes(source, path, std::move(bytes), format, options);
}

}  // namespace

std::unique_ptr<RecordReader> RecordReaderForBytes(const std::string& source, const std::string& path,
                                                   std::string bytes, Format format, const ReaderOptions& options) {
  const uint64_t size = bytes.size();
  absl::StatusOr<DecodedText> decoded = DecodeToUtf8(bytes, DeclaredCharset(bytes));
  if (!decoded.ok()) return Rejected(source, 1, decoded.status(), size);
  bytes.clear();
  bytes.shrink_to_fit();
  if (const std::string warning = DecodingWarning(*decoded); !warning.empty() && options.on_warning) {
    options.on_warning(absl::StrCat(source, ":", std::max<size_t>(decoded->first_invalid_line, 1), ": warning: ", warning));
  }
  Format detected = format;
  if (format == Format::kAuto) {
    absl::StatusOr<Format> sniffed = DetectFormat(decoded->utf8, path);
    if (!sniffed.ok()) return Rejected(source, 1, sniffed.status(), size);
    detected = *sniffed;
  }
  switch (detected) {
    case Format::kJsonl:
      return std::make_unique<JsonlReader>(source, decoded->utf8, options);
    case Format::kRss:
    case Format::kAtom:
    case Format::kWxr:
      return std::make_unique<FeedReader>(source, std::move(decoded->utf8), detected, options);
    case Format::kMarkdown:
      return OneRecord(MarkdownFileToRecord(source, path, decoded->utf8, options), size);
    case Format::kHtml:
    case Format::kAuto:
      break;
  }
  return OneRecord(HtmlPageToRecord(source, path, decoded->utf8, options), size);
}

uint64_t InputSize(const std::string& path, Format format) {
  std::error_code ec;
  if (path == "-") return 0;
  if (std::filesystem::is_regular_file(path, ec)) return std::filesystem::file_size(path, ec);
  if (!std::filesystem::is_directory(path, ec)) return 0;
  absl::StatusOr<std::unique_ptr<RecordReader>> folder = OpenFolder(path, format, ReaderOptions());
  return folder.ok() ? (*folder)->total_bytes() : 0;
}

absl::StatusOr<std::unique_ptr<RecordReader>> OpenRecordReader(const std::string& path, Format format,
                                                               const ReaderOptions& options) {
  std::error_code ec;
  if (path != "-" && std::filesystem::is_directory(path, ec)) return OpenFolder(path, format, options);
  return OpenFile(path, format, options);
}

}  // namespace chaja::indexer
