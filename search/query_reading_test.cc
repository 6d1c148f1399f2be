// Query readings (query_reading.h) against a hand-written vocabulary: an
// in-memory Lexicon whose terms, counts and posts each table spells out, so
// that every row says which terms of the site make a reading happen.
#include "search/query_reading.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "index/schema.h"

namespace chaja::search {
namespace {

using Terms = std::map<std::string, uint64_t>;
using Docs = std::vector<std::set<std::string>>;

// The site's vocabulary as a map of term → post count, and its posts as sets
// of terms (for CoOccur only: the counts are not derived from them).
class FakeLexicon : public Lexicon {
 public:
  explicit FakeLexicon(Terms terms, Docs docs = {}) : terms_(std::move(terms)), docs_(std::move(docs)) {}

  uint64_t DocCount() const override { return 1000000; }
  uint64_t Frequency(const std::string& term) const override {
    const auto it = terms_.find(term);
    return it == terms_.end() ? 0 : it->second;
  }

  void ForEachInRange(const std::string& from, const std::string& to,
                      const std::function<bool(const std::string&, uint64_t)>& fn) const override {
    // std::string compares bytes as unsigned char: '\xff' sorts last, as in Xapian.
    for (auto it = terms_.lower_bound(from); it != terms_.end() && it->first <= to; ++it) {
      if (!fn(it->first, it->second)) return;
    }
  }

  void ForEachInRanges(const std::vector<std::pair<std::string, std::string>>& ranges,
                       const std::function<bool(const std::string&, uint64_t)>& fn) const override {
    for (size_t i = 0; i < ranges.size(); ++i) {
      // The interface's contract: sorted and disjoint.
      if (i > 0 && !(ranges[i - 1].second < ranges[i].first)) {
        ADD_FAILURE() << "ranges " << i - 1 << " and " << i << " are not sorted and disjoint";
      }
      bool more = true;
      ForEachInRange(ranges[i].first, ranges[i].second, [&](const std::string& term, uint64_t count) {
        more = fn(term, count);
        return more;
      });
      if (!more) return;
    }
  }

  bool CoOccur(const std::vector<std::string>& terms) const override {
    if (terms.empty()) return false;  // as XapianLexicon
    for (const std::set<std::string>& doc : docs_) {
      bool all = true;
      for (const std::string& t : terms) all = all && doc.count(t) > 0;
      if (all) return true;
    }
    return false;
  }

  bool AnyMatch(const QueryNode& query) const override {
    for (const std::set<std::string>& doc : docs_) {
      if (Matches(query, doc)) return true;
    }
    return false;
  }

 private:
  // Term, AND and OR: what the readings ask of AnyMatch.
  static bool Matches(const QueryNode& node, const std::set<std::string>& doc) {
    switch (node.op) {
      case QueryNode::Op::kTerm:
        return doc.count(node.term) > 0;
      case QueryNode::Op::kAnd:
        return std::all_of(node.children.begin(), node.children.end(),
                           [&](const QueryNode& c) { return Matches(c, doc); });
      case QueryNode::Op::kOr:
        return std::any_of(node.children.begin(), node.children.end(),
                           [&](const QueryNode& c) { return Matches(c, doc); });
      default:
        ADD_FAILURE() << "unexpected operator in AnyMatch";
        return false;
    }
  }

  Terms terms_;
  Docs docs_;
};

// "term=count" of each result, in order: one readable line per failure.
std::vector<std::string> Listed(const std::vector<TermCount>& found) {
  std::vector<std::string> out;
  for (const TermCount& t : found) out.push_back(absl::StrCat(t.term, "=", t.count));
  return out;
}

std::string Shown(const std::optional<std::string>& s) { return s ? *s : "(nullopt)"; }

// --- ReadKeyboardMistypes ------------------------------------------------------

struct MistypeCase {
  Terms terms;
  const char* query;
  bool typing;
  const char* want;
};

void ExpectReadings(const std::vector<MistypeCase>& cases) {
  for (const MistypeCase& c : cases) {
    std::string vocabulary;
    for (const auto& [term, count] : c.terms) absl::StrAppend(&vocabulary, term, "=", count, " ");
    SCOPED_TRACE(absl::StrCat("query [", c.query, "] typing=", c.typing, " lexicon {", vocabulary, "}"));
    const FakeLexicon lexicon(c.terms);
    EXPECT_EQ(ReadKeyboardMistypes(c.query, lexicon, c.typing), c.want);
  }
}

TEST(QueryReadingMistypes, LatinKeysReadAsHangulOnlyWhenTheHangulIsTheSitesAndTheWordIsNot) {
  ExpectReadings({
      {{{"패권", 3}}, "vornjs", false, "패권"},
      // The site has the word as typed: kept.
      {{{"패권", 3}, {"vornjs", 1}}, "vornjs", false, "vornjs"},
      // Upper case is looked up lower-cased (terms are), read with its keys
      // (V is ㅍ; only Q W E R T O P change with Shift).
      {{{"패권", 3}}, "Vornjs", false, "패권"},
      {{{"패권", 3}, {"vornjs", 1}}, "Vornjs", false, "Vornjs"},
      // Neither is the site's: kept.
      {{{"전략", 3}}, "vornjs", false, "vornjs"},
      // A word of one gram the site lacks.
      {{{"패기", 3}}, "vornjs", false, "vornjs"},
      // Three syllables: every gram must be the site's (the rarest counts).
      {{{"우분", 4}, {"분투", 2}}, "dnqnsxn", false, "우분투"},
      {{{"우분", 4}}, "dnqnsxn", false, "dnqnsxn"},
      // One syllable: its unigram.
      {{{"패", 2}}, "vo", false, "패"},
      {{}, "vo", false, "vo"},
      // Keys that give no syllables (ㅁㅔㅑ) are never read.
      {{{"메", 9}}, "api", false, "api"},
      // One letter is never read.
      {{{"ㅍ", 9}}, "v", false, "v"},
  });
}

TEST(QueryReadingMistypes, HangulReadAsLatinKeysOnlyWhenTheKeysAreTheSitesAndTheHangulIsNot) {
  ExpectReadings({
      {{{"python", 5}}, "ㅔㅛㅅㅗㅐㅜ", false, "python"},
      // As the IME composes it.
      {{{"python", 5}}, "ㅔㅛ쇄ㅜ", false, "python"},
      {{{"docker", 5}}, "애찯ㄱ", false, "docker"},
      {{}, "ㅔㅛ쇄ㅜ", false, "ㅔㅛ쇄ㅜ"},
      // The Hangul is the site's: kept, though its keys are a term too.
      {{{"우분", 4}, {"분투", 2}, {"dnqnsxn", 1}}, "우분투", false, "우분투"},
      {{{"분투", 2}, {"dnqnsxn", 1}}, "우분투", false, "dnqnsxn"},
      // 초성 are initials, never keys (ㅇㅂㅌ is dqx).
      {{{"dqx", 7}}, "ㅇㅂㅌ", false, "ㅇㅂㅌ"},
      // Typing: the keys only need to start a Latin term.
      {{{"python", 5}}, "ㅔㅛ", true, "py"},
      {{{"python", 5}}, "ㅔㅛ", false, "ㅔㅛ"},
  });
}

// Two passes: once one ASCII word of the query is read as Hangul, the query
// was typed in English mode, and every other ASCII word the site does not
// have whose keys give syllables is read as Hangul too, whether or not the
// site has that Hangul.
TEST(QueryReadingMistypes, OneConvertedWordConvertsTheRestOfTheSentence) {
  ExpectReadings({
      {{{"패권", 3}}, "vornjs wjsfir", false, "패권 전략"},
      {{{"패권", 3}}, "wjsfir vornjs", false, "전략 패권"},
      {{{"전략", 3}}, "vornjs wjsfir", false, "패권 전략"},
      // No word converts on its own: none does.
      {{{"정책", 3}}, "vornjs wjsfir", false, "vornjs wjsfir"},
      // A Latin word of the site stays; an unknown one is read (dog → 앻).
      {{{"패권", 3}, {"dog", 2}}, "vornjs dog", false, "패권 dog"},
      {{{"패권", 3}}, "vornjs dog", false, "패권 앻"},
      // Keys that give no syllables stay (docker → 애찯ㄱ).
      {{{"패권", 3}}, "vornjs docker", false, "패권 docker"},
      // Already Hangul stays Hangul.
      {{{"패권", 3}}, "vornjs 전략", false, "패권 전략"},
      // A Hangul word read as Latin does not make the rest English mode.
      {{{"python", 3}}, "ㅔㅛ쇄ㅜ wjsfir", false, "python wjsfir"},
  });
}

TEST(QueryReadingMistypes, OperatorsQuotesAndFieldsAreKeptAsTyped) {
  ExpectReadings({
      {{{"패권", 3}}, "-vornjs", false, "-패권"},
      {{{"패권", 3}}, "+vornjs", false, "+패권"},
      {{{"패권", 3}}, "\"vornjs\"", false, "\"패권\""},
      {{{"패권", 3}}, "\"vornjs wjsfir\"", false, "\"패권 전략\""},
      {{{"패권", 3}}, "vornjs OR wjsfir", false, "패권 OR 전략"},
      {{{"패권", 3}}, "OR", false, "OR"},
      {{{"패권", 3}}, "vornjs OR", true, "패권 OR"},
      // Field values are names: never read, and they do not start the
      // second pass.
      {{{"패권", 3}}, "tag:vornjs", false, "tag:vornjs"},
      {{{"패권", 3}}, "category:vornjs", false, "category:vornjs"},
      {{{"패권", 3}, {"S패권", 3}}, "title:vornjs", false, "title:vornjs"},
      {{{"패권", 3}}, "-tag:vornjs", false, "-tag:vornjs"},
      {{{"패권", 3}}, "vornjs tag:wjsfir", false, "패권 tag:wjsfir"},
      {{{"전략", 3}}, "tag:wjsfir vornjs", false, "tag:wjsfir vornjs"},
      // Spacing as typed.
      {{{"패권", 3}}, "  vornjs\twjsfir  ", false, "  패권\t전략  "},
      {{}, "", false, ""},
  });
}

TEST(QueryReadingMistypes, TypingReadsTheLastWordAsTheStartOfTheSitesWord) {
  ExpectReadings({
      // 패궈 is no gram, but the completion 패권 is: read, as typed so far.
      {{{"패권", 3}}, "vornj", true, "패궈"},
      {{{"패권", 3}}, "vornj", false, "vornj"},
      // A space after it: the word is complete.
      {{{"패권", 3}}, "vornj ", true, "vornj "},
      // An initial being composed: ㄴ and ㄱ make no cluster, so ㄱ is alone.
      {{{"패권", 3}, {"권기", 2}}, "vornjsr", true, "패권ㄱ"},
      {{{"패권", 3}}, "vornjsr", true, "vornjsr"},
      // The keys compose ㄱ as a final where it can be one (vor is 팩).
      {{{"팩트", 3}}, "vor", true, "팩"},
      {{{"패권", 3}}, "\"vornj", true, "\"패궈"},
      // Closed by a quote: complete.
      {{{"패권", 3}}, "\"vornj\"", true, "\"vornj\""},
      // Only the last word is incomplete.
      {{{"패권", 3}}, "vornj wjsfir", true, "vornj wjsfir"},
      {{{"패권", 3}}, "vornjs wjsf", true, "패권 전ㄹ"},
      // A Latin word the site has, or starts: kept.
      {{{"docker", 4}, {"애착", 2}}, "docker", true, "docker"},
      {{{"docker", 4}, {"애착", 2}}, "dock", true, "dock"},
      {{{"애착", 2}}, "dock", true, "애차"},
      {{{"docker", 4}}, "docker", false, "docker"},
  });
}

// --- CompleteHangul ------------------------------------------------------------

TEST(QueryReadingCompleteHangul, LastGramCompletesToTheSitesGramsMostFrequentFirst) {
  const FakeLexicon lexicon({
      {"패권", 5},
      {"패궐", 9},
      {"패권주의", 70},  // not a gram
      {"패기", 20},      // 기 is no completion of 궈
      {"패구", 40},      // nor 구
      {"S패권", 50},     // another prefix
      {"패", 100},
  });
  EXPECT_EQ(Listed(CompleteHangul(U"패궈", lexicon, "", 10)), (std::vector<std::string>{"패궐=9", "패권=5"}));
  EXPECT_EQ(Listed(CompleteHangul(U"패궈", lexicon, "", 1)), (std::vector<std::string>{"패궐=9"}));
  // Only the last gram is completed.
  EXPECT_EQ(Listed(CompleteHangul(U"전패궈", lexicon, "", 10)), (std::vector<std::string>{"패궐=9", "패권=5"}));
  EXPECT_EQ(Listed(CompleteHangul(U"패권", lexicon, "", 10)), (std::vector<std::string>{"패권=5"}));
  EXPECT_TRUE(CompleteHangul(U"패ㅝ", lexicon, "", 10).empty());
  EXPECT_TRUE(CompleteHangul(U"", lexicon, "", 10).empty());
}

TEST(QueryReadingCompleteHangul, InitialBeingComposedCompletesToEverySyllableItBegins) {
  const FakeLexicon lexicon({
      {"패가", 3},
      {"패각", 3},
      {"패기", 7},
      {"패권", 5},
      {"패깋", 1},
      {"패까", 30},  // ㄲ is another initial
      {"패나", 40},
      {"패", 100},
      {"패기다", 90},
  });
  EXPECT_EQ(Listed(CompleteHangul(U"패ㄱ", lexicon, "", 10)),
            (std::vector<std::string>{"패기=7", "패권=5", "패가=3", "패각=3", "패깋=1"}));
  EXPECT_EQ(Listed(CompleteHangul(U"패ㄱ", lexicon, "", 2)), (std::vector<std::string>{"패기=7", "패권=5"}));
}

TEST(QueryReadingCompleteHangul, OneSyllableCompletesToGramsStartingWithItNeverItsUnigram) {
  const FakeLexicon lexicon({
      {"도", 100},  // the particle
      {"도구", 10},
      {"동안", 20},  // 도 with a final
      {"돼지", 3},   // ㅗ grown into ㅙ
      {"되다", 8},   // ㅚ
      {"됳", 1},     // the last syllable of ㅚ, a unigram
      {"두부", 50},  // ㅜ
      {"돠", 2},     // a unigram too
      {"도구를", 30},
  });
  EXPECT_EQ(Listed(CompleteHangul(U"도", lexicon, "", 10)),
            (std::vector<std::string>{"동안=20", "도구=10", "되다=8", "돼지=3"}));
  EXPECT_EQ(Listed(CompleteHangul(U"도", lexicon, "", 3)), (std::vector<std::string>{"동안=20", "도구=10", "되다=8"}));
  // An initial alone: every gram of the syllables it begins.
  EXPECT_EQ(Listed(CompleteHangul(U"ㄷ", lexicon, "", 10)),
            (std::vector<std::string>{"두부=50", "동안=20", "도구=10", "되다=8", "돼지=3"}));
}

TEST(QueryReadingCompleteHangul, PrefixKeepsToItsOwnTerms) {
  const FakeLexicon lexicon({
      {"S패권", 4},
      {"S패궐", 1},
      {"S도구", 6},
      {"S도", 60},
      {"패권", 90},
      {"도구", 90},
      {"K패권", 90},
  });
  EXPECT_EQ(Listed(CompleteHangul(U"패궈", lexicon, "S", 10)), (std::vector<std::string>{"S패권=4", "S패궐=1"}));
  EXPECT_EQ(Listed(CompleteHangul(U"도", lexicon, "S", 10)), (std::vector<std::string>{"S도구=6"}));
  EXPECT_EQ(Listed(CompleteHangul(U"패궈", lexicon, "", 10)), (std::vector<std::string>{"패권=90"}));
}

// --- CompleteLatin ---------------------------------------------------------------

TEST(QueryReadingCompleteLatin, LowerCaseAsciiTermsThatStartWithTheWord) {
  const FakeLexicon lexicon({
      {"ubu", 70},
      {"ubun", 2},
      {"ubuntu", 9},
      {"ubuntu2204", 3},
      {"ubun한", 50},
      {"ubunTu", 40},
      {"ubuntu-server", 30},
      {"ubunz", 1},
      {"Subuntu", 100},
      {"Subuntu한", 100},
      {"Zubuntu", 100},
  });
  EXPECT_EQ(Listed(CompleteLatin("ubun", lexicon, "", 10)),
            (std::vector<std::string>{"ubuntu=9", "ubuntu2204=3", "ubun=2", "ubunz=1"}));
  EXPECT_EQ(Listed(CompleteLatin("ubun", lexicon, "", 1)), (std::vector<std::string>{"ubuntu=9"}));
  EXPECT_EQ(Listed(CompleteLatin("ubun", lexicon, "S", 10)), (std::vector<std::string>{"Subuntu=100"}));
  EXPECT_TRUE(CompleteLatin("u", lexicon, "", 10).empty());
  EXPECT_TRUE(CompleteLatin("zz", lexicon, "", 10).empty());
}

// --- ChoseongTerms, ChoseongWords -----------------------------------------------

TEST(QueryReadingChoseong, TermsOfExactlyTheInitialsComeBeforeLongerOnes) {
  using index::ChoseongTerm;
  const FakeLexicon lexicon({
      {ChoseongTerm("ㅇㅂㅌ", "우분투"), 2},
      {ChoseongTerm("ㅇㅂㅌ", "오바타"), 1},
      {ChoseongTerm("ㅇㅂㅌㄹ", "우분투를"), 9},
      {ChoseongTerm("ㅇㅂㅌㄹㅇ", "우분투라인"), 4},
      {ChoseongTerm("ㅇㅂ", "우분"), 50},
      {ChoseongTerm("ㅇㅂㅋ", "아바크"), 50},
      {index::TitleChoseongTerm("ㅇㅂㅌ"), 50},
      {"우분", 50},
  });
  EXPECT_EQ(Listed(ChoseongTerms("ㅇㅂㅌ", lexicon, 10)),
            (std::vector<std::string>{"XCHㅇㅂㅌ 우분투=2", "XCHㅇㅂㅌ 오바타=1", "XCHㅇㅂㅌㄹ 우분투를=9",
                                      "XCHㅇㅂㅌㄹㅇ 우분투라인=4"}));
  EXPECT_EQ(Listed(ChoseongTerms("ㅇㅂㅌ", lexicon, 2)),
            (std::vector<std::string>{"XCHㅇㅂㅌ 우분투=2", "XCHㅇㅂㅌ 오바타=1"}));
  EXPECT_EQ(Listed(ChoseongTerms("ㅇㅂㅌㄹ", lexicon, 10)),
            (std::vector<std::string>{"XCHㅇㅂㅌㄹ 우분투를=9", "XCHㅇㅂㅌㄹㅇ 우분투라인=4"}));
  EXPECT_TRUE(ChoseongTerms("ㄱㄴ", lexicon, 10).empty());
}

TEST(QueryReadingChoseong, WordsChainTheMostFrequentGramsOfTheInitials) {
  const FakeLexicon lexicon({
      {"우분", 10},
      {"분투", 8},
      {"분터", 5},
      {"분토", 4},
      {"분타", 3},  // the fourth continuation of 우분: out of the beam
      {"오바", 50},
      {"바타", 1},
      {"아버", 30},  // no ㅌ after it
      {"우부", 2},
      {"우", 90},
      {"분", 90},
      {"우카", 90},  // ㅋ is not ㅂ
  });
  EXPECT_EQ(Listed(ChoseongWords("ㅇㅂㅌ", lexicon, 10)),
            (std::vector<std::string>{"우분투=8", "우분터=5", "우분토=4", "오바타=1"}));
  EXPECT_EQ(Listed(ChoseongWords("ㅇㅂㅌ", lexicon, 1)), (std::vector<std::string>{"우분투=8"}));
  // Two initials: the grams themselves.
  EXPECT_EQ(Listed(ChoseongWords("ㅇㅂ", lexicon, 10)),
            (std::vector<std::string>{"오바=50", "아버=30", "우분=10", "우부=2"}));
  EXPECT_TRUE(ChoseongWords("ㅇ", lexicon, 10).empty());
  EXPECT_TRUE(ChoseongWords("ㅇㅏ", lexicon, 10).empty());
  EXPECT_TRUE(ChoseongWords("ㅇㅂㅋ", lexicon, 10).empty());
}

// The beam keeps the twelve most frequent first grams whether or not they
// continue: twelve commoner ㅇㅂ grams with no ㅌ after them hide 우분투.
TEST(QueryReadingChoseong, WordsKeepOnlyTheTwelveMostFrequentFirstGrams) {
  Terms terms = {{"우분", 10}, {"분투", 8}};
  const char* const commoner[] = {"아바", "아베", "아비", "아부", "어버", "어부",
                                  "이번", "예비", "에비", "오비", "오버", "여비"};
  uint64_t count = 100;
  for (const char* gram : commoner) terms[gram] = count++;
  {
    const FakeLexicon lexicon(terms);
    EXPECT_TRUE(ChoseongWords("ㅇㅂㅌ", lexicon, 10).empty());
  }
  terms.erase("여비");  // eleven: 우분 is back in the beam
  {
    const FakeLexicon lexicon(terms);
    EXPECT_EQ(Listed(ChoseongWords("ㅇㅂㅌ", lexicon, 10)), (std::vector<std::string>{"우분투=8"}));
  }
}

// --- CorrectHangulWord, CorrectLatinWord ------------------------------------------

TEST(QueryReadingCorrect, HangulWordOneSlipAwayFromAWordOfOnePost) {
  struct Case {
    Terms terms;
    Docs docs;
    std::u32string word;
    const char* prefix;
    std::optional<std::string> want;
  };
  const Terms ubuntu = {{"우분", 10}, {"분투", 8}};
  const Case cases[] = {
      {ubuntu, {{"우분", "분투"}}, U"우뷴투", "", "우분투"},
      // The grams are the site's but no post holds them both.
      {ubuntu, {{"우분"}, {"분투"}}, U"우뷴투", "", std::nullopt},
      // The word is the site's (a post holds all its grams): nothing to correct.
      {{{"우분", 10}, {"분투", 8}, {"우뷴", 1}, {"뷴투", 1}}, {{"우분", "분투"}, {"우뷴", "뷴투"}}, U"우뷴투", "",
       std::nullopt},
      // Its grams are each the site's but no post holds them together: a slip.
      {{{"우분", 10}, {"분투", 8}, {"우뷴", 1}, {"뷴투", 1}}, {{"우분", "분투"}, {"우뷴"}, {"뷴투"}}, U"우뷴투", "",
       "우분투"},
      // A two-syllable word has one gram: it is the site's or not.
      {{{"우분", 10}, {"우뷴", 1}}, {{"우분"}}, U"우뷴", "", std::nullopt},
      // One syllable, or not syllables.
      {ubuntu, {{"우분", "분투"}}, U"뷴", "", std::nullopt},
      {ubuntu, {{"우분", "분투"}}, U"우ㅂ투", "", std::nullopt},
      // A slip in the first syllable (ㅗ for ㅜ), then in the last (ㅡ for ㅜ).
      {ubuntu, {{"우분", "분투"}}, U"오분투", "", "우분투"},
      {ubuntu, {{"우분", "분투"}}, U"우분트", "", "우분투"},
      // Two slips: no single one explains it.
      {ubuntu, {{"우분", "분투"}}, U"오분트", "", std::nullopt},
      {ubuntu, {{"우분", "분투"}}, U"우뷴튜", "", std::nullopt},
      // Of two fixes the one whose rarest gram is commoner.
      {{{"우분", 10}, {"분투", 8}, {"우뮨", 3}, {"뮨투", 3}}, {{"우분", "분투"}, {"우뮨", "뮨투"}}, U"우뷴투", "",
       "우분투"},
      {{{"우분", 10}, {"분투", 8}, {"우뮨", 20}, {"뮨투", 20}}, {{"우분", "분투"}, {"우뮨", "뮨투"}}, U"우뷴투", "",
       "우뮨투"},
      // With a prefix, only its terms.
      {{{"S우분", 10}, {"S분투", 8}}, {{"S우분", "S분투"}}, U"우뷴투", "S", "우분투"},
      {{{"S우분", 10}, {"S분투", 8}}, {{"S우분", "S분투"}}, U"우뷴투", "", std::nullopt},
      {ubuntu, {{"우분", "분투"}}, U"우뷴투", "S", std::nullopt},
  };
  for (const Case& c : cases) {
    const std::string prefix = c.prefix;
    const FakeLexicon lexicon(c.terms, c.docs);
    const std::optional<std::string> got = CorrectHangulWord(c.word, lexicon, prefix);
    EXPECT_EQ(Shown(got), Shown(c.want)) << "case " << (&c - cases);
  }
}

TEST(QueryReadingCorrect, LatinWordOneEditAwayNearestOnTheKeyboardThenMostFrequent) {
  struct Case {
    Terms terms;
    const char* word;
    const char* prefix;
    std::optional<std::string> want;
  };
  const Case cases[] = {
      {{{"python", 5}}, "pyhton", "", "python"},
      {{{"python", 5}}, "pythn", "", "python"},
      {{{"python", 5}}, "pythonn", "", "python"},
      {{{"rust", 3}}, "rudt", "", "rust"},
      // Under four letters: never.
      {{{"rust", 3}, {"rs", 3}, {"rus", 3}}, "rsu", "", std::nullopt},
      // The site has the word: never.
      {{{"python", 5}, {"pyhton", 1}}, "pyhton", "", std::nullopt},
      // Two edits away.
      {{{"python", 5}}, "pyhtno", "", std::nullopt},
      // Not letters.
      {{{"python", 5}}, "pyht0n", "", std::nullopt},
      // A neighbouring key (i for o, 0.5) before a deletion (1), however common.
      {{{"python", 1}, {"pythn", 100}}, "pythin", "", "python"},
      // Equally near (d for f, d for s): the more frequent.
      {{{"cafe", 3}, {"case", 9}}, "cade", "", "case"},
      {{{"cafe", 9}, {"case", 3}}, "cade", "", "cafe"},
      // With a prefix: its terms, the word returned without it.
      {{{"Spython", 2}}, "pyhton", "S", "python"},
      {{{"Spython", 2}}, "pyhton", "", std::nullopt},
      {{{"Spython", 2}, {"Spyhton", 1}}, "pyhton", "S", std::nullopt},
  };
  for (const Case& c : cases) {
    const std::string prefix = c.prefix;
    const FakeLexicon lexicon(c.terms);
    EXPECT_EQ(Shown(CorrectLatinWord(c.word, lexicon, prefix)), Shown(c.want)) << c.word << " prefix " << c.prefix;
  }
}

// The IME shows 팩 after ㅍㅐㄱ; the next vowel moves ㄱ on (패궈): while typing,
// 팩 also completes to the grams of 패 + a syllable that ㄱ begins.
TEST(QueryReadingCompleteHangul, AFinalMayBeginTheNextSyllable) {
  const FakeLexicon lexicon(Terms{{"패권", 2}, {"팩트", 5}, {"패션", 9}});
  EXPECT_EQ(Listed(CompleteHangul(U"팩", lexicon, "", 8)), (std::vector<std::string>{"팩트=5", "패권=2"}));
  EXPECT_EQ(Listed(CompleteHangul(U"국팩", lexicon, "", 8)), (std::vector<std::string>{"패권=2"}));
  // Typed in English mode, every state on the way to vornjs reads as Hangul.
  const FakeLexicon only_paegwon(Terms{{"패권", 2}});
  for (const char* typed : {"vo", "vor", "vorn", "vornj", "vornjs"}) {
    EXPECT_NE(ReadKeyboardMistypes(typed, only_paegwon, /*typing=*/true), typed) << typed;
  }
}

// A quoted tag or category value is a name, even after a space.
TEST(QueryReadingMistypes, QuotedFieldValuesAreNames) {
  const FakeLexicon lexicon(Terms{{"패권", 2}, {"전략", 3}});
  EXPECT_EQ(ReadKeyboardMistypes("tag:\"vornjs wjsfir\" vornjs", lexicon, false), "tag:\"vornjs wjsfir\" 패권");
  EXPECT_EQ(ReadKeyboardMistypes("category:\"AI wjsfir\"", lexicon, false), "category:\"AI wjsfir\"");
}

// A title typed in English mode: punctuation after a word, letters inside a
// word of digits (1%dml), and a short word the site also has in Latin (sk)
// when its Hangul reading (나) is the commoner.
TEST(QueryReadingMistypes, PunctuationMixedWordsAndShortWordsOfATitle) {
  const FakeLexicon lexicon(Terms{{"언터", 1}, {"터처", 1}, {"처블", 1}, {"의", 50}, {"우정", 4},
                                  {"나", 90}, {"sk", 3}, {"홀로", 5}, {"집에", 7}});
  EXPECT_EQ(ReadKeyboardMistypes("djsxjcjqmf: 1%dml dnwjd", lexicon, false), "언터처블: 1%의 우정");
  EXPECT_EQ(ReadKeyboardMistypes("sk ghffh wlqdp", lexicon, false), "나 홀로 집에");
  // Alone, sk is the site's Latin word.
  EXPECT_EQ(ReadKeyboardMistypes("sk", lexicon, false), "sk");
  // A field name stays a field; other words with a colon are words.
  EXPECT_EQ(ReadKeyboardMistypes("tag:dnwjd", lexicon, false), "tag:dnwjd");
}

}  // namespace
}  // namespace chaja::search
