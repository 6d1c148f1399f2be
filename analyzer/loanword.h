// Loanwords: the same word written in Hangul and in Latin letters (우분투 and
// ubuntu, 파이썬 and Python, 오픈AI and OpenAI).
//
// A rule-based transcription of English spelling into Hangul in the manner of
// 외래어 표기법 (the official rules for writing foreign words in Hangul), and
// back into Latin letters, compared at the jamo level. It decides whether a
// Latin word and a Hangul word sound alike; the built-in list of common
// equivalents is checked against it by a test, and synonym discovery uses it
// to propose pairs found in a site's own posts.
//
// Pure functions and constant data; thread-safe.
#ifndef CHAJA_ANALYZER_LOANWORD_H_
#define CHAJA_ANALYZER_LOANWORD_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace chaja::analyzer {

// Hangul spellings an English word may be written as, most likely first
// ("docker" → 도커; "python" → 파이썬, 파이선, 파이톤). Letters and digits only,
// any case; an all-capital acronym of up to five letters is also spelt by
// letter names ("GPT" → 지피티). Empty for anything else.
std::vector<std::string> HangulTranscriptions(absl::string_view latin);

// A Latin reading of a Hangul word, by sound ("우분투" → "ubuntu", "도커" →
// "dokeo"-like): lower-case ASCII. Latin letters inside the word are kept as
// they are (오픈AI → "openai"-like).
std::string LatinTranscription(absl::string_view hangul);

// How alike a Latin word and a Hangul word sound, from 0 (nothing alike) to 1
// (the Hangul is one of the Latin word's transcriptions): compared at the
// jamo level, where sounds that transcriptions often confuse (ㅂ/ㅍ, ㄷ/ㅌ,
// ㅅ/ㅆ, ㅓ/ㅗ, ㅔ/ㅐ, an added ㅡ) cost little. Case is ignored; a Hangul
// word may hold Latin letters, which are compared as letters.
double SoundSimilarity(absl::string_view latin, absl::string_view hangul);

// SoundSimilarity(latin, hangul) >= kSoundsAlikeThreshold. At 0.8 every
// built-in pair passes (lowest 0.806) and the false friends of the test do
// not (highest 0.781, 스토리/street): one whole jamo wrong in a five-jamo word
// is already too much.
inline constexpr double kSoundsAlikeThreshold = 0.8;
bool SoundsAlike(absl::string_view latin, absl::string_view hangul);

// Coarse keys for finding candidates without comparing every pair: two words
// that sound alike share at least one key (tested over the built-in list).
std::vector<std::string> SoundKeysOfLatin(absl::string_view latin);
std::vector<std::string> SoundKeysOfHangul(absl::string_view hangul);

// One built-in equivalence: a Hangul spelling and the Latin word it stands
// for, as people write them (파이썬, Python). A Latin word with several usual
// Hangul spellings has one entry per spelling (윈도우, 윈도 → Windows).
struct LoanwordPair {
  absl::string_view hangul;
  absl::string_view latin;
};

// The built-in, reviewed list of common Korean loanwords of tech, AI, IT and
// everyday blog vocabulary and their English words: more than 500 pairs,
// each of which SoundsAlike (a test checks every one).
const std::vector<LoanwordPair>& BuiltinLoanwords();

}  // namespace chaja::analyzer

#endif  // CHAJA_ANALYZER_LOANWORD_H_
