#include "search/clause_readings.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "analyzer/analyzer.h"
#include "analyzer/hangul.h"
#include "analyzer/jamo.h"
#include "analyzer/utf8.h"
#include "index/schema.h"
#include "search/query_reading.h"

namespace chaja::search {
namespace {

using analyzer::QueryClause;
using analyzer::QueryField;
using analyzer::Token;
using analyzer::TokenKind;


// A syllable and a jamo (프ㄹ) have many completions; the one meant is often
// rare, so many are kept, and even the rarest keeps a share of the weight.
constexpr size_t kMaxCompletions = 48;
constexpr double kMinCompletionFactor = 0.25;
// When the word as typed is already one of the site's, the reader has likely
// finished it: its completions weigh half.
constexpr double kFinishedWordFactor = 0.5;
constexpr size_t kMaxChoseongTerms = 8;
constexpr size_t kMaxChoseongWords = 3;
// Guesses rank below what was typed: a correction, a 초성 word.
constexpr double kCorrectionFactor = 0.8;
constexpr double kChoseongWordFactor = 0.5;
constexpr double kChoseongLongerFactor = 0.6;

// Completion readings weighed by how common each is against the most common:
// a typed syllable ranks its frequent words first. The gram as typed, when
// the site has it, keeps its full weight.
void AddCompletions(std::vector<TermCount> found, uint64_t budget, const std::string& prefix,
                    const std::string& as_typed, PlannedClause* planned) {
  if (found.empty()) return;
  // The most common first, while their posts fit the budget (the first and
  // the word as typed always).
  uint64_t spent = 0;
  size_t kept = 0;
  for (const TermCount& t : found) {
    if (kept > 0 && spent + t.count > budget && t.term.substr(prefix.size()) != as_typed) continue;
    spent += t.count;
    found[kept++] = t;
  }
  found.resize(kept);
  const double most = static_cast<double>(found.front().count);
  const bool finished = std::any_of(found.begin(), found.end(), [&](const TermCount& t) {
    return !as_typed.empty() && t.term.substr(prefix.size()) == as_typed;
  });
  for (const TermCount& t : found) {
    const std::string term = t.term.substr(prefix.size());
    double factor = std::max(kMinCompletionFactor, std::sqrt(static_cast<double>(t.count) / most));
    if (finished) factor *= kFinishedWordFactor;
    planned->readings.push_back({ClauseReading::Kind::kCompletion, {term}, false, term == as_typed ? 1.0 : factor});
  }
}

// How many posts the completions of the word being typed may bring in, so that
// a typing search costs about what the same search typed whole does: half the
// posts of the query's other terms, and at least kMinCompletionPosts (on a
// small site, every completion).
constexpr uint64_t kMinCompletionPosts = 25000;

uint64_t CompletionBudget(const Lexicon& lexicon, const std::vector<PlannedGroup>& groups) {
  uint64_t others = 0;
  for (const PlannedGroup& group : groups) {
    for (const PlannedClause& planned : group.alternatives) {
      const std::string prefix = PrefixOf(planned.clause);
      for (const Token& t : planned.tokens) others += lexicon.Frequency(prefix + t.term);
    }
  }
  return std::max(kMinCompletionPosts, others / 4);
}

// The readings of the word being typed, at the end of the clause: a Hangul
// run (syllables and at most one initial consonant being composed) or a
// Latin word.
void CompleteLastWord(const Lexicon& lexicon, uint64_t budget, PlannedClause* planned) {
  const std::string prefix = PrefixOf(planned->clause);
  const std::u32string chars = analyzer::ToCodePoints(planned->clause.text);
  size_t b = chars.size();
  while (b > 0 && (analyzer::IsHangulSyllable(chars[b - 1]) || analyzer::IsCompatibilityJamo(chars[b - 1]))) --b;
  const std::u32string run = chars.substr(b);
  if (!run.empty()) {
    size_t syllables = 0;
    for (char32_t c : run) syllables += analyzer::IsHangulSyllable(c) ? 1 : 0;
    const bool composing_jamo = !analyzer::IsHangulSyllable(run.back());
    if (syllables == 0 || syllables + (composing_jamo ? 1 : 0) != run.size()) return;
    const std::vector<TermCount> found = CompleteHangul(run, lexicon, prefix, kMaxCompletions);
    if (found.empty()) return;
    const size_t replaced = (!composing_jamo || syllables == 1) ? 1 : 0;
    if (replaced > planned->tokens.size() || planned->tokens.back().kind != TokenKind::kCjkGram) return;
    planned->completed_tokens = replaced;
    const std::string as_typed = composing_jamo ? "" : planned->tokens.back().term;
    AddCompletions(found, budget, prefix, syllables == 1 ? "" : as_typed, planned);
    return;
  }
  if (planned->tokens.empty() || planned->tokens.back().kind != TokenKind::kWord) return;
  const std::string& word = planned->tokens.back().term;
  std::vector<TermCount> found = CompleteLatin(word, lexicon, prefix, kMaxCompletions);
  found.erase(std::remove_if(found.begin(), found.end(), [&](const TermCount& t) { return t.term == prefix + word; }),
              found.end());
  AddCompletions(std::move(found), budget, prefix, "", planned);
}

// A word's grams as a reading of `kind`.
ClauseReading WordReading(ClauseReading::Kind kind, absl::string_view word, double factor) {
  ClauseReading reading{kind, {}, false, factor};
  for (const Token& t : analyzer::Analyzer().Analyze(word)) {
    if (!t.is_alias) reading.grams.push_back(t.term);
  }
  return reading;
}

// A clause of 초성 only: the posts whose title, tag or category has a word of
// those initials (and, below them, a longer word: 우분투를), the posts that
// say those words, or else the site's frequent words of those initials.
// Returns the word the initials most likely stand for.
std::string ReadChoseong(const Lexicon& lexicon, PlannedClause* planned) {
  const std::string& initials = planned->clause.text;
  const std::string exact = index::ChoseongTerm(initials, "");
  std::vector<std::string> words;
  const std::vector<TermCount> found = ChoseongTerms(initials, lexicon, kMaxChoseongTerms);
  // The most common word of those initials is the likeliest meaning: a rarer
  // one must not outrank it by its rarity alone.
  uint64_t most = 0;
  for (const TermCount& t : found) most = std::max(most, t.count);
  for (const TermCount& t : found) {
    const bool is_exact = absl::StartsWith(t.term, exact);
    const double share = std::sqrt(static_cast<double>(t.count) / static_cast<double>(most));
    planned->readings.push_back(
        {ClauseReading::Kind::kChoseong, {t.term}, true, share * (is_exact ? 1.0 : kChoseongLongerFactor)});
    // The text of the most common word of exactly those initials is searched
    // too (the posts that say 우분투); the others only by their names.
    if (is_exact && words.empty()) words.emplace_back(index::WordOfChoseongTerm(t.term));
  }
  if (words.empty()) {
    for (const TermCount& t : ChoseongWords(initials, lexicon, kMaxChoseongWords)) words.push_back(t.term);
  }
  for (const std::string& word : words) {
    planned->readings.push_back(WordReading(ClauseReading::Kind::kChoseong, word, kChoseongWordFactor));
  }
  return words.empty() ? "" : words.front();
}

// A Latin word the site does not have, of three letters or more, is most
// likely cut short (ubun, pyth): the site's words that start with it are its
// readings, and the most frequent is the suggestion.
std::optional<std::string> CompleteAbsentLatin(const std::string& word, const Lexicon& lexicon,
                                               const std::string& prefix, PlannedClause* planned) {
  if (word.size() < 3 || lexicon.Frequency(prefix + word) > 0) return std::nullopt;
  const std::vector<TermCount> found = CompleteLatin(word, lexicon, prefix, kMaxCompletions);
  if (found.empty()) return std::nullopt;
  const double most = static_cast<double>(found.front().count);
  for (const TermCount& t : found) {
    const double factor = kCorrectionFactor * std::sqrt(static_cast<double>(t.count) / most);
    planned->readings.push_back({ClauseReading::Kind::kCorrection, {t.term.substr(prefix.size())}, false, factor});
  }
  return found.front().term.substr(prefix.size());
}

// Corrections of the clause's misspelt words; each corrected word is
// replaced in `suggested` (the query being corrected).
void Correct(const Lexicon& lexicon, PlannedClause* planned, std::string* suggested) {
  const std::string prefix = PrefixOf(planned->clause);
  const std::vector<Token> tokens = WrittenTokens(*planned);
  size_t i = 0;
  while (i < tokens.size()) {
    const size_t j = tokens[i].kind == TokenKind::kCjkGram ? planned->CjkWordEnd(i, tokens.size()) : i + 1;
    const std::string written = planned->clause.text.substr(tokens[i].begin, tokens[j - 1].end - tokens[i].begin);
    std::optional<std::string> fixed;
    std::vector<std::string> grams;
    if (tokens[i].kind == TokenKind::kCjkGram) {
      std::u32string word = analyzer::ToCodePoints(tokens[i].term);
      for (size_t k = i + 1; k < j; ++k) word += analyzer::ToCodePoints(tokens[k].term).substr(1);
      fixed = CorrectHangulWord(word, lexicon, prefix);
      if (fixed) {
        const std::u32string f = analyzer::ToCodePoints(*fixed);
        for (size_t k = 0; k + 1 < f.size(); ++k) {
          if (f.substr(k, 2) != word.substr(k, 2)) grams.push_back(analyzer::ToUtf8(f.substr(k, 2)));
        }
      }
    } else if (!tokens[i].is_alias) {
      fixed = CorrectLatinWord(tokens[i].term, lexicon, prefix);
      if (fixed) grams.push_back(*fixed);
      if (!fixed) fixed = CompleteAbsentLatin(tokens[i].term, lexicon, prefix, planned);
    }
    if (!grams.empty()) {
      planned->readings.push_back({ClauseReading::Kind::kCorrection, std::move(grams), false, kCorrectionFactor});
    }
    if (size_t at = suggested->find(written); fixed && at != std::string::npos) {
      suggested->replace(at, written.size(), *fixed);
    }
    i = j;
  }
}

// A run of Hangul longer than a word with its particles is several words
// typed without spaces: a gram the site does not have marks where a word
// ends, so each word is weighed as a word (query_plan's gram decay starts
// again) instead of the run's later words fading out.
constexpr size_t kMinGramsToSplit = 6;

void FindWordStarts(const Lexicon& lexicon, PlannedClause* planned) {
  const std::string prefix = PrefixOf(planned->clause);
  const std::vector<Token>& tokens = planned->tokens;
  for (size_t i = 0; i < tokens.size();) {
    if (tokens[i].kind != TokenKind::kCjkGram) {
      ++i;
      continue;
    }
    const size_t j = planned->CjkWordEnd(i, tokens.size());
    if (j - i >= kMinGramsToSplit) {
      for (size_t k = i + 1; k + 1 < j; ++k) {
        if (lexicon.Frequency(prefix + tokens[k].term) == 0) planned->word_starts.push_back(k + 1);
      }
    }
    i = j;
  }
}

// A query that is a post's title, or (being typed) the start of one, ranks
// the post first: its title-key term is an alternative of the last clause.
constexpr size_t kMaxTitles = 8;

void AddTitleReading(const Lexicon& lexicon, absl::string_view searched, bool incomplete,
                     std::vector<PlannedGroup>* groups) {
  PlannedClause* last = nullptr;
  for (PlannedGroup& group : *groups) {
    for (PlannedClause& planned : group.alternatives) {
      if (!planned.clause.excluded && !IsFilter(planned.clause)) last = &planned;
    }
  }
  if (last == nullptr) return;
  for (const TermCount& t : TitlesStartingWith(searched, incomplete, lexicon, kMaxTitles)) {
    last->readings.push_back({ClauseReading::Kind::kTitle, {t.term}, true, 1.0});
  }
}

size_t TextClauses(const std::vector<PlannedGroup>& groups) {
  size_t n = 0;
  for (const PlannedGroup& group : groups) {
    for (const PlannedClause& planned : group.alternatives) {
      if (!IsFilter(planned.clause) && !planned.clause.excluded) ++n;
    }
  }
  return n;
}

// Whether a Korean word of the clause occurs in no post: a gram of it is not
// the site's, or no post holds its grams together (the index keeps no
// positions, so this is as near as it gets to "the word is not there").
bool HasAbsentWord(const Lexicon& lexicon, const PlannedClause& planned) {
  const std::string prefix = PrefixOf(planned.clause);
  const std::vector<Token> tokens = WrittenTokens(planned);
  for (size_t i = 0; i < tokens.size();) {
    if (tokens[i].kind != TokenKind::kCjkGram) {
      ++i;
      continue;
    }
    const size_t j = planned.CjkWordEnd(i, tokens.size());
    std::vector<std::string> grams;
    for (size_t k = i; k < j; ++k) {
      grams.push_back(prefix + tokens[k].term);
      if (lexicon.Frequency(grams.back()) == 0) return true;
    }
    if (grams.size() >= 2 && !lexicon.CoOccur(grams)) return true;
    i = j;
  }
  return false;
}

}  // namespace

std::string PrefixOf(const QueryClause& clause) {
  return std::string(clause.field == QueryField::kTitle ? index::kPrefixTitle : index::kPrefixText);
}

bool IsFilter(const QueryClause& clause) {
  return clause.field == QueryField::kTag || clause.field == QueryField::kCategory;
}

bool IsChoseongClause(const QueryClause& c) {
  return c.field == QueryField::kText && !c.excluded && !c.phrase && analyzer::IsChoseongOnly(c.text) &&
         analyzer::DecodeUtf8(c.text).size() >= 2;
}

std::vector<Token> WrittenTokens(const PlannedClause& planned) {
  return std::vector<Token>(planned.tokens.begin(), planned.tokens.end() - planned.completed_tokens);
}

// Reads every text clause against the site's vocabulary: the last one may be
// being typed, a clause of initials is 초성, and misspelt words get
// corrections. Fills the plan's interpreted and suggested queries.
ReadingResult AddReadings(const Lexicon& lexicon, bool typing, absl::string_view searched,
                          std::vector<PlannedGroup>* groups) {
  const bool ends_in_word = !searched.empty() && !absl::ascii_isspace(searched.back());
  // A whole title typed is finished, though the box is still being typed in.
  const bool completes = typing && ends_in_word && lexicon.Frequency(index::TitleKeyTerm(searched)) == 0;
  // Only a short query is checked for a word no post has (query_plan.h).
  const bool short_query = TextClauses(*groups) <= kShortQueryWords;
  std::string interpreted(searched), suggested(searched);
  bool read_choseong = false, absent = false;
  for (size_t g = 0; g < groups->size(); ++g) {
    for (size_t a = 0; a < (*groups)[g].alternatives.size(); ++a) {
      PlannedClause& planned = (*groups)[g].alternatives[a];
      const QueryClause& c = planned.clause;
      if (IsFilter(c) || c.phrase) continue;
      if (IsChoseongClause(c)) {
        const std::string best = ReadChoseong(lexicon, &planned);
        if (size_t at = interpreted.find(c.text); !best.empty() && at != std::string::npos) {
          interpreted.replace(at, c.text.size(), best);
          read_choseong = true;
        }
        continue;
      }
      FindWordStarts(lexicon, &planned);
      const bool last = g + 1 == groups->size() && a + 1 == (*groups)[g].alternatives.size();
      // The word being typed completes; a correction is for finished words
      // (or one that no completion explains).
      if (completes && last && !c.excluded) {
        CompleteLastWord(lexicon, CompletionBudget(lexicon, *groups), &planned);
      }
      if (planned.readings.empty()) Correct(lexicon, &planned, &suggested);
      absent = absent || (short_query && HasAbsentWord(lexicon, planned));
    }
  }
  AddTitleReading(lexicon, searched, typing && ends_in_word, groups);
  ReadingResult result;
  if (read_choseong) result.interpreted_query = interpreted;
  if (suggested != searched) result.suggested_query = suggested;
  result.has_absent_word = absent;
  return result;
}


}  // namespace chaja::search
