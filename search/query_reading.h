// Query readings: what a Korean reader meant, read against the site's own
// vocabulary (lexicon.h). The keyboard and jamo rules are pure functions of
// analyzer/ (keyboard.h, jamo.h); this is where they meet the site:
//  - a word typed in the wrong keyboard mode (vornjs, ㅔㅛㅅㅗㅐㅜ) is read as
//    meant when it is not the site's and its conversion is;
//  - the word being typed (SearchRequest.typing) completes to the site's
//    terms that start with it, down to the jamo being composed;
//  - a word of 초성 only finds the titles, tags and categories with those
//    initials, and the site's frequent words with them;
//  - a misspelt word (one key slip) is corrected to the site's word.
// The query plan (query_plan.h) turns the readings into alternatives of the
// words as written; Suggest (suggester.h) lists from the same functions.
//
// Thread-compatible: the functions only read the lexicon.
#ifndef CHAJA_SEARCH_QUERY_READING_H_
#define CHAJA_SEARCH_QUERY_READING_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "search/lexicon.h"

namespace chaja::search {

// A term of the site and how many posts hold it.
struct TermCount {
  std::string term;
  uint64_t count = 0;
};

// `query` with each word typed in the wrong keyboard mode converted: an ASCII
// word whose Hangul reading (HangulFromKeys) is the site's while the word is
// not ("vornjs" → "패권"), and a Hangul word that is not the site's while its
// keys are a Latin word of the site ("ㅔㅛ쇄ㅜ" → "python"). With `typing`,
// the query's last word may be incomplete: its reading only needs to start
// a word of the site. Operators, quotes and fields are kept as typed.
std::string ReadKeyboardMistypes(absl::string_view query, const Lexicon& lexicon, bool typing);

// What was typed, as keys compare: normalized like tags and titles
// (index::NormalizeKey), except a last syllable or jamo that may still change
// while the IME composes it, which is kept apart in `last` (else 0).
struct TypedText {
  std::string stem;
  char32_t last = 0;
};
TypedText TypedOf(absl::string_view text);
// Whether normalized `key` starts with what was typed, down to the jamo.
bool StartsWithTyped(absl::string_view key, const TypedText& typed);
// The term ranges of keys `prefix`+… that start with what was typed.
std::vector<std::pair<std::string, std::string>> TypedRanges(absl::string_view prefix, const TypedText& typed);

// The title-key terms (index::kPrefixTitleKey) of the titles that are `text`
// or, when it is `incomplete` (being typed), that start with it, at most
// `limit`.
std::vector<TermCount> TitlesStartingWith(absl::string_view text, bool incomplete, const Lexicon& lexicon,
                                          size_t limit);

// What the Hangul word being typed may become: `word` is its syllables, the
// last of which (or a final initial-consonant jamo) is still being composed.
// Returns the terms (with `prefix`) its last gram may be, most frequent first,
// at most `limit`: 패궈 → 패권 …; for a one-syllable word, the grams that
// start with it (패 → 패권, 패션 …), never its unigram alone (the particle 도).
std::vector<TermCount> CompleteHangul(const std::u32string& word, const Lexicon& lexicon,
                                      const std::string& prefix, size_t limit);

// The Latin terms (with `prefix`) that start with `word` (lower-case, two
// letters or more), most frequent first, at most `limit`: ubun → ubuntu.
std::vector<TermCount> CompleteLatin(absl::string_view word, const Lexicon& lexicon, const std::string& prefix,
                                     size_t limit);

// The 초성 terms (index::kPrefixChoseong) of the words of titles, tags and
// categories whose initials are `initials` or start with them, at most
// `limit`: the words of exactly these initials first, each part most
// frequent first.
std::vector<TermCount> ChoseongTerms(absl::string_view initials, const Lexicon& lexicon, size_t limit);

// Frequent Hangul words of the site's text whose syllables have `initials`
// (two or more), found by chaining its grams: ㅇㅂㅌ → 우분투. Best first (by
// the count of the word's rarest gram), at most `limit`.
std::vector<TermCount> ChoseongWords(absl::string_view initials, const Lexicon& lexicon, size_t limit);

// The site's word one key slip away from a Hangul word (two syllables or
// more) whose grams are not all the site's: 우뷴투 → 우분투. nullopt when the
// word is the site's or no single slip explains it.
std::optional<std::string> CorrectHangulWord(const std::u32string& word, const Lexicon& lexicon,
                                             const std::string& prefix);

// The same for a Latin word of four letters or more that the site does not
// have, by KeyboardDistance ≤ 1 (pyhton → python).
std::optional<std::string> CorrectLatinWord(absl::string_view word, const Lexicon& lexicon, const std::string& prefix);

}  // namespace chaja::search

#endif  // CHAJA_SEARCH_QUERY_READING_H_
