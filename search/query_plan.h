// QueryPlan: one search request, parsed and analysed once.
//
// The plan holds the words of the search box (analysed with the indexer's own
// Analyzer), their operators and the request's filters (tags, category,
// dates, excluded tags). Every executor compiles this one plan into a
// QueryNode tree (query_tree.h): the ranked tree is made with the plan, and
// the two other variants are transforms of it, made without analysing again:
//   CountingTree   unweighted, for counting matches and facets;
//   SelectiveTree  without the grams that most posts hold, for the shortlist
//                  of big sites.
//
// Natural mode (the default) ORs every word's terms and lets BM25 rank
// articles that match more of them higher: a sentence typed into a search box
// must not require every word. Quoted phrases need all their terms (and are
// checked against the stored text, see PhraseCheck); +clauses are required;
// -clauses are excluded; tag:/category: and the request's filters are boolean
// filters that never change the ranking.
//
// Thread-safe: pure functions; a plan is immutable once made.
#ifndef CHAJA_SEARCH_QUERY_PLAN_H_
#define CHAJA_SEARCH_QUERY_PLAN_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "analyzer/analyzer.h"
#include "analyzer/query_parser.h"
#include "chaja/v1/search.pb.h"
#include "index/equivalents.h"
#include "search/lexicon.h"
#include "search/query_tree.h"

namespace chaja::search {

// A phrase the matcher cannot check because the index keeps no positions
// (Xapian then runs OP_PHRASE as AND): the ranker checks it against the
// stored text (PhraseFilter). Only phrases that decide whether a post matches
// are listed: a quoted phrase that is required (or is the query's only group)
// and an excluded word or phrase of several terms. An optional phrase beside
// other words only ranks, so its grams anywhere in the post are enough.
struct PhraseCheck {
  // Analyzer terms in order, aliases left out.
  std::vector<std::string> terms;
  // The same phrase with a word spelt another way (ClauseEquivalent): any
  // of them satisfies a required check.
  std::vector<std::vector<std::string>> alternatives;
  // title:"…": only the title counts.
  bool title_only = false;
  // The post must NOT contain it (-"…", -국가적).
  bool excluded = false;
};

// How the words are weighed: the request's mode and the site's field weights.
struct PlanOptions {
  // Every group must match (MATCH_MODE_ALL) instead of any.
  bool match_all = false;
  // Per-site field weights (SiteSettings): each text term t becomes
  // t×body_weight, plus title:t×title_boost when title_boost > 0.
  double title_boost = 0;
  double body_weight = 1;
  // The query is still being typed (SearchRequest.typing): syntax never
  // fails (analyzer::ParseOptions), and a query with nothing searchable yet
  // matches nothing instead of being INVALID_ARGUMENT; its last word may be
  // incomplete and also matches the site's words that start with it.
  bool typing = false;
  // The site's vocabulary, for the readings of query_reading.h (mistypes,
  // completions, 초성, corrections). Without it the query is taken as written.
  const Lexicon* lexicon = nullptr;
  // The site's equivalents (우분투 = ubuntu). Without them words match only
  // as written.
  const index::Equivalents* equivalents = nullptr;
};

// A reading of a clause besides its words as written (query_reading.h): an
// alternative that matches it too, weighed by `factor`.
struct ClauseReading {
  enum class Kind { kCompletion, kCorrection, kChoseong, kTitle };
  Kind kind = Kind::kCompletion;
  // One word: its grams or its Latin term, unprefixed analyzer terms matched
  // in the clause's field; or, with `index_term`, one full index term.
  std::vector<std::string> grams;
  bool index_term = false;
  double factor = 1;
};

// Another spelling of a clause's word (clause_equivalents.h): it matches the
// clause as well as the word as written.
struct ClauseEquivalent {
  // The word as typed, without a particle (우분투), and its other spelling
  // (ubuntu).
  std::string written;
  std::string word;
  // The clause spelt that way ("ubuntu", or a phrase "ubuntu 설치 방법"),
  // analysed.
  std::string text;
  std::vector<analyzer::Token> tokens;
  v1::EquivalentSource source = v1::EQUIVALENT_SOURCE_UNSPECIFIED;
  // Below 1 for the spelling of a reading's word (a correction's: 우뷴투 →
  // 우분투 → ubuntu), weighed like the reading.
  double factor = 1;
};

// A clause of the search box with its analysed tokens.
struct PlannedClause {
  analyzer::QueryClause clause;
  std::vector<analyzer::Token> tokens;  // empty for tag:/category:
  std::vector<ClauseReading> readings;
  std::vector<ClauseEquivalent> equivalents;
  // With equivalents, a word clause's word without its particle, analysed:
  // matched as a whole word, like its other spellings.
  std::vector<analyzer::Token> whole_word;
  // Trailing tokens that the completion readings stand for: the gram of the
  // syllable being composed (패궈) or the unigram of a one-syllable word (패).
  size_t completed_tokens = 0;
  // Tokens that begin a word inside a run of Hangul typed without spaces
  // (자유선진당은원내제3당이다): after a gram the site does not have.
  std::vector<size_t> word_starts;

  // The end of the Korean word whose first gram is tokens[i].
  size_t CjkWordEnd(size_t i, size_t end) const;
};

struct PlannedGroup {
  std::vector<PlannedClause> alternatives;  // joined by OR
};

// The request's own filters, as index terms.
struct RequestFilters {
  // Every clause must hold; a post holds a clause if it has any of its terms.
  std::vector<std::vector<std::string>> clauses;
  // Posts with any of these terms are left out.
  std::vector<std::string> excluded;
  // published_from/published_to as an inclusive range of seconds.
  std::optional<std::pair<double, double>> published;

  bool empty() const { return clauses.empty() && excluded.empty() && !published; }
};

// A clause word and one other spelling of it, as index terms: a post that
// has every `matched` term and not every `written` one matched through it.
struct EquivalentUse {
  std::string written;
  std::string matched;
  v1::EquivalentSource source = v1::EQUIVALENT_SOURCE_UNSPECIFIED;
  std::vector<std::string> written_terms;
  std::vector<std::string> matched_terms;
};

struct QueryPlan {
  PlanOptions options;
  std::vector<PlannedGroup> groups;
  RequestFilters filters;

  // The ranked tree, compiled once when the plan is made.
  QueryNode tree;
  // True when the query has scoring terms (else results are unranked).
  bool has_text = false;
  // Unprefixed analyzer terms (and stems) to highlight in snippets.
  std::vector<std::string> highlight_terms;
  // Phrases to check against the stored text; empty for most queries.
  std::vector<PhraseCheck> phrase_checks;
  // The query as searched when it was read differently (a keyboard mistype,
  // 초성), else empty: SearchResponse.interpreted_query.
  std::string interpreted_query;
  // The end of the query that is not searched (words past the 32nd:
  // analyzer::kMaxQueryWords), else empty: SearchResponse.ignored_query.
  std::string ignored_query;
  // The query with its misspelt words corrected, else empty:
  // SearchResponse.suggested_query.
  std::string suggested_query;
  // Words that a post may match only through another spelling, with the
  // index terms that tell (EquivalentUse): SearchHit.equivalents.
  std::vector<EquivalentUse> equivalent_uses;
  // A Korean word of the query occurs in no post (its grams are not all in
  // one post) and no post matches any word of the short query well: then
  // nothing matches, rather than every post that shares one bigram with it.
  bool nothing_matches_well = false;

  // Whether the plan is the whole site unfiltered (no words, no filters).
  bool MatchesEverything() const { return !has_text && filters.empty() && tree.op == QueryNode::Op::kMatchAll; }
};

// Parses and analyses `text` with the request filters `filters`.
// INVALID_ARGUMENT for syntax errors, or when a clause has no searchable
// characters at all and nothing else can be searched (e.g. "!!!"); neither
// when options.typing.
absl::StatusOr<QueryPlan> PlanQuery(absl::string_view text, const PlanOptions& options,
                                    RequestFilters filters = {});

// The plan of a search request: its query, mode and filters, weighed with the
// site's `title_boost` and `body_weight`.
absl::StatusOr<QueryPlan> PlanSearch(const v1::SearchRequest& request, double title_boost, double body_weight,
                                     const Lexicon* lexicon = nullptr,
                                     const index::Equivalents* equivalents = nullptr);

// The unweighted tree (no scaling, no title boost): the same matches as
// plan.tree, so Xapian can flatten the ORs and count faster.
QueryNode CountingTree(const QueryPlan& plan);

// The shortlist tree of a big site: plan.tree without the Hangul/Han grams
// held by more than `max_share` of the posts (`share` gives the fraction).
// kNothing when no scoring term is left.
QueryNode SelectiveTree(const QueryPlan& plan, const std::function<double(const std::string& term)>& share,
                        double max_share);

// How many query texts have been analysed in this process (PlanQuery calls),
// so tests can check that a request analyses its query once.
uint64_t QueryAnalysisCount();

}  // namespace chaja::search

#endif  // CHAJA_SEARCH_QUERY_PLAN_H_
