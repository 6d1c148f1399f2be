// The 2-beolsik (두벌식) keyboard: text typed in the wrong input mode, read
// back as meant, both ways (한/영 mistypes), and which keys neighbour which,
// for typo distances.
//
// Pure functions over UTF-8; thread-safe.
#ifndef CHAJA_ANALYZER_KEYBOARD_H_
#define CHAJA_ANALYZER_KEYBOARD_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace chaja::analyzer {

// The Hangul that `keys` gives when typed on a 2-beolsik keyboard in Korean
// mode, composed as the IME composes it: "vornjs" → "패권", "dnqnsxn" →
// "우분투", "ghkdlxld" → "화이팅", "Rkcl" → "까치" (Shift: Q W E R T O P give
// ㅃ ㅉ ㄸ ㄲ ㅆ ㅒ ㅖ; other capitals give the lower-case key's jamo).
// Characters that are not ASCII letters are kept as they are and end the
// syllable being composed. Jamo that cannot join a syllable stay lone
// compatibility jamo ("ㅔㅛ" stays as typed).
std::string HangulFromKeys(absl::string_view keys);

// The keys that type `text` on a 2-beolsik keyboard: each syllable and
// compatibility jamo becomes its keys, compound vowels and final clusters as
// their two keys (ㅘ = "hk", ㄺ = "fr"), doubled consonants and ㅒ ㅖ as
// capitals ("까" = "Rk"). Other characters are kept: "ㅔㅛ쇄ㅜ" → "python",
// "패권 2" → "vornjs 2".
std::string KeysFromHangul(absl::string_view text);

// True when `text` is non-empty and made only of complete Hangul syllables
// (가..힣): HangulFromKeys gave a plausible Korean word.
bool IsSyllablesOnly(absl::string_view text);

// The lower-case ASCII keys next to `key` on a QWERTY keyboard: left and
// right in its row, and the keys at the same index in the rows above and
// below (the rule ../shared/eval/make_typing.py uses). Empty for a non-letter.
std::vector<char> NeighbourKeys(char key);

}  // namespace chaja::analyzer

#endif  // CHAJA_ANALYZER_KEYBOARD_H_
