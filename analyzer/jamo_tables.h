// Internal to keyboard.cc and jamo.cc: the syllable arithmetic of U+AC00..
// U+D7A3 and the 2-beolsik key map, written once so that both files (and
// ../shared/eval/make_typing.py, whose KEY and SPLIT they copy) agree.
#ifndef CHAJA_ANALYZER_JAMO_TABLES_H_
#define CHAJA_ANALYZER_JAMO_TABLES_H_

#include <cstddef>

namespace chaja::analyzer::jamo_tables {

inline constexpr char32_t kSyllableBase = 0xAC00;  // 가
inline constexpr int kVowelCount = 21;
inline constexpr int kFinalCount = 28;  // Including "no final".

// Each syllable slot's letters as compatibility jamo, in Unicode index order.
inline constexpr char32_t kInitials[19] = {U'ㄱ', U'ㄲ', U'ㄴ', U'ㄷ', U'ㄸ', U'ㄹ', U'ㅁ',
                                           U'ㅂ', U'ㅃ', U'ㅅ', U'ㅆ', U'ㅇ', U'ㅈ', U'ㅉ',
                                           U'ㅊ', U'ㅋ', U'ㅌ', U'ㅍ', U'ㅎ'};
// The compatibility vowels ㅏ..ㅣ are in the same order as the vowel index.
inline constexpr char32_t kFirstVowel = U'ㅏ';
inline constexpr char32_t kFinals[kFinalCount] = {0,     U'ㄱ', U'ㄲ', U'ㄳ', U'ㄴ', U'ㄵ', U'ㄶ',
                                                  U'ㄷ', U'ㄹ', U'ㄺ', U'ㄻ', U'ㄼ', U'ㄽ', U'ㄾ',
                                                  U'ㄿ', U'ㅀ', U'ㅁ', U'ㅂ', U'ㅄ', U'ㅅ', U'ㅆ',
                                                  U'ㅇ', U'ㅈ', U'ㅊ', U'ㅋ', U'ㅌ', U'ㅍ', U'ㅎ'};

struct SyllableParts {
  int initial;  // Index into kInitials.
  int vowel;    // kFirstVowel + vowel is its jamo.
  int final;    // Index into kFinals; 0 for none.
};

// `syllable` must be in 가..힣 (IsHangulSyllable).
inline SyllableParts Decompose(char32_t syllable) {
  const int n = static_cast<int>(syllable - kSyllableBase);
  return {n / (kVowelCount * kFinalCount), n / kFinalCount % kVowelCount, n % kFinalCount};
}

inline char32_t Compose(SyllableParts p) {
  return kSyllableBase +
         static_cast<char32_t>((p.initial * kVowelCount + p.vowel) * kFinalCount + p.final);
}

inline char32_t VowelJamo(int vowel) { return kFirstVowel + static_cast<char32_t>(vowel); }

// Index of `jamo` in `table`, or -1. 0 is never found: kFinals[0] means "no
// final", not a jamo, and 0 is what KeyOf/JamoOf return for "none".
template <size_t N>
int IndexIn(const char32_t (&table)[N], char32_t jamo) {
  for (size_t i = 0; i < N; ++i) {
    if (jamo != 0 && table[i] == jamo) return static_cast<int>(i);
  }
  return -1;
}

inline int VowelIndex(char32_t jamo) {
  return jamo >= kFirstVowel && jamo < kFirstVowel + kVowelCount
             ? static_cast<int>(jamo - kFirstVowel)
             : -1;
}

// One jamo per key; Shift gives the doubled consonants and ㅒ ㅖ (make_typing.py KEY).
struct KeyJamo {
  char key;
  char32_t jamo;
};
inline constexpr KeyJamo kKeys[] = {
    {'q', U'ㅂ'}, {'w', U'ㅈ'}, {'e', U'ㄷ'}, {'r', U'ㄱ'}, {'t', U'ㅅ'}, {'y', U'ㅛ'},
    {'u', U'ㅕ'}, {'i', U'ㅑ'}, {'o', U'ㅐ'}, {'p', U'ㅔ'}, {'a', U'ㅁ'}, {'s', U'ㄴ'},
    {'d', U'ㅇ'}, {'f', U'ㄹ'}, {'g', U'ㅎ'}, {'h', U'ㅗ'}, {'j', U'ㅓ'}, {'k', U'ㅏ'},
    {'l', U'ㅣ'}, {'z', U'ㅋ'}, {'x', U'ㅌ'}, {'c', U'ㅊ'}, {'v', U'ㅍ'}, {'b', U'ㅠ'},
    {'n', U'ㅜ'}, {'m', U'ㅡ'}, {'Q', U'ㅃ'}, {'W', U'ㅉ'}, {'E', U'ㄸ'}, {'R', U'ㄲ'},
    {'T', U'ㅆ'}, {'O', U'ㅒ'}, {'P', U'ㅖ'}};

// The key typing `jamo` alone, or 0 (compound letters take two keys: Split).
inline char KeyOf(char32_t jamo) {
  for (const KeyJamo& k : kKeys) {
    if (k.jamo == jamo) return k.key;
  }
  return 0;
}

// The jamo of exactly this key (case matters), or 0.
inline char32_t JamoOf(char key) {
  for (const KeyJamo& k : kKeys) {
    if (k.key == key) return k.jamo;
  }
  return 0;
}

// Compound vowels and final clusters, typed as two single-key jamo
// (make_typing.py SPLIT).
struct JamoPair {
  char32_t combined;
  char32_t first;
  char32_t second;
};
inline constexpr JamoPair kPairs[] = {
    {U'ㅘ', U'ㅗ', U'ㅏ'}, {U'ㅙ', U'ㅗ', U'ㅐ'}, {U'ㅚ', U'ㅗ', U'ㅣ'}, {U'ㅝ', U'ㅜ', U'ㅓ'},
    {U'ㅞ', U'ㅜ', U'ㅔ'}, {U'ㅟ', U'ㅜ', U'ㅣ'}, {U'ㅢ', U'ㅡ', U'ㅣ'}, {U'ㄳ', U'ㄱ', U'ㅅ'},
    {U'ㄵ', U'ㄴ', U'ㅈ'}, {U'ㄶ', U'ㄴ', U'ㅎ'}, {U'ㄺ', U'ㄹ', U'ㄱ'}, {U'ㄻ', U'ㄹ', U'ㅁ'},
    {U'ㄼ', U'ㄹ', U'ㅂ'}, {U'ㄽ', U'ㄹ', U'ㅅ'}, {U'ㄾ', U'ㄹ', U'ㅌ'}, {U'ㄿ', U'ㄹ', U'ㅍ'},
    {U'ㅀ', U'ㄹ', U'ㅎ'}, {U'ㅄ', U'ㅂ', U'ㅅ'}};

// The pair `jamo` is typed as, or nullptr for a single-key jamo.
inline const JamoPair* Split(char32_t jamo) {
  for (const JamoPair& p : kPairs) {
    if (p.combined == jamo) return &p;
  }
  return nullptr;
}

}  // namespace chaja::analyzer::jamo_tables

#endif  // CHAJA_ANALYZER_JAMO_TABLES_H_
