#include "analyzer/highlighter.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "analyzer/utf8.h"
#include "gtest/gtest.h"

namespace chaja::analyzer {
namespace {

constexpr absl::string_view kEllipsis = "\u2026";

std::string StripMarks(absl::string_view s) {
  return absl::StrReplaceAll(s, {{kMarkOpen, ""}, {kMarkClose, ""}});
}

// The snippet's text without marks and without the "…" at either end.
std::string Visible(absl::string_view snippet) {
  absl::string_view s = snippet;
  absl::ConsumePrefix(&s, kEllipsis);
  absl::ConsumeSuffix(&s, kEllipsis);
  return StripMarks(s);
}

size_t CountCodePoints(absl::string_view s) { return DecodeUtf8(s).size(); }

// Valid UTF-8: the only U+FFFD allowed is a real, three-byte one.
bool IsValidUtf8(absl::string_view s) {
  for (const CodePoint& cp : DecodeUtf8(s)) {
    if (cp.value == kReplacementChar && cp.end - cp.begin != 3) return false;
  }
  return true;
}

bool IsLeadingJamo(char32_t c) { return c >= 0x1100 && c <= 0x115F; }
bool IsVowelJamo(char32_t c) { return c >= 0x1160 && c <= 0x11A7; }
bool IsTrailingJamo(char32_t c) { return c >= 0x11A8 && c <= 0x11FF; }

// Every conjoining-jamo syllable in `s` is whole: L V or L V T.
void ExpectWholeJamoSyllables(absl::string_view s) {
  const std::vector<CodePoint> cps = DecodeUtf8(s);
  for (size_t i = 0; i < cps.size(); ++i) {
    const char32_t c = cps[i].value;
    const char32_t prev = i > 0 ? cps[i - 1].value : 0;
    const char32_t next = i + 1 < cps.size() ? cps[i + 1].value : 0;
    if (IsLeadingJamo(c)) {
      EXPECT_TRUE(IsVowelJamo(next)) << "leading jamo cut off at " << i << " in " << s;
    }
    if (IsVowelJamo(c)) {
      EXPECT_TRUE(IsLeadingJamo(prev)) << "vowel jamo cut off at " << i << " in " << s;
    }
    if (IsTrailingJamo(c)) {
      EXPECT_TRUE(IsVowelJamo(prev)) << "trailing jamo cut off at " << i << " in " << s;
    }
  }
}

// No markup but ours: after removing <mark> and </mark>, nothing is a tag or
// an attribute quote.
void ExpectOnlyMarkTags(absl::string_view html) {
  const std::string rest = StripMarks(html);
  EXPECT_FALSE(absl::StrContains(rest, "<")) << html;
  EXPECT_FALSE(absl::StrContains(rest, ">")) << html;
  EXPECT_FALSE(absl::StrContains(rest, "\"")) << html;
  EXPECT_FALSE(absl::StrContains(rest, "'")) << html;
}

// `count` characters of ordinary Korean and Latin text with no term of the
// tests below, words separated by single spaces, ending in a space.
std::string Filler(size_t count) {
  static const char* const kWords[] = {"가을", "하늘이", "높고", "맑은", "날씨에", "lorem", "ipsum", "dolor"};
  std::string out;
  size_t chars = 0;
  for (size_t i = 0; chars < count; ++i) {
    const absl::string_view word = kWords[i % 8];
    const size_t n = CountCodePoints(word) + 1;
    if (chars + n > count) {
      out.append(count - chars, 'x');  // Pad to the exact count.
      break;
    }
    absl::StrAppend(&out, word, " ");
    chars += n;
  }
  return out;
}

// 한국어 검색 with every syllable decomposed (NFD, as macOS writes it).
constexpr absl::string_view kNfdKorean =
    "\u1112\u1161\u11AB\u1100\u116E\u11A8\u110B\u1165 \u1100\u1165\u11B7\u1109\u1162\u11A8";

struct HighlightCase {
  const char* name;
  std::vector<std::string> terms;
  std::string text;
  std::string expected;
};

TEST(HighlighterTest, HighlightMarksMatchedTerms) {
  const HighlightCase cases[] = {
      {"term inside a word", {"패권"}, "패권을 잡다", "<mark>패권</mark>을 잡다"},
      {"overlapping bigrams merge", {"한국", "국어"}, "한국어 검색", "<mark>한국어</mark> 검색"},
      {"separate matches", {"한국", "검색"}, "한국 검색", "<mark>한국</mark> <mark>검색</mark>"},
      {"every occurrence", {"패권"}, "패권과 패권", "<mark>패권</mark>과 <mark>패권</mark>"},
      {"joined alias covers the compound", {"gpt4o"}, "GPT-4o 출시", "<mark>GPT-4o</mark> 출시"},
      {"case folded", {"openai"}, "OpenAI의 모델", "<mark>OpenAI</mark>의 모델"},
      {"full width", {"ai"}, "ＡＩ 기술", "<mark>ＡＩ</mark> 기술"},
      {"script change", {"ai"}, "AI기술", "<mark>AI</mark>기술"},
      {"plural by stem", {"model"}, "new models", "new <mark>models</mark>"},
      {"decomposed hangul", {"한국"}, "\u1112\u1161\u11AB\u1100\u116E\u11A8 뉴스",
       "<mark>\u1112\u1161\u11AB\u1100\u116E\u11A8</mark> 뉴스"},
      {"no match", {"검색"}, "한국어", "한국어"},
      {"no terms", {}, "한국어 검색", "한국어 검색"},
      {"empty text", {"검색"}, "", ""},
      {"whitespace collapsed", {}, "제목\n\n  둘째", "제목 둘째"},
  };
  for (const HighlightCase& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Highlighter(c.terms).Highlight(c.text), c.expected);
  }
}

TEST(HighlighterTest, HighlightEscapesHtmlInText) {
  const HighlightCase cases[] = {
      {"script tag", {"script"}, "<script>alert(1)</script>",
       "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;"},
      {"img onerror", {"img"}, "<img src=x onerror=alert(1)>", "&lt;<mark>img</mark> src=x onerror=alert(1)&gt;"},
      {"quoted attributes", {"onerror"}, "<img src=\"x\" onerror='alert(1)'>",
       "&lt;img src=&quot;x&quot; <mark>onerror</mark>=&#39;alert(1)&#39;&gt;"},
      {"no match still escaped", {"검색"}, "<b>굵게</b> & 'a'", "&lt;b&gt;굵게&lt;/b&gt; &amp; &#39;a&#39;"},
      {"entity text stays text", {}, "&lt;mark&gt;", "&amp;lt;mark&amp;gt;"},
      {"literal mark tag is escaped", {"mark"}, "<mark>x</mark>",
       "&lt;<mark>mark</mark>&gt;x&lt;/<mark>mark</mark>&gt;"},
  };
  for (const HighlightCase& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string got = Highlighter(c.terms).Highlight(c.text);
    EXPECT_EQ(got, c.expected);
    ExpectOnlyMarkTags(got);
  }
}

TEST(HighlighterTest, SnippetEscapesHtmlInText) {
  const std::string text = Filler(500) + "<img src=x onerror=alert(1)> 패권을 <script>alert(1)</script> " +
                           Filler(500);
  const std::string snippet = Highlighter({"패권", "img", "script"}).Snippet(text, 100);
  EXPECT_TRUE(absl::StrContains(snippet, "<mark>패권</mark>")) << snippet;
  EXPECT_TRUE(absl::StrContains(snippet, "&lt;<mark>img</mark> src=x onerror=alert(1)&gt;")) << snippet;
  ExpectOnlyMarkTags(snippet);
}

TEST(HighlighterTest, SnippetPicksThePassageWithTheMatch) {
  // A 4000-character text with the only match at character 2000.
  const std::string text = Filler(2000) + "패권을 " + Filler(1996);
  ASSERT_EQ(CountCodePoints(text), 4000u);
  for (size_t max_chars : {40, 80, 160, 300}) {
    SCOPED_TRACE(max_chars);
    const std::string snippet = Highlighter({"패권"}).Snippet(text, max_chars);
    EXPECT_TRUE(absl::StrContains(snippet, "<mark>패권</mark>을")) << snippet;
    EXPECT_TRUE(absl::StartsWith(snippet, kEllipsis)) << snippet;
    EXPECT_TRUE(absl::EndsWith(snippet, kEllipsis)) << snippet;
    const std::string visible = Visible(snippet);
    EXPECT_LE(CountCodePoints(visible), max_chars) << snippet;
    EXPECT_TRUE(absl::StrContains(text, visible)) << snippet;
  }
}

TEST(HighlighterTest, SnippetPrefersThePassageWithMoreDistinctTerms) {
  // 한국 alone early; 한국 and 검색 together late.
  const std::string text = "한국 " + Filler(1000) + "한국어 검색 엔진 " + Filler(1000);
  const std::string snippet = Highlighter({"한국", "검색"}).Snippet(text, 80);
  EXPECT_TRUE(absl::StrContains(snippet, "<mark>한국</mark>어 <mark>검색</mark>")) << snippet;
}

TEST(HighlighterTest, SnippetIsAtMostMaxCharsPlusEllipses) {
  const std::string text = Filler(700) + "패권을 두고 " + Filler(700);
  for (size_t max_chars = 1; max_chars <= 120; ++max_chars) {
    SCOPED_TRACE(max_chars);
    for (const std::vector<std::string>& terms : {std::vector<std::string>{}, std::vector<std::string>{"패권"}}) {
      const std::string snippet = Highlighter(terms).Snippet(text, max_chars);
      EXPECT_LE(CountCodePoints(Visible(snippet)), max_chars) << snippet;
      EXPECT_LE(CountCodePoints(StripMarks(snippet)), max_chars + 2) << snippet;
    }
  }
}

TEST(HighlighterTest, SnippetNeverCutsInsideAUtf8Sequence) {
  // Hangul (3 bytes), emoji (4 bytes), é (2 bytes) and ASCII, matched and not.
  std::string text;
  for (int i = 0; i < 40; ++i) absl::StrAppend(&text, "한국어👍é검색 a", i % 7 == 3 ? " 패권을 " : " ");
  for (size_t max_chars = 1; max_chars <= 60; ++max_chars) {
    SCOPED_TRACE(max_chars);
    for (const char* term : {"패권", "검색", "없는말"}) {
      const std::string snippet = Highlighter({term}).Snippet(text, max_chars);
      EXPECT_TRUE(IsValidUtf8(snippet)) << term << ": " << snippet;
      EXPECT_TRUE(IsValidUtf8(Visible(snippet))) << term << ": " << snippet;
    }
  }
}

TEST(HighlighterTest, SnippetNeverCutsADecomposedSyllable) {
  // A long NFD text: every character is two or three jamo code points.
  std::string text;
  for (int i = 0; i < 200; ++i) absl::StrAppend(&text, kNfdKorean, " ");
  ASSERT_GT(CountCodePoints(text), 3000u);
  for (size_t max_chars = 1; max_chars <= 50; ++max_chars) {
    SCOPED_TRACE(max_chars);
    for (const std::vector<std::string>& terms :
         {std::vector<std::string>{}, std::vector<std::string>{"검색"}, std::vector<std::string>{"국어"}}) {
      const std::string snippet = Highlighter(terms).Snippet(text, max_chars);
      ASSERT_TRUE(IsValidUtf8(snippet)) << snippet;
      ExpectWholeJamoSyllables(Visible(snippet));
      if (HasFailure()) return;
    }
  }
  // A match deep in the text is marked on whole syllables.
  const std::string snippet = Highlighter({"검색"}).Snippet(text, 30);
  EXPECT_TRUE(absl::StrContains(snippet, "<mark>\u1100\u1165\u11B7\u1109\u1162\u11A8</mark>")) << snippet;
}

TEST(HighlighterTest, SnippetCountsADecomposedSyllableAsOneCharacter) {
  std::string text;
  for (int i = 0; i < 20; ++i) absl::StrAppend(&text, kNfdKorean, " ");
  // 한국어 검색 is six characters (18 code points) plus the space.
  const std::string snippet = Highlighter({}).Snippet(text, 6);
  EXPECT_EQ(snippet, absl::StrCat(kNfdKorean, kEllipsis));
}

TEST(HighlighterTest, SnippetCollapsesNewlinesToSpaces) {
  const struct {
    const char* text;
    const char* expected;
  } cases[] = {
      {"첫 줄\n둘째 줄", "첫 줄 둘째 줄"},
      {"첫 줄\r\n\r\n둘째 줄", "첫 줄 둘째 줄"},
      {"탭\t\t구분", "탭 구분"},
      {"여러   칸", "여러 칸"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(Highlighter({}).Snippet(c.text, 100), c.expected);
  }
  // In a long cut passage as well.
  std::string text;
  for (int i = 0; i < 200; ++i) absl::StrAppend(&text, "문단 ", i, "\n\n", i == 100 ? "패권을 " : "", "다음\r\n");
  const std::string snippet = Highlighter({"패권"}).Snippet(text, 60);
  EXPECT_TRUE(absl::StrContains(snippet, "<mark>패권</mark>")) << snippet;
  EXPECT_FALSE(absl::StrContains(snippet, "\n")) << snippet;
  EXPECT_FALSE(absl::StrContains(snippet, "\r")) << snippet;
  EXPECT_FALSE(absl::StrContains(snippet, "  ")) << snippet;
}

TEST(HighlighterTest, SnippetWithoutMatchIsTheStartOfTheText) {
  const std::string text = "첫 문장입니다. " + Filler(1000);
  const struct {
    std::vector<std::string> terms;
  } cases[] = {{{}}, {{"없는말"}}, {{"패권"}}};
  for (const auto& c : cases) {
    const std::string snippet = Highlighter(c.terms).Snippet(text, 50);
    EXPECT_TRUE(absl::StartsWith(snippet, "첫 문장입니다. ")) << snippet;
    EXPECT_TRUE(absl::EndsWith(snippet, kEllipsis)) << snippet;
    EXPECT_FALSE(absl::StrContains(snippet, kMarkOpen)) << snippet;
    EXPECT_LE(CountCodePoints(Visible(snippet)), 50u) << snippet;
    EXPECT_GE(CountCodePoints(Visible(snippet)), 45u) << snippet;
  }
}

TEST(HighlighterTest, SnippetAddsEllipsisOnlyWhereTextWasCut) {
  // BUG: Snippet() skips leading whitespace by advancing first_char, then
  // prepends "…" whenever first_char > 0, so a body that merely starts with a
  // newline or spaces gets a "…" as if text had been cut before it
  // ("\n\n  앞 공백" → "…앞 공백"). Bodies extracted from HTML often start so.
  // Likewise a trailing "…" is added when only whitespace follows the cut
  // ("앞 공백\n\n" at 4 characters → "앞 공백…").
  const struct {
    const char* text;
    const char* expected;
  } cases[] = {
      {"\n\n  앞 공백", "앞 공백"},
      {" 패권을 잡다", "<mark>패권</mark>을 잡다"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(Highlighter({"패권"}).Snippet(c.text, 100), c.expected);
  }
  const std::string long_text = "\n" + Filler(1000);
  EXPECT_FALSE(absl::StartsWith(Highlighter({}).Snippet(long_text, 50), kEllipsis));
  EXPECT_EQ(Highlighter({}).Snippet("앞 공백\n\n", 4), "앞 공백");
}

TEST(HighlighterTest, ShortTextIsWholeSnippet) {
  const HighlightCase cases[] = {
      {"match", {"패권"}, "패권을 잡다", "<mark>패권</mark>을 잡다"},
      {"no match", {"검색"}, "패권을 잡다", "패권을 잡다"},
      {"exactly max chars", {}, std::string(40, 'a'), std::string(40, 'a')},
      {"empty", {"검색"}, "", ""},
  };
  for (const HighlightCase& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Highlighter(c.terms).Snippet(c.text, 40), c.expected);
  }
}

TEST(HighlighterTest, SnippetMergesOverlappingBigrams) {
  const std::string text = Filler(500) + "한국어 검색 " + Filler(500);
  const std::string snippet = Highlighter({"한국", "국어"}).Snippet(text, 60);
  EXPECT_TRUE(absl::StrContains(snippet, "<mark>한국어</mark>")) << snippet;
}

TEST(AppendHtmlEscapedTest, EscapesMarkupCharacters) {
  const struct {
    const char* text;
    const char* expected;
  } cases[] = {
      {"", ""},
      {"plain 한국어", "plain 한국어"},
      {"a & b", "a &amp; b"},
      {"<script>", "&lt;script&gt;"},
      {"\"double\" 'single'", "&quot;double&quot; &#39;single&#39;"},
      {"&amp;", "&amp;amp;"},
      {"<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    std::string out;
    AppendHtmlEscaped(c.text, &out);
    EXPECT_EQ(out, c.expected);
  }
}

TEST(AppendHtmlEscapedTest, AppendsToExistingOutputAndKeepsBytes) {
  std::string out = "<b>";
  AppendHtmlEscaped("a<b", &out);
  EXPECT_EQ(out, "<b>a&lt;b");
  // Non-ASCII and even invalid bytes pass through unchanged.
  out.clear();
  const std::string bytes = "한\xFF\x80";
  AppendHtmlEscaped(bytes, &out);
  EXPECT_EQ(out, bytes);
}

}  // namespace
}  // namespace chaja::analyzer
