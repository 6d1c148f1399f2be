#include "client/format.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace chaja::client {
namespace {

constexpr absl::string_view kHighlight = "\033[1;33m";
constexpr absl::string_view kReset = "\033[0m";
constexpr absl::string_view kBold = "\033[1m";
constexpr absl::string_view kDim = "\033[2m";

const absl::TimeZone kSeoul = absl::FixedTimeZone(9 * 3600);

google::protobuf::Timestamp Utc(int y, int mo, int d, int h, int mi, int s) {
  google::protobuf::Timestamp t;
  t.set_seconds(absl::ToUnixSeconds(absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s), absl::UTCTimeZone())));
  return t;
}

// `text` without the escape sequences that format.cc itself emits.
std::string WithoutOurEscapes(absl::string_view text) {
  return absl::StrReplaceAll(text, {{kHighlight, ""}, {kReset, ""}, {kBold, ""}, {kDim, ""}});
}

bool HasControlCharacter(absl::string_view text) {
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if ((b < 0x20 && b != '\n') || b == 0x7F) return true;
  }
  return false;
}

struct MarkupCase {
  const char* name;
  std::string markup;
  std::string expected;
};

TEST(MarkupToTerminalTest, StripsMarksWithoutColor) {
  const MarkupCase cases[] = {
      {"empty", "", ""},
      {"plain", "한국어 검색", "한국어 검색"},
      {"one mark", "<mark>패권</mark>을 잡다", "패권을 잡다"},
      {"several marks", "<mark>한국어</mark> <mark>검색</mark>", "한국어 검색"},
      {"ellipses kept", "…앞 <mark>패권</mark> 뒤…", "…앞 패권 뒤…"},
  };
  for (const MarkupCase& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(MarkupToTerminal(c.markup, /*color=*/false), c.expected);
  }
}

TEST(MarkupToTerminalTest, DecodesEntities) {
  const MarkupCase cases[] = {
      {"lt gt", "&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"},
      {"amp", "R&amp;D", "R&D"},
      {"quotes", "&quot;인용&quot; &#39;작은&#39;", "\"인용\" '작은'"},
      {"decoded once", "&amp;lt;", "&lt;"},
      {"escaped mark tag is text", "&lt;mark&gt;x&lt;/mark&gt;", "<mark>x</mark>"},
      {"unknown entity kept", "a&nbsp;b", "a&nbsp;b"},
      {"bare ampersand kept", "a & b", "a & b"},
      {"entity inside mark", "<mark>&lt;b&gt;</mark>", "<b>"},
  };
  for (const MarkupCase& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(MarkupToTerminal(c.markup, /*color=*/false), c.expected);
  }
}

TEST(MarkupToTerminalTest, ColorsMarksWithAnsiCodes) {
  const MarkupCase cases[] = {
      {"one mark", "<mark>패권</mark>을", "\033[1;33m패권\033[0m을"},
      {"two marks", "<mark>a</mark> <mark>b</mark>", "\033[1;33ma\033[0m \033[1;33mb\033[0m"},
      {"entities decoded too", "<mark>R&amp;D</mark> &lt;", "\033[1;33mR&D\033[0m <"},
      {"no marks, no codes", "한국어", "한국어"},
  };
  for (const MarkupCase& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(MarkupToTerminal(c.markup, /*color=*/true), c.expected);
  }
}

TEST(MarkupToTerminalTest, NeverPassesControlCharactersThrough) {
  const std::string inputs[] = {
      "\x1b[31m빨강\x1b[0m",
      "<mark>\x1b[2J</mark>화면 지우기",
      "\x1b]0;title\x07",
      "벨\x07 백스페이스\x08 널" + std::string(1, '\0') + " 삭제\x7f",
      "줄\r\n바꿈\t탭",
  };
  for (const std::string& input : inputs) {
    SCOPED_TRACE(input);
    for (bool color : {false, true}) {
      const std::string out = MarkupToTerminal(input, color);
      EXPECT_FALSE(HasControlCharacter(WithoutOurEscapes(out))) << out;
      EXPECT_FALSE(absl::StrContains(color ? WithoutOurEscapes(out) : out, "\x1b")) << out;
    }
  }
  // The visible text around the control characters survives.
  EXPECT_TRUE(absl::StrContains(MarkupToTerminal("\x1b[31m빨강", false), "[31m빨강"));
}

TEST(MarkupToTerminalTest, DropsC1ControlCharacters) {
  // BUG: MarkupToTerminal drops only C0 controls and DEL. C1 controls encoded
  // in UTF-8 (U+0080–U+009F, e.g. U+009B CSI = "\xC2\x9B" and U+009D OSC) pass
  // through, and terminals that honour C1 controls in UTF-8 (xterm, for one)
  // run them as escape sequences, against format.h's "control characters
  // dropped".
  const std::string inputs[] = {"\xC2\x9B" "31m빨강", "\xC2\x9D" "0;title\xC2\x9C", "\xC2\x85"};
  for (const std::string& input : inputs) {
    const std::string out = MarkupToTerminal(input, false);
    for (size_t i = 0; i + 1 < out.size(); ++i) {
      const auto lead = static_cast<unsigned char>(out[i]);
      const auto next = static_cast<unsigned char>(out[i + 1]);
      EXPECT_FALSE(lead == 0xC2 && next >= 0x80 && next <= 0x9F) << "C1 control at byte " << i;
    }
  }
}

TEST(FormatDateTest, ShowsTheDateInTheGivenZone) {
  const struct {
    const char* name;
    google::protobuf::Timestamp t;
    absl::TimeZone zone;
    const char* expected;
  } cases[] = {
      {"late UTC evening is next day in Seoul", Utc(2025, 1, 21, 23, 30, 0), kSeoul, "2025-01-22"},
      {"same instant in UTC", Utc(2025, 1, 21, 23, 30, 0), absl::UTCTimeZone(), "2025-01-21"},
      {"last second before Seoul midnight", Utc(2025, 1, 21, 14, 59, 59), kSeoul, "2025-01-21"},
      {"Seoul midnight", Utc(2025, 1, 21, 15, 0, 0), kSeoul, "2025-01-22"},
      {"year boundary", Utc(2024, 12, 31, 16, 0, 0), kSeoul, "2025-01-01"},
      {"leap day", Utc(2024, 2, 28, 20, 0, 0), kSeoul, "2024-02-29"},
      {"west of UTC", Utc(2025, 1, 1, 3, 0, 0), absl::FixedTimeZone(-5 * 3600), "2024-12-31"},
      {"epoch", google::protobuf::Timestamp(), absl::UTCTimeZone(), "1970-01-01"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(FormatDate(c.t, c.zone), c.expected);
  }
}

TEST(FormatDateTest, DefaultOptionsUseSeoulTime) {
  EXPECT_EQ(FormatDate(Utc(2025, 1, 21, 23, 30, 0), FormatOptions().zone), "2025-01-22");
}

TEST(LoadZoneOrSeoulTest, FallsBackToUtcPlusNine) {
  const absl::TimeZone zone = LoadZoneOrSeoul("No/Such_Zone");
  EXPECT_EQ(FormatDate(Utc(2025, 1, 21, 23, 30, 0), zone), "2025-01-22");
  EXPECT_EQ(FormatDate(Utc(2025, 1, 21, 14, 59, 59), zone), "2025-01-21");
}

TEST(LoadZoneOrSeoulTest, LoadsUtc) {
  EXPECT_EQ(FormatDate(Utc(2025, 1, 21, 23, 30, 0), LoadZoneOrSeoul("UTC")), "2025-01-21");
}

v1::SearchHit SampleHit() {
  v1::SearchHit hit;
  hit.set_id("post-42");
  hit.set_title("AI 패권 경쟁");
  hit.set_title_highlighted("AI <mark>패권</mark> 경쟁");
  hit.set_url("https://blog.example/42");
  hit.set_snippet("…미국과 중국의 <mark>패권</mark>을 둘러싼 &lt;경쟁&gt;…");
  hit.set_category("AI 관련 소식");
  hit.add_tags("AI");
  hit.add_tags("OpenAI");
  *hit.mutable_published() = Utc(2025, 1, 21, 23, 30, 0);
  hit.set_comment_count(3);
  hit.set_score(1.5);
  return hit;
}

v1::SearchResponse SampleResponse(uint64_t total, bool exact) {
  v1::SearchResponse response;
  *response.add_hits() = SampleHit();
  response.set_total_hits(total);
  response.set_total_hits_exact(exact);
  response.mutable_took()->set_nanos(12'500'000);
  return response;
}

TEST(FormatSearchResponseTest, ShowsHitsAndTotalsWithoutColor) {
  v1::SearchRequest request;
  request.set_query("패권");
  const std::string out = FormatSearchResponse(request, SampleResponse(1234, false), FormatOptions());
  EXPECT_EQ(out,
            "  1. AI 패권 경쟁\n"
            "     2025-01-22 · AI 관련 소식 · #AI #OpenAI · 댓글 3 · score 1.50\n"
            "     …미국과 중국의 패권을 둘러싼 <경쟁>…\n"
            "     https://blog.example/42\n"
            "\n"
            "about 1234 hits in 12.5 ms (showing 1–1)\n");
  EXPECT_FALSE(absl::StrContains(out, "\x1b"));
}

TEST(FormatSearchResponseTest, ShowsTotals) {
  const struct {
    const char* name;
    uint64_t total;
    bool exact;
    int hits;
    const char* expected;
  } cases[] = {
      {"estimate", 1234, false, 1, "about 1234 hits in"},
      {"exact", 1234, true, 1, "\n1234 hits in"},
      {"one hit", 1, true, 1, "\n1 hit in"},
      {"nothing", 0, true, 0, "0 hits in 12.5 ms\n"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    v1::SearchResponse response = SampleResponse(c.total, c.exact);
    if (c.hits == 0) response.clear_hits();
    const std::string out = FormatSearchResponse(v1::SearchRequest(), response, FormatOptions());
    EXPECT_TRUE(absl::StrContains(out, c.expected)) << out;
    if (c.exact) {
      EXPECT_FALSE(absl::StrContains(out, "about")) << out;
    }
  }
}

TEST(FormatSearchResponseTest, NumbersHitsFromTheOffset) {
  v1::SearchRequest request;
  request.set_offset(10);
  v1::SearchResponse response = SampleResponse(50, true);
  *response.add_hits() = SampleHit();
  response.mutable_hits(1)->set_title("둘째 글");
  response.mutable_hits(1)->clear_title_highlighted();
  const std::string out = FormatSearchResponse(request, response, FormatOptions());
  EXPECT_TRUE(absl::StrContains(out, " 11. AI 패권 경쟁\n")) << out;
  EXPECT_TRUE(absl::StrContains(out, " 12. 둘째 글\n")) << out;
  EXPECT_TRUE(absl::StrContains(out, "50 hits in 12.5 ms (showing 11–12)")) << out;
}

TEST(FormatSearchResponseTest, OmitsMissingFields) {
  v1::SearchResponse response;
  v1::SearchHit* hit = response.add_hits();
  hit->set_id("post-7");
  response.set_total_hits(1);
  response.set_total_hits_exact(true);
  const std::string out = FormatSearchResponse(v1::SearchRequest(), response, FormatOptions());
  EXPECT_EQ(out,
            "  1. (post-7)\n"
            "     댓글 0\n"
            "\n"
            "1 hit in 0.0 ms (showing 1–1)\n");
}

TEST(FormatSearchResponseTest, ColorsMarksAndMetadata) {
  FormatOptions options;
  options.color = true;
  const std::string out = FormatSearchResponse(v1::SearchRequest(), SampleResponse(1, true), options);
  EXPECT_TRUE(absl::StrContains(out, "\033[1;33m패권\033[0m")) << out;
  EXPECT_TRUE(absl::StrContains(out, "\033[2m2025-01-22 · AI 관련 소식")) << out;
  EXPECT_TRUE(absl::StrContains(out, "\033[2mhttps://blog.example/42\033[0m")) << out;
  // Without escapes it reads the same as the plain output.
  EXPECT_EQ(WithoutOurEscapes(out), FormatSearchResponse(v1::SearchRequest(), SampleResponse(1, true), {}));
}

TEST(FormatSearchResponseTest, ArticleTextCannotEmitEscapeCodes) {
  v1::SearchHit hit = SampleHit();
  hit.set_title("제목\x1b[31m");
  hit.set_title_highlighted("<mark>제목</mark>\x1b[31m");
  hit.set_snippet("본문\x1b]0;pwned\x07 <mark>패권</mark>");
  hit.set_category("분류\x1b[2J");
  hit.clear_tags();
  hit.add_tags("태그\x1b[5m");
  for (bool color : {false, true}) {
    SCOPED_TRACE(color);
    v1::SearchResponse response;
    *response.add_hits() = hit;
    FormatOptions options;
    options.color = color;
    const std::string out = FormatSearchResponse(v1::SearchRequest(), response, options);
    EXPECT_FALSE(absl::StrContains(WithoutOurEscapes(out), "\x1b")) << out;
    EXPECT_FALSE(HasControlCharacter(WithoutOurEscapes(out))) << out;
    EXPECT_TRUE(absl::StrContains(out, "#태그")) << out;
  }
}

TEST(FormatSearchResponseTest, UrlAndIdCannotEmitEscapeCodes) {
  // BUG: FormatSearchResponse prints hit.url() through Styled() and hit.id()
  // (as "(id)" when the title is empty) without MarkupToTerminal, so control
  // characters in them reach the terminal raw, against format.h's "nothing
  // from an article can emit escape codes of its own".
  v1::SearchResponse response;
  v1::SearchHit* hit = response.add_hits();
  hit->set_id("id\x1b[2J");
  hit->set_url("https://x.y/\x1b]0;pwned\x07");
  const std::string out = FormatSearchResponse(v1::SearchRequest(), response, FormatOptions());
  EXPECT_FALSE(absl::StrContains(out, "\x1b")) << out;
  EXPECT_FALSE(HasControlCharacter(out)) << out;
}

}  // namespace
}  // namespace chaja::client
