#include "search/equivalent_discovery.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "index/equivalents.h"
#include "search/site_equivalents.h"
#include "analyzer/loanword.h"
#include "gtest/gtest.h"
#include "index/site.h"
#include "testing/sites.h"
#include "testing/temp_dir.h"

namespace chaja::search {
namespace {

// Pairs the fixture blog (tests/testdata/synonyms/blog.jsonl) writes as the
// same thing: in the same posts, as a tag pair (Svelte), or only beside the
// same tags (Obsidian).
const std::vector<std::pair<std::string, std::string>>& SamePairs() {
  static const auto* pairs = new std::vector<std::pair<std::string, std::string>>{
      {"카산드라", "Cassandra"}, {"이스티오", "Istio"}, {"클릭하우스", "ClickHouse"}, {"다그스터", "Dagster"},
      {"자빅스", "Zabbix"}, {"엘릭서", "Elixir"}, {"스벨트", "Svelte"}, {"옵시디언", "Obsidian"},
  };
  return *pairs;
}

// Native words that sound like a Latin word of the fixture but mean something
// else, and never share its posts: 미로 (maze), 소라 (conch), 다시 (again),
// 미소 (smile), 파도 (wave; beside the broad tag 여행 like Fado).
const std::vector<std::pair<std::string, std::string>>& FalseFriends() {
  static const auto* pairs = new std::vector<std::pair<std::string, std::string>>{
      {"미로", "Miro"}, {"소라", "Sora"}, {"다시", "dashi"}, {"미소", "miso"}, {"파도", "Fado"},
  };
  return *pairs;
}

// A stand-in for analyzer/loanword.h: every listed pair (the same words and
// the false friends alike) sounds alike, nothing else does, so the test sees
// what the evidence alone decides.
SoundComparison FakeSound() {
  auto alike = std::make_shared<std::map<std::string, std::vector<std::string>>>();
  for (const auto* list : {&SamePairs(), &FalseFriends()}) {
    for (const auto& [hangul, latin] : *list) (*alike)[hangul].push_back(absl::AsciiStrToLower(latin));
  }
  SoundComparison sound;
  sound.similarity = [alike](const std::string& latin, const std::string& hangul) {
    auto it = alike->find(hangul);
    if (it == alike->end()) return 0.0;
    return std::find(it->second.begin(), it->second.end(), latin) != it->second.end() ? 0.9 : 0.0;
  };
  sound.latin_keys = [](const std::string& latin) { return std::vector<std::string>{latin}; };
  sound.hangul_keys = [alike](const std::string& hangul) {
    auto it = alike->find(hangul);
    return it == alike->end() ? std::vector<std::string>() : it->second;
  };
  return sound;
}

class EquivalentDiscoveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::vector<v1::Article>> articles = testing::ReadArticles(CHAJA_SYNONYM_FIXTURE);
    ASSERT_TRUE(articles.ok()) << articles.status();
    ASSERT_TRUE(testing::WriteSite(dir_.path(), "blog", *articles).ok());
    absl::StatusOr<std::string> path = index::SiteDatabasePath(dir_.path(), "blog");
    ASSERT_TRUE(path.ok()) << path.status();
    db_ = Xapian::Database(*path);
  }

  std::vector<EquivalentCandidate> Discover(const DiscoveryOptions& options) {
    absl::StatusOr<std::vector<EquivalentCandidate>> found = DiscoverEquivalents(db_, options);
    EXPECT_TRUE(found.ok()) << found.status();
    return found.ok() ? *found : std::vector<EquivalentCandidate>();
  }

  static const EquivalentCandidate* Find(const std::vector<EquivalentCandidate>& found, const std::string& hangul,
                                         const std::string& latin) {
    for (const EquivalentCandidate& c : found) {
      if (c.hangul == hangul && absl::AsciiStrToLower(c.latin) == absl::AsciiStrToLower(latin)) return &c;
    }
    return nullptr;
  }

  const testing::TempDir dir_{"equivalent_discovery_test"};
  Xapian::Database db_;
};

TEST_F(EquivalentDiscoveryTest, SuggestsEverySamePairWithEvidenceAndNoFalseFriend) {
  DiscoveryOptions options;
  options.sound = FakeSound();
  const std::vector<EquivalentCandidate> found = Discover(options);
  for (const auto& [hangul, latin] : SamePairs()) {
    const EquivalentCandidate* c = Find(found, hangul, latin);
    ASSERT_NE(c, nullptr) << hangul << " / " << latin;
    EXPECT_EQ(c->latin, latin) << "the site's own spelling";
    EXPECT_GT(c->both_posts + c->shared_tags, 0u) << hangul;
    EXPECT_FALSE(c->examples.empty()) << hangul;
    EXPECT_GT(c->score, 0) << hangul;
  }
  for (const auto& [hangul, latin] : FalseFriends()) EXPECT_EQ(Find(found, hangul, latin), nullptr) << hangul;

  const EquivalentCandidate* cassandra = Find(found, "카산드라", "Cassandra");
  ASSERT_NE(cassandra, nullptr);
  EXPECT_EQ(cassandra->both_posts, 3u);
  EXPECT_EQ(cassandra->examples.size(), 3u);
  const EquivalentCandidate* obsidian = Find(found, "옵시디언", "Obsidian");
  ASSERT_NE(obsidian, nullptr);
  EXPECT_EQ(obsidian->both_posts, 0u);
  EXPECT_EQ(obsidian->shared_tags, 3u);
  for (size_t i = 1; i < found.size(); ++i) EXPECT_GE(found[i - 1].score, found[i].score);
}

// The same with analyzer/loanword.h's comparison and built-in list: the
// fixture's pairs are not in the list, and its false friends sound alike.
TEST_F(EquivalentDiscoveryTest, WithTheLoanwordComparisonSuggestsTheSamePairsOnly) {
  DiscoveryOptions options;
  options.sound.similarity = [](const std::string& latin, const std::string& hangul) {
    return analyzer::SoundSimilarity(latin, hangul);
  };
  options.sound.latin_keys = [](const std::string& latin) { return analyzer::SoundKeysOfLatin(latin); };
  options.sound.hangul_keys = [](const std::string& hangul) { return analyzer::SoundKeysOfHangul(hangul); };
  for (const auto& [hangul, latin] : FalseFriends()) {
    EXPECT_TRUE(analyzer::SoundsAlike(latin, hangul)) << hangul << " is no test of evidence if it sounds unlike";
  }
  const std::vector<EquivalentCandidate> found = Discover(options);
  for (const auto& [hangul, latin] : SamePairs()) EXPECT_NE(Find(found, hangul, latin), nullptr) << hangul;
  for (const auto& [hangul, latin] : FalseFriends()) EXPECT_EQ(Find(found, hangul, latin), nullptr) << hangul;
  for (const EquivalentCandidate& c : found) {
    bool listed = false;
    for (const auto& [hangul, latin] : SamePairs()) listed |= c.hangul == hangul && c.latin == latin;
    EXPECT_TRUE(listed) << "unexpected " << c.hangul << " / " << c.latin;
  }
}

TEST_F(EquivalentDiscoveryTest, SkipsKnownPairsAndTheirLongerForms) {
  DiscoveryOptions options;
  options.sound = FakeSound();
  // Listed with another Latin word: still a candidate.
  options.known = [](const std::string& hangul, const std::string& latin) {
    return hangul == "이스티오" && latin == "istios";
  };
  EXPECT_NE(Find(Discover(options), "이스티오", "Istio"), nullptr);
  // Listed, so neither it nor a longer form of it (이스티오로) comes back.
  options.known = [](const std::string& hangul, const std::string& latin) {
    return hangul == "이스티오" && latin == "istio";
  };
  for (const EquivalentCandidate& c : Discover(options)) EXPECT_NE(c.latin, "Istio") << c.hangul;
}

TEST_F(EquivalentDiscoveryTest, ReadsAtMostMaxPostsAndHonoursTheLimit) {
  DiscoveryOptions options;
  options.sound = FakeSound();
  options.limit = 2;
  EXPECT_EQ(Discover(options).size(), 2u);
  options.limit = 50;
  options.max_posts = 1;
  for (const EquivalentCandidate& c : Discover(options)) EXPECT_LE(c.hangul_posts, 1u);
}

TEST_F(EquivalentDiscoveryTest, NeedsASoundComparison) {
  EXPECT_EQ(DiscoverEquivalents(db_, DiscoveryOptions()).status().code(), absl::StatusCode::kInvalidArgument);
}

// The sample blog without the built-in list: every pair discovery proposes
// is judged right in tests/testdata/synonyms/judged_blog.tsv (the list we
// checked by hand), and 도커/Docker, which its posts write side by side, is
// among them.
TEST(SampleBlogDiscoveryTest, EveryProposedPairIsJudgedRight) {
  const testing::TempDir dir("sample_discovery_test");
  ASSERT_TRUE(testing::WriteSiteFromJsonl(dir.path(), "blog", testing::SampleBlogPath()).ok());
  std::map<std::pair<std::string, std::string>, std::string> judged;
  std::ifstream in(CHAJA_SYNONYM_JUDGED_BLOG);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    const std::vector<std::string> f = absl::StrSplit(line, '\t');
    if (f.size() == 3) judged[{f[0], absl::AsciiStrToLower(f[1])}] = f[2];
  }
  const absl::StatusOr<std::string> path = index::SiteDatabasePath(dir.path(), "blog");
  ASSERT_TRUE(path.ok());
  const Xapian::Database db(*path);
  const auto no_lists = index::Equivalents::Make({}, /*builtin=*/false);
  const absl::StatusOr<v1::SuggestEquivalentsResponse> found =
      SuggestEquivalents(db, **no_lists, v1::SuggestEquivalentsRequest());
  ASSERT_TRUE(found.ok()) << found.status();
  bool docker = false;
  for (const v1::EquivalentCandidate& c : found->candidates()) {
    const auto it = judged.find({c.hangul(), absl::AsciiStrToLower(c.latin())});
    ASSERT_NE(it, judged.end()) << "not judged yet: " << c.hangul() << " / " << c.latin();
    EXPECT_EQ(it->second, "right") << c.hangul() << " / " << c.latin();
    docker |= c.hangul() == "도커";
  }
  EXPECT_TRUE(docker);
  // With the built-in list on, its pairs are known: nothing is left to propose.
  const auto builtin = index::Equivalents::Make({}, /*builtin=*/true);
  EXPECT_EQ(SuggestEquivalents(db, **builtin, v1::SuggestEquivalentsRequest())->candidates_size(), 0);
}

TEST(HangulWordsOfTest, KeepsTheRunAndTheRunWithoutItsEnding) {
  EXPECT_EQ(HangulWordsOf("카산드라에서 Cassandra를"), (std::vector<std::string>{"카산드라에서", "카산드라"}));
  EXPECT_EQ(HangulWordsOf("스토리들이"), (std::vector<std::string>{"스토리들이", "스토리"}));
  // One syllable is no word, and an ending never leaves less than two.
  EXPECT_EQ(HangulWordsOf("물 파이"), (std::vector<std::string>{"파이"}));
}

}  // namespace
}  // namespace chaja::search
