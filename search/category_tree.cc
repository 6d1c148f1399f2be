#include "search/category_tree.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "index/schema.h"

namespace chaja::search {
namespace {

constexpr size_t kNoParent = static_cast<size_t>(-1);
constexpr size_t kUnlisted = static_cast<size_t>(-1);  // after every place in the site's order

struct Node {
  std::string value, name;
  uint32_t depth = 0;
  size_t parent = kNoParent;
  uint64_t own = 0, total = 0;
  size_t rank = kUnlisted;  // its place in the site's category_order
  std::vector<size_t> children;
};

// The parts of a category as written ("개발 / 파이썬" → 개발, 파이썬), or the
// key's parts when the spelling has another number of them (NFKC turns a
// fullwidth slash into one).
std::vector<std::string> ShownParts(const CategoryCount& category, const std::vector<std::string>& key_parts) {
  std::vector<std::string> parts;
  for (absl::string_view part : absl::StrSplit(category.display, '/')) {
    parts.emplace_back(absl::StripAsciiWhitespace(part));
  }
  return parts.size() == key_parts.size() ? parts : key_parts;
}

class TreeBuilder {
 public:
  void Add(const CategoryCount& category) {
    const std::vector<std::string> key_parts = absl::StrSplit(category.key, '/');
    const std::vector<std::string> shown = ShownParts(category, key_parts);
    std::string key;
    size_t parent = kNoParent;
    for (size_t depth = 0; depth < key_parts.size(); ++depth) {
      if (depth > 0) key += '/';
      key += key_parts[depth];
      const bool last = depth + 1 == key_parts.size();
      const size_t at = NodeOf(key, parent, depth, shown);
      nodes_[at].total += category.count;
      if (last) {
        nodes_[at].own += category.count;
        nodes_[at].value = category.display;  // the spelling of its own posts wins over a child's
      }
      parent = at;
    }
  }

  // Ranks the nodes the site lists in its order.
  void Rank(const std::vector<std::string>& order) {
    for (size_t i = 0; i < order.size(); ++i) {
      const auto it = index_.find(index::NormalizeKey(order[i]));
      if (it != index_.end()) nodes_[it->second].rank = std::min(nodes_[it->second].rank, i);
    }
  }

  std::vector<Node>& nodes() { return nodes_; }

 private:
  size_t NodeOf(const std::string& key, size_t parent, size_t depth, const std::vector<std::string>& shown) {
    const auto [it, inserted] = index_.try_emplace(key, nodes_.size());
    if (inserted) {
      Node node;
      node.name = shown[depth];
      node.value = absl::StrJoin(shown.begin(), shown.begin() + depth + 1, "/");
      node.depth = static_cast<uint32_t>(depth);
      node.parent = parent;
      nodes_.push_back(std::move(node));
    }
    return it->second;
  }

  std::vector<Node> nodes_;
  absl::flat_hash_map<std::string, size_t> index_;
};

// Biggest total first; a parent before its child of the same total.
bool Bigger(const Node& a, const Node& b) {
  if (a.total != b.total) return a.total > b.total;
  if (a.depth != b.depth) return a.depth < b.depth;
  if (a.name != b.name) return a.name < b.name;
  return a.value < b.value;
}

// The `limit` biggest nodes, linked to their parents (always kept too, as
// they sort first), siblings in the site's order; returns the top level.
std::vector<size_t> KeepAndLink(std::vector<Node>& nodes, size_t limit) {
  std::vector<size_t> kept(nodes.size());
  for (size_t i = 0; i < kept.size(); ++i) kept[i] = i;
  std::sort(kept.begin(), kept.end(), [&](size_t a, size_t b) { return Bigger(nodes[a], nodes[b]); });
  if (kept.size() > limit) kept.resize(limit);
  std::vector<size_t> roots;
  for (size_t i : kept) (nodes[i].parent == kNoParent ? roots : nodes[nodes[i].parent].children).push_back(i);
  auto in_site_order = [&](size_t a, size_t b) {
    if (nodes[a].rank != nodes[b].rank) return nodes[a].rank < nodes[b].rank;
    return Bigger(nodes[a], nodes[b]);
  };
  std::sort(roots.begin(), roots.end(), in_site_order);
  for (size_t i : kept) std::sort(nodes[i].children.begin(), nodes[i].children.end(), in_site_order);
  return roots;
}

void Emit(const std::vector<Node>& nodes, size_t i, v1::FacetResult* out) {
  const Node& node = nodes[i];
  v1::CategoryNode* shown = out->add_category_tree();
  shown->set_value(node.value);
  shown->set_name(node.name);
  shown->set_depth(node.depth);
  if (node.parent != kNoParent) shown->set_parent(nodes[node.parent].value);
  shown->set_own_count(node.own);
  shown->set_total_count(node.total);
  for (size_t child : node.children) Emit(nodes, child, out);
}

}  // namespace

void FillCategoryTree(const std::vector<CategoryCount>& counts, const std::vector<std::string>& order, size_t limit,
                      v1::FacetResult* out) {
  TreeBuilder builder;
  for (const CategoryCount& category : counts) {
    if (category.count > 0) builder.Add(category);
  }
  builder.Rank(order);
  std::vector<Node>& nodes = builder.nodes();
  for (size_t root : KeepAndLink(nodes, limit)) Emit(nodes, root, out);
  out->set_other_tree_nodes(nodes.size() - std::min(nodes.size(), limit));
}

}  // namespace chaja::search
