#include "index/query_builder.h"

#include <cmath>
#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "analyzer/analyzer.h"
#include "index/schema.h"

namespace chaja::index {
namespace {

using analyzer::QueryClause;
using analyzer::QueryField;
using analyzer::Token;
using analyzer::TokenKind;

// Natural-mode weighting of a Korean word's grams: the whole word is scaled by
// 1/n^kWordLengthExponent (n grams), and each later gram by kGramDecay, since a
// word's start carries its stem and its end the particles and endings (으로,
// 습니다). Tuned on ../shared/eval (bench/README.md): klue_nli MRR@10 0.963 →
// 0.966, petitions 0.821 → 0.826 against plain ORed grams.
constexpr double kWordLengthExponent = 0.3;
constexpr double kGramDecay = 0.9;

using Op = QueryNode::Op;

QueryNode Combine(Op op, std::vector<QueryNode> parts) { return QueryNode::Combine(op, std::move(parts)); }

class ClauseBuilder {
 public:
  ClauseBuilder(std::vector<std::string>* highlight, const QueryOptions& options)
      : highlight_(highlight), options_(options) {}

  // Scoring query for a text or title clause; empty Query if it has no terms.
  QueryNode Text(const QueryClause& clause, bool match_all) {
    const std::string prefix(clause.field == QueryField::kTitle ? kPrefixTitle : kPrefixText);
    const std::vector<Token> tokens = analyzer_.Analyze(clause.text);
    if (clause.phrase) return Phrase(tokens, prefix);

    // Group tokens into words: a CJK run (overlapping grams) or a compound
    // (parts + alias).
    std::vector<QueryNode> pieces;
    size_t i = 0;
    while (i < tokens.size()) {
      if (tokens[i].kind == TokenKind::kCjkGram) {
        size_t j = i + 1;
        while (j < tokens.size() && tokens[j].kind == TokenKind::kCjkGram && tokens[j].begin < tokens[j - 1].end) ++j;
        pieces.push_back(CjkWord(tokens, i, j, prefix, match_all));
        i = j;
        continue;
      }
      // Consecutive word tokens; an alias closes the compound that starts at its position.
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
          pieces.push_back(Word(t, prefix));
        }
      }
      if (alias != nullptr) {
        // GPT-4o, gpt4o and "GPT 4o" all index the parts as a phrase.
        QueryNode phrase = Phrase(compound, prefix);
        pieces.push_back(QueryNode::Pair(Op::kOr, std::move(phrase), Term(alias->term, prefix, alias->term)));
      }
      i = j;
    }
    return Combine(match_all ? Op::kAnd : Op::kOr, std::move(pieces));
  }

  QueryNode Filter(const QueryClause& clause) {
    const std::string term = clause.field == QueryField::kTag ? TagTerm(clause.text) : CategoryTerm(clause.text);
    return QueryNode::Term(term);
  }

 private:
  // One Hangul/Han word of grams tokens[b, e). In natural mode its grams are
  // ORed and scaled down with the word's length, so that a long word matching
  // all its grams does not outweigh several short words matching.
  QueryNode CjkWord(const std::vector<Token>& tokens, size_t b, size_t e, const std::string& prefix,
                        bool match_all) {
    std::vector<QueryNode> grams;
    const double n = static_cast<double>(e - b);
    for (size_t k = b; k < e; ++k) {
      if (options_.term_share && options_.term_share(tokens[k].term) > options_.max_term_share) continue;
      QueryNode q = Term(tokens[k].term, prefix, tokens[k].term);
      const double scale = std::pow(kGramDecay, static_cast<double>(k - b)) / std::pow(n, kWordLengthExponent);
      if (!match_all && !options_.unweighted && scale != 1.0) {
        q = QueryNode::Scale(std::move(q), scale);
      }
      grams.push_back(std::move(q));
    }
    return Combine(match_all ? Op::kAnd : Op::kOr, std::move(grams));
  }

  QueryNode Term(const std::string& term, const std::string& prefix, const std::string& highlight) {
    highlight_->push_back(highlight);
    return Weighted(QueryNode::Term(prefix + term), term, prefix);
  }

  // Applies the site's field weights to a body-text term.
  QueryNode Weighted(QueryNode q, const std::string& term, const std::string& prefix) const {
    if (!prefix.empty() || options_.unweighted) return q;
    if (options_.body_weight != 1.0) q = QueryNode::Scale(std::move(q), options_.body_weight);
    if (options_.title_boost > 0) {
      q = QueryNode::Pair(Op::kOr, std::move(q),
                          QueryNode::Scale(QueryNode::Term(absl::StrCat(kPrefixTitle, term)), options_.title_boost));
    }
    return q;
  }

  // A Latin word matches its light stem (models ~ model) in body text.
  QueryNode Word(const Token& t, const std::string& prefix) {
    if (prefix.empty()) {
      highlight_->push_back(t.stem);
      highlight_->push_back(t.term);
      return Weighted(QueryNode::Term(absl::StrCat(kPrefixStem, t.stem)), t.term, prefix);
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

  analyzer::Analyzer analyzer_;
  std::vector<std::string>* highlight_;
  QueryOptions options_;
};

// The check a phrase clause needs, if it has two terms or more (one term is
// matched exactly by the index).
std::optional<PhraseCheck> PhraseCheckOf(const QueryClause& clause, bool excluded) {
  PhraseCheck check;
  for (const Token& t : analyzer::Analyzer().Analyze(clause.text)) {
    if (!t.is_alias) check.terms.push_back(t.term);
  }
  if (check.terms.size() < 2) return std::nullopt;
  check.title_only = clause.field == QueryField::kTitle;
  check.excluded = excluded;
  return check;
}

}  // namespace

absl::StatusOr<BuiltQuery> BuildQuery(const analyzer::ParsedQuery& parsed, const QueryOptions& options) {
  BuiltQuery built;
  // Phrase checks of one-clause groups, to keep if the group decides matching.
  std::vector<PhraseCheck> required_checks, optional_checks;
  std::vector<std::string> ignored_highlights;
  ClauseBuilder scoring(&built.highlight_terms, options);
  ClauseBuilder negative(&ignored_highlights, QueryOptions());

  std::vector<QueryNode> optional, required, filters, excluded;
  bool had_text_clause = false;
  for (const analyzer::QueryGroup& group : parsed.groups) {
    std::vector<QueryNode> alternatives;
    bool group_is_filter = false;
    for (const QueryClause& clause : group.alternatives) {
      const bool is_filter = clause.field == QueryField::kTag || clause.field == QueryField::kCategory;
      if (clause.excluded) {
        // An excluded word is excluded as written (its grams adjacent), so
        // -국가적 keeps 국가대표: one term is excluded by the index, several by
        // a phrase check.
        if (!is_filter) {
          if (std::optional<PhraseCheck> check = PhraseCheckOf(clause, /*excluded=*/true)) {
            built.phrase_checks.push_back(*std::move(check));
            continue;
          }
        }
        QueryClause as_phrase = clause;
        as_phrase.phrase = true;
        QueryNode q = is_filter ? negative.Filter(clause) : negative.Text(as_phrase, /*match_all=*/false);
        if (!q.empty()) excluded.push_back(std::move(q));
        continue;
      }
      group_is_filter = group_is_filter || is_filter;
      if (!is_filter) had_text_clause = true;
      QueryNode q = is_filter ? scoring.Filter(clause) : scoring.Text(clause, options.match_all);
      if (!q.empty()) alternatives.push_back(std::move(q));
    }
    if (alternatives.empty()) continue;
    QueryNode either = Combine(Op::kOr, std::move(alternatives));
    const bool is_required = options.match_all || group.alternatives.front().required;
    // A phrase alone in its group decides matching when the group is required
    // (or, below, the query's only group); one of several OR-ed alternatives
    // does not.
    std::optional<PhraseCheck> check;
    if (group.alternatives.size() == 1 && group.alternatives.front().phrase && !group_is_filter) {
      check = PhraseCheckOf(group.alternatives.front(), /*excluded=*/false);
    }
    if (group_is_filter) {
      // Filters restrict without scoring (tag:a OR b is a filter on either).
      filters.push_back(std::move(either));
    } else if (is_required) {
      required.push_back(std::move(either));
      if (check) required_checks.push_back(*std::move(check));
    } else {
      optional.push_back(std::move(either));
      if (check) optional_checks.push_back(*std::move(check));
    }
  }
  for (PhraseCheck& check : required_checks) built.phrase_checks.push_back(std::move(check));
  if (required.empty() && optional.size() == 1) {
    for (PhraseCheck& check : optional_checks) built.phrase_checks.push_back(std::move(check));
  }

  if (had_text_clause && optional.empty() && required.empty()) {
    return absl::InvalidArgumentError(
        "the query has no searchable words (letters, digits, Hangul or Hanja); symbols and emoji are ignored");
  }

  QueryNode query;
  if (!required.empty()) {
    query = Combine(Op::kAnd, std::move(required));
    if (!optional.empty()) query = QueryNode::Pair(Op::kAndMaybe, std::move(query), Combine(Op::kOr, std::move(optional)));
  } else if (!optional.empty()) {
    query = Combine(Op::kOr, std::move(optional));
  }
  built.has_text = !query.empty();
  if (query.empty()) query = QueryNode::MatchAll();
  if (!filters.empty()) query = QueryNode::Pair(Op::kFilter, std::move(query), Combine(Op::kAnd, std::move(filters)));
  if (!excluded.empty()) query = QueryNode::Pair(Op::kAndNot, std::move(query), Combine(Op::kOr, std::move(excluded)));
  built.query = ToXapian(query);
  built.tree = std::move(query);
  return built;
}

absl::StatusOr<BuiltQuery> BuildQuery(absl::string_view query_text, const QueryOptions& options) {
  absl::StatusOr<analyzer::ParsedQuery> parsed = analyzer::ParseQuery(query_text);
  if (!parsed.ok()) return parsed.status();
  return BuildQuery(*parsed, options);
}

}  // namespace chaja::index
