// Jamo-level views of Hangul for the search box: 초성 (initial consonants),
// what a syllable still being composed may become, and edit distances that
// know the 2-beolsik keyboard.
//
// Pure functions over UTF-8 / code points; thread-safe.
#ifndef CHAJA_ANALYZER_JAMO_H_
#define CHAJA_ANALYZER_JAMO_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace chaja::analyzer {

// The initial consonant of each Hangul syllable of `text`, as compatibility
// jamo, in order: "알렉산더" → "ㅇㄹㅅㄷ", "우분투를" → "ㅇㅂㅌㄹ". Characters that
// are not syllables are left out ("GPT 우분투" → "ㅇㅂㅌ").
std::string Choseong(absl::string_view text);

// True when `text` is one or more compatibility jamo that can begin a
// syllable (ㄱ ㄲ ㄴ ㄷ ㄸ ㄹ ㅁ ㅂ ㅃ ㅅ ㅆ ㅇ ㅈ ㅉ ㅊ ㅋ ㅌ ㅍ ㅎ) and nothing
// else: "ㅇㅂㅌ", "ㄷㅋ". Final clusters (ㄳ) and vowels are not initials.
bool IsChoseongOnly(absl::string_view text);

// An inclusive range of code points.
using CodePointRange = std::pair<char32_t, char32_t>;

// The syllables that `last`, the last character typed, may still become
// while the IME composes it, as sorted, disjoint ranges:
//  - an initial consonant jamo (ㄱ): every syllable it begins ([가, 깋]);
//  - a syllable without a final (구): itself with any final, and the compound
//    vowels its vowel may still grow into with any final (궈.., 궤.., 귀..);
//  - a syllable with a final (갈): itself and the clusters its final may
//    still grow into (갉 갊 갋 갌 갍 갎 갏);
//  - anything else: empty.
std::vector<CodePointRange> CompletionsOf(char32_t last);

// When the last keys typed end `syllable` with a final consonant, the next
// key may be a vowel, and the IME then moves that consonant on to begin the
// next syllable: 팩 (ㅍㅐㄱ) becomes 패 + 궈 when ㅝ follows, 닭 becomes 달 + ㄱ….
// Returns the syllable without it and the initial it becomes (있 → 이, ㅆ; of
// a cluster only its second consonant moves: 닭 → 달, ㄱ); nullopt for a
// syllable without a final or a non-syllable.
std::optional<std::pair<char32_t, char32_t>> FinalMovesOn(char32_t syllable);

// The syllables one keying slip away from `syllable`: one simple jamo
// (initial, vowel or final) replaced by the jamo of a neighbouring key
// (NeighbourKeys) of the same kind (an initial by an initial, a vowel by a
// vowel, a final by a final) — the slips ../shared/eval/make_typing.py makes.
// Empty for a non-syllable. Does not include `syllable` itself.
std::vector<char32_t> NeighbourSyllables(char32_t syllable);

// Edit distance between two words over their 2-beolsik keys (KeysFromHangul,
// so Hangul is compared jamo by jamo and Latin letter by letter):
// substituting a neighbouring key costs 0.5, any other substitution,
// an insertion or a deletion 1, swapping two adjacent keys 1. Case is
// ignored for Latin letters. "우뷴투" vs "우분투" = 0.5 (ㅠ/ㅜ are neighbours),
// "pyhton" vs "python" = 1.
double KeyboardDistance(absl::string_view a, absl::string_view b);

}  // namespace chaja::analyzer

#endif  // CHAJA_ANALYZER_JAMO_H_
