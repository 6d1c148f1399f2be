#include "analyzer/utf8.h"

namespace chaja::analyzer {

std::vector<CodePoint> DecodeUtf8(absl::string_view text) {
  std::vector<CodePoint> out;
  out.reserve(text.size());
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char b = s[i];
    if (b < 0x80) {
      out.push_back({b, static_cast<uint32_t>(i), static_cast<uint32_t>(i + 1)});
      ++i;
      continue;
    }
    size_t len = 0;
    char32_t c = 0;
    char32_t min = 0;
    if ((b & 0xE0) == 0xC0) {
      len = 2, c = b & 0x1F, min = 0x80;
    } else if ((b & 0xF0) == 0xE0) {
      len = 3, c = b & 0x0F, min = 0x800;
    } else if ((b & 0xF8) == 0xF0) {
      len = 4, c = b & 0x07, min = 0x10000;
    }
    bool ok = len != 0 && i + len <= n;
    for (size_t k = 1; ok && k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) ok = false;
      c = (c << 6) | (s[i + k] & 0x3F);
    }
    if (ok && (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))) ok = false;
    if (!ok) {
      out.push_back({kReplacementChar, static_cast<uint32_t>(i), static_cast<uint32_t>(i + 1)});
      ++i;
      continue;
    }
    out.push_back({c, static_cast<uint32_t>(i), static_cast<uint32_t>(i + len)});
    i += len;
  }
  return out;
}

void AppendUtf8(char32_t c, std::string* out) {
  if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) c = kReplacementChar;
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

bool IsValidUtf8(absl::string_view text) {
  for (const CodePoint& cp : DecodeUtf8(text)) {
    if (cp.value == kReplacementChar && cp.end - cp.begin == 1) return false;
  }
  return true;
}

absl::string_view TruncateUtf8(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  // If the byte at the cut continues a sequence whose lead byte is at most 3
  // bytes back, cut before that lead byte; stray continuation bytes are
  // characters of their own (DecodeUtf8 makes each one U+FFFD).
  size_t end = max_bytes;
  for (size_t back = 1; back <= 3 && back <= end; ++back) {
    const unsigned char c = static_cast<unsigned char>(text[end - back]);
    if ((c & 0xC0) == 0x80) continue;
    const size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (len > back && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) end -= back;
    break;
  }
  return text.substr(0, end);
}

std::u32string ToCodePoints(absl::string_view text) {
  std::u32string out;
  for (const CodePoint& cp : DecodeUtf8(text)) out.push_back(cp.value);
  return out;
}

std::string ToUtf8(std::u32string_view chars) {
  std::string out;
  for (char32_t c : chars) AppendUtf8(c, &out);
  return out;
}

}  // namespace chaja::analyzer
