#include "indexer/formats/jsonl_reader.h"

#include <algorithm>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "indexer/dates.h"

namespace chaja::indexer {
namespace {

constexpr size_t kReadChunk = 1 << 20;

// Protobuf's messages start with a code like "INVALID_ARGUMENT:"; keep the prose.
std::string JsonErrorReason(absl::string_view message) {
  absl::string_view m = message;
  absl::ConsumePrefix(&m, "INVALID_ARGUMENT:");
  // Protobuf adds a second line with a ^ marker; one record, one line.
  m = m.substr(0, m.find('\n'));
  return absl::StrCat("invalid article JSON: ", absl::StripAsciiWhitespace(m));
}

google::protobuf::StringPiece Piece(absl::string_view s) { return google::protobuf::StringPiece(s.data(), s.size()); }

// An article is at most an object holding an array: anything deeper is not
// an article, and protobuf would drop it silently.
constexpr int kMaxJsonDepth = 16;

// The index just past the JSON string starting at json[start] ('"').
size_t StringEnd(absl::string_view json, size_t start) {
  size_t i = start + 1;
  while (i < json.size() && json[i] != '"') i += json[i] == '\\' ? 2 : 1;
  return std::min(i + 1, json.size());
}

// What protobuf's JSON parser accepts silently and we do not: nesting deeper
// than kMaxJsonDepth, and "tags" that is not an array of strings (protobuf
// takes "tags":"x" as one tag). Only the top-level object's keys are looked at.
absl::Status CheckJsonShape(absl::string_view json) {
  const absl::Status bad_tags = absl::InvalidArgumentError("tags must be an array of strings");
  int depth = 0;
  int tags_depth = 0;          // the depth inside the "tags" array; 0 outside it
  bool expect_key = false;     // in the top-level object, the next string is a key
  bool value_starts = false;   // the next token starts a value
  bool value_is_tags = false;  // ... and it is the value of "tags"
  absl::string_view key;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) continue;
    if (value_starts) {
      value_starts = false;
      if (value_is_tags) {
        value_is_tags = false;
        if (c == '[') {
          tags_depth = depth + 1;
        } else if (json.substr(i, 4) != "null") {
          return bad_tags;
        }
      } else if (tags_depth > 0 && depth == tags_depth && c != '"' && c != ']') {
        return bad_tags;
      }
    }
    switch (c) {
      case '"': {
        const size_t end = StringEnd(json, i);
        if (depth == 1 && expect_key) key = json.substr(i + 1, end - i - 2);
        i = end - 1;
        break;
      }
      case '{':
      case '[':
        if (++depth > kMaxJsonDepth) {
          return absl::InvalidArgumentError(absl::StrCat("JSON nested deeper than ", kMaxJsonDepth, " levels"));
        }
        expect_key = depth == 1 && c == '{';
        value_starts = c == '[';
        break;
      case '}':
      case ']':
        if (depth == tags_depth) tags_depth = 0;
        --depth;
        break;
      case ':':
        if (depth == 1) {
          expect_key = false;
          value_starts = true;
          value_is_tags = key == "tags";
        }
        break;
      case ',':
        expect_key = depth == 1;
        value_starts = tags_depth > 0 && depth == tags_depth;
        break;
      default:
        break;
    }
  }
  return absl::OkStatus();
}

// INVALID_ARGUMENT naming the first control character (C0, DEL or C1) in the id.
absl::Status CheckIdIsPrintable(absl::string_view id) {
  for (size_t i = 0; i < id.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(id[i]);
    int code = -1;
    if (c < 0x20 || c == 0x7F) code = c;
    if (c == 0xC2 && i + 1 < id.size() && static_cast<unsigned char>(id[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(id[i + 1]) <= 0x9F) {
      code = static_cast<unsigned char>(id[i + 1]);
    }
    if (code >= 0) {
      return absl::InvalidArgumentError(
          absl::StrFormat("id contains the control character U+%04X; ids must be printable", code));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Article> ParseArticleFields(absl::string_view json, const ReaderOptions& options) {
  v1::Article article;
  google::protobuf::util::JsonParseOptions json_options;
  json_options.ignore_unknown_fields = !options.reject_unknown_fields;
  const auto parsed = google::protobuf::util::JsonStringToMessage(Piece(json), &article, json_options);
  if (parsed.ok()) return article;
  const std::string reason = JsonErrorReason(parsed.ToString());
  // A date protobuf does not take (2025.01.22, RFC 822, no zone): parse it
  // ourselves, write it back as RFC 3339 and try again. Only failed lines pay.
  if (!absl::StrContains(json, "\"published\"")) return absl::InvalidArgumentError(reason);
  google::protobuf::Struct object;
  if (!google::protobuf::util::JsonStringToMessage(Piece(json), &object).ok()) {
    return absl::InvalidArgumentError(reason);
  }
  auto it = object.mutable_fields()->find("published");
  if (it == object.mutable_fields()->end() || it->second.kind_case() != google::protobuf::Value::kStringValue) {
    return absl::InvalidArgumentError(reason);
  }
  absl::StatusOr<absl::Time> published = ParseDate(it->second.string_value(), options.timezone);
  if (!published.ok()) return absl::InvalidArgumentError(absl::StrCat("published: ", published.status().message()));
  const std::string rfc3339 = absl::FormatTime(absl::RFC3339_full, *published, absl::UTCTimeZone());
  if (rfc3339 == it->second.string_value()) return absl::InvalidArgumentError(reason);
  it->second.set_string_value(rfc3339);
  std::string fixed;
  if (!google::protobuf::util::MessageToJsonString(object, &fixed).ok()) return absl::InvalidArgumentError(reason);
  article.Clear();
  const auto reparsed = google::protobuf::util::JsonStringToMessage(fixed, &article, json_options);
  if (!reparsed.ok()) return absl::InvalidArgumentError(JsonErrorReason(reparsed.ToString()));
  return article;
}

}  // namespace

absl::StatusOr<v1::Article> ParseArticleJson(absl::string_view json, const ReaderOptions& options) {
  if (absl::Status shape = CheckJsonShape(json); !shape.ok()) return shape;
  absl::StatusOr<v1::Article> article = ParseArticleFields(json, options);
  if (!article.ok()) return article;
  if (absl::Status id = CheckIdIsPrintable(article->id()); !id.ok()) return id;
  return article;
}

JsonlReader::JsonlReader(std::string source, FILE* file, bool owned, std::string prefix, uint64_t total_bytes,
                         ReaderOptions options)
    : source_(std::move(source)),
      file_(file),
      owned_(owned),
      buffer_(std::move(prefix)),
      total_bytes_(total_bytes),
      options_(std::move(options)) {}

JsonlReader::JsonlReader(std::string source, absl::string_view text, ReaderOptions options)
    : source_(std::move(source)), buffer_(text), eof_(true), total_bytes_(text.size()), options_(std::move(options)) {}

JsonlReader::~JsonlReader() {
  if (owned_ && file_ != nullptr) std::fclose(file_);
}

bool JsonlReader::NextLine(absl::string_view* line) {
  for (;;) {
    const size_t newline = buffer_.find('\n', pos_);
    if (newline != std::string::npos) {
      *line = absl::string_view(buffer_).substr(pos_, newline - pos_);
      bytes_read_ += newline - pos_ + 1;
      pos_ = newline + 1;
      return true;
    }
    if (eof_ || file_ == nullptr) {
      if (pos_ >= buffer_.size()) return false;
      *line = absl::string_view(buffer_).substr(pos_);
      // Count the missing final newline too, as if the file had one.
      bytes_read_ += buffer_.size() - pos_ + 1;
      pos_ = buffer_.size();
      return true;
    }
    buffer_.erase(0, pos_);
    pos_ = 0;
    if (buffer_.size() > options_.max_file_bytes) {
      // A line longer than any file we would read whole: drop it up to its
      // end instead of holding it all in memory.
      line_too_long_ = true;
      bytes_read_ += buffer_.size();
      buffer_.clear();
    }
    const size_t old_size = buffer_.size();
    buffer_.resize(old_size + kReadChunk);
    const size_t n = std::fread(buffer_.data() + old_size, 1, kReadChunk, file_);
    buffer_.resize(old_size + n);
    if (n < kReadChunk) {
      if (std::ferror(file_)) {
        status_ = absl::DataLossError(absl::StrCat("read error in ", source_, " after line ", line_number_));
        return false;
      }
      eof_ = true;
    }
  }
}

bool JsonlReader::Next(Record* record) {
  absl::string_view line;
  while (NextLine(&line)) {
    ++line_number_;
    if (line_too_long_) {
      line_too_long_ = false;
      record->location = absl::StrCat(source_, ":", line_number_);
      record->article = absl::InvalidArgumentError(
          absl::StrCat("line is over ", options_.max_file_bytes, " bytes (--max_file_bytes)"));
      return true;
    }
    if (line_number_ == 1) absl::ConsumePrefix(&line, "\xEF\xBB\xBF");  // UTF-8 BOM
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) continue;
    record->location = absl::StrCat(source_, ":", line_number_);
    record->article = ParseArticleJson(line, options_);
    return true;
  }
  return false;
}

}  // namespace chaja::indexer
