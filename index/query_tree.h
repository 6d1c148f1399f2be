// QueryNode: the query a search runs, as index::BuildQuery makes it, in a form
// both executors read: Xapian's matcher (ToXapian) and the in-memory ranker of
// big sites (memory_ranker.h). The builder keeps its own tree because Xapian
// 1.4's Query does not expose the factor of an OP_SCALE_WEIGHT.
//
// The operators mean what Xapian's do (the weight of a match is the sum of the
// weights of its matching weighted parts):
//   kOr       any child matches
//   kAnd      every child matches
//   kAndMaybe the first child matches; the others add weight when they match
//   kFilter   the first child matches and the others do (they add no weight)
//   kAndNot   the first child matches and none of the others does
//   kScale    the child, its weight multiplied by `factor`
#ifndef CHAJA_INDEX_QUERY_TREE_H_
#define CHAJA_INDEX_QUERY_TREE_H_

#include <functional>
#include <string>
#include <vector>

#include <xapian.h>

namespace chaja::index {

struct QueryNode {
  enum class Op { kNothing, kMatchAll, kTerm, kOr, kAnd, kAndMaybe, kFilter, kAndNot, kScale };

  Op op = Op::kNothing;
  std::string term;  // kTerm: the prefixed index term
  double factor = 1;  // kScale
  std::vector<QueryNode> children;

  bool empty() const { return op == Op::kNothing; }

  static QueryNode MatchAll();
  static QueryNode Term(std::string term);
  static QueryNode Scale(QueryNode child, double factor);
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

}  // namespace chaja::index

#endif  // CHAJA_INDEX_QUERY_TREE_H_
