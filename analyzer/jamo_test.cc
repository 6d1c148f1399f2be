#include "analyzer/jamo.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/keyboard.h"
#include "analyzer/utf8.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace chaja::analyzer {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

bool InRanges(const std::vector<CodePointRange>& ranges, char32_t c) {
  for (const CodePointRange& r : ranges) {
    if (c >= r.first && c <= r.second) return true;
  }
  return false;
}

// The (initial, vowel, final) indices of a syllable, by Unicode arithmetic.
struct Parts {
  int initial, vowel, final;
};
Parts PartsOf(char32_t s) {
  const int n = static_cast<int>(s - 0xAC00);
  return {n / 588, n / 28 % 21, n % 28};
}

std::string Utf8(char32_t c) {
  std::string out;
  AppendUtf8(c, &out);
  return out;
}

TEST(ChoseongTest, TakesTheInitialOfEachSyllable) {
  EXPECT_EQ(Choseong("알렉산더"), "ㅇㄹㅅㄷ");
  EXPECT_EQ(Choseong("우분투를"), "ㅇㅂㅌㄹ");
  EXPECT_EQ(Choseong("GPT 우분투"), "ㅇㅂㅌ");
  EXPECT_EQ(Choseong("까치 떡볶이 쌀"), "ㄲㅊㄸㅂㅇㅆ");
  EXPECT_EQ(Choseong("힣가"), "ㅎㄱ");
  EXPECT_EQ(Choseong("ㄱㄴ ㅏ"), "");  // Lone jamo are not syllables.
  EXPECT_EQ(Choseong(""), "");
  EXPECT_EQ(Choseong("가\xff나"), "ㄱㄴ");
}

// make_typing.py's "choseong" variant, word by word: 알렉산더 헤이그 → ㅇㄹㅅㄷ ㅎㅇㄱ.
TEST(ChoseongTest, MatchesMakeTypingChoseongRows) {
  EXPECT_EQ(Choseong("알렉산더"), "ㅇㄹㅅㄷ");
  EXPECT_EQ(Choseong("헤이그"), "ㅎㅇㄱ");
  EXPECT_TRUE(IsChoseongOnly("ㅇㄹㅅㄷ"));
  EXPECT_TRUE(IsChoseongOnly("ㅎㅇㄱ"));
}

TEST(ChoseongTest, IsChoseongOnly) {
  for (const char* initial : {"ㄱ", "ㄲ", "ㄴ", "ㄷ", "ㄸ", "ㄹ", "ㅁ", "ㅂ", "ㅃ", "ㅅ", "ㅆ",
                              "ㅇ", "ㅈ", "ㅉ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ"}) {
    EXPECT_TRUE(IsChoseongOnly(initial)) << initial;
  }
  EXPECT_TRUE(IsChoseongOnly("ㅇㅂㅌ"));
  EXPECT_TRUE(IsChoseongOnly("ㄷㅋ"));
  EXPECT_FALSE(IsChoseongOnly(""));
  EXPECT_FALSE(IsChoseongOnly("ㄳ"));
  EXPECT_FALSE(IsChoseongOnly("ㄺ"));
  EXPECT_FALSE(IsChoseongOnly("ㅄ"));
  EXPECT_FALSE(IsChoseongOnly("ㅏ"));
  EXPECT_FALSE(IsChoseongOnly("ㅇㅏ"));
  EXPECT_FALSE(IsChoseongOnly("ㅇㅂㅌ "));
  EXPECT_FALSE(IsChoseongOnly("ㅇ ㅂ"));
  EXPECT_FALSE(IsChoseongOnly("가"));
  EXPECT_FALSE(IsChoseongOnly("ㅇa"));
  EXPECT_FALSE(IsChoseongOnly("r"));
  EXPECT_FALSE(IsChoseongOnly("ㅇ\xff"));
}

TEST(CompletionsOfTest, InitialBeginsEverySyllable) {
  EXPECT_THAT(CompletionsOf(U'ㄱ'), ElementsAre(CodePointRange{U'가', U'깋'}));
  EXPECT_THAT(CompletionsOf(U'ㄲ'), ElementsAre(CodePointRange{U'까', U'낗'}));
  EXPECT_THAT(CompletionsOf(U'ㅎ'), ElementsAre(CodePointRange{U'하', U'힣'}));
}

TEST(CompletionsOfTest, SyllableWithoutFinalTakesAnyFinalAndGrownVowels) {
  EXPECT_THAT(CompletionsOf(U'가'), ElementsAre(CodePointRange{U'가', U'갛'}));
  EXPECT_THAT(CompletionsOf(U'궈'), ElementsAre(CodePointRange{U'궈', U'궣'}));
  // ㅜ → ㅝ ㅞ ㅟ, which follow ㅜ in Unicode: one range 구..귛.
  EXPECT_THAT(CompletionsOf(U'구'), ElementsAre(CodePointRange{U'구', U'귛'}));
  EXPECT_THAT(CompletionsOf(U'고'), ElementsAre(CodePointRange{U'고', U'굏'}));
  EXPECT_THAT(CompletionsOf(U'그'), ElementsAre(CodePointRange{U'그', U'긯'}));
  const std::vector<CodePointRange> gu = CompletionsOf(U'구');
  for (const char32_t c : {U'구', U'국', U'궇', U'궈', U'권', U'궤', U'궷', U'귀', U'귄', U'귛'}) {
    EXPECT_TRUE(InRanges(gu, c)) << static_cast<int>(c);
  }
  for (const char32_t c : {U'고', U'규', U'그', U'거', U'누'}) {
    EXPECT_FALSE(InRanges(gu, c)) << static_cast<int>(c);
  }
}

TEST(CompletionsOfTest, SyllableWithFinalGrowsClusters) {
  EXPECT_THAT(CompletionsOf(U'갈'), ElementsAre(CodePointRange{U'갈', U'갏'}));
  const std::vector<CodePointRange> gal = CompletionsOf(U'갈');
  for (const char32_t c : {U'갈', U'갉', U'갊', U'갋', U'갌', U'갍', U'갎', U'갏'}) {
    EXPECT_TRUE(InRanges(gal, c)) << static_cast<int>(c);
  }
  for (const char32_t c : {U'가', U'갇', U'감', U'걸'}) {
    EXPECT_FALSE(InRanges(gal, c)) << static_cast<int>(c);
  }
  // ㄱ grows only into ㄳ; ㄲ (between them) is Shift+r, not r r.
  EXPECT_THAT(CompletionsOf(U'각'),
              ElementsAre(CodePointRange{U'각', U'각'}, CodePointRange{U'갃', U'갃'}));
  EXPECT_THAT(CompletionsOf(U'간'), ElementsAre(CodePointRange{U'간', U'갆'}));
  EXPECT_THAT(CompletionsOf(U'갑'), ElementsAre(CodePointRange{U'갑', U'값'}));
  EXPECT_THAT(CompletionsOf(U'값'), ElementsAre(CodePointRange{U'값', U'값'}));
  EXPECT_THAT(CompletionsOf(U'닭'), ElementsAre(CodePointRange{U'닭', U'닭'}));
  EXPECT_THAT(CompletionsOf(U'갔'), ElementsAre(CodePointRange{U'갔', U'갔'}));
  EXPECT_THAT(CompletionsOf(U'감'), ElementsAre(CodePointRange{U'감', U'감'}));
}

TEST(CompletionsOfTest, AnythingElseIsEmpty) {
  for (const char32_t c : {char32_t{'a'}, char32_t{'A'}, char32_t{' '}, char32_t{0}, U'ㅏ', U'ㅘ',
                           U'ㄳ', U'ㄺ', U'ㆍ', U'日', char32_t{0xD7A4}}) {
    EXPECT_THAT(CompletionsOf(c), IsEmpty()) << static_cast<int>(c);
  }
}

TEST(CompletionsOfTest, RangesAreSortedDisjointAndHoldTheSyllable) {
  for (char32_t s = U'가'; s <= U'힣'; ++s) {
    const std::vector<CodePointRange> ranges = CompletionsOf(s);
    ASSERT_FALSE(ranges.empty()) << static_cast<int>(s);
    EXPECT_TRUE(InRanges(ranges, s)) << static_cast<int>(s);
    for (size_t i = 0; i < ranges.size(); ++i) {
      EXPECT_LE(ranges[i].first, ranges[i].second);
      if (i > 0) {
        EXPECT_LT(ranges[i - 1].second, ranges[i].first) << static_cast<int>(s);
      }
    }
  }
}

// make_typing.py's "half" variant: what the reader sees is a state the
// finished word's last syllable passes through (패권 → 패궈 or 패ㄱ).
TEST(CompletionsOfTest, CoversMakeTypingHalfRows) {
  EXPECT_TRUE(InRanges(CompletionsOf(U'궈'), U'권'));
  EXPECT_TRUE(InRanges(CompletionsOf(U'ㄱ'), U'권'));
  EXPECT_TRUE(InRanges(CompletionsOf(U'저'), U'정'));  // 배정 → 배저
  EXPECT_TRUE(InRanges(CompletionsOf(U'ㅎ'), U'회'));  // 철회 → 철ㅎ
  EXPECT_TRUE(InRanges(CompletionsOf(U'호'), U'회'));
}

TEST(NeighbourSyllablesTest, HandCheckedSlips) {
  // 분 = q n s. q → w a (ㅈ ㅁ); n → b m h (ㅠ ㅡ ㅗ); s → a d w x (ㅁ ㅇ ㅈ ㅌ).
  EXPECT_THAT(NeighbourSyllables(U'분'),
              UnorderedElementsAre(U'준', U'문', U'뷴', U'븐', U'본', U'붐', U'붕', U'붖', U'붙'));
  // 가 = r k. r → e t f; k → j l i.
  EXPECT_THAT(NeighbourSyllables(U'가'),
              UnorderedElementsAre(U'다', U'사', U'라', U'거', U'기', U'갸'));
  // 하 = g k. g → f h t b, of which h (ㅗ) and b (ㅠ) are vowels: no initial.
  EXPECT_THAT(NeighbourSyllables(U'하'), UnorderedElementsAre(U'라', U'사', U'허', U'히', U'햐'));
}

TEST(NeighbourSyllablesTest, ShiftAndTwoKeyJamoDoNotSlip) {
  // ㄲ is Shift+r and ㅒ Shift+o: make_typing.py finds no neighbours for them.
  EXPECT_THAT(NeighbourSyllables(U'까'), UnorderedElementsAre(U'꺼', U'끼', U'꺄'));
  EXPECT_THAT(NeighbourSyllables(U'얘'), UnorderedElementsAre(U'냬', U'럐', U'댸', U'챼'));
  // A compound vowel and a final cluster take two keys: only the initial slips.
  EXPECT_THAT(NeighbourSyllables(U'과'), UnorderedElementsAre(U'돠', U'솨', U'롸'));
  EXPECT_THAT(NeighbourSyllables(U'닭'),
              UnorderedElementsAre(U'잙', U'갉', U'앍', U'덝', U'딝', U'댥'));
  EXPECT_THAT(NeighbourSyllables(U'꽊'), IsEmpty());
}

TEST(NeighbourSyllablesTest, NonSyllableIsEmpty) {
  EXPECT_THAT(NeighbourSyllables(U'ㄱ'), IsEmpty());
  EXPECT_THAT(NeighbourSyllables(U'a'), IsEmpty());
  EXPECT_THAT(NeighbourSyllables(0xD7A4), IsEmpty());
}

// make_typing.py "typo" rows (seeded runs on petitions queries), each
// slipped syllable checked by hand: 기→개 (l→o), 기→시 (r→t), 원→뤈 (d→f),
// 방→장 (q→w), 센→샌 (p→o), 를→릏 (f→g), 이→아 (l→k).
TEST(NeighbourSyllablesTest, CoversMakeTypingTypoRows) {
  const std::vector<std::pair<char32_t, char32_t>> slips = {
      {U'기', U'개'}, {U'기', U'시'}, {U'원', U'뤈'}, {U'방', U'장'},
      {U'센', U'샌'}, {U'를', U'릏'}, {U'이', U'아'}};
  for (const auto& [clean, typo] : slips) {
    EXPECT_THAT(NeighbourSyllables(clean), Contains(typo)) << static_cast<int>(clean);
    EXPECT_THAT(NeighbourSyllables(typo), Contains(clean)) << static_cast<int>(typo);
  }
}

TEST(NeighbourSyllablesTest, EverySlipChangesOneJamoToANeighbourKey) {
  for (char32_t s = U'가'; s <= U'힣'; ++s) {
    const std::vector<char32_t> slips = NeighbourSyllables(s);
    EXPECT_THAT(slips, Not(Contains(s))) << static_cast<int>(s);
    EXPECT_TRUE(std::is_sorted(slips.begin(), slips.end())) << static_cast<int>(s);
    const Parts p = PartsOf(s);
    for (const char32_t t : slips) {
      const Parts q = PartsOf(t);
      const int changed = (p.initial != q.initial) + (p.vowel != q.vowel) + (p.final != q.final);
      EXPECT_EQ(changed, 1) << static_cast<int>(s) << " " << static_cast<int>(t);
      // One neighbouring key instead of another: the cheapest substitution.
      EXPECT_DOUBLE_EQ(KeyboardDistance(Utf8(s), Utf8(t)), 0.5) << static_cast<int>(t);
    }
  }
}

TEST(KeyboardDistanceTest, HandCheckedDistances) {
  struct Case {
    const char* a;
    const char* b;
    double distance;
  };
  const std::vector<Case> cases = {
      {"우분투", "우분투", 0},
      {"", "", 0},
      {"우뷴투", "우분투", 0.5},  // n/b
      {"pyhton", "python", 1},    // One swap; h and t are not neighbours.
      {"Python", "python", 0},
      {"PYTHON", "python", 0},
      {"pythn", "python", 1},
      {"python", "pzthon", 1},    // y and z are not neighbours.
      {"python", "pytjon", 0.5},  // h/j
      {"", "abc", 3},
      {"패권", "vornjs", 0},  // Compared over keys, so the mistype is the word.
      {"패권", "VORNJS", 0},  // Latin case is ignored...
      {"까치", "가치", 1},    // ...Hangul's Shift is not: ㄲ is another letter.
      {"닭", "달", 1},        // ㄺ = f r: one key fewer.
      {"가", "다", 0.5},      // r/e
      {"과", "고", 1},        // ㅘ = h k: one key more.
      {"기간제", "시간제", 0.5},
      {"우분투 2", "우분투 3", 1},
      {"한국", "한궉", 1},  // ㅜ→ㅝ adds j.
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.a) + " | " + c.b);
    EXPECT_DOUBLE_EQ(KeyboardDistance(c.a, c.b), c.distance);
    EXPECT_DOUBLE_EQ(KeyboardDistance(c.b, c.a), c.distance);
  }
}

TEST(FinalMovesOnTest, TheFinalBeginsTheNextSyllable) {
  using Moved = std::optional<std::pair<char32_t, char32_t>>;
  EXPECT_EQ(FinalMovesOn(U'팩'), Moved(std::make_pair(U'패', U'ㄱ')));
  EXPECT_EQ(FinalMovesOn(U'있'), Moved(std::make_pair(U'이', U'ㅆ')));
  EXPECT_EQ(FinalMovesOn(U'닭'), Moved(std::make_pair(U'달', U'ㄱ')));
  EXPECT_EQ(FinalMovesOn(U'값'), Moved(std::make_pair(U'갑', U'ㅅ')));
  EXPECT_EQ(FinalMovesOn(U'않'), Moved(std::make_pair(U'안', U'ㅎ')));
  EXPECT_EQ(FinalMovesOn(U'패'), std::nullopt);
  EXPECT_EQ(FinalMovesOn(U'ㄱ'), std::nullopt);
  EXPECT_EQ(FinalMovesOn(U'a'), std::nullopt);
}

}  // namespace
}  // namespace chaja::analyzer
