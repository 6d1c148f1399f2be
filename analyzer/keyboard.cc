#include "analyzer/keyboard.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "analyzer/hangul.h"
#include "analyzer/jamo_tables.h"
#include "analyzer/utf8.h"

namespace chaja::analyzer {
namespace {

using jamo_tables::JamoPair;

// The jamo a key gives in Korean mode. Shift changes only Q W E R T O P;
// other capitals give their lower-case key's jamo, as the IME does.
char32_t JamoOfKey(char key) {
  const char32_t exact = jamo_tables::JamoOf(key);
  if (exact != 0) return exact;
  return absl::ascii_isupper(static_cast<unsigned char>(key))
             ? jamo_tables::JamoOf(absl::ascii_tolower(static_cast<unsigned char>(key)))
             : 0;
}

void AppendComposed(const std::vector<char32_t>& jamo, std::string* out) {
  for (const ComposedChar& c : ComposeCompatibilityJamo(jamo)) AppendUtf8(c.code_point, out);
}

// Appends the keys typing `jamo` (two for a compound vowel or final
// cluster); false when no key types it (archaic jamo, non-jamo).
bool AppendJamoKeys(char32_t jamo, std::string* out) {
  if (const JamoPair* pair = jamo_tables::Split(jamo)) {
    *out += jamo_tables::KeyOf(pair->first);
    *out += jamo_tables::KeyOf(pair->second);
    return true;
  }
  const char key = jamo_tables::KeyOf(jamo);
  if (key == 0) return false;
  *out += key;
  return true;
}

void AppendSyllableKeys(char32_t syllable, std::string* out) {
  const jamo_tables::SyllableParts p = jamo_tables::Decompose(syllable);
  AppendJamoKeys(jamo_tables::kInitials[p.initial], out);
  AppendJamoKeys(jamo_tables::VowelJamo(p.vowel), out);
  if (p.final != 0) AppendJamoKeys(jamo_tables::kFinals[p.final], out);
}

}  // namespace

std::string HangulFromKeys(absl::string_view keys) {
  std::string out;
  std::vector<char32_t> typed;  // Jamo of the letters since the last non-letter.
  // Byte by byte: UTF-8 sequences never contain ASCII bytes, so copying the
  // other bytes one at a time keeps every non-letter (even invalid UTF-8)
  // exactly as it was.
  for (const char c : keys) {
    const char32_t jamo = JamoOfKey(c);
    if (jamo != 0) {
      typed.push_back(jamo);
      continue;
    }
    AppendComposed(typed, &out);
    typed.clear();
    out += c;
  }
  AppendComposed(typed, &out);
  return out;
}

std::string KeysFromHangul(absl::string_view text) {
  std::string out;
  for (const CodePoint& cp : DecodeUtf8(text)) {
    if (IsHangulSyllable(cp.value)) {
      AppendSyllableKeys(cp.value, &out);
    } else if (!AppendJamoKeys(cp.value, &out)) {
      out.append(text.data() + cp.begin, cp.end - cp.begin);
    }
  }
  return out;
}

bool IsSyllablesOnly(absl::string_view text) {
  const std::vector<CodePoint> chars = DecodeUtf8(text);
  return !chars.empty() && std::all_of(chars.begin(), chars.end(), [](const CodePoint& cp) {
    return IsHangulSyllable(cp.value);
  });
}

std::vector<char> NeighbourKeys(char key) {
  // make_typing.py ROWS. Rows are not staggered here: "below" is the same
  // index, not the key physically below-left, so that we match the script.
  // Capitals are in no row, as there: Shift keys have no neighbours.
  static constexpr absl::string_view kRows[] = {"qwertyuiop", "asdfghjkl", "zxcvbnm"};
  constexpr int kRowCount = 3;
  for (int r = 0; r < kRowCount; ++r) {
    const size_t i = kRows[r].find(key);
    if (i == absl::string_view::npos) continue;
    std::vector<char> out;
    if (i > 0) out.push_back(kRows[r][i - 1]);
    if (i + 1 < kRows[r].size()) out.push_back(kRows[r][i + 1]);
    for (const int other : {r - 1, r + 1}) {
      if (other >= 0 && other < kRowCount && i < kRows[other].size()) {
        out.push_back(kRows[other][i]);
      }
    }
    return out;
  }
  return {};
}

}  // namespace chaja::analyzer
