// Clause equivalents: the query plan's step that gives each clause the other
// spellings of its words (우분투 → ubuntu, ubuntu → 우분투, LLM → 대형 언어
// 모델), from the site's equivalents (index/equivalents.h). A word followed by
// a particle (우분투에서) is looked up without it. A word with other spellings
// is a known word: it is matched whole, like them, so each spelling finds
// the same posts.
//
// The compile step matches an equivalent as well as the word as written and
// weighs a post by the spelling it has (the better one when it has both, not
// their sum); an excluded clause excludes every spelling; a phrase matches
// with any of its words spelt another way.
//
// Thread-safe: pure functions.
#ifndef CHAJA_SEARCH_CLAUSE_EQUIVALENTS_H_
#define CHAJA_SEARCH_CLAUSE_EQUIVALENTS_H_

#include <string>
#include <vector>

#include "index/equivalents.h"
#include "search/query_plan.h"

namespace chaja::search {

// At most this many other spellings per clause (a phrase of several words
// with equivalents could otherwise multiply).
inline constexpr size_t kMaxClauseEquivalents = 8;

// Adds ClauseEquivalents to the text clauses of `groups`, after their
// readings (clause_readings.h): a correction's word gets its spellings too,
// and with `typing` so does the last word, by the words it starts.
void AddEquivalents(const index::Equivalents& equivalents, bool typing, std::vector<PlannedGroup>* groups);

// Per clause word with equivalents, what tells a post that matched only
// through another spelling (QueryPlan.equivalent_uses). Excluded clauses
// have none.
std::vector<EquivalentUse> EquivalentUsesOf(const std::vector<PlannedGroup>& groups);

// The tag terms a tag: clause or a request's tag filter stands for: the tag
// and every other spelling of its two-way set.
std::vector<std::string> TagTermsOf(const index::Equivalents* equivalents, const std::string& tag);

}  // namespace chaja::search

#endif  // CHAJA_SEARCH_CLAUSE_EQUIVALENTS_H_
