#include "search/query_plan.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "analyzer/hangul.h"
#include "analyzer/jamo.h"
#include "analyzer/utf8.h"
#include "index/document_builder.h"
#include "index/schema.h"
#include "search/clause_equivalents.h"
#include "search/clause_readings.h"
#include "search/query_reading.h"

namespace chaja::search {

namespace {

// The end of the Korean word whose first gram is tokens[i]: the grams
// overlap, until a word start.
size_t CjkRunEnd(const std::vector<analyzer::Token>& tokens, size_t i, size_t end,
                 const std::vector<size_t>& word_starts) {
  size_t j = i + 1;
  while (j < end && tokens[j].kind == analyzer::TokenKind::kCjkGram && tokens[j].begin < tokens[j - 1].end &&
         std::find(word_starts.begin(), word_starts.end(), j) == word_starts.end()) {
    ++j;
  }
  return j;
}

}  // namespace

size_t PlannedClause::CjkWordEnd(size_t i, size_t end) const { return CjkRunEnd(tokens, i, end, word_starts); }

namespace {

using analyzer::QueryClause;
using analyzer::QueryField;
using analyzer::Token;
using analyzer::TokenKind;
using Op = QueryNode::Op;

// Natural-mode weighting of a Korean word's grams: the whole word is scaled by
// 1/n^kWordLengthExponent (n grams), and each later gram by kGramDecay, since a
// word's start carries its stem and its end the particles and endings (으로,
// 습니다). Tuned on ../shared/eval (bench/README.md): klue_nli MRR@10 0.963 →
// 0.966, petitions 0.821 → 0.826 against plain ORed grams.
constexpr double kWordLengthExponent = 0.3;
constexpr double kGramDecay = 0.9;
// Runs of more grams than this (eight syllables and longer) are weighed in
// pieces of kPieceGrams grams.
constexpr size_t kMaxWordGrams = 6;
constexpr size_t kPieceGrams = 4;

std::atomic<uint64_t> analyses{0};

QueryNode Combine(Op op, std::vector<QueryNode> parts) { return QueryNode::Combine(op, std::move(parts)); }

// Which tree a compile makes of the plan.
struct Variant {
  // Only which documents match matters: no weight scaling.
  bool unweighted = false;
  // Hangul/Han grams held by more than max_share of the posts are left out.
  std::function<double(const std::string& term)> share;
  double max_share = 1.0;
};

// A plan's words compiled into a tree.
struct Compiled {
  QueryNode tree;
  bool has_text = false;
  bool had_text_clause = false;
  std::vector<std::string> highlight_terms;
  std::vector<PhraseCheck> phrase_checks;
};

class ClauseBuilder {
 public:
  ClauseBuilder(std::vector<std::string>* highlight, const PlanOptions& options, const Variant& variant)
      : highlight_(highlight), options_(options), variant_(variant) {}

  // Scoring query for a text or title clause; kNothing if it has no terms.
  QueryNode Text(const PlannedClause& planned, bool match_all) {
    const std::string prefix = PrefixOf(planned.clause);
    if (planned.clause.phrase) return WithEquivalents(Phrase(planned.tokens, prefix), planned, prefix);
    // A word with other spellings is a known word: matched whole, like them,
    // so that each spelling finds the same posts.
    std::vector<QueryNode> pieces;
    if (!planned.whole_word.empty()) {
      pieces.push_back(Combine(Op::kAnd, Words(planned.whole_word, {}, prefix, false, /*all_grams=*/true)));
    } else {
      pieces = Words(WrittenTokens(planned), planned.word_starts, prefix, match_all, /*all_grams=*/false);
    }
    // What the syllable being composed may become is one more piece (so
    // MATCH_MODE_ALL requires it); corrections and 초성 words are
    // alternatives of the clause as written.
    std::vector<QueryNode> completions, alternatives;
    for (const ClauseReading& reading : planned.readings) {
      QueryNode q = Reading(reading, prefix);
      if (!variant_.unweighted && reading.factor != 1.0) q = QueryNode::Scale(std::move(q), reading.factor);
      (reading.kind == ClauseReading::Kind::kCompletion ? completions : alternatives).push_back(std::move(q));
    }
    if (!completions.empty()) pieces.push_back(Combine(Op::kOr, std::move(completions)));
    QueryNode written =
        WithEquivalents(Combine(match_all ? Op::kAnd : Op::kOr, std::move(pieces)), planned, prefix);
    if (alternatives.empty()) return written;
    if (!written.empty()) alternatives.insert(alternatives.begin(), std::move(written));
    return Combine(Op::kOr, std::move(alternatives));
  }

  // The tag: or category: filter of a clause; a tag in any of its spellings.
  QueryNode Filter(const QueryClause& clause) const {
    if (clause.field != QueryField::kTag) return QueryNode::Term(index::CategoryTerm(clause.text));
    std::vector<QueryNode> terms;
    for (std::string& term : TagTermsOf(options_.equivalents, clause.text)) {
      terms.push_back(QueryNode::Term(std::move(term)));
    }
    return Combine(Op::kOr, std::move(terms));
  }

  // An excluded text clause: its terms as a phrase (all of them), unweighted.
  QueryNode Excluded(const PlannedClause& planned) {
    return Phrase(planned.tokens, PrefixOf(planned.clause));
  }

  // A word and its other spellings: any matches, a post weighed by the best
  // (a post that writes both is not counted twice).
  QueryNode WithEquivalents(QueryNode written, const PlannedClause& planned, const std::string& prefix) {
    if (planned.equivalents.empty()) return written;
    std::vector<QueryNode> spellings;
    if (!written.empty()) spellings.push_back(std::move(written));
    for (const ClauseEquivalent& equivalent : planned.equivalents) {
      QueryNode q = planned.clause.phrase ? Phrase(equivalent.tokens, prefix) : Spelling(equivalent, prefix);
      if (q.empty()) continue;
      if (!variant_.unweighted && equivalent.factor != 1.0) q = QueryNode::Scale(std::move(q), equivalent.factor);
      spellings.push_back(std::move(q));
    }
    return Combine(variant_.unweighted ? Op::kOr : Op::kMax, std::move(spellings));
  }

 private:
  // The words of `tokens` as pieces: a CJK run (overlapping grams) or a
  // compound (parts + alias) each. With `all_grams`, a Korean word needs all
  // its grams (an equivalent spelling must match as a whole word).
  std::vector<QueryNode> Words(const std::vector<Token>& tokens, const std::vector<size_t>& word_starts,
                               const std::string& prefix, bool match_all, bool all_grams) {
    std::vector<QueryNode> pieces;
    size_t i = 0;
    while (i < tokens.size()) {
      if (tokens[i].kind == TokenKind::kCjkGram) {
        const size_t j = CjkRunEnd(tokens, i, tokens.size(), word_starts);
        pieces.push_back(CjkWord(tokens, i, j, prefix, match_all, all_grams));
        i = j;
        continue;
      }
      i = Compound(tokens, i, prefix, &pieces);
    }
    return pieces;
  }

  // An equivalent spelling of a word clause: all its words, each whole,
  // weighed like the words as written.
  QueryNode Spelling(const ClauseEquivalent& equivalent, const std::string& prefix) {
    return Combine(Op::kAnd, Words(equivalent.tokens, {}, prefix, /*match_all=*/false, /*all_grams=*/true));
  }

  // Consecutive word tokens from tokens[i]; an alias closes the compound that
  // starts at its position. Returns the index after them.
  size_t Compound(const std::vector<Token>& tokens, size_t i, const std::string& prefix,
                  std::vector<QueryNode>* pieces) {
    size_t j = i;
    std::vector<Token> parts;
    const Token* alias = nullptr;
    while (j < tokens.size() && tokens[j].kind == TokenKind::kWord) {
      if (tokens[j].is_alias) {
        alias = &tokens[j];
        ++j;
        break;
      }
      parts.push_back(tokens[j]);
      ++j;
    }
    std::vector<Token> compound;
    for (const Token& t : parts) {
      if (alias != nullptr && t.position >= alias->position) {
        compound.push_back(t);
      } else {
        pieces->push_back(Word(t, prefix));
      }
    }
    if (alias != nullptr) {
      // GPT-4o, gpt4o and "GPT 4o" all index the parts as a phrase.
      QueryNode phrase = Phrase(compound, prefix);
      pieces->push_back(QueryNode::Pair(Op::kOr, std::move(phrase), Term(alias->term, prefix, alias->term)));
    }
    return j;
  }

  // One Hangul/Han word of grams tokens[b, e). In natural mode its grams are
  // ORed and scaled down with the word's length, so that a long word matching
  // all its grams does not outweigh several short words matching.
  QueryNode CjkWord(const std::vector<Token>& tokens, size_t b, size_t e, const std::string& prefix, bool match_all,
                    bool all_grams = false) {
    std::vector<QueryNode> grams;
    // A run longer than any word is words typed without spaces that the
    // site's vocabulary could not split: weighed in word-sized pieces, so that
    // its later words do not fade out.
    const size_t piece = e - b > kMaxWordGrams ? kPieceGrams : e - b;
    const double n = static_cast<double>(piece);
    for (size_t k = b; k < e; ++k) {
      if (variant_.share && variant_.share(tokens[k].term) > variant_.max_share) continue;
      QueryNode q = Term(tokens[k].term, prefix, tokens[k].term);
      const double scale =
          std::pow(kGramDecay, static_cast<double>((k - b) % piece)) / std::pow(n, kWordLengthExponent);
      if (!match_all && !variant_.unweighted && scale != 1.0) q = QueryNode::Scale(std::move(q), scale);
      grams.push_back(std::move(q));
    }
    return Combine(match_all || all_grams ? Op::kAnd : Op::kOr, std::move(grams));
  }

  QueryNode Term(const std::string& term, const std::string& prefix, const std::string& highlight) {
    highlight_->push_back(highlight);
    return Weighted(QueryNode::Term(prefix + term), term, prefix);
  }

  // Applies the site's field weights to a body-text term.
  QueryNode Weighted(QueryNode q, const std::string& term, const std::string& prefix) const {
    if (!prefix.empty() || variant_.unweighted) return q;
    if (options_.body_weight != 1.0) q = QueryNode::Scale(std::move(q), options_.body_weight);
    if (options_.title_boost > 0) {
      q = QueryNode::Pair(Op::kOr, std::move(q),
                          QueryNode::Scale(QueryNode::Term(absl::StrCat(index::kPrefixTitle, term)),
                                           options_.title_boost));
    }
    return q;
  }

  // A reading's word: its grams as a Korean word, or its one term.
  QueryNode Reading(const ClauseReading& reading, const std::string& prefix) {
    if (reading.index_term) return QueryNode::Term(reading.grams.front());
    if (reading.grams.size() == 1) return Term(reading.grams.front(), prefix, reading.grams.front());
    std::vector<Token> grams;
    for (const std::string& gram : reading.grams) {
      Token t;
      t.term = gram;
      t.kind = TokenKind::kCjkGram;
      grams.push_back(std::move(t));
    }
    return CjkWord(grams, 0, grams.size(), prefix, /*match_all=*/false);
  }

  // A Latin word matches its light stem (models ~ model) in body text.
  QueryNode Word(const Token& t, const std::string& prefix) {
    if (prefix.empty()) {
      highlight_->push_back(t.stem);
      highlight_->push_back(t.term);
      return Weighted(QueryNode::Term(absl::StrCat(index::kPrefixStem, t.stem)), t.term, prefix);
    }
    return Term(t.term, prefix, t.term);
  }

  QueryNode Phrase(const std::vector<Token>& tokens, const std::string& prefix) {
    std::vector<QueryNode> terms;
    for (const Token& t : tokens) {
      if (t.is_alias) continue;
      terms.push_back(Term(t.term, prefix, t.term));
    }
    // AND, not OP_PHRASE: the index keeps no positions (a site indexed before
    // that would still have some, and OP_PHRASE would then miss newer posts);
    // the phrases that decide matching are checked by PhraseFilter.
    if (terms.size() <= 1) return Combine(Op::kOr, std::move(terms));
    return QueryNode::Combine(Op::kAnd, std::move(terms));
  }

  std::vector<std::string>* highlight_;
  const PlanOptions& options_;
  const Variant& variant_;
};

// The check a phrase clause needs, if it has two terms or more (one term is
// matched exactly by the index).
std::vector<std::string> PhraseTerms(const std::vector<Token>& tokens) {
  std::vector<std::string> terms;
  for (const Token& t : tokens) {
    if (!t.is_alias) terms.push_back(t.term);
  }
  return terms;
}

// A required phrase is satisfied by any of its spellings; an excluded
// clause's spellings are excluded one by one (AddExcluded).
std::optional<PhraseCheck> PhraseCheckOf(const PlannedClause& planned, bool excluded) {
  PhraseCheck check;
  check.terms = PhraseTerms(planned.tokens);
  if (check.terms.size() < 2) return std::nullopt;
  check.title_only = planned.clause.field == QueryField::kTitle;
  check.excluded = excluded;
  if (!excluded) {
    for (const ClauseEquivalent& equivalent : planned.equivalents) {
      check.alternatives.push_back(PhraseTerms(equivalent.tokens));
    }
  }
  return check;
}

// The parts of a compiled query before they are joined.
struct Parts {
  std::vector<QueryNode> optional, required, filters, excluded;
  // Phrase checks of one-clause groups, to keep if the group decides matching.
  std::vector<PhraseCheck> required_checks, optional_checks;
};

// An excluded clause: one term is excluded by the index, a word or phrase of
// several by a phrase check, so -국가적 keeps 국가대표. Every spelling of
// it is excluded (-도커 also excludes Docker).
void AddExcluded(const PlannedClause& planned, ClauseBuilder* negative, Compiled* out, Parts* parts) {
  if (!IsFilter(planned.clause)) {
    for (const ClauseEquivalent& equivalent : planned.equivalents) {
      PlannedClause spelt;
      spelt.clause = planned.clause;
      spelt.tokens = equivalent.tokens;
      AddExcluded(spelt, negative, out, parts);
    }
    if (std::optional<PhraseCheck> check = PhraseCheckOf(planned, /*excluded=*/true)) {
      out->phrase_checks.push_back(*std::move(check));
      return;
    }
  }
  QueryNode q = IsFilter(planned.clause) ? negative->Filter(planned.clause) : negative->Excluded(planned);
  if (!q.empty()) parts->excluded.push_back(std::move(q));
}

void AddGroup(const PlannedGroup& group, const PlanOptions& options, ClauseBuilder* scoring,
              ClauseBuilder* negative, Compiled* out, Parts* parts) {
  std::vector<QueryNode> alternatives;
  bool group_is_filter = false;
  for (const PlannedClause& planned : group.alternatives) {
    if (planned.clause.excluded) {
      AddExcluded(planned, negative, out, parts);
      continue;
    }
    const bool is_filter = IsFilter(planned.clause);
    group_is_filter = group_is_filter || is_filter;
    if (!is_filter) out->had_text_clause = true;
    QueryNode q = is_filter ? scoring->Filter(planned.clause) : scoring->Text(planned, options.match_all);
    if (!q.empty()) alternatives.push_back(std::move(q));
  }
  if (alternatives.empty()) return;
  QueryNode either = Combine(Op::kOr, std::move(alternatives));
  const PlannedClause& first = group.alternatives.front();
  const bool is_required = options.match_all || first.clause.required;
  // A phrase alone in its group decides matching when the group is required
  // (or, below, the query's only group); one of several OR-ed alternatives
  // does not.
  std::optional<PhraseCheck> check;
  if (group.alternatives.size() == 1 && first.clause.phrase && !group_is_filter) {
    check = PhraseCheckOf(first, /*excluded=*/false);
  }
  if (group_is_filter) {
    parts->filters.push_back(std::move(either));  // tag:a OR b is a filter on either
  } else if (is_required) {
    parts->required.push_back(std::move(either));
    if (check) parts->required_checks.push_back(*std::move(check));
  } else {
    parts->optional.push_back(std::move(either));
    if (check) parts->optional_checks.push_back(*std::move(check));
  }
}

// The request's filters join the query's own tag:/category: filters and
// exclusions: one tree decides what matches, on every path.
void AddRequestFilters(const RequestFilters& filters, Parts* parts) {
  for (const std::vector<std::string>& clause : filters.clauses) {
    std::vector<QueryNode> terms;
    for (const std::string& term : clause) terms.push_back(QueryNode::Term(term));
    parts->filters.push_back(Combine(Op::kOr, std::move(terms)));
  }
  if (filters.published) {
    parts->filters.push_back(
        QueryNode::ValueRange(index::kSlotPublished, filters.published->first, filters.published->second));
  }
  for (const std::string& term : filters.excluded) parts->excluded.push_back(QueryNode::Term(term));
}

// --- Precision for absent words ------------------------------------------------
// A short query with a word no post has must not fill the page with posts
// that share one gram with it. When no post matches any of its words well —
// a word of one or two grams by its first gram (its stem; the second is often
// a particle), a longer word by two neighbouring grams (a four-syllable one
// also by its first and last: 속초산불), a Latin word by itself, a reading by
// its own rule — the query matches nothing. When some post does, every match
// stays: the well-matched ones rank first by BM25 anyway, and a compound's
// posts (대형유통휴무) need not hold its grams across the parts. Long queries
// (sentences) rank well by BM25 over many words and are left alone.

QueryNode WellMatchedWord(const std::vector<QueryNode>& grams) {
  if (grams.size() <= 2) return grams.empty() ? QueryNode() : grams.front();
  // Two neighbouring grams (three syllables in a row); a word of four
  // syllables also by its first and last, for the compound of two nouns
  // (속초산불), whose middle gram (초산) its posts need not have.
  std::vector<QueryNode> pairs;
  for (size_t i = 0; i + 1 < grams.size(); ++i) pairs.push_back(QueryNode::Pair(Op::kAnd, grams[i], grams[i + 1]));
  if (grams.size() == 3) pairs.push_back(QueryNode::Pair(Op::kAnd, grams.front(), grams.back()));
  return Combine(Op::kOr, std::move(pairs));
}

// The clause's well-matched condition, unweighted; kNothing if it has none.
QueryNode WellMatchedClause(const PlannedClause& planned) {
  const std::string prefix = PrefixOf(planned.clause);
  const std::vector<Token> tokens = WrittenTokens(planned);
  std::vector<QueryNode> words, run, completions;
  auto close_run = [&] {
    if (!run.empty()) words.push_back(WellMatchedWord(run));
    run.clear();
  };
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.kind != TokenKind::kCjkGram) {
      close_run();
      if (!t.is_alias) {
        words.push_back(QueryNode::Term(prefix.empty() ? absl::StrCat(index::kPrefixStem, t.stem) : prefix + t.term));
      }
      continue;
    }
    if (i > 0 && planned.CjkWordEnd(i - 1, tokens.size()) == i) close_run();
    run.push_back(QueryNode::Term(prefix + t.term));
  }
  std::vector<QueryNode> alternatives;
  for (const ClauseReading& reading : planned.readings) {
    std::vector<QueryNode> grams;
    for (const std::string& gram : reading.grams) grams.push_back(QueryNode::Term(reading.index_term ? gram : prefix + gram));
    if (reading.kind == ClauseReading::Kind::kCompletion) {
      completions.push_back(std::move(grams.front()));
    } else {
      alternatives.push_back(WellMatchedWord(grams));
    }
  }
  // Another spelling matches well when the post has all of it.
  for (const ClauseEquivalent& equivalent : planned.equivalents) {
    std::vector<QueryNode> terms;
    for (const Token& t : equivalent.tokens) {
      if (t.is_alias) continue;
      terms.push_back(QueryNode::Term(t.kind == TokenKind::kWord && prefix.empty()
                                          ? absl::StrCat(index::kPrefixStem, t.stem)
                                          : prefix + t.term));
    }
    alternatives.push_back(Combine(Op::kAnd, std::move(terms)));
  }
  // The word being typed: its completions are its last gram.
  if (!completions.empty()) run.push_back(Combine(Op::kOr, std::move(completions)));
  close_run();
  for (QueryNode& word : words) alternatives.push_back(std::move(word));
  return Combine(Op::kOr, std::move(alternatives));
}

// The query's well-matched filter, or kNothing when it does not apply.
QueryNode WellMatched(const QueryPlan& plan) {
  if (plan.options.match_all) return QueryNode();
  std::vector<QueryNode> clauses;
  for (const PlannedGroup& group : plan.groups) {
    for (const PlannedClause& planned : group.alternatives) {
      const QueryClause& c = planned.clause;
      if (c.excluded || IsFilter(c)) continue;
      // A required word or phrase decides matching on its own.
      if (c.phrase || c.required) return QueryNode();
      QueryNode well = WellMatchedClause(planned);
      if (well.empty()) return QueryNode();
      clauses.push_back(std::move(well));
    }
  }
  if (clauses.empty() || clauses.size() > kShortQueryWords) return QueryNode();
  return Combine(Op::kOr, std::move(clauses));
}

QueryNode Join(Parts parts) {
  QueryNode query;
  if (!parts.required.empty()) {
    query = Combine(Op::kAnd, std::move(parts.required));
    if (!parts.optional.empty()) {
      query = QueryNode::Pair(Op::kAndMaybe, std::move(query), Combine(Op::kOr, std::move(parts.optional)));
    }
  } else if (!parts.optional.empty()) {
    query = Combine(Op::kOr, std::move(parts.optional));
  }
  return query;
}

Compiled Compile(const QueryPlan& plan, const Variant& variant) {
  Compiled out;
  std::vector<std::string> ignored_highlights;
  PlanOptions no_weights;
  no_weights.equivalents = plan.options.equivalents;
  const Variant unweighted{true, nullptr, 1.0};
  ClauseBuilder scoring(&out.highlight_terms, plan.options, variant);
  ClauseBuilder negative(&ignored_highlights, no_weights, unweighted);
  Parts parts;
  for (const PlannedGroup& group : plan.groups) AddGroup(group, plan.options, &scoring, &negative, &out, &parts);
  for (PhraseCheck& check : parts.required_checks) out.phrase_checks.push_back(std::move(check));
  if (parts.required.empty() && parts.optional.size() == 1) {
    for (PhraseCheck& check : parts.optional_checks) out.phrase_checks.push_back(std::move(check));
  }
  AddRequestFilters(plan.filters, &parts);
  // The shortlist is filtered by the whole tree later, and must not walk the
  // common grams the filter may hold.
  if (plan.nothing_matches_well) parts.filters.push_back(QueryNode());
  std::vector<QueryNode> filters = std::move(parts.filters);
  std::vector<QueryNode> excluded = std::move(parts.excluded);
  QueryNode query = Join(std::move(parts));
  out.has_text = !query.empty();
  if (query.empty()) query = QueryNode::MatchAll();
  if (!filters.empty()) query = QueryNode::Pair(Op::kFilter, std::move(query), Combine(Op::kAnd, std::move(filters)));
  if (!excluded.empty()) query = QueryNode::Pair(Op::kAndNot, std::move(query), Combine(Op::kOr, std::move(excluded)));
  out.tree = std::move(query);
  return out;
}

// Parses `text` and analyses each text clause once.
absl::StatusOr<std::vector<PlannedGroup>> Analyse(absl::string_view text, bool typing) {
  analyzer::ParseOptions parse_options;
  parse_options.typing = typing;
  absl::StatusOr<analyzer::ParsedQuery> parsed = analyzer::ParseQuery(text, parse_options);
  if (!parsed.ok()) return parsed.status();
  analyses.fetch_add(1, std::memory_order_relaxed);
  const analyzer::Analyzer analyzer;
  std::vector<PlannedGroup> groups;
  for (analyzer::QueryGroup& group : parsed->groups) {
    PlannedGroup planned;
    for (QueryClause& clause : group.alternatives) {
      std::vector<Token> tokens;
      if (!IsFilter(clause)) tokens = analyzer.Analyze(clause.text);
      PlannedClause analysed;
      analysed.clause = std::move(clause);
      analysed.tokens = std::move(tokens);
      planned.alternatives.push_back(std::move(analysed));
    }
    groups.push_back(std::move(planned));
  }
  return groups;
}

// Whether the query has a clause of 초성: searchable, though it has no terms
// as written (finding nothing is an answer, not an error).
bool HasChoseongClause(const QueryPlan& plan) {
  for (const PlannedGroup& group : plan.groups) {
    for (const PlannedClause& planned : group.alternatives) {
      if (IsChoseongClause(planned.clause)) return true;
    }
  }
  return false;
}

// A tag filter finds the tag in any of its spellings (tags=우분투 finds posts
// tagged ubuntu).
RequestFilters FiltersOf(const v1::SearchRequest& request, const index::Equivalents* equivalents) {
  RequestFilters f;
  if (!request.tags().empty()) {
    std::vector<std::vector<std::string>> tags;
    for (const std::string& tag : request.tags()) tags.push_back(TagTermsOf(equivalents, tag));
    if (request.tag_match() == v1::TAG_MATCH_ANY) {
      f.clauses.emplace_back();
      for (std::vector<std::string>& terms : tags) {
        for (std::string& term : terms) f.clauses.back().push_back(std::move(term));
      }
    } else {
      for (std::vector<std::string>& terms : tags) f.clauses.push_back(std::move(terms));
    }
  }
  if (!request.category().empty()) f.clauses.push_back({index::CategoryTerm(request.category())});
  for (const std::string& tag : request.exclude_tags()) {
    for (std::string& term : TagTermsOf(equivalents, tag)) f.excluded.push_back(std::move(term));
  }
  if (request.has_published_from() || request.has_published_to()) {
    const double from = request.has_published_from() ? index::TimestampSeconds(request.published_from())
                                                     : -std::numeric_limits<double>::max();
    // published_to is exclusive.
    const double to = request.has_published_to()
                          ? std::nextafter(index::TimestampSeconds(request.published_to()), -1e300)
                          : std::numeric_limits<double>::max();
    f.published = std::make_pair(from, to);
  }
  return f;
}

}  // namespace

absl::StatusOr<QueryPlan> PlanQuery(absl::string_view text, const PlanOptions& options, RequestFilters filters) {
  // Words typed in the wrong keyboard mode are read as meant before parsing,
  // so every later step sees the query the reader meant.
  // Words past kMaxQueryWords are not searched (a longer query is refused
  // by the parser for its bytes, as before).
  analyzer::QueryCut cut{std::string(text), ""};
  if (text.size() <= analyzer::kMaxQueryBytes) {
    absl::StatusOr<analyzer::QueryCut> cut_text = analyzer::CutQueryAtWords(text);
    if (!cut_text.ok()) return cut_text.status();
    cut = *std::move(cut_text);
  }
  std::string searched = cut.searched;
  if (options.lexicon != nullptr && text.size() <= analyzer::kMaxQueryBytes) {
    searched = ReadKeyboardMistypes(cut.searched, *options.lexicon, options.typing);
  }
  absl::StatusOr<std::vector<PlannedGroup>> groups = Analyse(searched, options.typing);
  if (!groups.ok()) return groups.status();
  QueryPlan plan;
  plan.options = options;
  plan.ignored_query = std::move(cut.ignored);
  if (searched != cut.searched) plan.interpreted_query = searched;
  ReadingResult read;
  if (options.lexicon != nullptr) {
    read = AddReadings(*options.lexicon, options.typing, searched, &*groups);
    if (!read.interpreted_query.empty()) plan.interpreted_query = read.interpreted_query;
    plan.suggested_query = read.suggested_query;
  }
  if (options.equivalents != nullptr) {
    AddEquivalents(*options.equivalents, options.typing, &*groups);
    plan.equivalent_uses = EquivalentUsesOf(*groups);
  }
  plan.groups = *std::move(groups);
  plan.filters = std::move(filters);
  if (read.has_absent_word) {
    const QueryNode well = WellMatched(plan);
    plan.nothing_matches_well = !well.empty() && !options.lexicon->AnyMatch(well);
  }
  Compiled compiled = Compile(plan, Variant());
  if (compiled.had_text_clause && !compiled.has_text) {
    if (!options.typing && !HasChoseongClause(plan)) {
      return absl::InvalidArgumentError(
          "the query has no searchable words (letters, digits, Hangul or Hanja); symbols and emoji are ignored");
    }
    // Nothing searchable typed yet: nothing matches, rather than the whole
    // site; the filters typed beside it (tag:) still apply.
    if (compiled.tree.op == QueryNode::Op::kMatchAll) compiled.tree = QueryNode();
  }
  plan.tree = std::move(compiled.tree);
  plan.has_text = compiled.has_text;
  plan.highlight_terms = std::move(compiled.highlight_terms);
  plan.phrase_checks = std::move(compiled.phrase_checks);
  return plan;
}

absl::StatusOr<QueryPlan> PlanSearch(const v1::SearchRequest& request, double title_boost, double body_weight,
                                     const Lexicon* lexicon, const index::Equivalents* equivalents) {
  PlanOptions options;
  options.match_all = request.match_mode() == v1::MATCH_MODE_ALL;
  options.title_boost = title_boost;
  options.body_weight = body_weight;
  options.typing = request.typing();
  options.lexicon = lexicon;
  options.equivalents = equivalents;
  return PlanQuery(request.query(), options, FiltersOf(request, equivalents));
}

QueryNode CountingTree(const QueryPlan& plan) { return Compile(plan, Variant{true, nullptr, 1.0}).tree; }

QueryNode SelectiveTree(const QueryPlan& plan, const std::function<double(const std::string& term)>& share,
                        double max_share) {
  Compiled compiled = Compile(plan, Variant{false, share, max_share});
  if (!compiled.has_text) return QueryNode();
  return std::move(compiled.tree);
}

uint64_t QueryAnalysisCount() { return analyses.load(std::memory_order_relaxed); }

}  // namespace chaja::search
