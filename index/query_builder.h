// Query building: the parsed search-box syntax → a Xapian::Query over the
// terms of index/schema.h, analysed with the indexer's own Analyzer.
//
// Natural mode (the default) ORs every word's terms and lets BM25 rank
// articles that match more of them higher: a sentence typed into a search box
// must not require every word. Quoted phrases need all their terms (and are
// checked against the stored text, see PhraseCheck); +clauses are required; -clauses are excluded; tag:/category: are
// boolean filters that never change the ranking.
//
// Thread-safe: pure functions.
#ifndef CHAJA_INDEX_QUERY_BUILDER_H_
#define CHAJA_INDEX_QUERY_BUILDER_H_

#include <functional>
#include <string>
#include <vector>

#include <xapian.h>

#include "absl/status/statusor.h"
#include "analyzer/query_parser.h"
#include "index/query_tree.h"

namespace chaja::index {

// A phrase the matcher cannot check because the index keeps no positions
// (Xapian then runs OP_PHRASE as AND): the searcher checks it against the
// stored text (PhraseFilter). Only phrases that decide whether a post matches
// are listed: a quoted phrase that is required (or is the query's only group)
// and an excluded word or phrase of several terms. An optional phrase beside
// other words only ranks, so its grams anywhere in the post are enough.
struct PhraseCheck {
  // Analyzer terms in order, aliases left out.
  std::vector<std::string> terms;
  // title:"…": only the title counts.
  bool title_only = false;
  // The post must NOT contain it (-"…", -국가적).
  bool excluded = false;
};

struct BuiltQuery {
  // The query to run; Xapian::Query::MatchAll when nothing but filters was given.
  Xapian::Query query;
  // The same query as a tree (ToXapian(tree) is `query`), for the in-memory ranker.
  QueryNode tree;
  // True when the query has scoring terms (else results are unranked).
  bool has_text = false;
  // Unprefixed analyzer terms (and stems) to highlight in snippets.
  std::vector<std::string> highlight_terms;
  // Phrases to check against the stored text; empty for most queries.
  std::vector<PhraseCheck> phrase_checks;
};

struct QueryOptions {
  // Every group must match (MATCH_MODE_ALL) instead of any.
  bool match_all = false;
  // Per-site field weights (SiteSettings): each text term t becomes
  // t×body_weight, plus title:t×title_boost when title_boost > 0.
  double title_boost = 0;
  double body_weight = 1;
  // Only which documents match matters (facet counting): leave out weight
  // scaling, so Xapian can flatten the ORs and match faster.
  bool unweighted = false;
  // The shortlist query of a big site (Searcher): Hangul/Han grams held by
  // more than `max_term_share` of the posts (term_share gives the fraction)
  // are left out. Without term_share every gram is kept.
  std::function<double(const std::string& term)> term_share;
  double max_term_share = 1.0;
};

// Builds the Xapian query for `parsed`. INVALID_ARGUMENT when a clause has no
// searchable characters at all and nothing else can be searched (e.g. "!!!").
absl::StatusOr<BuiltQuery> BuildQuery(const analyzer::ParsedQuery& parsed, const QueryOptions& options);

// Parses and builds in one step; INVALID_ARGUMENT for syntax errors.
absl::StatusOr<BuiltQuery> BuildQuery(absl::string_view query_text, const QueryOptions& options);

}  // namespace chaja::index

#endif  // CHAJA_INDEX_QUERY_BUILDER_H_
