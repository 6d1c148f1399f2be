// Hangul code point helpers shared by the analyzer stages.
//
// Pure functions over Unicode code points; no allocation except the returned
// vectors. Thread-safe.
#ifndef CHAJA_ANALYZER_HANGUL_H_
#define CHAJA_ANALYZER_HANGUL_H_

#include <cstddef>
#include <vector>

namespace chaja::analyzer {

// U+AC00..U+D7A3, precomposed syllables (가..힣).
bool IsHangulSyllable(char32_t c);

// U+3131..U+318E, the Hangul Compatibility Jamo block (ㄱ..ㆎ) that keyboards emit
// one letter at a time.
bool IsCompatibilityJamo(char32_t c);

// One output character of ComposeCompatibilityJamo: the code point and the
// half-open range [first, last) of input indices it was assembled from.
struct ComposedChar {
  char32_t code_point;
  size_t first;
  size_t last;
};

// Assembles a run of compatibility jamo, as typed letter by letter on a
// 2-beolsik (두벌식) keyboard, into precomposed syllables: ㅎㅏㄴㄱㅜㄱ → 한국,
// ㄷㅏㄺ → 닭, ㅇㅗㅏ → 와, ㄱㅏㅂㅅㅣ → 갑시 (a final moves to the next syllable
// when a vowel follows). Jamo that cannot join a syllable (ㅋㅋㅋ, ㅠㅠ) are
// returned unchanged. Every input index is covered by exactly one output
// character, in order. Input code points outside the compatibility jamo block
// are passed through unchanged and end any syllable in progress.
std::vector<ComposedChar> ComposeCompatibilityJamo(const std::vector<char32_t>& run);

}  // namespace chaja::analyzer

#endif  // CHAJA_ANALYZER_HANGUL_H_
