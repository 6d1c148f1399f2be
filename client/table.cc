#include "client/table.h"

#include <unicode/uchar.h>

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace chaja::client {
namespace {

// Decodes one UTF-8 character at text[*i]: its code point, or -1 for an
// invalid byte (then *i advances by one byte).
int32_t NextCodePoint(absl::string_view text, size_t* i) {
  const auto b0 = static_cast<unsigned char>(text[*i]);
  int len = 0;
  int32_t cp = 0;
  if (b0 < 0x80) {
    ++*i;
    return b0;
  } else if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    cp = b0 & 0x0F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    cp = b0 & 0x07;
  } else {
    ++*i;
    return -1;
  }
  if (*i + len > text.size()) {
    ++*i;
    return -1;
  }
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(text[*i + k]);
    if ((b & 0xC0) != 0x80) {
      ++*i;
      return -1;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are invalid.
  static constexpr int32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
    ++*i;
    return -1;
  }
  *i += len;
  return cp;
}

int CodePointWidth(int32_t cp) {
  if (cp < 0) return 1;
  if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return 0;
  const int8_t category = static_cast<int8_t>(u_charType(cp));
  if (category == U_NON_SPACING_MARK || category == U_ENCLOSING_MARK || category == U_FORMAT_CHAR) return 0;
  // Conjoining jamo after the initial consonant combine into the syllable.
  const int syllable_type = u_getIntPropertyValue(cp, UCHAR_HANGUL_SYLLABLE_TYPE);
  if (syllable_type == U_HST_VOWEL_JAMO || syllable_type == U_HST_TRAILING_JAMO) return 0;
  const int east_asian = u_getIntPropertyValue(cp, UCHAR_EAST_ASIAN_WIDTH);
  return east_asian == U_EA_WIDE || east_asian == U_EA_FULLWIDTH ? 2 : 1;
}

}  // namespace

size_t DisplayWidth(absl::string_view text) {
  size_t width = 0;
  for (size_t i = 0; i < text.size();) width += CodePointWidth(NextCodePoint(text, &i));
  return width;
}

std::string TruncateToWidth(absl::string_view text, size_t width) {
  if (DisplayWidth(text) <= width) return std::string(text);
  if (width == 0) return "";
  constexpr absl::string_view kEllipsis = "…";  // one column
  const size_t budget = width - 1;
  size_t used = 0;
  size_t end = 0;
  for (size_t i = 0; i < text.size();) {
    const int w = CodePointWidth(NextCodePoint(text, &i));
    if (used + w > budget) break;
    used += w;
    end = i;
  }
  return absl::StrCat(text.substr(0, end), kEllipsis);
}

std::string PadToWidth(absl::string_view text, size_t width, Align align) {
  const size_t w = DisplayWidth(text);
  if (w >= width) return std::string(text);
  const std::string pad(width - w, ' ');
  return align == Align::kLeft ? absl::StrCat(text, pad) : absl::StrCat(pad, text);
}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  for (size_t c = 0; c < columns_.size(); ++c) {
    if (columns_[c].max_width > 0) cells[c] = TruncateToWidth(cells[c], columns_[c].max_width);
  }
  rows_.push_back(std::move(cells));
}

std::string Table::Render(bool color, absl::string_view indent) const {
  const bool header = std::any_of(columns_.begin(), columns_.end(), [](const Column& c) { return !c.header.empty(); });
  std::vector<size_t> widths(columns_.size(), 0);
  for (size_t c = 0; c < columns_.size(); ++c) {
    if (header) widths[c] = DisplayWidth(columns_[c].header);
    for (const auto& row : rows_) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out(indent);
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c > 0) out += "  ";
      const bool last = c + 1 == cells.size();
      if (last && columns_[c].align == Align::kLeft) {
        out += cells[c];
      } else {
        out += PadToWidth(cells[c], widths[c], columns_[c].align);
      }
    }
    while (out.size() > indent.size() && out.back() == ' ') out.pop_back();
    return out;
  };
  std::string out;
  if (header) {
    std::vector<std::string> headers;
    for (const Column& c : columns_) headers.push_back(c.header);
    const std::string text = line(headers);
    absl::StrAppend(&out, color ? absl::StrCat("\033[1m", text, "\033[0m") : text, "\n");
  }
  for (const auto& row : rows_) absl::StrAppend(&out, line(row), "\n");
  return out;
}

}  // namespace chaja::client
