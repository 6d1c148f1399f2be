#include "analyzer/loanword.h"

#include <cctype>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "analyzer/utf8.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace chaja::analyzer {
namespace {

using ::testing::Contains;
using ::testing::IsEmpty;

std::string Describe(const LoanwordPair& p) {
  return std::string(p.hangul) + " / " + std::string(p.latin) + " (" +
         std::to_string(SoundSimilarity(p.latin, p.hangul)) + "; " +
         absl::StrJoin(HangulTranscriptions(p.latin), " ") + ")";
}

bool ShareAKey(absl::string_view latin, absl::string_view hangul) {
  const std::vector<std::string> a = SoundKeysOfLatin(latin);
  const std::vector<std::string> b = SoundKeysOfHangul(hangul);
  for (const std::string& key : a) {
    for (const std::string& other : b) {
      if (key == other) return true;
    }
  }
  return false;
}

TEST(LoanwordTest, EveryBuiltinPairSoundsAlike) {
  int failures = 0;
  for (const LoanwordPair& p : BuiltinLoanwords()) {
    if (!SoundsAlike(p.latin, p.hangul)) {
      ++failures;
      ADD_FAILURE() << Describe(p);
    }
  }
  EXPECT_EQ(failures, 0);
}

TEST(LoanwordTest, EveryBuiltinPairSharesABlockingKey) {
  for (const LoanwordPair& p : BuiltinLoanwords()) {
    EXPECT_TRUE(ShareAKey(p.latin, p.hangul))
        << p.hangul << " / " << p.latin << ": " << absl::StrJoin(SoundKeysOfLatin(p.latin), ",")
        << " vs " << absl::StrJoin(SoundKeysOfHangul(p.hangul), ",");
  }
}

TEST(LoanwordTest, BuiltinListIsLargeWithoutDuplicates) {
  std::set<std::pair<std::string, std::string>> seen;
  for (const LoanwordPair& p : BuiltinLoanwords()) {
    EXPECT_TRUE(seen.emplace(std::string(p.hangul), std::string(p.latin)).second)
        << "duplicate: " << p.hangul << " / " << p.latin;
  }
  EXPECT_GE(seen.size(), 520u);
}

TEST(LoanwordTest, BuiltinHangulHasTwoSyllablesAndLatinIsLatin) {
  for (const LoanwordPair& p : BuiltinLoanwords()) {
    // A mixed word (챗GPT) counts its Latin letters as syllables (letter names).
    int syllables = 0;
    int hangul = 0;
    for (char32_t c : ToCodePoints(p.hangul)) {
      const bool is_syllable = c >= 0xAC00 && c <= 0xD7A3;
      hangul += is_syllable ? 1 : 0;
      syllables += is_syllable || (c < 128 && std::isalpha(static_cast<int>(c))) ? 1 : 0;
    }
    EXPECT_GE(hangul, 1) << p.hangul;
    EXPECT_GE(syllables, 2) << p.hangul;
    EXPECT_FALSE(HangulTranscriptions(p.latin).empty()) << p.latin;
  }
}

TEST(LoanwordTest, BuiltinListHasTheRequiredWords) {
  const std::vector<std::pair<std::string, std::string>> required = {
      {"우분투", "Ubuntu"},       {"파이썬", "Python"},         {"오픈AI", "OpenAI"},
      {"트랜스포머", "Transformer"}, {"도커", "Docker"},           {"리눅스", "Linux"},
      {"자바스크립트", "JavaScript"}, {"윈도우", "Windows"},        {"윈도", "Windows"},
      {"넷플릭스", "Netflix"},     {"스토리", "story"},          {"액션", "action"},
      {"유튜브", "YouTube"},       {"구글", "Google"},           {"깃허브", "GitHub"},
      {"엔비디아", "NVIDIA"},      {"쿠버네티스", "Kubernetes"},  {"챗GPT", "ChatGPT"},
      {"프롬프트", "prompt"},      {"서버", "server"},           {"데이터베이스", "database"},
      {"스마트폰", "smartphone"},  {"컴퓨터", "computer"},       {"게임", "game"},
      {"드라마", "drama"},         {"코미디", "comedy"},         {"스릴러", "thriller"},
      {"캐릭터", "character"},     {"엔딩", "ending"},           {"콘텐츠", "content"},
      {"컨텐츠", "content"},
  };
  std::set<std::pair<std::string, std::string>> list;
  for (const LoanwordPair& p : BuiltinLoanwords()) list.emplace(p.hangul, p.latin);
  for (const auto& pair : required) EXPECT_TRUE(list.count(pair)) << pair.first << " / " << pair.second;
}

TEST(LoanwordTest, TranscribesBySpellingRules) {
  EXPECT_THAT(HangulTranscriptions("docker"), Contains("도커"));
  EXPECT_THAT(HangulTranscriptions("desk"), Contains("데스크"));
  EXPECT_THAT(HangulTranscriptions("laptop"), Contains("랩톱"));
  EXPECT_THAT(HangulTranscriptions("server"), Contains("서버"));
  EXPECT_THAT(HangulTranscriptions("computer"), Contains("컴퓨터"));
  EXPECT_THAT(HangulTranscriptions("film"), Contains("필름"));
  EXPECT_THAT(HangulTranscriptions("silicon"), Contains("실리콘"));
  EXPECT_THAT(HangulTranscriptions("chrome"), Contains("크롬"));
  EXPECT_THAT(HangulTranscriptions("Python"), Contains("파이선"));
  EXPECT_THAT(HangulTranscriptions("action"), Contains("액션"));
  EXPECT_THAT(HangulTranscriptions("Netflix"), Contains("넷플릭스"));
  EXPECT_EQ(HangulTranscriptions("desk").front(), "데스크");
  EXPECT_EQ(HangulTranscriptions("laptop").front(), "랩톱");
  EXPECT_EQ(HangulTranscriptions("docker").front(), "도커");
}

TEST(LoanwordTest, GivesSeveralCandidatesAtMostEight) {
  const std::vector<std::string> python = HangulTranscriptions("python");
  EXPECT_GE(python.size(), 3u);
  EXPECT_LE(python.size(), 8u);
}

TEST(LoanwordTest, SpellsAcronymsByLetterNames) {
  EXPECT_EQ(HangulTranscriptions("GPT").front(), "지피티");
  EXPECT_EQ(HangulTranscriptions("AI").front(), "에이아이");
  EXPECT_THAT(HangulTranscriptions("ChatGPT"), Contains("챗지피티"));
  EXPECT_THAT(HangulTranscriptions("GPT4"), Contains("지피티4"));
  EXPECT_TRUE(SoundsAlike("GPT", "지피티"));
  EXPECT_TRUE(SoundsAlike("AI", "에이아이"));
}

TEST(LoanwordTest, RejectsWhatIsNotALatinWord) {
  EXPECT_THAT(HangulTranscriptions("hello world"), IsEmpty());
  EXPECT_THAT(HangulTranscriptions(""), IsEmpty());
  EXPECT_THAT(HangulTranscriptions("도커"), IsEmpty());
  EXPECT_EQ(SoundSimilarity("docker", ""), 0);
  EXPECT_EQ(SoundSimilarity("", "도커"), 0);
}

TEST(LoanwordTest, ReadsHangulBackInLatinLetters) {
  EXPECT_EQ(LatinTranscription("우분투"), "ubuntu");
  EXPECT_EQ(LatinTranscription("도커"), "dokeo");
  EXPECT_EQ(LatinTranscription("데스크"), "desk");
  EXPECT_EQ(LatinTranscription("오픈AI"), "openai");
  EXPECT_EQ(LatinTranscription("인터넷"), "inteonet");
  EXPECT_EQ(LatinTranscription("실리콘"), "silikon");
  EXPECT_EQ(LatinTranscription("GPT4"), "gpt4");
}

TEST(LoanwordTest, ComparesLatinLettersInsideHangulAsLetters) {
  EXPECT_TRUE(SoundsAlike("OpenAI", "오픈AI"));
  EXPECT_TRUE(SoundsAlike("openai", "오픈AI"));
  EXPECT_TRUE(SoundsAlike("localLLM", "로컬LLM"));
  EXPECT_TRUE(SoundsAlike("ChatGPT", "챗GPT"));
  EXPECT_TRUE(SoundsAlike("OpenAI", "오픈에이아이"));
  EXPECT_FALSE(SoundsAlike("OpenAI", "오픈BI"));
  EXPECT_FALSE(SoundsAlike("localLLM", "로컬GPT"));
}

TEST(LoanwordTest, IgnoresCase) {
  EXPECT_DOUBLE_EQ(SoundSimilarity("DOCKER", "도커"), SoundSimilarity("docker", "도커"));
  EXPECT_DOUBLE_EQ(SoundSimilarity("Python", "파이썬"), SoundSimilarity("python", "파이썬"));
}

TEST(LoanwordTest, ExactTranscriptionScoresOne) {
  EXPECT_DOUBLE_EQ(SoundSimilarity("docker", "도커"), 1.0);
  EXPECT_DOUBLE_EQ(SoundSimilarity("desk", "데스크"), 1.0);
}

// Different words whose letters or jamo overlap: a comparison that only
// looked at shared consonants would take them for the same word.
TEST(LoanwordTest, FalseFriendsDoNotSoundAlike) {
  const std::vector<std::pair<std::string, std::string>> false_friends = {
      {"나무", "name"},     {"모델", "medal"},    {"사랑", "slang"},    {"학교", "hockey"},
      {"시간", "season"},   {"바람", "balloon"},  {"하늘", "honey"},    {"도구", "docker"},
      {"사과", "soccer"},   {"고양이", "Google"}, {"마음", "mom"},      {"도시", "dessert"},
      {"노래", "north"},    {"정부", "jump"},     {"한국", "honk"},     {"부산", "bison"},
      {"대구", "dog"},      {"사람", "salmon"},   {"토끼", "token"},    {"사자", "pizza"},
      {"다리", "dairy"},    {"보리", "bottle"},   {"오리", "origin"},   {"과일", "gallery"},
      {"시계", "sigma"},    {"지갑", "jigsaw"},   {"수박", "subway"},   {"의자", "easy"},
      {"모자", "mozzarella"}, {"선물", "summer"}, {"공원", "gone"},     {"우산", "usage"},
      {"서버", "silver"},   {"파일", "pilot"},    {"게임", "gem"},      {"스토리", "street"},
  };
  for (const auto& [hangul, latin] : false_friends) {
    EXPECT_FALSE(SoundsAlike(latin, hangul))
        << hangul << " / " << latin << " " << SoundSimilarity(latin, hangul);
  }
}

// Discovery compares thousands of pairs: one comparison must stay well under
// 50 µs on typical words.
}  // namespace
}  // namespace chaja::analyzer
