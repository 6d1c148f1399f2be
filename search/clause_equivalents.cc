#include "search/clause_equivalents.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "analyzer/analyzer.h"
#include "analyzer/utf8.h"
#include "index/schema.h"
#include "search/clause_readings.h"

namespace chaja::search {
namespace {

// A word being typed of fewer characters has too many words to stand for.
constexpr size_t kMinTypedChars = 2;
constexpr size_t kMaxTypedWords = 3;

// Particles a noun may carry in a query (우분투에서, 도커로), longest first.
constexpr absl::string_view kParticles[] = {"에서", "으로", "에게", "까지", "부터", "처럼", "보다", "이나", "이랑",
                                            "하고", "은",   "는",   "이",   "가",   "을",   "를",   "의",
                                            "에",   "로",   "와",   "과",   "도",   "만",   "랑"};

// The other spellings of `word` (of a whole word first, else of the word
// without a particle), each with the particle it had.
std::vector<std::pair<index::Equivalents::Alternative, std::string>> SpellingsOf(
    const index::Equivalents& equivalents, absl::string_view word) {
  std::vector<std::pair<index::Equivalents::Alternative, std::string>> out;
  for (index::Equivalents::Alternative& a : equivalents.AlternativesOf(word)) out.emplace_back(std::move(a), "");
  if (!out.empty()) return out;
  for (absl::string_view particle : kParticles) {
    if (word.size() <= particle.size() || !absl::EndsWith(word, particle)) continue;
    const absl::string_view stem = word.substr(0, word.size() - particle.size());
    for (index::Equivalents::Alternative& a : equivalents.AlternativesOf(stem)) {
      out.emplace_back(std::move(a), std::string(particle));
    }
    if (!out.empty()) return out;
  }
  return out;
}

ClauseEquivalent Make(const analyzer::Analyzer& analyzer, const std::string& written, const std::string& word,
                      std::string text, v1::EquivalentSource source) {
  ClauseEquivalent e;
  e.written = written;
  e.word = word;
  e.text = std::move(text);
  e.tokens = analyzer.Analyze(e.text);
  e.source = source;
  return e;
}

// A word clause: each other spelling of the word, without its particle (a
// post writes "Ubuntu에서" or "Ubuntu 22.04에서").
void AddWordEquivalents(const index::Equivalents& equivalents, const analyzer::Analyzer& analyzer,
                        PlannedClause* planned) {
  const std::string& word = planned->clause.text;
  for (auto& [alternative, particle] : SpellingsOf(equivalents, word)) {
    if (planned->equivalents.size() == kMaxClauseEquivalents) return;
    const std::string written = particle.empty() ? word : word.substr(0, word.size() - particle.size());
    planned->equivalents.push_back(Make(analyzer, written, alternative.text, alternative.text, alternative.source));
    if (planned->whole_word.empty()) planned->whole_word = analyzer.Analyze(written);
  }
  // A word typed so far that is a known word is taken as complete: matched
  // whole, as when the reader goes on, not by what it may still become.
  if (!planned->equivalents.empty()) {
    auto& readings = planned->readings;
    readings.erase(std::remove_if(readings.begin(), readings.end(),
                                  [](const ClauseReading& r) { return r.kind == ClauseReading::Kind::kCompletion; }),
                   readings.end());
    planned->completed_tokens = 0;
  }
}

// The word a reading's grams spell: 우분 + 분투 → 우분투; a Latin word is its term.
std::string WordOfGrams(const std::vector<std::string>& grams) {
  std::string word = grams.front();
  for (size_t i = 1; i < grams.size(); ++i) {
    const std::u32string cps = analyzer::ToCodePoints(grams[i]);
    if (!cps.empty()) word += analyzer::ToUtf8(cps.substr(cps.size() - 1));
  }
  return word;
}

// The other spellings of a correction's word (우뷴투 → 우분투 → ubuntu), weighed
// like the correction.
void AddCorrectionEquivalents(const index::Equivalents& equivalents, const analyzer::Analyzer& analyzer,
                              PlannedClause* planned) {
  for (const ClauseReading& reading : planned->readings) {
    if (reading.kind != ClauseReading::Kind::kCorrection || reading.index_term || reading.grams.empty()) continue;
    const std::string word = WordOfGrams(reading.grams);
    for (const index::Equivalents::Alternative& alternative : equivalents.AlternativesOf(word)) {
      if (planned->equivalents.size() == kMaxClauseEquivalents) return;
      planned->equivalents.push_back(Make(analyzer, word, alternative.text, alternative.text, alternative.source));
      planned->equivalents.back().factor = reading.factor;
    }
  }
}

// The word being typed: the other spellings of the words it starts (우분 →
// 우분투 → Ubuntu; ubun → ubuntu → 우분투). Its own completions find the words
// in its script.
void AddTypedEquivalents(const index::Equivalents& equivalents, const analyzer::Analyzer& analyzer,
                         PlannedClause* planned) {
  const std::string& typed = planned->clause.text;
  if (analyzer::ToCodePoints(typed).size() < kMinTypedChars) return;
  for (const std::string& word : equivalents.WordsStartingWith(typed, kMaxTypedWords)) {
    for (const index::Equivalents::Alternative& alternative : equivalents.AlternativesOf(word)) {
      if (planned->equivalents.size() == kMaxClauseEquivalents) return;
      if (absl::StartsWith(index::NormalizeKey(alternative.text), index::NormalizeKey(typed))) continue;
      planned->equivalents.push_back(Make(analyzer, word, alternative.text, alternative.text, alternative.source));
    }
  }
}

// A phrase: the phrase with one of its words spelt another way, particle kept
// (the phrase check needs the words in order).
void AddPhraseEquivalents(const index::Equivalents& equivalents, const analyzer::Analyzer& analyzer,
                          PlannedClause* planned) {
  const std::vector<std::string> words = absl::StrSplit(planned->clause.text, ' ', absl::SkipEmpty());
  for (size_t i = 0; i < words.size(); ++i) {
    for (auto& [alternative, particle] : SpellingsOf(equivalents, words[i])) {
      if (planned->equivalents.size() == kMaxClauseEquivalents) return;
      std::vector<std::string> spelt = words;
      spelt[i] = alternative.text + particle;
      const std::string written = words[i].substr(0, words[i].size() - particle.size());
      planned->equivalents.push_back(
          Make(analyzer, written, alternative.text, absl::StrJoin(spelt, " "), alternative.source));
    }
  }
}

}  // namespace

void AddEquivalents(const index::Equivalents& equivalents, bool typing, std::vector<PlannedGroup>* groups) {
  const analyzer::Analyzer analyzer;
  for (PlannedGroup& group : *groups) {
    for (PlannedClause& planned : group.alternatives) {
      if (IsFilter(planned.clause) || planned.tokens.empty()) continue;
      if (planned.clause.phrase) {
        AddPhraseEquivalents(equivalents, analyzer, &planned);
        continue;
      }
      AddWordEquivalents(equivalents, analyzer, &planned);
      if (planned.equivalents.empty()) AddCorrectionEquivalents(equivalents, analyzer, &planned);
      const bool being_typed = typing && &planned == &groups->back().alternatives.back();
      if (planned.equivalents.empty() && being_typed) AddTypedEquivalents(equivalents, analyzer, &planned);
    }
  }
}

namespace {

// The index terms of a word as the body text has it (aliases left out).
std::vector<std::string> BodyTermsOf(const analyzer::Analyzer& analyzer, const std::string& word) {
  std::vector<std::string> terms;
  for (const analyzer::Token& t : analyzer.Analyze(word)) {
    if (!t.is_alias) terms.push_back(t.term);
  }
  return terms;
}

}  // namespace

std::vector<EquivalentUse> EquivalentUsesOf(const std::vector<PlannedGroup>& groups) {
  const analyzer::Analyzer analyzer;
  std::vector<EquivalentUse> uses;
  for (const PlannedGroup& group : groups) {
    for (const PlannedClause& planned : group.alternatives) {
      if (planned.clause.excluded) continue;
      for (const ClauseEquivalent& equivalent : planned.equivalents) {
        EquivalentUse use;
        use.written = equivalent.written;
        use.matched = equivalent.word;
        use.source = equivalent.source;
        use.written_terms = BodyTermsOf(analyzer, equivalent.written);
        use.matched_terms = BodyTermsOf(analyzer, equivalent.word);
        if (!use.written_terms.empty() && !use.matched_terms.empty()) uses.push_back(std::move(use));
      }
    }
  }
  return uses;
}

std::vector<std::string> TagTermsOf(const index::Equivalents* equivalents, const std::string& tag) {
  std::vector<std::string> terms = {index::TagTerm(tag)};
  if (equivalents == nullptr) return terms;
  const uint32_t set = equivalents->SetOfKey(index::NormalizeKey(tag));
  if (set == index::Equivalents::kNoSet) return terms;
  for (const std::string& word : equivalents->set(set).words) {
    std::string term = index::TagTerm(word);
    if (std::find(terms.begin(), terms.end(), term) == terms.end()) terms.push_back(std::move(term));
  }
  return terms;
}

}  // namespace chaja::search
