// QueryNode: the query a search runs, compiled from its QueryPlan
// (query_plan.h), in a form every executor reads: Xapian's matcher
// (ToXapian), the in-memory ranker of big sites and the in-memory match
// bitmap that counts facets (memory_ranker.h). We keep our own tree because
// Xapian 1.4's Query does not expose the factor of an OP_SCALE_WEIGHT.
//
// The operators mean what Xapian's do (the weight of a match is the sum of the
// weights of its matching weighted parts):
//   kOr         any child matches
//   kMax        any child matches; its weight is the best matching child's
//               (spellings of one word: a post having two is not counted twice)
//   kAnd        every child matches
//   kAndMaybe   the first child matches; the others add weight when they match
//   kFilter     the first child matches and the others do (they add no weight)
//   kAndNot     the first child matches and none of the others does
//   kScale      the child, its weight multiplied by `factor`
//   kValueRange posts whose value in `slot` lies in [from, to] (no weight);
//               only the published time is ranged today
#ifndef CHAJA_SEARCH_QUERY_TREE_H_
#define CHAJA_SEARCH_QUERY_TREE_H_

#include <functional>
#include <string>
#include <vector>

#include <xapian.h>

namespace chaja::search {

struct QueryNode {
  enum class Op { kNothing, kMatchAll, kTerm, kOr, kMax, kAnd, kAndMaybe, kFilter, kAndNot, kScale, kValueRange };

  Op op = Op::kNothing;
  std::string term;   // kTerm: the prefixed index term
  double factor = 1;  // kScale
  Xapian::valueno slot = 0;    // kValueRange
  double from = 0, to = 0;     // kValueRange, inclusive
  std::vector<QueryNode> children;

  bool empty() const { return op == Op::kNothing; }

  static QueryNode MatchAll();
  static QueryNode Term(std::string term);
  static QueryNode Scale(QueryNode child, double factor);
  static QueryNode ValueRange(Xapian::valueno slot, double from, double to);
  // `op` over `children`: kNothing for none, the child itself for one (as
  // Xapian's Query would match it).
  static QueryNode Combine(Op op, std::vector<QueryNode> children);
  static QueryNode Pair(Op op, QueryNode left, QueryNode right);
};

Xapian::Query ToXapian(const QueryNode& node);

// Calls `fn(term node, factor)` for every term that adds weight, with the
// product of the scale factors above it. Terms in the second and later
// children of kFilter and kAndNot only decide matching and are skipped.
void ForEachWeightedTerm(const QueryNode& node, const std::function<void(const QueryNode&, double)>& fn);

// True for a tree of kOr, kMax and kScale nodes over terms: its matches are exactly
// the union of its terms' posting lists.
bool IsUnionOfTerms(const QueryNode& node);

}  // namespace chaja::search

#endif  // CHAJA_SEARCH_QUERY_TREE_H_
