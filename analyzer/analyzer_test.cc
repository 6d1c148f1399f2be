#include "analyzer/analyzer.h"

#include <xapian.h>

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "gtest/gtest.h"

namespace chaja::analyzer {
namespace {

// "term@position" for every token, space separated; aliases are marked "=".
std::string Terms(absl::string_view text) {
  std::vector<std::string> parts;
  for (const Token& t : Analyzer().Analyze(text)) {
    parts.push_back(t.term + (t.is_alias ? "=" : "@") + std::to_string(t.position));
  }
  return absl::StrJoin(parts, " ");
}

std::string PlainTerms(absl::string_view text) {
  std::vector<std::string> parts;
  for (const Token& t : Analyzer().Analyze(text)) parts.push_back(t.term);
  return absl::StrJoin(parts, " ");
}

struct GoldenCase {
  const char* input;
  const char* expected;
};

TEST(AnalyzerTest, GoldenTerms) {
  const GoldenCase cases[] = {
      {"", ""},
      {"한국어 검색", "한국@0 국어@1 검색@2"},
      {"패권을 잡다", "패권@0 권을@1 잡다@2"},
      {"책", "책@0"},
      {"이 책은", "이@0 책은@1"},
      {"AI기술", "ai@0 기술@1"},
      {"GPT-4o", "gpt@0 4@1 o@2 gpt4o=0"},
      {"gpt4o", "gpt@0 4@1 o@2 gpt4o=0"},
      {"GPT 4o", "gpt@0 4@1 o@2 4o=1"},
      {"OpenAI와 오픈AI", "openai@0 와@1 오픈@2 ai@3"},
      {"Ubuntu 24.04 LTS", "ubuntu@0 24@1 04@2 2404=1 lts@3"},
      {"12 삭망월과 1태양년의", "12@0 삭망@1 망월@2 월과@3 1@4 태양@5 양년@6 년의@7"},
      {"韓國語 人工知能", "韓國@0 國語@1 人工@2 工知@3 知能@4"},
      {"ＡＩ ① ｔｅｓｔ", "ai@0 1@1 test@2"},
      {"좋아요👍👍 ㅋㅋㅋ!!", "좋아@0 아요@1"},
      {"don't", "don@0 t@1 dont=0"},
      {"<script>alert(1)</script>", "script@0 alert@1 1@2 script@3"},
      {"e-mail: user@example.com", "e@0 mail@1 email=0 user@2 example@3 com@4 examplecom=3"},
  };
  for (const GoldenCase& c : cases) {
    EXPECT_EQ(Terms(c.input), c.expected) << "input: " << c.input;
  }
}

TEST(AnalyzerTest, DecomposedAndCompatibilityJamoGiveComposedTerms) {
  // NFD as macOS writes it: 한국 = ᄒ ᅡ ᆫ ᄀ ᅮ ᆨ.
  EXPECT_EQ(PlainTerms("\u1112\u1161\u11AB\u1100\u116E\u11A8"), "한국");
  // Compatibility jamo typed letter by letter.
  EXPECT_EQ(PlainTerms("ㅎㅏㄴㄱㅜㄱ"), "한국");
  // Offsets point into the original bytes: the NFD term covers all 18 bytes.
  const std::vector<Token> tokens = Analyzer().Analyze("\u1112\u1161\u11AB\u1100\u116E\u11A8");
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].begin, 0u);
  EXPECT_EQ(tokens[0].end, 18u);
}

TEST(AnalyzerTest, OffsetsCoverTheOriginalBytes) {
  const std::string text = "AI기술 발전";
  for (const Token& t : Analyzer().Analyze(text)) {
    ASSERT_LE(t.end, text.size());
    ASSERT_LT(t.begin, t.end);
  }
  const std::vector<Token> tokens = Analyzer().Analyze(text);
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(text.substr(tokens[1].begin, tokens[1].end - tokens[1].begin), "기술");
}

TEST(AnalyzerTest, InvalidUtf8NeverCrashesAndKeepsValidParts) {
  const std::string text = std::string("한국\xFF\xFE어 ab\xC3") + "\xE2\x82" + "cd";
  EXPECT_EQ(PlainTerms(text), "한국 어 ab cd");
}

TEST(AnalyzerTest, OverlongTokensAreDroppedNotPassedToXapian) {
  const std::string blob(300, 'a');
  EXPECT_EQ(PlainTerms(blob + " 검색"), "검색");
  const std::string url = "https://example.com/" + std::string(280, 'x') + "/page";
  for (const Token& t : Analyzer().Analyze(url)) EXPECT_LE(t.term.size(), kMaxWordBytes);
  // A base64-looking blob splits at letter/digit changes; every term stays short.
  std::string b64;
  for (int i = 0; i < 400; ++i) b64.push_back("AbC9xY0z+/"[i % 10]);
  for (const Token& t : Analyzer().Analyze(b64)) EXPECT_LE(t.term.size(), kMaxWordBytes);
}

TEST(AnalyzerTest, LightStemRemovesPluralsOnly) {
  EXPECT_EQ(LightStem("models"), "model");
  EXPECT_EQ(LightStem("queries"), "query");
  EXPECT_EQ(LightStem("classes"), "class");
  EXPECT_EQ(LightStem("class"), "class");
  EXPECT_EQ(LightStem("corpus"), "corpus");
  EXPECT_EQ(LightStem("ios"), "ios");
  EXPECT_EQ(LightStem("analysis"), "analysis");
}

// Where our scheme agrees with Xapian 1.4's FLAG_CJK_NGRAM, the bigrams must be
// the same set: Xapian emits unigrams and bigrams; we emit the bigrams of a
// multi-syllable run and the unigram of a one-syllable run.
TEST(AnalyzerTest, BigramsAgreeWithXapianCjkNgram) {
  const char* inputs[] = {"극지라 한국어 검색", "국가적 전략을 세우다", "韓國語", "오픈AI의 모델"};
  for (const char* input : inputs) {
    Xapian::TermGenerator generator;
    generator.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
    Xapian::Document doc;
    generator.set_document(doc);
    generator.index_text(input);
    std::set<std::string> xapian_bigrams;
    for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
      const std::string term = *it;
      // Xapian's CJK bigrams are two 3-byte characters.
      if (term.size() == 6 && static_cast<unsigned char>(term[0]) >= 0xE0) xapian_bigrams.insert(term);
    }
    std::set<std::string> ours;
    for (const Token& t : Analyzer().Analyze(input)) {
      if (t.kind == TokenKind::kCjkGram && t.term.size() == 6) ours.insert(t.term);
    }
    EXPECT_EQ(ours, xapian_bigrams) << "input: " << input;
  }
}

// Quoted phrases are checked against stored text (the index has no positions).
TEST(AnalyzerTest, ContainsPhraseNeedsConsecutiveTokens) {
  const Analyzer analyzer;
  auto terms_of = [&](absl::string_view phrase) {
    std::vector<std::string> terms;
    for (const Token& t : analyzer.Analyze(phrase)) {
      if (!t.is_alias) terms.push_back(t.term);
    }
    return terms;
  };
  const std::string text = "우리의 국가적 전략은 분명하다. 국가대표 전략가와 GPT-4o 모델";
  EXPECT_TRUE(analyzer.ContainsPhrase(text, terms_of("국가적 전략")));
  EXPECT_TRUE(analyzer.ContainsPhrase(text, terms_of("국가적  전략은")));
  EXPECT_FALSE(analyzer.ContainsPhrase(text, terms_of("국가 전략")));      // 국가적 ≠ 국가 + 전략
  EXPECT_FALSE(analyzer.ContainsPhrase(text, terms_of("전략 국가적")));    // order matters
  EXPECT_FALSE(analyzer.ContainsPhrase(text, terms_of("분명하다 전략가")));  // not adjacent
  EXPECT_TRUE(analyzer.ContainsPhrase(text, terms_of("gpt 4o")));          // parts of GPT-4o
  EXPECT_TRUE(analyzer.ContainsPhrase(text, terms_of("4o 모델")));
  EXPECT_TRUE(analyzer.ContainsPhrase("꿈, 꿈 속에서", terms_of("꿈 속에서")));
  EXPECT_FALSE(analyzer.ContainsPhrase("", terms_of("꿈 속")));
  // NFD input and full-width Latin normalize like the index does.
  EXPECT_TRUE(analyzer.ContainsPhrase("ＧＰＴ－４ｏ 모델", terms_of("gpt-4o 모델")));
}

}  // namespace
}  // namespace chaja::analyzer
