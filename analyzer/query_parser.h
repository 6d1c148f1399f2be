// Query syntax of the search box: text → a small syntax tree, before any
// analysis. Knows nothing of Xapian; search/query_plan.h analyses the clauses and builds
// a Xapian::Query with the same Analyzer the indexer used.
//
// Grammar (whitespace separates clauses):
//   word              any text without spaces; may mix scripts (12삭망월과, GPT-4o)
//   "a phrase"        words in this order (also “curly quotes”)
//   -clause           exclude articles that match the clause
//   +clause           require the clause even in the natural (any-word) mode
//   a OR b            either; OR is upper case, lower-case "or" is a word
//   tag:NAME  category:NAME  title:WORD   field clauses; NAME may be "quoted"
// A lone "-", "+" or an unknown name before ':' (12:30, https://…) is text.
//
// Errors are INVALID_ARGUMENT with a message for the person who typed the query.
// Thread-safe: pure function.
#ifndef CHAJA_ANALYZER_QUERY_PARSER_H_
#define CHAJA_ANALYZER_QUERY_PARSER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace chaja::analyzer {

enum class QueryField { kText, kTitle, kTag, kCategory };

struct QueryClause {
  QueryField field = QueryField::kText;
  // The clause's text as typed (quotes and operators removed, not normalized).
  std::string text;
  bool phrase = false;
  bool excluded = false;
  bool required = false;

  bool operator==(const QueryClause& o) const {
    return field == o.field && text == o.text && phrase == o.phrase && excluded == o.excluded &&
           required == o.required;
  }
};

// Alternatives joined by OR; a clause without OR is a group of one.
struct QueryGroup {
  std::vector<QueryClause> alternatives;
};

struct ParsedQuery {
  std::vector<QueryGroup> groups;
  bool empty() const { return groups.empty(); }
};

inline constexpr size_t kMaxQueryBytes = 2048;
// Words searched of one query; the rest is ignored, as Google ignores words
// past the 32nd: no reader's question is longer (the longest of the judged
// sets has 27), and every word more costs every search of the site.
inline constexpr size_t kMaxQueryWords = 32;

// `query` split where its (max_words + 1)th word starts (whitespace
// separates words; a quoted phrase counts each of its words and is kept
// whole or not at all): {searched, ignored}. INVALID_ARGUMENT when the first
// clause alone is a phrase of more words.
struct QueryCut {
  std::string searched;
  std::string ignored;
};
absl::StatusOr<QueryCut> CutQueryAtWords(absl::string_view query, size_t max_words = kMaxQueryWords);

struct ParseOptions {
  // The query is still being typed (SearchRequest.typing): it never fails on
  // syntax. An unclosed quote runs to the end, an OR without a clause on each
  // side (or next to an excluded clause) is ignored, and a field without a
  // value yet (tag:) is left out.
  bool typing = false;
};

// Parses `query`. Returns INVALID_ARGUMENT for an unclosed quote, an OR without
// a clause on each side, OR next to an excluded clause, a field without a value,
// or a query longer than kMaxQueryBytes; with options.typing only for the length.
absl::StatusOr<ParsedQuery> ParseQuery(absl::string_view query, const ParseOptions& options = {});

}  // namespace chaja::analyzer

#endif  // CHAJA_ANALYZER_QUERY_PARSER_H_
