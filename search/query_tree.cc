#include "search/query_tree.h"

#include <utility>

namespace chaja::search {
namespace {

Xapian::Query::op XapianOp(QueryNode::Op op) {
  switch (op) {
    case QueryNode::Op::kOr:
      return Xapian::Query::OP_OR;
    case QueryNode::Op::kMax:
      return Xapian::Query::OP_MAX;
    case QueryNode::Op::kAnd:
      return Xapian::Query::OP_AND;
    case QueryNode::Op::kAndMaybe:
      return Xapian::Query::OP_AND_MAYBE;
    case QueryNode::Op::kFilter:
      return Xapian::Query::OP_FILTER;
    case QueryNode::Op::kAndNot:
      return Xapian::Query::OP_AND_NOT;
    default:
      return Xapian::Query::OP_OR;  // not reached: leaves and kScale are handled by the caller
  }
}

void WalkWeighted(const QueryNode& node, double factor, const std::function<void(const QueryNode&, double)>& fn) {
  switch (node.op) {
    case QueryNode::Op::kTerm:
      fn(node, factor);
      return;
    case QueryNode::Op::kScale:
      for (const QueryNode& child : node.children) WalkWeighted(child, factor * node.factor, fn);
      return;
    case QueryNode::Op::kFilter:
    case QueryNode::Op::kAndNot:
      if (!node.children.empty()) WalkWeighted(node.children.front(), factor, fn);
      return;
    default:
      for (const QueryNode& child : node.children) WalkWeighted(child, factor, fn);
  }
}

}  // namespace

QueryNode QueryNode::MatchAll() {
  QueryNode node;
  node.op = Op::kMatchAll;
  return node;
}

QueryNode QueryNode::Term(std::string term) {
  QueryNode node;
  node.op = Op::kTerm;
  node.term = std::move(term);
  return node;
}

QueryNode QueryNode::Scale(QueryNode child, double factor) {
  QueryNode node;
  node.op = Op::kScale;
  node.factor = factor;
  node.children.push_back(std::move(child));
  return node;
}

QueryNode QueryNode::ValueRange(Xapian::valueno slot, double from, double to) {
  QueryNode node;
  node.op = Op::kValueRange;
  node.slot = slot;
  node.from = from;
  node.to = to;
  return node;
}

QueryNode QueryNode::Combine(Op op, std::vector<QueryNode> children) {
  if (children.empty()) return QueryNode();
  if (children.size() == 1) return std::move(children.front());
  QueryNode node;
  node.op = op;
  node.children = std::move(children);
  return node;
}

QueryNode QueryNode::Pair(Op op, QueryNode left, QueryNode right) {
  QueryNode node;
  node.op = op;
  node.children.push_back(std::move(left));
  node.children.push_back(std::move(right));
  return node;
}

Xapian::Query ToXapian(const QueryNode& node) {
  switch (node.op) {
    case QueryNode::Op::kNothing:
      return Xapian::Query();
    case QueryNode::Op::kMatchAll:
      return Xapian::Query::MatchAll;
    case QueryNode::Op::kTerm:
      return Xapian::Query(node.term);
    case QueryNode::Op::kScale:
      return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, ToXapian(node.children.front()), node.factor);
    case QueryNode::Op::kValueRange:
      return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, node.slot, Xapian::sortable_serialise(node.from),
                           Xapian::sortable_serialise(node.to));
    default: {
      std::vector<Xapian::Query> children;
      children.reserve(node.children.size());
      for (const QueryNode& child : node.children) children.push_back(ToXapian(child));
      return Xapian::Query(XapianOp(node.op), children.begin(), children.end());
    }
  }
}

void ForEachWeightedTerm(const QueryNode& node, const std::function<void(const QueryNode&, double)>& fn) {
  WalkWeighted(node, 1.0, fn);
}

bool IsUnionOfTerms(const QueryNode& node) {
  switch (node.op) {
    case QueryNode::Op::kTerm:
      return true;
    case QueryNode::Op::kOr:
    case QueryNode::Op::kMax:
    case QueryNode::Op::kScale:
      for (const QueryNode& child : node.children) {
        if (!IsUnionOfTerms(child)) return false;
      }
      return !node.children.empty();
    default:
      return false;
  }
}

}  // namespace chaja::search
