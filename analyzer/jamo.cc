#include "analyzer/jamo.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "analyzer/hangul.h"
#include "analyzer/jamo_tables.h"
#include "analyzer/keyboard.h"
#include "analyzer/utf8.h"

namespace chaja::analyzer {
namespace {

using jamo_tables::Compose;
using jamo_tables::IndexIn;
using jamo_tables::JamoPair;
using jamo_tables::kFinalCount;
using jamo_tables::kFinals;
using jamo_tables::kInitials;
using jamo_tables::kPairs;
using jamo_tables::kVowelCount;
using jamo_tables::SyllableParts;

int InitialIndex(char32_t jamo) { return IndexIn(kInitials, jamo); }
int FinalIndex(char32_t jamo) { return IndexIn(kFinals, jamo); }

// Every syllable with this initial and vowel, whatever its final.
CodePointRange AnyFinal(int initial, int vowel) {
  return {Compose({initial, vowel, 0}), Compose({initial, vowel, kFinalCount - 1})};
}

// Sorts and joins touching ranges: compound vowels and clusters follow
// their first letter in Unicode order, so most completions become one range.
std::vector<CodePointRange> Merged(std::vector<CodePointRange> ranges) {
  std::sort(ranges.begin(), ranges.end());
  std::vector<CodePointRange> out;
  for (const CodePointRange& r : ranges) {
    if (!out.empty() && r.first <= out.back().second + 1) {
      out.back().second = std::max(out.back().second, r.second);
    } else {
      out.push_back(r);
    }
  }
  return out;
}

// The syllables a finished syllable `p` still becomes: with no final, any
// final on its vowel or on a compound vowel it starts (구 → 궈 궤 귀); with a
// final, a cluster that final starts (갈 → 갉..갏).
std::vector<CodePointRange> GrownSyllables(SyllableParts p) {
  std::vector<CodePointRange> out;
  if (p.final == 0) {
    out.push_back(AnyFinal(p.initial, p.vowel));
    for (const JamoPair& pair : kPairs) {
      if (pair.first == jamo_tables::VowelJamo(p.vowel)) {
        out.push_back(AnyFinal(p.initial, jamo_tables::VowelIndex(pair.combined)));
      }
    }
    return out;
  }
  out.push_back({Compose(p), Compose(p)});
  for (const JamoPair& pair : kPairs) {
    if (pair.first == kFinals[p.final]) {
      const char32_t grown = Compose({p.initial, p.vowel, FinalIndex(pair.combined)});
      out.push_back({grown, grown});
    }
  }
  return out;
}

// The jamo of the keys next to the one key typing `jamo`. None for jamo
// typed with Shift or with two keys: make_typing.py makes no slips there.
std::vector<char32_t> NeighbourJamo(char32_t jamo) {
  std::vector<char32_t> out;
  const char key = jamo_tables::KeyOf(jamo);
  if (key == 0) return out;
  for (const char k : NeighbourKeys(key)) out.push_back(jamo_tables::JamoOf(k));
  return out;
}

// Adds `p` with its `slot` replaced by each neighbouring jamo that can stand
// in that slot (`index_of` is -1 for a vowel in a consonant slot and so on).
template <typename IndexOf>
void AddSlips(SyllableParts p, int SyllableParts::*slot, char32_t jamo, IndexOf index_of,
              std::vector<char32_t>* out) {
  for (const char32_t neighbour : NeighbourJamo(jamo)) {
    const int index = index_of(neighbour);
    if (index < 0) continue;
    p.*slot = index;
    out->push_back(Compose(p));
  }
}

// Key units for KeyboardDistance: Hangul as its keys, Shift kept (ㄲ = R is
// another letter than ㄱ = r); Latin folded to lower case; anything else
// compared as itself.
std::u32string KeyUnits(absl::string_view text) {
  std::u32string out;
  for (const CodePoint& cp : DecodeUtf8(text)) {
    if (cp.value < 0x80) {
      out += static_cast<char32_t>(absl::ascii_tolower(static_cast<unsigned char>(cp.value)));
      continue;
    }
    const absl::string_view one = text.substr(cp.begin, cp.end - cp.begin);
    const std::string keys = KeysFromHangul(one);
    if (keys == one) {
      out += cp.value;
    } else {
      for (const char k : keys) out += static_cast<char32_t>(k);
    }
  }
  return out;
}

double SubstitutionCost(char32_t a, char32_t b) {
  if (a == b) return 0;
  if (a < 0x80 && b < 0x80) {
    for (const char n : NeighbourKeys(static_cast<char>(a))) {
      if (static_cast<char32_t>(n) == b) return 0.5;
    }
  }
  return 1;
}

}  // namespace

std::string Choseong(absl::string_view text) {
  std::string out;
  for (const CodePoint& cp : DecodeUtf8(text)) {
    if (IsHangulSyllable(cp.value)) {
      AppendUtf8(kInitials[jamo_tables::Decompose(cp.value).initial], &out);
    }
  }
  return out;
}

bool IsChoseongOnly(absl::string_view text) {
  const std::vector<CodePoint> chars = DecodeUtf8(text);
  return !chars.empty() && std::all_of(chars.begin(), chars.end(), [](const CodePoint& cp) {
    return InitialIndex(cp.value) >= 0;
  });
}

std::vector<CodePointRange> CompletionsOf(char32_t last) {
  const int initial = InitialIndex(last);
  if (initial >= 0) {
    return {{Compose({initial, 0, 0}), Compose({initial, kVowelCount - 1, kFinalCount - 1})}};
  }
  if (!IsHangulSyllable(last)) return {};
  return Merged(GrownSyllables(jamo_tables::Decompose(last)));
}

std::vector<char32_t> NeighbourSyllables(char32_t syllable) {
  std::vector<char32_t> out;
  if (!IsHangulSyllable(syllable)) return out;
  const SyllableParts p = jamo_tables::Decompose(syllable);
  AddSlips(p, &SyllableParts::initial, kInitials[p.initial], InitialIndex, &out);
  AddSlips(p, &SyllableParts::vowel, jamo_tables::VowelJamo(p.vowel), jamo_tables::VowelIndex,
           &out);
  if (p.final != 0) AddSlips(p, &SyllableParts::final, kFinals[p.final], FinalIndex, &out);
  std::sort(out.begin(), out.end());
  return out;
}

double KeyboardDistance(absl::string_view a, absl::string_view b) {
  const std::u32string x = KeyUnits(a);
  const std::u32string y = KeyUnits(b);
  // d[i][j]: the distance between the first i units of x and the first j of
  // y (optimal string alignment: Levenshtein plus adjacent swaps).
  std::vector<std::vector<double>> d(x.size() + 1, std::vector<double>(y.size() + 1));
  for (size_t i = 0; i <= x.size(); ++i) d[i][0] = static_cast<double>(i);
  for (size_t j = 0; j <= y.size(); ++j) d[0][j] = static_cast<double>(j);
  for (size_t i = 1; i <= x.size(); ++i) {
    for (size_t j = 1; j <= y.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + SubstitutionCost(x[i - 1], y[j - 1])});
      if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[x.size()][y.size()];
}

std::optional<std::pair<char32_t, char32_t>> FinalMovesOn(char32_t syllable) {
  if (!IsHangulSyllable(syllable)) return std::nullopt;
  jamo_tables::SyllableParts parts = jamo_tables::Decompose(syllable);
  if (parts.final == 0) return std::nullopt;
  const char32_t final_jamo = jamo_tables::kFinals[parts.final];
  // A cluster keeps its first consonant; its second begins the next syllable.
  char32_t moves = final_jamo;
  int stays = 0;
  if (const jamo_tables::JamoPair* pair = jamo_tables::Split(final_jamo)) {
    moves = pair->second;
    stays = jamo_tables::IndexIn(jamo_tables::kFinals, pair->first);
  }
  if (jamo_tables::IndexIn(jamo_tables::kInitials, moves) < 0) return std::nullopt;
  parts.final = stays;
  return std::make_pair(jamo_tables::Compose(parts), moves);
}

}  // namespace chaja::analyzer
