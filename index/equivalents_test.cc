#include "index/equivalents.h"

#include <algorithm>
#include <string>
#include <vector>

#include "analyzer/loanword.h"
#include "gtest/gtest.h"
#include "index/schema.h"

namespace chaja::index {
namespace {

std::vector<std::string> Texts(const std::vector<Equivalents::Alternative>& alternatives) {
  std::vector<std::string> texts;
  for (const Equivalents::Alternative& a : alternatives) texts.push_back(a.text);
  return texts;
}

std::shared_ptr<const Equivalents> MakeOrDie(const std::vector<std::string>& rules, bool builtin) {
  absl::StatusOr<std::shared_ptr<const Equivalents>> made = Equivalents::Make(rules, builtin);
  EXPECT_TRUE(made.ok()) << made.status();
  return made.ok() ? *made : nullptr;
}

TEST(EquivalentsTest, TwoWayRulesFindEachOtherInAnyCaseOrWidth) {
  const auto e = MakeOrDie({"테라폼, Terraform, 테라포옴"}, false);
  EXPECT_EQ(Texts(e->AlternativesOf("ＴＥＲＲＡＦＯＲＭ")), (std::vector<std::string>{"테라폼", "테라포옴"}));
  EXPECT_EQ(Texts(e->AlternativesOf("테라폼")), (std::vector<std::string>{"Terraform", "테라포옴"}));
  EXPECT_EQ(e->SetOfKey(NormalizeKey("terraform")), e->SetOfKey(NormalizeKey("테라폼")));
  EXPECT_EQ(e->set(e->SetOfKey("terraform")).source, v1::EQUIVALENT_SOURCE_SITE);
  EXPECT_TRUE(e->AlternativesOf("우분투").empty());  // built-in list off
}

TEST(EquivalentsTest, OneWayRulesWidenOnlyTheirFirstWordAndMergeNoTags) {
  const auto e = MakeOrDie({"LLM => 대형 언어 모델, 거대 언어 모델"}, false);
  EXPECT_EQ(Texts(e->AlternativesOf("llm")), (std::vector<std::string>{"대형 언어 모델", "거대 언어 모델"}));
  EXPECT_TRUE(e->AlternativesOf("대형 언어 모델").empty());
  EXPECT_EQ(e->SetOfKey("llm"), Equivalents::kNoSet);
  ASSERT_EQ(e->site_sets().size(), 1u);
  EXPECT_TRUE(e->site_sets()[0].one_way);
}

TEST(EquivalentsTest, BadRulesAreRefusedWithTheRule) {
  for (const std::string rule : {"우분투", "a => b => c", "a, b => c", "a, , b", " => b"}) {
    const auto made = Equivalents::Make({rule}, true);
    ASSERT_FALSE(made.ok()) << rule;
    EXPECT_EQ(made.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(made.status().message().find(rule), std::string::npos) << made.status();
  }
}

TEST(EquivalentsTest, BuiltinSetsJoinPairsThatShareAWordAndTheSiteListWins) {
  const auto builtin = MakeOrDie({}, true);
  EXPECT_NE(builtin->SetOfKey("ubuntu"), Equivalents::kNoSet);
  EXPECT_EQ(builtin->SetOfKey("ubuntu"), builtin->SetOfKey(NormalizeKey("우분투")));
  EXPECT_EQ(builtin->set(builtin->SetOfKey("ubuntu")).source, v1::EQUIVALENT_SOURCE_BUILTIN);
  // 윈도우 = Windows and 윈도 = Windows are one set.
  EXPECT_EQ(builtin->SetOfKey(NormalizeKey("윈도우")), builtin->SetOfKey(NormalizeKey("윈도")));
  // Every pair of the list is one set.
  for (const analyzer::LoanwordPair& pair : analyzer::BuiltinLoanwords()) {
    EXPECT_EQ(builtin->SetOfKey(NormalizeKey(pair.hangul)), builtin->SetOfKey(NormalizeKey(pair.latin)))
        << pair.hangul;
  }
  EXPECT_GE(BuiltinEquivalentSets().size(), 500u);

  // The site's rule takes 우분투 out of the built-in set: Ubuntu is no longer 우분투.
  const auto site = MakeOrDie({"우분투, 유분투"}, true);
  EXPECT_EQ(Texts(site->AlternativesOf("우분투")), (std::vector<std::string>{"유분투"}));
  EXPECT_TRUE(site->AlternativesOf("ubuntu").empty());
  EXPECT_FALSE(site->BuiltinSetActive(builtin->SetOfKey("ubuntu")));
  EXPECT_FALSE(Texts(site->AlternativesOf("파이썬")).empty());  // other built-in sets stay
}

TEST(EquivalentsTest, WordsStartingWithAPrefixBeingTyped) {
  const auto e = MakeOrDie({"테라폼, Terraform"}, true);
  const std::vector<std::string> words = e->WordsStartingWith("우분", 3);
  EXPECT_NE(std::find(words.begin(), words.end(), NormalizeKey("우분투")), words.end());
  EXPECT_EQ(e->WordsStartingWith("terra", 3), (std::vector<std::string>{"terraform"}));
  EXPECT_TRUE(e->WordsStartingWith("", 3).empty());
  EXPECT_LE(e->WordsStartingWith("s", 2).size(), 2u);
}

}  // namespace
}  // namespace chaja::index
