#include "index/query_builder.h"

#include <algorithm>
#include <string>
#include <vector>

#include <xapian.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "index/document_builder.h"
#include "index/phrase_filter.h"
#include "index/schema.h"

namespace chaja::index {
namespace {

struct Doc {
  const char* id;
  const char* title;
  const char* body;
  const char* category;
  std::vector<std::string> tags;
};

// A small in-memory site indexed with the real DocumentBuilder, so these tests
// check that query terms meet index terms, not a golden of Xapian's query text.
class QueryBuilderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = Xapian::WritableDatabase(std::string(), Xapian::DB_BACKEND_INMEMORY);
    const Doc docs[] = {
        {"strategy", "정책 메모", "정부는 국가적 전략을 세웠다.", "AI 관련 소식", {"정책"}},
        {"scattered", "반도체 이야기", "국가적인 관심사가 되었고 산업 전략이 바뀌었다.", "AI 관련 소식", {"반도체"}},
        {"hegemony", "경쟁", "AI 패권을 두고 경쟁이 치열하다.", "AI 관련 소식", {"LLM"}},
        {"gpt-dash", "모델 비교", "오늘은 GPT-4o 모델을 써 봤다.", "일상/리뷰", {"ChatGPT"}},
        {"gpt-joined", "사용기", "요즘 gpt4o 없이는 일이 안 된다.", "일상/리뷰", {"ChatGPT"}},
        {"gpt-spaced", "회고", "한 해 동안 GPT 4o 와 함께 일했다.", "일상/리뷰", {"회고"}},
        {"apple", "Apple pie", "an apple pie recipe", "개발/파이썬", {"OpenAI", "Python"}},
        {"banana", "Banana split", "a banana split recipe", "개발", {"Python"}},
        {"both", "Smoothie", "apple and banana smoothie", "개발 환경", {"Docker"}},
        {"models", "Plural", "several language models compared", "프로그래밍", {"LLM"}},
        {"national-team", "축구", "국가대표 축구 경기를 봤다.", "일상/리뷰", {"축구"}},
    };
    DocumentBuilder builder;
    for (const Doc& d : docs) {
      v1::Article article;
      article.set_id(d.id);
      article.set_title(d.title);
      article.set_body(d.body);
      article.set_category(d.category);
      for (const std::string& tag : d.tags) article.add_tags(tag);
      ASSERT_TRUE(ValidateArticle(article).ok());
      db_.replace_document(IdTerm(d.id), builder.Build(article));
    }
    db_.commit();
  }

  // Ids of the matching articles, sorted and space separated, or "ERROR: …".
  std::string Ids(absl::string_view query_text, bool match_all = false) {
    QueryOptions options;
    options.match_all = match_all;
    absl::StatusOr<BuiltQuery> built = BuildQuery(query_text, options);
    if (!built.ok()) return "ERROR: " + built.status().ToString();
    Xapian::Enquire enquire(db_);
    enquire.set_query(built->query);
    std::vector<std::string> ids;
    // As the searcher does: the index has no positions, phrases are checked on the text.
    const PhraseFilter phrases(built->phrase_checks);
    const Xapian::MSet mset = enquire.get_mset(0, db_.get_doccount(), 0, nullptr,
                                               built->phrase_checks.empty() ? nullptr : &phrases);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      absl::StatusOr<v1::Article> article = ArticleFromDocument(it.get_document());
      ids.push_back(article.ok() ? article->id() : "?");
    }
    std::sort(ids.begin(), ids.end());
    return absl::StrJoin(ids, " ");
  }

  Xapian::WritableDatabase db_;
};

TEST_F(QueryBuilderTest, NaturalModeMatchesAnyWord) {
  // A document with only one of the two words still matches.
  EXPECT_EQ(Ids("apple banana"), "apple banana both");
  EXPECT_EQ(Ids("apple"), "apple both");
}

TEST_F(QueryBuilderTest, NaturalModeRanksDocumentsWithMoreWordsFirst) {
  absl::StatusOr<BuiltQuery> built = BuildQuery("apple banana smoothie", QueryOptions());
  ASSERT_TRUE(built.ok()) << built.status();
  Xapian::Enquire enquire(db_);
  enquire.set_query(built->query);
  const Xapian::MSet mset = enquire.get_mset(0, 10);
  ASSERT_GE(mset.size(), 1u);
  absl::StatusOr<v1::Article> top = ArticleFromDocument(mset.begin().get_document());
  ASSERT_TRUE(top.ok());
  EXPECT_EQ(top->id(), "both");
}

TEST_F(QueryBuilderTest, MatchAllRequiresEveryWord) {
  EXPECT_EQ(Ids("apple banana", /*match_all=*/true), "both");
  EXPECT_EQ(Ids("apple cherry", /*match_all=*/true), "");
}

TEST_F(QueryBuilderTest, NaturalModeKeepsWordsBeforeACompoundOptional) {
  // "apple" must still match on its own when the next word is a compound with
  // a joined alias (GPT-4o → gpt 4 o + gpt4o).
  const std::string ids = Ids("apple GPT-4o");
  EXPECT_EQ(ids, "apple both gpt-dash gpt-joined gpt-spaced");
}

TEST_F(QueryBuilderTest, QuotedPhraseNeedsAdjacentWords) {
  EXPECT_EQ(Ids("\"국가적 전략\""), "strategy");
  // Without quotes both the adjacent and the scattered forms match (natural
  // mode may add articles sharing a syllable pair, such as 국가대표).
  const std::vector<std::string> natural = absl::StrSplit(Ids("국가적 전략"), ' ');
  EXPECT_NE(std::find(natural.begin(), natural.end(), "strategy"), natural.end());
  EXPECT_NE(std::find(natural.begin(), natural.end(), "scattered"), natural.end());
  EXPECT_EQ(Ids("국가적 전략", /*match_all=*/true), "scattered strategy");
  // Curly quotes work like straight ones.
  EXPECT_EQ(Ids("“국가적 전략”"), "strategy");
  EXPECT_EQ(Ids("\"apple pie\""), "apple");
  EXPECT_EQ(Ids("\"pie apple\""), "");
}

TEST_F(QueryBuilderTest, ExclusionRemovesMatches) {
  EXPECT_EQ(Ids("apple -banana"), "apple");
  EXPECT_EQ(Ids("apple -\"banana smoothie\""), "apple");
  EXPECT_EQ(Ids("apple -tag:openai"), "both");
  EXPECT_EQ(Ids("apple banana -category:개발"), "both");
  EXPECT_EQ(Ids("경쟁 -패권"), "");
  EXPECT_EQ(Ids("recipe -\"apple pie\""), "banana");
}

TEST_F(QueryBuilderTest, ExcludingAKoreanWordKeepsArticlesThatOnlyShareASyllablePair) {
  // 국가대표 shares the bigram 국가 with 국가적 but does not contain 국가적.
  const std::string ids = Ids("축구 -국가적");
  EXPECT_EQ(ids, "national-team");
  EXPECT_EQ(Ids("축구 -국가대표"), "");
}

TEST_F(QueryBuilderTest, OnlyPhrasesThatDecideMatchingAreChecked) {
  auto checks = [](absl::string_view query) {
    absl::StatusOr<BuiltQuery> built = BuildQuery(query, QueryOptions());
    EXPECT_TRUE(built.ok()) << built.status();
    std::vector<std::string> out;
    for (const PhraseCheck& c : built->phrase_checks) {
      out.push_back(absl::StrCat(c.excluded ? "-" : "", c.title_only ? "title:" : "", absl::StrJoin(c.terms, "+")));
    }
    return absl::StrJoin(out, " ");
  };
  EXPECT_EQ(checks("\"국가적 전략\""), "국가+가적+전략");
  EXPECT_EQ(checks("\"국가적 전략\" 경제"), "");  // optional beside a word: ranking only
  EXPECT_EQ(checks("+\"국가적 전략\" 경제"), "국가+가적+전략");
  EXPECT_EQ(checks("\"국가적 전략\" OR 경제"), "");
  EXPECT_EQ(checks("title:\"apple pie\""), "title:apple+pie");
  EXPECT_EQ(checks("축구 -국가적 -경제 -\"banana split\""), "-국가+가적 -banana+split");
  EXPECT_EQ(checks("\"경제\""), "");  // one term: the index matches it exactly
  // An excluded phrase alone still filters (it is not a browse of everything).
  EXPECT_EQ(Ids("-\"apple pie\" -국가적 -반도체 -경쟁 -모델 -사용기 -회고 -Smoothie -Plural -축구"), "banana");
}

TEST_F(QueryBuilderTest, PlusRequiresAClauseInNaturalMode) {
  EXPECT_EQ(Ids("+apple banana"), "apple both");
  EXPECT_EQ(Ids("apple +banana"), "banana both");
}

TEST_F(QueryBuilderTest, OrJoinsAlternatives) {
  EXPECT_EQ(Ids("apple OR banana", /*match_all=*/true), "apple banana both");
  EXPECT_EQ(Ids("smoothie apple OR banana", /*match_all=*/true), "both");
}

TEST_F(QueryBuilderTest, TagFilterIsCaseInsensitiveAndDoesNotScore) {
  EXPECT_EQ(Ids("tag:openai"), "apple");
  EXPECT_EQ(Ids("tag:OpenAI"), "apple");
  EXPECT_EQ(Ids("tag:ＯＰＥＮＡＩ"), "apple");
  EXPECT_EQ(Ids("tag:python"), "apple banana");
  EXPECT_EQ(Ids("recipe tag:openai"), "apple");
  EXPECT_EQ(Ids("smoothie tag:openai"), "");
  EXPECT_EQ(Ids("tag:\"python\""), "apple banana");

  absl::StatusOr<BuiltQuery> built = BuildQuery("tag:python", QueryOptions());
  ASSERT_TRUE(built.ok()) << built.status();
  EXPECT_FALSE(built->has_text);
  built = BuildQuery("recipe tag:python", QueryOptions());
  ASSERT_TRUE(built.ok()) << built.status();
  EXPECT_TRUE(built->has_text);
}

TEST_F(QueryBuilderTest, CategoryFilterIncludesSubCategories) {
  // category:개발 finds 개발 and 개발/파이썬 but not the unrelated "개발 환경".
  EXPECT_EQ(Ids("category:개발"), "apple banana");
  EXPECT_EQ(Ids("category:개발/파이썬"), "apple");
  EXPECT_EQ(Ids("category:\"개발 / 파이썬\""), "apple");
  EXPECT_EQ(Ids("category:\"개발 환경\""), "both");
  EXPECT_EQ(Ids("category:파이썬"), "");
  EXPECT_EQ(Ids("category:\"ai 관련 소식\""), "hegemony scattered strategy");
}

TEST_F(QueryBuilderTest, CompoundSpellingsFindEachOther) {
  const std::string all_three = "gpt-dash gpt-joined gpt-spaced";
  EXPECT_EQ(Ids("GPT-4o"), all_three);
  EXPECT_EQ(Ids("gpt4o"), all_three);
  EXPECT_EQ(Ids("\"GPT 4o\""), all_three);
  EXPECT_EQ(Ids("Gpt-4O"), all_three);
}

TEST_F(QueryBuilderTest, KoreanWordMatchesInFrontOfParticles) {
  EXPECT_EQ(Ids("패권"), "hegemony");
  EXPECT_EQ(Ids("패권을"), "hegemony");
  EXPECT_EQ(Ids("AI기술 패권"), Ids("AI 기술 패권"));
}

TEST_F(QueryBuilderTest, DecomposedAndJamoQueriesFindComposedText) {
  // 패권 in NFD: ᄑ ᅢ ᄀ ᅯ ᆫ.
  EXPECT_EQ(Ids("\u1111\u1162\u1100\u116F\u11AB"), "hegemony");
  // Compatibility jamo typed letter by letter.
  EXPECT_EQ(Ids("ㅍㅐㄱㅝㄴ"), "hegemony");
}

TEST_F(QueryBuilderTest, LatinWordsMatchTheirLightStem) {
  EXPECT_EQ(Ids("model"), "models");
  EXPECT_EQ(Ids("models"), "models");
  EXPECT_EQ(Ids("APPLES"), "apple both");
}

TEST_F(QueryBuilderTest, TitleFieldSearchesTitlesOnly) {
  EXPECT_EQ(Ids("title:smoothie"), "both");
  EXPECT_EQ(Ids("title:recipe"), "");
  EXPECT_EQ(Ids("title:반도체"), "scattered");
}

TEST_F(QueryBuilderTest, QueriesWithoutSearchableCharactersAreInvalid) {
  for (const char* query : {"!!!", "😀", "😀 👍 !!", "ㅋ", "\"!!!\"", "+???", "title:!!!"}) {
    absl::StatusOr<BuiltQuery> built = BuildQuery(query, QueryOptions());
    if (built.ok()) {
      ADD_FAILURE() << "query \"" << query << "\" built: " << built->query.get_description();
      continue;
    }
    EXPECT_EQ(built.status().code(), absl::StatusCode::kInvalidArgument) << query;
    EXPECT_FALSE(built.status().message().empty()) << query;
  }
}

TEST_F(QueryBuilderTest, SymbolsNextToWordsAreIgnored) {
  EXPECT_EQ(Ids("apple!!! 😀"), "apple both");
}

TEST_F(QueryBuilderTest, SyntaxErrorsAreInvalidArgument) {
  for (const char* query : {"\"unterminated", "apple OR", "tag:"}) {
    absl::StatusOr<BuiltQuery> built = BuildQuery(query, QueryOptions());
    ASSERT_FALSE(built.ok()) << query;
    EXPECT_EQ(built.status().code(), absl::StatusCode::kInvalidArgument) << query;
  }
}

TEST_F(QueryBuilderTest, OnlyFiltersGiveAFilteredMatchAll) {
  absl::StatusOr<BuiltQuery> built = BuildQuery("", QueryOptions());
  ASSERT_TRUE(built.ok()) << built.status();
  EXPECT_FALSE(built->has_text);
  EXPECT_EQ(Ids(""), Ids("apple OR banana OR 전략 OR 패권 OR GPT OR gpt4o OR 4o OR models OR 축구"));
  EXPECT_EQ(Ids("-apple").find("apple"), std::string::npos);
}

TEST_F(QueryBuilderTest, HighlightTermsListTheScoringTerms) {
  absl::StatusOr<BuiltQuery> built = BuildQuery("패권 models -banana tag:openai", QueryOptions());
  ASSERT_TRUE(built.ok()) << built.status();
  const std::vector<std::string>& h = built->highlight_terms;
  auto has = [&](const std::string& t) { return std::find(h.begin(), h.end(), t) != h.end(); };
  EXPECT_TRUE(has("패권")) << absl::StrJoin(h, " ");
  EXPECT_TRUE(has("models")) << absl::StrJoin(h, " ");
  EXPECT_TRUE(has("model")) << absl::StrJoin(h, " ");
  // Excluded words and filters are not highlighted.
  EXPECT_FALSE(has("banana")) << absl::StrJoin(h, " ");
  EXPECT_FALSE(has("openai")) << absl::StrJoin(h, " ");

  built = BuildQuery("\"국가적 전략\" GPT-4o", QueryOptions());
  ASSERT_TRUE(built.ok()) << built.status();
  for (const char* t : {"국가", "가적", "전략", "gpt", "4", "o"}) {
    EXPECT_TRUE(std::find(built->highlight_terms.begin(), built->highlight_terms.end(), t) !=
                built->highlight_terms.end())
        << t << " missing from " << absl::StrJoin(built->highlight_terms, " ");
  }
}

TEST_F(QueryBuilderTest, ParsedQueryOverloadMatchesTextOverload) {
  absl::StatusOr<analyzer::ParsedQuery> parsed = analyzer::ParseQuery("apple -banana tag:python");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  absl::StatusOr<BuiltQuery> from_parsed = BuildQuery(*parsed, QueryOptions());
  absl::StatusOr<BuiltQuery> from_text = BuildQuery("apple -banana tag:python", QueryOptions());
  ASSERT_TRUE(from_parsed.ok()) << from_parsed.status();
  ASSERT_TRUE(from_text.ok()) << from_text.status();
  EXPECT_EQ(from_parsed->query.get_description(), from_text->query.get_description());
}

}  // namespace
}  // namespace chaja::index
