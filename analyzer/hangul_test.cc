#include "analyzer/hangul.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace chaja::analyzer {
namespace {

// Minimal UTF-8 codec so the test needs nothing but hangul.cc; the inputs are
// well-formed literals, so no error handling.
std::vector<char32_t> ToCodePoints(const std::string& s) {
  std::vector<char32_t> out;
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t c = len == 1 ? b : b & (0xFF >> (len + 1));
    for (size_t k = 1; k < len && i + k < s.size(); ++k) {
      c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    out.push_back(c);
    i += len;
  }
  return out;
}

std::string ToUtf8(const std::vector<ComposedChar>& chars) {
  std::string out;
  for (const ComposedChar& cc : chars) {
    const char32_t c = cc.code_point;
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

std::string Compose(const std::string& typed) {
  return ToUtf8(ComposeCompatibilityJamo(ToCodePoints(typed)));
}

// Every input index must be covered exactly once, in order.
void ExpectRangesTile(const std::vector<ComposedChar>& chars, size_t input_size) {
  size_t next = 0;
  for (const ComposedChar& cc : chars) {
    EXPECT_EQ(cc.first, next);
    EXPECT_LT(cc.first, cc.last);
    next = cc.last;
  }
  EXPECT_EQ(next, input_size);
}

struct ComposeCase {
  const char* typed;
  const char* expected;
};

void RunCases(const std::vector<ComposeCase>& cases) {
  for (const ComposeCase& c : cases) {
    SCOPED_TRACE(c.typed);
    EXPECT_EQ(Compose(c.typed), c.expected);
    const std::vector<char32_t> input = ToCodePoints(c.typed);
    ExpectRangesTile(ComposeCompatibilityJamo(input), input.size());
  }
}

TEST(HangulTest, ClassifiesCodePoints) {
  EXPECT_TRUE(IsHangulSyllable(U'가'));
  EXPECT_TRUE(IsHangulSyllable(U'힣'));
  EXPECT_FALSE(IsHangulSyllable(U'ㄱ'));
  EXPECT_FALSE(IsHangulSyllable(0xD7A4));
  EXPECT_TRUE(IsCompatibilityJamo(U'ㄱ'));
  EXPECT_TRUE(IsCompatibilityJamo(U'ㅣ'));
  EXPECT_TRUE(IsCompatibilityJamo(0x318E));
  EXPECT_FALSE(IsCompatibilityJamo(0x3130));
  EXPECT_FALSE(IsCompatibilityJamo(0x318F));
  EXPECT_FALSE(IsCompatibilityJamo(U'가'));
}

TEST(ComposeCompatibilityJamoTest, ComposesSyllables) {
  RunCases({
      {"ㅎㅏㄴㄱㅜㄱ", "한국"},
      {"ㅎㅏㄴㄱㅜㄱㅇㅓ ㄱㅓㅁㅅㅐㄱ", "한국어 검색"},
      {"ㄱㅏ", "가"},
      {"ㄲㅏㄲ", "깎"},
      {"ㅆㅏㅆ", "쌌"},
      {"ㅉㅏ", "짜"},
      {"ㄱㅏㅎ", "갛"},
  });
}

TEST(ComposeCompatibilityJamoTest, ComposesCompoundVowels) {
  RunCases({
      {"ㅇㅗㅏ", "와"},
      {"ㄱㅗㅐ", "괘"},
      {"ㅎㅗㅣ", "회"},
      {"ㅁㅜㅓ", "뭐"},
      {"ㄱㅜㅔ", "궤"},
      {"ㅇㅜㅣ", "위"},
      {"ㅇㅡㅣ", "의"},
      {"ㄱㅗㅏㄴ", "관"},
      {"ㄱㅘ", "과"},   // Precomposed compound vowel as input.
      {"ㅇㅗㅗ", "오ㅗ"},  // ㅗ+ㅗ does not merge.
      {"ㄱㅘㅣ", "과ㅣ"},  // A compound vowel takes no third part.
  });
}

TEST(ComposeCompatibilityJamoTest, ComposesDoubleFinals) {
  RunCases({
      {"ㄷㅏㄹㄱ", "닭"},
      {"ㄷㅏㄺ", "닭"},  // Precomposed double final as input.
      {"ㅁㅗㄱㅅ", "몫"},
      {"ㅇㅏㄴㅈ", "앉"},
      {"ㅁㅏㄴㅎ", "많"},
      {"ㅅㅏㄹㅁ", "삶"},
      {"ㅇㅕㄹㅂ", "엷"},
      {"ㅇㅗㄹㅅ", "옰"},
      {"ㅎㅏㄹㅌ", "핥"},
      {"ㅇㅡㄹㅍ", "읊"},
      {"ㅇㅏㄹㅎ", "앓"},
      {"ㄱㅏㅂㅅ", "값"},
      {"ㄷㅏㄹㄱㄱ", "닭ㄱ"},  // No triple finals.
      {"ㄱㅏㄱㄱ", "각ㄱ"},    // ㄱㄱ does not become ㄲ.
  });
}

TEST(ComposeCompatibilityJamoTest, MovesFinalToNextSyllableBeforeVowel) {
  RunCases({
      {"ㄱㅏㅂㅅㅣ", "갑시"},
      {"ㄷㅏㄹㄱㅏ", "달가"},
      {"ㅇㅓㅂㅅㅇㅓ", "없어"},
      {"ㄱㅏㅂㅅㅇㅣ", "값이"},
      {"ㄱㅏㄱㅏ", "가가"},
      {"ㄱㅏㄲㅏ", "가까"},
      {"ㅎㅏㄴㅇㅗㅏ", "한와"},
      {"ㄱㅏㄴㅇㅗㅏㄴ", "간완"},
  });
}

TEST(ComposeCompatibilityJamoTest, KeepsJamoThatCannotFormSyllables) {
  RunCases({
      {"ㅋㅋㅋ", "ㅋㅋㅋ"},
      {"ㅠㅠ", "ㅠㅠ"},
      {"ㄱㄱ", "ㄱㄱ"},
      {"ㅏ", "ㅏ"},
      {"ㅏㄱ", "ㅏㄱ"},
      {"ㄱㅏㅏ", "가ㅏ"},
      {"ㅗㅏ", "ㅗㅏ"},  // Vowels merge only inside a syllable.
      {"ㅋㅋㅋㅠㅠ", "ㅋㅋ큐ㅠ"},  // As an IME would: the last ㅋ takes the vowel.
      {"ㄳ", "ㄳ"},
      {"ㄳㅏ", "ㄳㅏ"},    // A double final cannot start a syllable.
      {"ㄱㅏㄸ", "가ㄸ"},  // ㄸ ㅃ ㅉ are not finals.
      {"ㄱㅏㄸㅏ", "가따"},
      {"ㄷㅏㄺㅏ", "닭ㅏ"},  // One code point cannot be split between syllables.
  });
}

TEST(ComposeCompatibilityJamoTest, OtherCodePointsPassThroughAndBreakSyllables) {
  RunCases({
      {"", ""},
      {"ㄱ ㅏ", "ㄱ ㅏ"},
      {"ㄱㅏ1ㄴ", "가1ㄴ"},
      {"가ㅇ", "가ㅇ"},  // Existing syllables are not extended.
      {"ㄱㅏ가", "가가"},
      {"abc", "abc"},
      {"ㄱㅏㅿㅏ", "가ㅿㅏ"},  // Archaic jamo.
      {"ㄱㆍ", "ㄱㆍ"},
      {"ㄱㅏ\xE3\x85\xA4ㅏ", "가\xE3\x85\xA4ㅏ"},  // U+3164 HANGUL FILLER.
  });
}

TEST(ComposeCompatibilityJamoTest, EmptyInputGivesEmptyOutput) {
  EXPECT_TRUE(ComposeCompatibilityJamo({}).empty());
}

TEST(ComposeCompatibilityJamoTest, RangesFollowMovedFinal) {
  const std::vector<ComposedChar> out = ComposeCompatibilityJamo(ToCodePoints("ㄱㅏㅂㅅㅣ"));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].code_point, U'갑');
  EXPECT_EQ(out[0].first, 0u);
  EXPECT_EQ(out[0].last, 3u);
  EXPECT_EQ(out[1].code_point, U'시');
  EXPECT_EQ(out[1].first, 3u);
  EXPECT_EQ(out[1].last, 5u);
}

TEST(ComposeCompatibilityJamoTest, RangesCoverEveryIndexInOrder) {
  const std::vector<ComposedChar> out =
      ComposeCompatibilityJamo(ToCodePoints("ㅋㅎㅏㄴ ㅇㅗㅏㄹㄱㅏㅏ"));
  const std::vector<ComposedChar> expected = {
      {U'ㅋ', 0, 1}, {U'한', 1, 4}, {U' ', 4, 5}, {U'왈', 5, 9}, {U'가', 9, 11}, {U'ㅏ', 11, 12},
  };
  ASSERT_EQ(out.size(), expected.size());
  for (size_t i = 0; i < out.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(out[i].code_point, expected[i].code_point);
    EXPECT_EQ(out[i].first, expected[i].first);
    EXPECT_EQ(out[i].last, expected[i].last);
  }
}

// Every sequence over a small alphabet that mixes all jamo classes and a
// non-jamo must give a tiling of the input and only valid outputs.
TEST(ComposeCompatibilityJamoTest, IsTotalOverShortSequences) {
  const std::vector<char32_t> alphabet = {U'ㄱ', U'ㄹ', U'ㅅ', U'ㄸ', U'ㄳ', U'ㅗ',
                                          U'ㅏ', U'ㅘ', U'ㆍ', U'x', 0x110000};
  const size_t n = alphabet.size();
  std::vector<char32_t> input(5);
  size_t total = 1;
  for (size_t i = 0; i < input.size(); ++i) total *= n;
  for (size_t code = 0; code < total; ++code) {
    size_t rest = code;
    for (char32_t& c : input) {
      c = alphabet[rest % n];
      rest /= n;
    }
    const std::vector<ComposedChar> out = ComposeCompatibilityJamo(input);
    ExpectRangesTile(out, input.size());
    for (const ComposedChar& cc : out) {
      if (cc.last - cc.first > 1) {
        ASSERT_TRUE(IsHangulSyllable(cc.code_point));
      } else if (!IsHangulSyllable(cc.code_point)) {
        ASSERT_EQ(cc.code_point, input[cc.first]);  // Unchanged pass-through.
      }
    }
    if (HasFailure()) return;
  }
}

}  // namespace
}  // namespace chaja::analyzer
