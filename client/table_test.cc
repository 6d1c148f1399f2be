#include "client/table.h"

#include <string>

#include "gtest/gtest.h"

namespace chaja::client {
namespace {

TEST(DisplayWidthTest, CountsTerminalColumns) {
  const struct {
    const char* name;
    std::string text;
    size_t width;
  } cases[] = {
      {"empty", "", 0},
      {"ascii", "abc 123", 7},
      {"hangul syllables are wide", "한국어", 6},
      {"mixed", "AI 관련 소식", 12},
      {"han", "漢字", 4},
      {"kana", "カナ", 4},
      {"full-width latin", "ＧＰＴ", 6},
      {"half-width katakana is narrow", "ｶﾅ", 2},
      {"compatibility jamo are wide", "ㅋㅋ", 4},
      {"conjoining jamo: initial wide, medial and final zero", "\u1112\u1161\u11AB", 2},
      {"combining acute", "e\u0301", 1},
      {"zero width space", "a\u200Bb", 2},
      {"ellipsis is narrow", "…", 1},
      {"emoji", "\U0001F600", 2},
      {"ideographic space", "\u3000", 2},
      {"invalid bytes count one each", "a\xFF\xC0z", 4},
      {"truncated sequence", "\xED\x95", 2},
      {"surrogate encoded is invalid", "\xED\xA0\x80", 3},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(DisplayWidth(c.text), c.width);
  }
}

TEST(TruncateToWidthTest, CutsByColumnsWithAnEllipsis) {
  const struct {
    const char* name;
    std::string text;
    size_t width;
    std::string expected;
  } cases[] = {
      {"fits", "한국어", 6, "한국어"},
      {"ascii cut", "abcdef", 4, "abc…"},
      {"hangul cut", "한국어 검색", 7, "한국어…"},
      {"wide char that does not fit is left out", "한국어", 4, "한…"},
      {"width one", "한국어", 1, "…"},
      {"width zero", "abc", 0, ""},
      {"combining mark stays with its base", "e\u0301e\u0301e\u0301", 3, "e\u0301e\u0301e\u0301"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string out = TruncateToWidth(c.text, c.width);
    EXPECT_EQ(out, c.expected);
    EXPECT_LE(DisplayWidth(out), c.width);
  }
}

TEST(PadToWidthTest, PadsByDisplayWidth) {
  EXPECT_EQ(PadToWidth("한국", 6), "한국  ");
  EXPECT_EQ(PadToWidth("한국", 6, Align::kRight), "  한국");
  EXPECT_EQ(PadToWidth("abc", 2), "abc");
  EXPECT_EQ(PadToWidth("", 3), "   ");
}

TEST(TableTest, AlignsHangulAndLatinColumns) {
  Table table({{"TAG"}, {"POSTS", Align::kRight}, {"NOTE"}});
  table.AddRow({"AI", "12", "짧음"});
  table.AddRow({"인공지능", "3", ""});
  table.AddRow({"Docker", "1,024", "x"});
  EXPECT_EQ(table.Render(),
            "TAG       POSTS  NOTE\n"
            "AI           12  짧음\n"
            "인공지능      3\n"
            "Docker    1,024  x\n");
}

TEST(TableTest, EveryLineHasTheSameColumnStarts) {
  Table table({{"A"}, {"B"}, {"C", Align::kRight}});
  table.AddRow({"가나다라", "x", "1"});
  table.AddRow({"a", "카테고리", "22"});
  const std::string out = table.Render();
  // Column C ends at the same display column on every line.
  size_t expected = std::string::npos;
  size_t start = 0;
  while (start < out.size()) {
    const size_t end = out.find('\n', start);
    const size_t width = DisplayWidth(absl::string_view(out).substr(start, end - start));
    if (expected == std::string::npos) expected = width;
    EXPECT_EQ(width, expected) << out;
    start = end + 1;
  }
}

TEST(TableTest, CutsCellsToMaxWidth) {
  Table table({{"TITLE", Align::kLeft, 8}, {"N", Align::kRight}});
  table.AddRow({"아주 긴 제목입니다", "1"});
  EXPECT_EQ(table.Render(),
            "TITLE     N\n"
            "아주 긴…  1\n");
}

TEST(TableTest, OmitsEmptyHeaderAndIndents) {
  Table table({{""}, {""}});
  table.AddRow({"a", "b"});
  table.AddRow({"한", "c"});
  EXPECT_EQ(table.Render(false, "  "),
            "  a   b\n"
            "  한  c\n");
}

TEST(TableTest, MissingCellsAreEmptyAndNoTrailingSpaces) {
  Table table({{"A"}, {"B"}});
  table.AddRow({"x"});
  table.AddRow({"longer", "y"});
  EXPECT_EQ(table.Render(),
            "A       B\n"
            "x\n"
            "longer  y\n");
}

TEST(TableTest, BoldHeaderWithColor) {
  Table table({{"A"}});
  table.AddRow({"x"});
  EXPECT_EQ(table.Render(true), "\033[1mA\033[0m\nx\n");
}

}  // namespace
}  // namespace chaja::client
