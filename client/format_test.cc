#include "client/format.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "client/table.h"
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

// Display columns where the words of `line` start.
std::vector<size_t> WordColumns(absl::string_view line) {
  std::vector<size_t> starts;
  size_t column = 0;
  bool in_word = false;
  for (size_t i = 0; i < line.size();) {
    size_t len = 1;
    const auto b = static_cast<unsigned char>(line[i]);
    if (b >= 0xF0) len = 4;
    else if (b >= 0xE0) len = 3;
    else if (b >= 0xC0) len = 2;
    const bool space = line[i] == ' ';
    if (!space && !in_word) starts.push_back(column);
    in_word = !space;
    column += DisplayWidth(line.substr(i, len));
    i += len;
  }
  return starts;
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

TEST(FormatSearchResponseTest, PageAfterATokenIsNumberedFromOne) {
  v1::SearchRequest request;
  request.set_page_token("tok");
  request.set_offset(10);  // ignored with a token
  const std::string out = FormatSearchResponse(request, SampleResponse(50, true), FormatOptions());
  EXPECT_TRUE(absl::StartsWith(out, "  1. AI 패권 경쟁\n")) << out;
  EXPECT_TRUE(absl::StrContains(out, "50 hits in 12.5 ms (1 on this page)\n")) << out;
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

v1::PostSummary Post(const std::string& id, const std::string& title, google::protobuf::Timestamp published,
                     uint32_t comments) {
  v1::PostSummary post;
  post.set_id(id);
  post.set_title(title);
  *post.mutable_published() = published;
  post.set_comment_count(comments);
  return post;
}

TEST(FormatCountTest, GroupsThousands) {
  EXPECT_EQ(FormatCount(0), "0");
  EXPECT_EQ(FormatCount(999), "999");
  EXPECT_EQ(FormatCount(1000), "1,000");
  EXPECT_EQ(FormatCount(100000), "100,000");
  EXPECT_EQ(FormatCount(1234567), "1,234,567");
}

TEST(FormatBytesTest, UsesBinaryUnits) {
  EXPECT_EQ(FormatBytes(0), "0 B");
  EXPECT_EQ(FormatBytes(1023), "1023 B");
  EXPECT_EQ(FormatBytes(1536), "1.5 KiB");
  EXPECT_EQ(FormatBytes(12'900'000), "12.3 MiB");
  EXPECT_EQ(FormatBytes(uint64_t{3} << 30), "3.0 GiB");
}

TEST(FormatFacetTest, TableByCountWithTheRest) {
  v1::FacetResult facet;
  facet.set_field(v1::FACET_FIELD_TAG);
  auto add = [&](const char* value, uint64_t count) {
    v1::FacetCount* c = facet.add_counts();
    c->set_value(value);
    c->set_count(count);
  };
  add("인공지능", 1200);
  add("AI", 12);
  add("Docker\x1b[2J", 3);
  facet.set_other_values(7);
  EXPECT_EQ(FormatFacet(facet, FormatOptions()),
            "TAG         POSTS\n"
            "인공지능    1,200\n"
            "AI             12\n"
            "Docker [2J      3\n"
            "… and 7 more tags\n");
  facet.set_field(v1::FACET_FIELD_CATEGORY);
  facet.set_other_values(1);
  EXPECT_TRUE(absl::StartsWith(FormatFacet(facet, FormatOptions()), "CATEGORY")) << FormatFacet(facet, {});
  EXPECT_TRUE(absl::EndsWith(FormatFacet(facet, FormatOptions()), "… and 1 more category\n"));
}

TEST(FormatFacetTest, CategoriesAsATreeLikeTistory) {
  v1::FacetResult facet;
  facet.set_field(v1::FACET_FIELD_CATEGORY);
  auto add = [&](const std::string& name, uint32_t depth, uint64_t total) {
    v1::CategoryNode* node = facet.add_category_tree();
    node->set_name(name);
    node->set_depth(depth);
    node->set_total_count(total);
    facet.add_counts()->set_value(name);  // the flat counts are not shown beside the tree
  };
  add("개발", 0, 9);
  add("파이썬", 1, 6);
  add("Django\x1b[2J", 2, 1200);
  add("블로그", 1, 3);
  add("일상", 0, 2);
  facet.set_other_tree_nodes(1);
  EXPECT_EQ(FormatFacet(facet, FormatOptions()),
            "개발 (9)\n"
            "  파이썬 (6)\n"
            "    Django [2J (1,200)\n"
            "  블로그 (3)\n"
            "일상 (2)\n"
            "… and 1 more category\n");
}

TEST(FormatFacetTest, SaysWhenThereIsNothing) {
  v1::FacetResult facet;
  facet.set_field(v1::FACET_FIELD_TAG);
  EXPECT_EQ(FormatFacet(facet, FormatOptions()), "no tags\n");
}

TEST(FormatSearchResponseTest, ShowsFacetsAndTheNextPageToken) {
  v1::SearchResponse response = SampleResponse(30, true);
  v1::FacetResult* facet = response.add_facets();
  facet->set_field(v1::FACET_FIELD_CATEGORY);
  v1::FacetCount* count = facet->add_counts();
  count->set_value("AI 관련 소식");
  count->set_count(30);
  response.set_next_page_token("CgQIARAK");
  const std::string out = FormatSearchResponse(v1::SearchRequest(), response, FormatOptions());
  EXPECT_TRUE(absl::EndsWith(out,
                             "30 hits in 12.5 ms (showing 1–1)\n"
                             "\n"
                             "CATEGORY      POSTS\n"
                             "AI 관련 소식     30\n"
                             "\n"
                             "next page: --page_token CgQIARAK\n"))
      << out;
}

TEST(FormatCategoryPostsTest, ListsLikeTheBoxUnderATistoryPost) {
  v1::ListCategoryPostsRequest request;
  request.set_article_id("post-28");
  v1::ListCategoryPostsResponse response;
  response.set_category("AI 관련 소식");
  *response.add_posts() = Post("post-31", "GPT-5 발표 요약", Utc(2025, 1, 21, 23, 30, 0), 3);
  *response.add_posts() = Post("post-7", "딥시크", Utc(2025, 1, 2, 1, 0, 0), 0);
  response.set_total(12);
  *response.mutable_previous() = Post("post-27", "이전 글 제목", Utc(2025, 1, 20, 3, 0, 0), 1);
  *response.mutable_next() = Post("post-29", "다음 글 제목", Utc(2025, 1, 23, 3, 0, 0), 0);
  response.set_next_page_token("tok");
  EXPECT_EQ(FormatCategoryPosts(request, response, FormatOptions()),
            "'AI 관련 소식' 카테고리의 다른 글\n"
            "\n"
            "  GPT-5 발표 요약  2025.01.22  (3)  post-31\n"
            "  딥시크           2025.01.02  (0)  post-7\n"
            "\n"
            "12 posts (showing 1–2)\n"
            "\n"
            "← 이전 글  이전 글 제목 · 2025.01.20  post-27\n"
            "다음 글 →  다음 글 제목 · 2025.01.23  post-29\n"
            "\n"
            "next page: --page_token tok\n");
}

TEST(FormatCategoryPostsTest, PageAfterAToken) {
  v1::ListCategoryPostsRequest request;
  request.set_page_token("tok");
  v1::ListCategoryPostsResponse response;
  response.set_category("개발");
  *response.add_posts() = Post("post-1", "글", Utc(2025, 1, 1, 0, 0, 0), 0);
  response.set_total(12);
  const std::string out = FormatCategoryPosts(request, response, FormatOptions());
  EXPECT_TRUE(absl::StrContains(out, "\n12 posts (1 on this page)\n")) << out;
}

TEST(FormatCategoryPostsTest, EmptyCategoryWithoutNeighbours) {
  v1::ListCategoryPostsResponse response;
  response.set_category("빈 카테고리");
  EXPECT_EQ(FormatCategoryPosts(v1::ListCategoryPostsRequest(), response, FormatOptions()),
            "'빈 카테고리' 카테고리의 다른 글\n"
            "\n"
            "  (no other posts)\n"
            "\n"
            "0 posts\n");
}

TEST(FormatCategoryPostsTest, ArticleTextCannotEmitEscapeCodes) {
  v1::ListCategoryPostsResponse response;
  response.set_category("분류\x1b[2J");
  *response.add_posts() = Post("id\x1b]0;x\x07", "제목\x1b[31m", Utc(2025, 1, 1, 0, 0, 0), 0);
  *response.mutable_previous() = Post("p\x1b", "이전\x1b[5m", Utc(2025, 1, 1, 0, 0, 0), 0);
  for (bool color : {false, true}) {
    FormatOptions options;
    options.color = color;
    const std::string out = FormatCategoryPosts(v1::ListCategoryPostsRequest(), response, options);
    EXPECT_FALSE(absl::StrContains(WithoutOurEscapes(out), "\x1b")) << out;
    EXPECT_FALSE(HasControlCharacter(WithoutOurEscapes(out))) << out;
  }
}

v1::GetArchiveResponse Archive(int year, int month, std::vector<std::pair<int, uint32_t>> counts) {
  v1::GetArchiveResponse response;
  response.set_year(year);
  response.set_month(month);
  response.set_time_zone("Asia/Seoul");
  uint32_t total = 0;
  for (const auto& [key, count] : counts) {
    v1::ArchiveCount* c = response.add_counts();
    c->set_key(key);
    c->set_count(count);
    total += count;
  }
  response.set_total(total);
  return response;
}

TEST(FormatArchiveTest, MonthIsACalendarStartingOnSunday) {
  // 2025-01-01 is a Wednesday.
  EXPECT_EQ(FormatArchive(Archive(2025, 1, {{1, 2}, {22, 3}, {31, 12}}), FormatOptions()),
            "2025년 1월 · 글 17개 · Asia/Seoul\n"
            "일     월     화     수     목     금     토\n"
            "                      1(2)   2      3      4\n"
            " 5      6      7      8      9     10     11\n"
            "12     13     14     15     16     17     18\n"
            "19     20     21     22(3)  23     24     25\n"
            "26     27     28     29     30     31(12)\n");
}

TEST(FormatArchiveTest, MonthStartingOnSundayAndLeapFebruary) {
  // 2026-02-01 is a Sunday; February 2024 has 29 days and starts on a Thursday.
  const std::string feb2026 = FormatArchive(Archive(2026, 2, {}), FormatOptions());
  EXPECT_TRUE(absl::StrContains(feb2026, "\n 1     2     3     4     5     6     7\n")) << feb2026;
  EXPECT_TRUE(absl::EndsWith(feb2026, "\n22    23    24    25    26    27    28\n")) << feb2026;
  const std::string feb2024 = FormatArchive(Archive(2024, 2, {{29, 1}}), FormatOptions());
  EXPECT_TRUE(absl::EndsWith(feb2024, "\n25    26    27    28    29(1)\n")) << feb2024;
}

TEST(FormatArchiveTest, MonthCalendarColumnsLineUp) {
  // A three-digit count widens every cell; the two-column day names must
  // still sit over their days.
  const std::string out = FormatArchive(Archive(2025, 3, {{3, 120}, {15, 1}}), FormatOptions());
  const std::vector<std::string> lines = absl::StrSplit(out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 8u) << out;  // title, names, six weeks (March 2025 starts on a Saturday)
  const std::vector<size_t> names = WordColumns(lines[1]);
  ASSERT_EQ(names.size(), 7u);
  const size_t stride = names[1];
  for (size_t i = 0; i < names.size(); ++i) EXPECT_EQ(names[i], i * stride) << out;
  for (size_t row = 2; row < lines.size(); ++row) {
    for (size_t column : WordColumns(lines[row])) {
      EXPECT_LE(column % stride, 1u) << "row " << row << "\n" << out;
    }
  }
  EXPECT_TRUE(absl::StrContains(out, " 3(120)")) << out;
}

TEST(FormatArchiveTest, YearIsATableOfMonthsWithBars) {
  EXPECT_EQ(FormatArchive(Archive(2025, 0, {{1, 30}, {3, 15}, {12, 1}}), FormatOptions()),
            "2025년 · 글 46개 · Asia/Seoul\n"
            "MONTH  POSTS\n"
            "  1월     30  ██████████████████████████████\n"
            "  2월      0\n"
            "  3월     15  ███████████████\n"
            "  4월      0\n"
            "  5월      0\n"
            "  6월      0\n"
            "  7월      0\n"
            "  8월      0\n"
            "  9월      0\n"
            " 10월      0\n"
            " 11월      0\n"
            " 12월      1  █\n");
}

TEST(FormatRelatedTest, SaysWhyEachPostIsRelated) {
  v1::GetRelatedRequest request;
  request.set_article_id("post-28");
  v1::GetRelatedResponse response;
  v1::RelatedPost* a = response.add_posts();
  *a->mutable_post() = Post("post-31", "GPT-5 발표 요약", Utc(2025, 1, 21, 23, 30, 0), 3);
  a->set_score(2.5);
  a->add_shared_tags("AI");
  a->add_shared_tags("OpenAI");
  a->add_shared_terms("모델");
  a->add_shared_terms("추론");
  a->set_same_category(true);
  v1::RelatedPost* b = response.add_posts();
  *b->mutable_post() = Post("post-2", "도커 입문", Utc(2024, 12, 1, 0, 0, 0), 0);
  b->set_score(0.75);
  b->add_shared_terms("컨테이너");
  EXPECT_EQ(FormatRelated(request, response, FormatOptions()),
            "related to post-28\n"
            "#  TITLE            DATE        ID       SCORE  WHY\n"
            "1  GPT-5 발표 요약  2025-01-22  post-31   2.50  태그 #AI #OpenAI · 단어 모델, 추론 · 같은 카테고리\n"
            "2  도커 입문        2024-12-01  post-2    0.75  단어 컨테이너\n");
  EXPECT_EQ(FormatRelated(request, v1::GetRelatedResponse(), FormatOptions()),
            "related to post-28\n  (no related posts)\n");
}

TEST(FormatArticleTest, ShowsTheWholeArticleWithParagraphs) {
  v1::Article article;
  article.set_id("post-1");
  article.set_title("첫 글");
  article.set_url("https://blog.example.com/entry/hello");
  article.set_body("본문 첫 문단.\r\n\n둘째 문단\x1b[31m 끝.");
  article.set_category("개발/파이썬");
  article.add_tags("Python");
  article.add_tags("입문");
  *article.mutable_published() = Utc(2025, 1, 21, 23, 30, 0);
  article.set_comment_count(3);
  article.set_author("민지");
  EXPECT_EQ(FormatArticle(article, FormatOptions()),
            "첫 글\n"
            "2025-01-22 · 개발/파이썬 · #Python #입문 · 댓글 3 · 민지\n"
            "https://blog.example.com/entry/hello\n"
            "id post-1\n"
            "\n"
            "본문 첫 문단.\n"
            "\n"
            "둘째 문단 [31m 끝.\n");
}

TEST(FormatSitesTest, TableOfSites) {
  v1::SiteStats a;
  a.set_name("ai-tamgu");
  a.set_display_name("AI 탐구 생활");
  a.set_time_zone("Asia/Seoul");
  a.set_document_count(100000);
  *a.mutable_last_updated() = Utc(2025, 1, 21, 23, 30, 0);
  a.set_index_size_bytes(12'900'000);
  v1::SiteStats b;
  b.set_name("x");
  b.set_time_zone("UTC");
  EXPECT_EQ(FormatSites({a, b}, FormatOptions()),
            "NAME      DISPLAY NAME     DOCS  UPDATED               SIZE  TIME ZONE\n"
            "ai-tamgu  AI 탐구 생활  100,000  2025-01-22 08:30  12.3 MiB  Asia/Seoul\n"
            "x                             0  -                      0 B  UTC\n");
  EXPECT_EQ(FormatSites({}, FormatOptions()), "no sites\n");
}

TEST(FormatSitesTest, FeedsUnderTheSites) {
  v1::SiteStats a;
  a.set_name("tamgu");
  a.set_time_zone("Asia/Seoul");
  v1::FeedStatus* ok = a.add_feeds();
  ok->set_url("https://aitamgu.tistory.com/rss");
  *ok->mutable_last_sync() = Utc(2025, 1, 21, 23, 30, 0);
  *ok->mutable_next_run() = Utc(2025, 1, 21, 23, 45, 0);
  ok->set_ok(true);
  ok->set_result("1 new, 0 changed, 9 unchanged");
  v1::FeedStatus* failed = a.add_feeds();
  failed->set_url("https://b.example/feed");
  failed->set_result("the server answered HTTP 500");
  const std::string out = FormatSites({a}, FormatOptions());
  EXPECT_NE(out.find("\nSITE   FEED"), std::string::npos) << out;
  EXPECT_NE(out.find("NEXT RUN\n"), std::string::npos) << out;
  EXPECT_NE(out.find("tamgu  https://aitamgu.tistory.com/rss  2025-01-22 08:30:00  1 new, 0 changed, 9 unchanged"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("2025-01-22 08:45:00\n"), std::string::npos) << out;
  EXPECT_NE(out.find("failed: the server answered HTTP 500"), std::string::npos) << out;
  // No feeds: no second table.
  a.clear_feeds();
  EXPECT_EQ(FormatSites({a}, FormatOptions()).find("FEED"), std::string::npos);
}

TEST(ToJsonTest, PrintsTheProtobufJsonMapping) {
  v1::ListCategoryPostsResponse response;
  response.set_category("AI 관련 소식");
  response.set_next_page_token("tok");
  *response.add_posts() = Post("post-1", "제목", Utc(2025, 1, 21, 23, 30, 0), 3);
  const std::string json = ToJson(response);
  EXPECT_TRUE(absl::StrContains(json, "\"nextPageToken\": \"tok\"")) << json;
  EXPECT_TRUE(absl::StrContains(json, "\"commentCount\": 3")) << json;
  EXPECT_TRUE(absl::StrContains(json, "\"published\": \"2025-01-21T23:30:00Z\"")) << json;
  EXPECT_TRUE(absl::StrContains(json, "AI 관련 소식")) << json;
  EXPECT_TRUE(absl::EndsWith(json, "}\n")) << json;
}

}  // namespace
}  // namespace chaja::client
