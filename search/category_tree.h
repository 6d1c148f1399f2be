// The categories of a facet as a tree: "개발/파이썬" and "개발/블로그" under
// "개발", each node with the posts filed right under it and the posts of its
// whole branch (what filtering by it finds, since a category filter takes its
// sub-categories). One pure function, used by the category facet that gRPC,
// HTTP/JSON and the CLI all show.
#ifndef CHAJA_SEARCH_CATEGORY_TREE_H_
#define CHAJA_SEARCH_CATEGORY_TREE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "chaja/v1/search.pb.h"

namespace chaja::search {

// One category's count: its normalized key (index::NormalizeKey: parts joined
// by a bare '/'), its spelling as written, and its matching posts.
struct CategoryCount {
  std::string key;
  std::string display;
  uint64_t count = 0;
};

// Sets out->category_tree and out->other_tree_nodes from every counted
// category, in pre-order: each node right before its sub-categories. Siblings
// listed in `order` (whole paths as the site writes them, matched by
// NormalizeKey) come first, in its order; the rest by total_count, then name.
// Ancestors nobody files posts under directly are nodes with own_count 0. At
// most `limit` nodes are kept: those with the biggest total_count, which
// always include their ancestors (an ancestor's total is at least its child's).
void FillCategoryTree(const std::vector<CategoryCount>& counts, const std::vector<std::string>& order, size_t limit,
                      v1::FacetResult* out);

}  // namespace chaja::search

#endif  // CHAJA_SEARCH_CATEGORY_TREE_H_
