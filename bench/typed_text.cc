#include "bench/typed_text.h"

#include <unicode/unistr.h>

#include <map>

namespace chaja::bench {
namespace {

constexpr char32_t kFirstSyllable = 0xAC00, kLastSyllable = 0xD7A3;

// Initial consonants, vowels and finals in Unicode's syllable order, as
// compatibility jamo (the final list starts with "no final").
const char* const kChoseong[] = {"ㄱ", "ㄲ", "ㄴ", "ㄷ", "ㄸ", "ㄹ", "ㅁ", "ㅂ", "ㅃ", "ㅅ",
                                 "ㅆ", "ㅇ", "ㅈ", "ㅉ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ"};
const char* const kJungseong[] = {"ㅏ", "ㅐ", "ㅑ", "ㅒ", "ㅓ", "ㅔ", "ㅕ", "ㅖ", "ㅗ", "ㅘ", "ㅙ",
                                  "ㅚ", "ㅛ", "ㅜ", "ㅝ", "ㅞ", "ㅟ", "ㅠ", "ㅡ", "ㅢ", "ㅣ"};
const char* const kJongseong[] = {"",   "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ",
                                  "ㄻ", "ㄼ", "ㄽ", "ㄾ", "ㄿ", "ㅀ", "ㅁ", "ㅂ", "ㅄ", "ㅅ",
                                  "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ"};

bool IsSyllable(char32_t c) { return c >= kFirstSyllable && c <= kLastSyllable; }

std::string Utf8(char32_t c) {
  std::string out;
  icu::UnicodeString(static_cast<UChar32>(c)).toUTF8String(out);
  return out;
}

std::vector<char32_t> CodePoints(const std::string& text) {
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);
  std::vector<char32_t> out;
  for (int32_t i = 0; i < u.length();) {
    const UChar32 c = u.char32At(i);
    out.push_back(static_cast<char32_t>(c));
    i += U16_LENGTH(c);
  }
  return out;
}

// The keys of one compatibility jamo; compound ones as their parts' keys.
const std::map<std::string, std::string>& JamoKeys() {
  static const auto* keys = new std::map<std::string, std::string>{
      {"ㅂ", "q"},  {"ㅈ", "w"},  {"ㄷ", "e"},  {"ㄱ", "r"},  {"ㅅ", "t"},  {"ㅛ", "y"},  {"ㅕ", "u"},
      {"ㅑ", "i"},  {"ㅐ", "o"},  {"ㅔ", "p"},  {"ㅁ", "a"},  {"ㄴ", "s"},  {"ㅇ", "d"},  {"ㄹ", "f"},
      {"ㅎ", "g"},  {"ㅗ", "h"},  {"ㅓ", "j"},  {"ㅏ", "k"},  {"ㅣ", "l"},  {"ㅋ", "z"},  {"ㅌ", "x"},
      {"ㅊ", "c"},  {"ㅍ", "v"},  {"ㅠ", "b"},  {"ㅜ", "n"},  {"ㅡ", "m"},  {"ㅃ", "Q"},  {"ㅉ", "W"},
      {"ㄸ", "E"},  {"ㄲ", "R"},  {"ㅆ", "T"},  {"ㅒ", "O"},  {"ㅖ", "P"},  {"ㅘ", "hk"}, {"ㅙ", "ho"},
      {"ㅚ", "hl"}, {"ㅝ", "nj"}, {"ㅞ", "np"}, {"ㅟ", "nl"}, {"ㅢ", "ml"}, {"ㄳ", "rt"}, {"ㄵ", "sw"},
      {"ㄶ", "sg"}, {"ㄺ", "fr"}, {"ㄻ", "fa"}, {"ㄼ", "fq"}, {"ㄽ", "ft"}, {"ㄾ", "fx"}, {"ㄿ", "fv"},
      {"ㅀ", "fg"}, {"ㅄ", "qt"}};
  return *keys;
}

}  // namespace

std::vector<std::string> TypedPrefixes(const std::string& word) {
  std::vector<std::string> out;
  std::string done;
  for (const char32_t c : CodePoints(word)) {
    if (IsSyllable(c)) {
      const int n = static_cast<int>(c - kFirstSyllable);
      out.push_back(done + kChoseong[n / 588]);
      if (n % 28 != 0) out.push_back(done + Utf8(c - n % 28));
    }
    done += Utf8(c);
    out.push_back(done);
  }
  return out;
}

std::string KeysOf(const std::string& text) {
  std::string out;
  for (const char32_t c : CodePoints(text)) {
    if (IsSyllable(c)) {
      const int n = static_cast<int>(c - kFirstSyllable);
      for (const char* jamo : {kChoseong[n / 588], kJungseong[(n % 588) / 28], kJongseong[n % 28]}) {
        if (*jamo != '\0') out += JamoKeys().at(jamo);
      }
      continue;
    }
    const std::string s = Utf8(c);
    const auto it = JamoKeys().find(s);
    out += it == JamoKeys().end() ? s : it->second;
  }
  return out;
}

}  // namespace chaja::bench
