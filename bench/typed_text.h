// What a reader's keyboard sends while typing, for the load tools: the IME
// states of a word being typed, and text typed with the keyboard in English
// mode. Written here on their own (the same rules as
// ../shared/eval/make_typing.py) rather than taken from analyzer/, so the
// bench's inputs do not come from the code they measure.
#ifndef CHAJA_BENCH_TYPED_TEXT_H_
#define CHAJA_BENCH_TYPED_TEXT_H_

#include <string>
#include <vector>

namespace chaja::bench {

// Every state the search box shows while `word` is typed on a 2-beolsik IME,
// in typing order, the whole word last: for each Hangul syllable its initial
// consonant alone (패ㄱ), then, when it has a final, the syllable without it
// (패궈), then the syllable; any other character as it is. "패권" → {ㅍ, 패,
// 패ㄱ, 패궈, 패권}; "gpt" → {g, gp, gpt}. Empty for an empty word.
std::vector<std::string> TypedPrefixes(const std::string& word);

// The keys that type `text` with the keyboard in English mode (2-beolsik):
// "패권" → "vornjs", doubled consonants and ㅒ ㅖ as capitals ("까" → "Rk"),
// compound vowels and final clusters as two keys; other characters kept.
std::string KeysOf(const std::string& text);

}  // namespace chaja::bench

#endif  // CHAJA_BENCH_TYPED_TEXT_H_
