#include "search/query_plan.h"

#include <algorithm>
#include <string>
#include <vector>

#include <xapian.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "index/document_builder.h"
#include "index/equivalents.h"
#include "index/schema.h"
#include "search/phrase_filter.h"

namespace chaja::search {
namespace {

using index::ArticleFromDocument;
using index::DocumentBuilder;
using index::IdTerm;
using index::ValidateArticle;

struct Doc {
  const char* id;
  const char* title;
  const char* body;
  const char* category;
  std::vector<std::string> tags;
};

// A small in-memory site indexed with the real DocumentBuilder, so these tests
// check that query terms meet index terms, not a golden of Xapian's query text.
class QueryPlanTest : public ::testing::Test {
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
    PlanOptions options;
    options.match_all = match_all;
    return IdsOf(PlanQuery(query_text, options));
  }

  std::string IdsOf(const absl::StatusOr<QueryPlan>& built) {
    if (!built.ok()) return "ERROR: " + built.status().ToString();
    Xapian::Enquire enquire(db_);
    enquire.set_query(ToXapian(built->tree));
    std::vector<std::string> ids;
    // As the rankers do: the index has no positions, phrases are checked on the text.
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

// The weight of article `id` for `query`, or -1 when it does not match.
double WeightOf(const Xapian::Database& db, absl::string_view query, const PlanOptions& options,
                const std::string& id) {
  absl::StatusOr<QueryPlan> built = PlanQuery(query, options);
  if (!built.ok()) return -1;
  Xapian::Enquire enquire(db);
  enquire.set_query(ToXapian(built->tree));
  const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    if (ArticleFromDocument(it.get_document())->id() == id) return it.get_weight();
  }
  return -1;
}

TEST_F(QueryPlanTest, AnEquivalentSpellingWeighsAPostByTheSpellingItHasNotBoth) {
  const auto equivalents = index::Equivalents::Make({"apple, banana"}, /*builtin=*/false);
  ASSERT_TRUE(equivalents.ok());
  PlanOptions with;
  with.equivalents = equivalents->get();
  const PlanOptions without;
  // "banana" finds the apple posts and the reverse.
  EXPECT_EQ(IdsOf(PlanQuery("apple", with)), "apple banana both");
  EXPECT_EQ(IdsOf(PlanQuery("banana", with)), "apple banana both");
  // A post with one spelling weighs as if the reader had typed it; one with
  // both weighs as its better spelling, not the sum.
  EXPECT_DOUBLE_EQ(WeightOf(db_, "apple", with, "banana"), WeightOf(db_, "banana", without, "banana"));
  const double apple = WeightOf(db_, "apple", without, "both"), banana = WeightOf(db_, "banana", without, "both");
  ASSERT_GT(apple, 0);
  ASSERT_GT(banana, 0);
  EXPECT_DOUBLE_EQ(WeightOf(db_, "apple", with, "both"), std::max(apple, banana));
  // Excluding one spelling excludes the other.
  EXPECT_EQ(IdsOf(PlanQuery("recipe -banana", with)), "");
}

TEST_F(QueryPlanTest, NaturalModeMatchesAnyWord) {
  // A document with only one of the two words still matches.
  EXPECT_EQ(Ids("apple banana"), "apple banana both");
  EXPECT_EQ(Ids("apple"), "apple both");
}

TEST_F(QueryPlanTest, NaturalModeRanksDocumentsWithMoreWordsFirst) {
  absl::StatusOr<QueryPlan> built = PlanQuery("apple banana smoothie", PlanOptions());
  ASSERT_TRUE(built.ok()) << built.status();
  Xapian::Enquire enquire(db_);
  enquire.set_query(ToXapian(built->tree));
  const Xapian::MSet mset = enquire.get_mset(0, 10);
  ASSERT_GE(mset.size(), 1u);
  absl::StatusOr<v1::Article> top = ArticleFromDocument(mset.begin().get_document());
  ASSERT_TRUE(top.ok());
  EXPECT_EQ(top->id(), "both");
}

TEST_F(QueryPlanTest, MatchAllRequiresEveryWord) {
  EXPECT_EQ(Ids("apple banana", /*match_all=*/true), "both");
  EXPECT_EQ(Ids("apple cherry", /*match_all=*/true), "");
}

TEST_F(QueryPlanTest, NaturalModeKeepsWordsBeforeACompoundOptional) {
  // "apple" must still match on its own when the next word is a compound with
  // a joined alias (GPT-4o → gpt 4 o + gpt4o).
  const std::string ids = Ids("apple GPT-4o");
  EXPECT_EQ(ids, "apple both gpt-dash gpt-joined gpt-spaced");
}

TEST_F(QueryPlanTest, QuotedPhraseNeedsAdjacentWords) {
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

TEST_F(QueryPlanTest, ExclusionRemovesMatches) {
  EXPECT_EQ(Ids("apple -banana"), "apple");
  EXPECT_EQ(Ids("apple -\"banana smoothie\""), "apple");
  EXPECT_EQ(Ids("apple -tag:openai"), "both");
  EXPECT_EQ(Ids("apple banana -category:개발"), "both");
  EXPECT_EQ(Ids("경쟁 -패권"), "");
  EXPECT_EQ(Ids("recipe -\"apple pie\""), "banana");
}

TEST_F(QueryPlanTest, ExcludingAKoreanWordKeepsArticlesThatOnlyShareASyllablePair) {
  // 국가대표 shares the bigram 국가 with 국가적 but does not contain 국가적.
  const std::string ids = Ids("축구 -국가적");
  EXPECT_EQ(ids, "national-team");
  EXPECT_EQ(Ids("축구 -국가대표"), "");
}

TEST_F(QueryPlanTest, OnlyPhrasesThatDecideMatchingAreChecked) {
  auto checks = [](absl::string_view query) {
    absl::StatusOr<QueryPlan> built = PlanQuery(query, PlanOptions());
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

TEST_F(QueryPlanTest, PlusRequiresAClauseInNaturalMode) {
  EXPECT_EQ(Ids("+apple banana"), "apple both");
  EXPECT_EQ(Ids("apple +banana"), "banana both");
}

TEST_F(QueryPlanTest, OrJoinsAlternatives) {
  EXPECT_EQ(Ids("apple OR banana", /*match_all=*/true), "apple banana both");
  EXPECT_EQ(Ids("smoothie apple OR banana", /*match_all=*/true), "both");
}

TEST_F(QueryPlanTest, TagFilterIsCaseInsensitiveAndDoesNotScore) {
  EXPECT_EQ(Ids("tag:openai"), "apple");
  EXPECT_EQ(Ids("tag:OpenAI"), "apple");
  EXPECT_EQ(Ids("tag:ＯＰＥＮＡＩ"), "apple");
  EXPECT_EQ(Ids("tag:python"), "apple banana");
  EXPECT_EQ(Ids("recipe tag:openai"), "apple");
  EXPECT_EQ(Ids("smoothie tag:openai"), "");
  EXPECT_EQ(Ids("tag:\"python\""), "apple banana");

  absl::StatusOr<QueryPlan> built = PlanQuery("tag:python", PlanOptions());
  ASSERT_TRUE(built.ok()) << built.status();
  EXPECT_FALSE(built->has_text);
  built = PlanQuery("recipe tag:python", PlanOptions());
  ASSERT_TRUE(built.ok()) << built.status();
  EXPECT_TRUE(built->has_text);
}

TEST_F(QueryPlanTest, CategoryFilterIncludesSubCategories) {
  // category:개발 finds 개발 and 개발/파이썬 but not the unrelated "개발 환경".
  EXPECT_EQ(Ids("category:개발"), "apple banana");
  EXPECT_EQ(Ids("category:개발/파이썬"), "apple");
  EXPECT_EQ(Ids("category:\"개발 / 파이썬\""), "apple");
  EXPECT_EQ(Ids("category:\"개발 환경\""), "both");
  EXPECT_EQ(Ids("category:파이썬"), "");
  EXPECT_EQ(Ids("category:\"ai 관련 소식\""), "hegemony scattered strategy");
}

TEST_F(QueryPlanTest, CompoundSpellingsFindEachOther) {
  const std::string all_three = "gpt-dash gpt-joined gpt-spaced";
  EXPECT_EQ(Ids("GPT-4o"), all_three);
  EXPECT_EQ(Ids("gpt4o"), all_three);
  EXPECT_EQ(Ids("\"GPT 4o\""), all_three);
  EXPECT_EQ(Ids("Gpt-4O"), all_three);
}

TEST_F(QueryPlanTest, KoreanWordMatchesInFrontOfParticles) {
  EXPECT_EQ(Ids("패권"), "hegemony");
  EXPECT_EQ(Ids("패권을"), "hegemony");
  EXPECT_EQ(Ids("AI기술 패권"), Ids("AI 기술 패권"));
}

TEST_F(QueryPlanTest, DecomposedAndJamoQueriesFindComposedText) {
  // 패권 in NFD: ᄑ ᅢ ᄀ ᅯ ᆫ.
  EXPECT_EQ(Ids("\u1111\u1162\u1100\u116F\u11AB"), "hegemony");
  // Compatibility jamo typed letter by letter.
  EXPECT_EQ(Ids("ㅍㅐㄱㅝㄴ"), "hegemony");
}

TEST_F(QueryPlanTest, LatinWordsMatchTheirLightStem) {
  EXPECT_EQ(Ids("model"), "models");
  EXPECT_EQ(Ids("models"), "models");
  EXPECT_EQ(Ids("APPLES"), "apple both");
}

TEST_F(QueryPlanTest, TitleFieldSearchesTitlesOnly) {
  EXPECT_EQ(Ids("title:smoothie"), "both");
  EXPECT_EQ(Ids("title:recipe"), "");
  EXPECT_EQ(Ids("title:반도체"), "scattered");
}

TEST_F(QueryPlanTest, QueriesWithoutSearchableCharactersAreInvalid) {
  for (const char* query : {"!!!", "😀", "😀 👍 !!", "ㅋ", "\"!!!\"", "+???", "title:!!!"}) {
    absl::StatusOr<QueryPlan> built = PlanQuery(query, PlanOptions());
    if (built.ok()) {
      ADD_FAILURE() << "query \"" << query << "\" built: " << ToXapian(built->tree).get_description();
      continue;
    }
    EXPECT_EQ(built.status().code(), absl::StatusCode::kInvalidArgument) << query;
    EXPECT_FALSE(built.status().message().empty()) << query;
  }
}

TEST_F(QueryPlanTest, SymbolsNextToWordsAreIgnored) {
  EXPECT_EQ(Ids("apple!!! 😀"), "apple both");
}

TEST_F(QueryPlanTest, SyntaxErrorsAreInvalidArgument) {
  for (const char* query : {"\"unterminated", "apple OR", "tag:"}) {
    absl::StatusOr<QueryPlan> built = PlanQuery(query, PlanOptions());
    ASSERT_FALSE(built.ok()) << query;
    EXPECT_EQ(built.status().code(), absl::StatusCode::kInvalidArgument) << query;
  }
}

TEST_F(QueryPlanTest, OnlyFiltersGiveAFilteredMatchAll) {
  absl::StatusOr<QueryPlan> built = PlanQuery("", PlanOptions());
  ASSERT_TRUE(built.ok()) << built.status();
  EXPECT_FALSE(built->has_text);
  EXPECT_EQ(Ids(""), Ids("apple OR banana OR 전략 OR 패권 OR GPT OR gpt4o OR 4o OR models OR 축구"));
  EXPECT_EQ(Ids("-apple").find("apple"), std::string::npos);
}

TEST_F(QueryPlanTest, HighlightTermsListTheScoringTerms) {
  absl::StatusOr<QueryPlan> built = PlanQuery("패권 models -banana tag:openai", PlanOptions());
  ASSERT_TRUE(built.ok()) << built.status();
  const std::vector<std::string>& h = built->highlight_terms;
  auto has = [&](const std::string& t) { return std::find(h.begin(), h.end(), t) != h.end(); };
  EXPECT_TRUE(has("패권")) << absl::StrJoin(h, " ");
  EXPECT_TRUE(has("models")) << absl::StrJoin(h, " ");
  EXPECT_TRUE(has("model")) << absl::StrJoin(h, " ");
  // Excluded words and filters are not highlighted.
  EXPECT_FALSE(has("banana")) << absl::StrJoin(h, " ");
  EXPECT_FALSE(has("openai")) << absl::StrJoin(h, " ");

  built = PlanQuery("\"국가적 전략\" GPT-4o", PlanOptions());
  ASSERT_TRUE(built.ok()) << built.status();
  for (const char* t : {"국가", "가적", "전략", "gpt", "4", "o"}) {
    EXPECT_TRUE(std::find(built->highlight_terms.begin(), built->highlight_terms.end(), t) !=
                built->highlight_terms.end())
        << t << " missing from " << absl::StrJoin(built->highlight_terms, " ");
  }
}

// The request's filters are clauses of the same tree as the query's own:
// one tree decides what matches, whoever runs it.
TEST_F(QueryPlanTest, RequestFiltersAreClausesOfTheTree) {
  auto ids_with = [&](absl::string_view text, v1::SearchRequest request) {
    request.set_query(std::string(text));
    return IdsOf(PlanSearch(request, 0, 1));
  };
  v1::SearchRequest request;
  request.add_tags("python");
  EXPECT_EQ(ids_with("recipe", request), Ids("recipe tag:python"));
  EXPECT_EQ(ids_with("", request), "apple banana");
  request.add_tags("OpenAI");
  EXPECT_EQ(ids_with("", request), "apple");  // every tag
  request.set_tag_match(v1::TAG_MATCH_ANY);
  request.clear_tags();
  request.add_tags("docker");
  request.add_tags("openai");
  EXPECT_EQ(ids_with("apple", request), "apple both");
  request.clear_tags();
  request.add_exclude_tags("OPENAI");
  EXPECT_EQ(ids_with("apple", request), "both");
  request.clear_exclude_tags();
  request.set_category("개발");
  EXPECT_EQ(ids_with("recipe", request), "apple banana");
}

// The counting variant matches what the ranked tree matches, unscaled; the
// selective variant leaves out grams most posts hold, and nothing at all
// when no scoring gram is left.
TEST_F(QueryPlanTest, VariantsAreTransformsOfThePlan) {
  PlanOptions options;
  options.title_boost = 2;
  options.body_weight = 0.5;
  absl::StatusOr<QueryPlan> plan = PlanQuery("국가적 전략 apple -banana tag:python", options);
  ASSERT_TRUE(plan.ok()) << plan.status();
  const std::string ranked = ToXapian(plan->tree).get_description();
  const std::string counting = ToXapian(CountingTree(*plan)).get_description();
  EXPECT_NE(ranked.find(" * "), std::string::npos) << ranked;  // Xapian's OP_SCALE_WEIGHT
  EXPECT_EQ(counting.find(" * "), std::string::npos) << counting;
  EXPECT_EQ(counting.find("S국가"), std::string::npos) << counting;  // no title boost either
  auto matches = [&](const QueryNode& tree) {
    Xapian::Enquire enquire(db_);
    enquire.set_query(ToXapian(tree));
    std::vector<Xapian::docid> ids;
    const Xapian::MSet mset = enquire.get_mset(0, db_.get_doccount());
    for (auto it = mset.begin(); it != mset.end(); ++it) ids.push_back(*it);
    std::sort(ids.begin(), ids.end());
    return ids;
  };
  EXPECT_EQ(matches(plan->tree), matches(CountingTree(*plan)));

  auto share_of = [](const std::string& term) { return term == "국가" || term == "전략" ? 0.9 : 0.01; };
  const std::string selective = ToXapian(SelectiveTree(*plan, share_of, 0.5)).get_description();
  EXPECT_EQ(selective.find("국가"), std::string::npos) << selective;
  EXPECT_EQ(selective.find("@전략"), std::string::npos) << selective;
  EXPECT_NE(selective.find("가적"), std::string::npos) << selective;
  EXPECT_NE(selective.find("Kpython"), std::string::npos) << selective;  // filters stay
  absl::StatusOr<QueryPlan> common = PlanQuery("국가 전략", PlanOptions());
  ASSERT_TRUE(common.ok());
  EXPECT_TRUE(SelectiveTree(*common, share_of, 0.5).empty());
}

// A plan analyses its text once; compiling variants analyses nothing.
TEST_F(QueryPlanTest, APlanAnalysesItsTextOnce) {
  const uint64_t before = QueryAnalysisCount();
  absl::StatusOr<QueryPlan> plan = PlanQuery("국가적 전략 -경제 \"apple pie\" tag:python", PlanOptions());
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(QueryAnalysisCount(), before + 1);
  (void)CountingTree(*plan);
  (void)SelectiveTree(*plan, [](const std::string&) { return 0.0; }, 0.5);
  EXPECT_EQ(QueryAnalysisCount(), before + 1);
}

}  // namespace
}  // namespace chaja::search
