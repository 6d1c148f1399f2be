#include "indexer/encoding.h"

#include <algorithm>
#include <memory>
#include <vector>

#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/ustring.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "analyzer/utf8.h"

namespace chaja::indexer {
namespace {

constexpr absl::string_view kUtf8Bom = "\xEF\xBB\xBF";

bool IsKoreanLabel(absl::string_view label) {
  // The WHATWG Encoding Standard's labels for its "EUC-KR" (= windows-949) decoder.
  static constexpr const char* kLabels[] = {"cp949",          "csksc56011987",   "euc-kr",       "iso-ir-149",
                                            "korean",         "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601",
                                            "ksc_5601",       "windows-949",    "x-windows-949", "uhc",
                                            "ms949",          "euckr"};
  for (const char* l : kLabels) {
    if (label == l) return true;
  }
  return false;
}

bool IsUtf8Label(absl::string_view label) {
  return label.empty() || label == "utf-8" || label == "utf8" || label == "unicode-1-1-utf-8" ||
         label == "us-ascii" || label == "ascii";
}

// The value after `key` (charset= / encoding=) up to a quote, space, ';' or '>'.
std::string ValueAfter(absl::string_view text, size_t pos) {
  while (pos < text.size() && (text[pos] == '"' || text[pos] == '\'' || text[pos] == ' ')) ++pos;
  size_t end = pos;
  while (end < text.size() && text[end] != '"' && text[end] != '\'' && text[end] != ' ' && text[end] != ';' &&
         text[end] != '>' && text[end] != '?') {
    ++end;
  }
  return absl::AsciiStrToLower(text.substr(pos, end - pos));
}

// A guess needs Hangul in the result and no private-use characters (which
// windows-949 gives for stray bytes such as 0xFF).
bool LooksKorean(absl::string_view utf8) {
  bool hangul = false;
  for (const analyzer::CodePoint& cp : analyzer::DecodeUtf8(utf8)) {
    if (cp.value >= 0xE000 && cp.value <= 0xF8FF) return false;
    if (cp.value >= 0xAC00 && cp.value <= 0xD7A3) hangul = true;
  }
  return hangul;
}

struct ErrorCount {
  const char* base = nullptr;
  size_t count = 0;
  size_t first_offset = 0;
};

// Counts each invalid or unmappable sequence, then substitutes U+FFFD.
void CountingCallback(const void* context, UConverterToUnicodeArgs* args, const char* code_units, int32_t length,
                      UConverterCallbackReason reason, UErrorCode* error) {
  if (reason <= UCNV_IRREGULAR) {  // UCNV_UNASSIGNED, UCNV_ILLEGAL, UCNV_IRREGULAR
    auto* counter = static_cast<ErrorCount*>(const_cast<void*>(context));
    if (counter->count == 0) counter->first_offset = static_cast<size_t>(args->source - counter->base) - length;
    ++counter->count;
  }
  UCNV_TO_U_CALLBACK_SUBSTITUTE(nullptr, args, code_units, length, reason, error);
}

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};

// Decodes with ICU's converter `name`, counting bad sequences.
absl::StatusOr<DecodedText> Convert(absl::string_view bytes, const char* name) {
  UErrorCode error = U_ZERO_ERROR;
  std::unique_ptr<UConverter, ConverterCloser> converter(ucnv_open(name, &error));
  if (U_FAILURE(error)) return absl::InvalidArgumentError(absl::StrCat("unknown charset \"", name, "\""));
  ErrorCount counter;
  counter.base = bytes.data();
  ucnv_setToUCallBack(converter.get(), CountingCallback, &counter, nullptr, nullptr, &error);
  // Every input byte gives at most one UTF-16 unit for the charsets we meet;
  // grow the buffer if some converter does better than that.
  std::vector<UChar> utf16(bytes.size() + 16);
  UChar* target = utf16.data();
  const char* source = bytes.data();
  for (;;) {
    ucnv_toUnicode(converter.get(), &target, utf16.data() + utf16.size(), &source, bytes.data() + bytes.size(),
                   nullptr, /*flush=*/true, &error);
    if (error != U_BUFFER_OVERFLOW_ERROR) break;
    error = U_ZERO_ERROR;
    const size_t used = target - utf16.data();
    utf16.resize(utf16.size() * 2);
    target = utf16.data() + used;
  }
  const int32_t length16 = static_cast<int32_t>(target - utf16.data());
  DecodedText out;
  out.charset = absl::AsciiStrToLower(name);
  int32_t length8 = 0;
  error = U_ZERO_ERROR;
  u_strToUTF8(nullptr, 0, &length8, utf16.data(), length16, &error);
  error = U_ZERO_ERROR;
  out.utf8.resize(length8);
  u_strToUTF8(out.utf8.data(), length8, nullptr, utf16.data(), length16, &error);
  if (U_FAILURE(error)) return absl::InternalError(absl::StrCat("encoding UTF-8: ", u_errorName(error)));
  out.invalid_sequences = counter.count;
  if (counter.count > 0) {
    const size_t offset = std::min(counter.first_offset, bytes.size());
    out.first_invalid_line = 1 + std::count(bytes.begin(), bytes.begin() + offset, '\n');
  }
  return out;
}

}  // namespace

std::string DeclaredCharset(absl::string_view bytes) {
  if (absl::StartsWith(bytes, kUtf8Bom)) return "utf-8";
  if (absl::StartsWith(bytes, "\xFF\xFE")) return "utf-16le";
  if (absl::StartsWith(bytes, "\xFE\xFF")) return "utf-16be";
  const std::string head = absl::AsciiStrToLower(bytes.substr(0, 4096));
  const absl::string_view h = absl::StripLeadingAsciiWhitespace(head);
  if (absl::StartsWith(h, "<?xml")) {
    const size_t end = h.find("?>");
    const size_t enc = h.substr(0, end).find("encoding");
    if (enc != absl::string_view::npos) {
      size_t pos = enc + 8;
      while (pos < h.size() && (h[pos] == ' ' || h[pos] == '=')) ++pos;
      return ValueAfter(h, pos);
    }
    return "";
  }
  for (size_t meta = h.find("<meta"); meta != absl::string_view::npos; meta = h.find("<meta", meta + 5)) {
    const size_t close = h.find('>', meta);
    const absl::string_view tag = h.substr(meta, close == absl::string_view::npos ? h.npos : close - meta);
    const size_t charset = tag.find("charset");
    if (charset == absl::string_view::npos) continue;
    size_t pos = charset + 7;
    while (pos < tag.size() && (tag[pos] == ' ' || tag[pos] == '=')) ++pos;
    return ValueAfter(tag, pos);
  }
  return "";
}

absl::StatusOr<DecodedText> DecodeToUtf8(absl::string_view bytes, absl::string_view charset) {
  const std::string label = absl::AsciiStrToLower(absl::StripAsciiWhitespace(charset));
  if (IsUtf8Label(label)) {
    absl::ConsumePrefix(&bytes, kUtf8Bom);
    if (analyzer::IsValidUtf8(bytes)) {
      DecodedText out;
      out.utf8 = std::string(bytes);
      out.charset = "utf-8";
      return out;
    }
    // Not UTF-8, whatever it says: Korean text of that age is almost always CP949.
    absl::StatusOr<DecodedText> korean = Convert(bytes, "windows-949");
    if (korean.ok() && korean->invalid_sequences == 0 && LooksKorean(korean->utf8)) {
      korean->guessed = true;
      korean->declared_utf8 = !label.empty();
      return korean;
    }
    return Convert(bytes, "UTF-8");
  }
  if (IsKoreanLabel(label)) return Convert(bytes, "windows-949");
  if (absl::StartsWith(label, "utf-16")) return Convert(bytes, "UTF-16");  // honours the byte order mark
  return Convert(bytes, label.c_str());
}

std::string DecodingWarning(const DecodedText& decoded) {
  if (decoded.guessed && decoded.declared_utf8) {
    return "the declared charset is wrong: the bytes are not UTF-8 but EUC-KR/CP949 Korean, and were decoded so "
           "(fix the declaration)";
  }
  if (decoded.guessed) {
    return "no charset declared and not UTF-8; decoded as EUC-KR/CP949 (declare it to silence this)";
  }
  if (decoded.invalid_sequences > 0) {
    return absl::StrCat(decoded.invalid_sequences, " invalid ", decoded.charset,
                        " byte sequence(s) replaced with U+FFFD, the first on line ", decoded.first_invalid_line);
  }
  return "";
}

}  // namespace chaja::indexer
