// Clause readings: the query plan's step between analysing a query and
// compiling it (query_plan.h). Each text clause is read against the site's
// vocabulary (query_reading.h): the word being typed gets its completions, a
// clause of 초성 the words of those initials, a misspelt word its correction,
// a run typed without spaces its word boundaries, and a query that is (or
// starts) a post's title that post's title term. The readings are data of
// the plan, compiled like the words as written by every variant.
//
// Thread-compatible: reads the lexicon.
#ifndef CHAJA_SEARCH_CLAUSE_READINGS_H_
#define CHAJA_SEARCH_CLAUSE_READINGS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "search/lexicon.h"
#include "search/query_plan.h"

namespace chaja::search {

// A query of at most this many words is short: one with a word no post has
// finds nothing unless some post matches one of its words well.
inline constexpr size_t kShortQueryWords = 3;

struct ReadingResult {
  // The query with its 초성 words replaced by the words they stand for, or
  // empty when none was.
  std::string interpreted_query;
  // The query with its misspelt words corrected, or empty.
  std::string suggested_query;
  // Whether a Korean word of the query occurs in no post.
  bool has_absent_word = false;
};

// Adds the readings of every clause of `groups`, parsed and analysed from
// `searched`. With `typing`, the last word of a query that does not end in a
// space may be incomplete.
ReadingResult AddReadings(const Lexicon& lexicon, bool typing, absl::string_view searched,
                          std::vector<PlannedGroup>* groups);

// The index prefix of a text clause's terms: title: or the body text.
std::string PrefixOf(const analyzer::QueryClause& clause);
// tag: and category: clauses are filters, not words.
bool IsFilter(const analyzer::QueryClause& clause);
// A clause of two 초성 or more (ㅇㅂㅌ).
bool IsChoseongClause(const analyzer::QueryClause& clause);
// The clause's tokens as written, without those its completions stand for.
std::vector<analyzer::Token> WrittenTokens(const PlannedClause& planned);

}  // namespace chaja::search

#endif  // CHAJA_SEARCH_CLAUSE_READINGS_H_
