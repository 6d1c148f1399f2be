// UTF-8 decoding and encoding that never fails.
//
// Invalid input (bad lead bytes, truncated sequences, overlongs, surrogates)
// decodes to U+FFFD one byte at a time, so every byte of the input is covered
// and offsets always point at the original text. Thread-safe.
#ifndef CHAJA_ANALYZER_UTF8_H_
#define CHAJA_ANALYZER_UTF8_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"

namespace chaja::analyzer {

inline constexpr char32_t kReplacementChar = 0xFFFD;

// A code point and the byte range [begin, end) of the original input it came from.
struct CodePoint {
  char32_t value;
  uint32_t begin;
  uint32_t end;
};

// Decodes `text`; invalid bytes become kReplacementChar covering one byte.
std::vector<CodePoint> DecodeUtf8(absl::string_view text);

// Appends the UTF-8 encoding of `c` (U+FFFD for values that are not scalar values).
void AppendUtf8(char32_t c, std::string* out);

// The code points of `text` (invalid bytes as U+FFFD), and back: for code that
// works syllable by syllable (search/query_reading.h).
std::u32string ToCodePoints(absl::string_view text);
std::string ToUtf8(std::u32string_view chars);

// True if `text` is well-formed UTF-8 (what protobuf requires of string fields).
bool IsValidUtf8(absl::string_view text);

// Returns the longest prefix of `text` of at most `max_bytes` bytes that does not
// end inside a UTF-8 sequence.
absl::string_view TruncateUtf8(absl::string_view text, size_t max_bytes);

}  // namespace chaja::analyzer

#endif  // CHAJA_ANALYZER_UTF8_H_
