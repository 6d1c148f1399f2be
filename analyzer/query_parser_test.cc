#include "analyzer/query_parser.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"

namespace chaja::analyzer {
namespace {

// One clause as "<sign><field:>[text]", or "<sign><field:>"text"" for a phrase.
std::string DescribeClause(const QueryClause& c) {
  std::string out;
  if (c.excluded) out += "-";
  if (c.required) out += "+";
  switch (c.field) {
    case QueryField::kText: break;
    case QueryField::kTitle: out += "title:"; break;
    case QueryField::kTag: out += "tag:"; break;
    case QueryField::kCategory: out += "category:"; break;
  }
  return c.phrase ? absl::StrCat(out, "\"", c.text, "\"") : absl::StrCat(out, "[", c.text, "]");
}

// Groups separated by spaces; a group of several alternatives as "(a OR b)".
std::string Describe(const ParsedQuery& q) {
  std::vector<std::string> groups;
  for (const QueryGroup& g : q.groups) {
    std::vector<std::string> alts;
    for (const QueryClause& c : g.alternatives) alts.push_back(DescribeClause(c));
    groups.push_back(alts.size() == 1 ? alts[0] : absl::StrCat("(", absl::StrJoin(alts, " OR "), ")"));
  }
  return absl::StrJoin(groups, " ");
}

struct ParseCase {
  const char* query;
  const char* expected;
};

void ExpectParses(const std::vector<ParseCase>& cases) {
  for (const ParseCase& c : cases) {
    SCOPED_TRACE(c.query);
    const absl::StatusOr<ParsedQuery> parsed = ParseQuery(c.query);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(Describe(*parsed), c.expected);
  }
}

struct ErrorCase {
  std::string query;
  // Every one of these must appear in the message.
  std::vector<std::string> mentions;
};

void ExpectErrors(const std::vector<ErrorCase>& cases) {
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.query);
    const absl::StatusOr<ParsedQuery> parsed = ParseQuery(c.query);
    ASSERT_FALSE(parsed.ok()) << "parsed as: " << Describe(*parsed);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << parsed.status();
    for (const std::string& m : c.mentions) {
      EXPECT_TRUE(absl::StrContains(parsed.status().message(), m))
          << "message \"" << parsed.status().message() << "\" should mention \"" << m << "\"";
    }
  }
}

TEST(QueryParserTest, ParsesWords) {
  ExpectParses({
      {"", ""},
      {"   ", ""},
      {"패권", "[패권]"},
      {"한국어 검색", "[한국어] [검색]"},
      {"  한국어\t검색\n엔진  ", "[한국어] [검색] [엔진]"},
      {"12 삭망월과 1태양년의", "[12] [삭망월과] [1태양년의]"},
      {"GPT-4o 출시", "[GPT-4o] [출시]"},
      {"AI기술 C++ e-mail don't", "[AI기술] [C++] [e-mail] [don't]"},
      {"ＡＩ", "[ＡＩ]"},  // Not normalized by the parser.
  });
}

TEST(QueryParserTest, ParsesPhrases) {
  ExpectParses({
      {"\"한국어 검색\"", "\"한국어 검색\""},
      {"\u201C한국어 검색\u201D", "\"한국어 검색\""},  // “curly quotes”
      {"\u201D한국어 검색\u201C", "\"한국어 검색\""},  // Reversed, as some keyboards type them.
      {"\"GPT 4o\" 출시", "\"GPT 4o\" [출시]"},
      {"앞 \"가운데 말\" 뒤", "[앞] \"가운데 말\" [뒤]"},
      {"\"a\"\"b\"", "\"a\" \"b\""},
      {"word\"quoted part\"", "[word] \"quoted part\""},
      {"\"\"", ""},  // An empty phrase searches for nothing.
      {"\"  \" 검색", "\"  \" [검색]"},
  });
}

TEST(QueryParserTest, ParsesExcludedAndRequiredClauses) {
  ExpectParses({
      {"-광고", "-[광고]"},
      {"+필수", "+[필수]"},
      {"검색 -광고 +필수", "[검색] -[광고] +[필수]"},
      {"-\"보도 자료\"", "-\"보도 자료\""},
      {"+\"보도 자료\"", "+\"보도 자료\""},
      {"-GPT-4o", "-[GPT-4o]"},
      {"a-b", "[a-b]"},  // A hyphen inside a word is part of it.
  });
}

TEST(QueryParserTest, LoneOperatorsAreText) {
  ExpectParses({
      {"-", "[-]"},
      {"+", "[+]"},
      {"a - b", "[a] [-] [b]"},
      {"C + C", "[C] [+] [C]"},
      {"--verbose", "[--verbose]"},
      {"+-1", "[+-1]"},
  });
}

TEST(QueryParserTest, ParsesOrGroups) {
  ExpectParses({
      {"우분투 OR ubuntu", "([우분투] OR [ubuntu])"},
      {"a OR b OR c", "([a] OR [b] OR [c])"},
      {"검색 a OR b 엔진", "[검색] ([a] OR [b]) [엔진]"},
      {"\"한국어 검색\" OR \"Korean search\"", "(\"한국어 검색\" OR \"Korean search\")"},
      {"tag:AI OR tag:ML", "(tag:[AI] OR tag:[ML])"},
      {"+a OR b", "(+[a] OR [b])"},
      {"a OR b -c", "([a] OR [b]) -[c]"},
      // Only upper-case OR on its own is the operator.
      {"a or b", "[a] [or] [b]"},
      {"a Or b", "[a] [Or] [b]"},
      {"ORACLE OR 오라클", "([ORACLE] OR [오라클])"},
      {"a OR\tb", "([a] OR [b])"},
  });
}

TEST(QueryParserTest, ParsesFieldClauses) {
  ExpectParses({
      {"tag:OpenAI", "tag:[OpenAI]"},
      {"tag:인공지능", "tag:[인공지능]"},
      {"category:뉴스", "category:[뉴스]"},
      {"category:\"AI 관련 소식\"", "category:\"AI 관련 소식\""},
      {"category:\u201CAI 관련 소식\u201D", "category:\"AI 관련 소식\""},
      {"title:패권", "title:[패권]"},
      {"title:\"패권 경쟁\"", "title:\"패권 경쟁\""},
      {"-tag:광고", "-tag:[광고]"},
      {"+category:뉴스 검색", "+category:[뉴스] [검색]"},
      {"검색 tag:AI category:\"AI 관련 소식\" -title:광고",
       "[검색] tag:[AI] category:\"AI 관련 소식\" -title:[광고]"},
  });
}

TEST(QueryParserTest, FieldClausesCarryTheirField) {
  const absl::StatusOr<ParsedQuery> parsed = ParseQuery("category:\"AI 관련 소식\" tag:OpenAI");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->groups.size(), 2u);
  ASSERT_EQ(parsed->groups[0].alternatives.size(), 1u);
  const QueryClause& category = parsed->groups[0].alternatives[0];
  EXPECT_EQ(category.field, QueryField::kCategory);
  EXPECT_EQ(category.text, "AI 관련 소식");
  EXPECT_FALSE(category.excluded);
  QueryClause tag;
  tag.field = QueryField::kTag;
  tag.text = "OpenAI";
  EXPECT_EQ(parsed->groups[1].alternatives[0], tag);
}

TEST(QueryParserTest, UnknownPrefixesStayText) {
  ExpectParses({
      {"12:30", "[12:30]"},
      {"https://x.y", "[https://x.y]"},
      {"https://example.com/a?b=c", "[https://example.com/a?b=c]"},
      {"author:홍길동", "[author:홍길동]"},
      {"Tag:AI", "[Tag:AI]"},  // Field names are lower case.
      {"TITLE:x", "[TITLE:x]"},
      {"비율 3:2", "[비율] [3:2]"},
      {":", "[:]"},
      {"mytag:x", "[mytag:x]"},
  });
}

TEST(QueryParserTest, ReturnsStructuredClauses) {
  const absl::StatusOr<ParsedQuery> parsed = ParseQuery("검색 -\"보도 자료\" a OR +b");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->groups.size(), 3u);
  EXPECT_FALSE(parsed->empty());

  QueryClause word;
  word.text = "검색";
  ASSERT_EQ(parsed->groups[0].alternatives.size(), 1u);
  EXPECT_EQ(parsed->groups[0].alternatives[0], word);

  QueryClause phrase;
  phrase.text = "보도 자료";
  phrase.phrase = true;
  phrase.excluded = true;
  ASSERT_EQ(parsed->groups[1].alternatives.size(), 1u);
  EXPECT_EQ(parsed->groups[1].alternatives[0], phrase);

  QueryClause a, b;
  a.text = "a";
  b.text = "b";
  b.required = true;
  ASSERT_EQ(parsed->groups[2].alternatives.size(), 2u);
  EXPECT_EQ(parsed->groups[2].alternatives[0], a);
  EXPECT_EQ(parsed->groups[2].alternatives[1], b);
}

TEST(QueryParserTest, EmptyQueryIsEmpty) {
  for (const char* query : {"", " ", "\t\n", "\"\""}) {
    SCOPED_TRACE(query);
    const absl::StatusOr<ParsedQuery> parsed = ParseQuery(query);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_TRUE(parsed->empty());
  }
}

TEST(QueryParserTest, RejectsUnterminatedQuotes) {
  ExpectErrors({
      {"\"한국어 검색", {"quote", "character 1"}},
      {"검색 \"한국어", {"quote", "character 4"}},
      {"\u201C한국어 검색", {"quote"}},
      {"-\"광고", {"quote"}},
      {"category:\"AI 관련 소식", {"quote"}},
      {"\"a\" \"b", {"quote", "character 5"}},
      {"\"", {"quote"}},
  });
}

TEST(QueryParserTest, RejectsOrWithoutAClauseOnEachSide) {
  ExpectErrors({
      {"OR", {"OR", "each side"}},
      {"OR 검색", {"OR", "each side"}},
      {"검색 OR", {"OR", "each side", "character 4"}},
      {"a OR OR b", {"OR", "each side"}},
      {"a OR \"\"", {"OR", "each side"}},
  });
}

TEST(QueryParserTest, RejectsOrNextToAnExcludedClause) {
  ExpectErrors({
      {"-a OR b", {"OR", "excluded"}},
      {"a OR -b", {"OR", "excluded"}},
      {"-tag:x OR tag:y", {"OR", "excluded"}},
      {"a OR -\"b c\"", {"OR", "excluded"}},
  });
}

TEST(QueryParserTest, RejectsFieldWithoutValue) {
  ExpectErrors({
      {"tag:", {"tag:", "needs a value"}},
      {"tag: OpenAI", {"tag:", "needs a value"}},
      {"검색 category:", {"category:", "needs a value", "character 4"}},
      {"title:\t검색", {"title:", "needs a value"}},
      {"-tag:", {"tag:", "needs a value"}},
  });
}

TEST(QueryParserTest, RejectsQueriesOverTheSizeLimit) {
  const std::string at_limit(kMaxQueryBytes, 'a');
  const absl::StatusOr<ParsedQuery> ok = ParseQuery(at_limit);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->groups.size(), 1u);

  // Counted in bytes: 683 three-byte syllables are 2049 bytes.
  std::string hangul;
  for (int i = 0; i < 683; ++i) hangul += "가";
  ExpectErrors({
      {std::string(kMaxQueryBytes + 1, 'a'), {"2049", "2048"}},
      {hangul, {"2049", "2048"}},
      {std::string(100000, ' '), {"100000", "2048"}},
  });
}

TEST(QueryParserTest, OrErrorsPointAtTheOr) {
  ExpectErrors({
      {"a OR", {"character 3"}},
      {"우분투 OR", {"character 5"}},
      {"-a OR b", {"character 4"}},
  });
}

TEST(QueryParserTest, OrErrorsPointAtTheOrWhateverTheSpacing) {
  // BUG: ParseQuery reports Column(query, or_pos + 1), where or_pos is the lexer
  // position *before* the whitespace in front of OR is skipped. That is right
  // only when exactly one space precedes OR: "OR a" says "character 2" and
  // "a   OR" says "character 3" (OR is at characters 1 and 5).
  ExpectErrors({
      {"OR a", {"character 1"}},
      {"a   OR", {"character 5"}},
      {"-a\t\tOR b", {"character 5"}},
  });
}

}  // namespace
}  // namespace chaja::analyzer

namespace chaja::analyzer {
namespace {

// A query still being typed never fails on syntax, and is read as the
// reader most likely means it so far; the same text sent as a plain query
// keeps its INVALID_ARGUMENT.
TEST(QueryParserTest, TypingNeverFailsOnSyntax) {
  const ParseOptions typing{true};
  const struct {
    const char* query;
    const char* typed;
  } kCases[] = {
      {"\"국가적 전", "\"국가적 전\""},           // an unclosed quote runs to the end
      {"우분투 “설치 방", "[우분투] \"설치 방\""},  // curly quotes too
      {"우분투 OR", "[우분투]"},                    // a dangling OR is ignored
      {"OR 우분투", "[우분투]"},
      {"우분투 OR OR 도커", "[우분투] [도커]"},
      {"도커 -쿠버 OR 우분투", "[도커] -[쿠버] [우분투]"},
      {"도커 OR -쿠버", "[도커] -[쿠버]"},
      {"도커 tag:", "[도커]"},                      // a field whose value is still to come
      {"category: 도커", "[도커]"},
      {"title:", ""},
  };
  for (const auto& c : kCases) {
    absl::StatusOr<ParsedQuery> typed = ParseQuery(c.query, typing);
    ASSERT_TRUE(typed.ok()) << c.query << ": " << typed.status();
    EXPECT_EQ(Describe(*typed), c.typed) << c.query;
    EXPECT_EQ(ParseQuery(c.query).status().code(), absl::StatusCode::kInvalidArgument) << c.query;
  }
  // What parses as a plain query parses the same while typing.
  for (const char* query : {"우분투 OR ubuntu -도커", "\"국가적 전략\" tag:AI", "+도커 title:설치", "- +"}) {
    absl::StatusOr<ParsedQuery> plain = ParseQuery(query);
    absl::StatusOr<ParsedQuery> typed = ParseQuery(query, typing);
    ASSERT_EQ(plain.ok(), typed.ok()) << query;
    if (plain.ok()) {
      EXPECT_EQ(Describe(*plain), Describe(*typed)) << query;
    }
  }
  // Length is not syntax: too long is too long.
  EXPECT_EQ(ParseQuery(std::string(kMaxQueryBytes + 1, 'a'), typing).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
// Issue 14: a query is searched up to its 32nd word, as Google does.
TEST(QueryCutTest, WordsPastTheLimitAreIgnored) {
  std::string query;
  for (int i = 1; i <= 40; ++i) query += "단어" + std::to_string(i) + " ";
  const absl::StatusOr<QueryCut> cut = CutQueryAtWords(query);
  ASSERT_TRUE(cut.ok()) << cut.status();
  EXPECT_TRUE(absl::EndsWith(cut->searched, "단어32")) << cut->searched;
  EXPECT_TRUE(absl::StartsWith(cut->ignored, "단어33 ")) << cut->ignored;
  const absl::StatusOr<QueryCut> whole = CutQueryAtWords("우분투 설치 방법");
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->searched, "우분투 설치 방법");
  EXPECT_EQ(whole->ignored, "");
}

TEST(QueryCutTest, APhraseIsKeptWholeOrDroppedWhole) {
  const absl::StatusOr<QueryCut> cut = CutQueryAtWords("a b \"c d e\" f", 3);
  ASSERT_TRUE(cut.ok());
  EXPECT_EQ(cut->searched, "a b");
  EXPECT_EQ(cut->ignored, "\"c d e\" f");
  const absl::StatusOr<QueryCut> curly = CutQueryAtWords("a \u201Cb c\u201D d e", 3);
  ASSERT_TRUE(curly.ok());
  EXPECT_EQ(curly->searched, "a \u201Cb c\u201D");
  EXPECT_EQ(CutQueryAtWords("\"a b c d\" e", 3).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(QueryCutTest, NoDanglingOrIsLeft) {
  const absl::StatusOr<QueryCut> cut = CutQueryAtWords("a b OR c", 3);
  ASSERT_TRUE(cut.ok());
  EXPECT_EQ(cut->searched, "a b");
  EXPECT_TRUE(ParseQuery(cut->searched).ok());
}

}  // namespace chaja::analyzer
