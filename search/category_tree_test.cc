#include "search/category_tree.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

#include "absl/strings/str_cat.h"

namespace chaja::search {
namespace {

// "value own/total @depth <parent" per node, in the tree's order.
std::vector<std::string> Shown(const v1::FacetResult& facet) {
  std::vector<std::string> out;
  for (const v1::CategoryNode& node : facet.category_tree()) {
    out.push_back(absl::StrCat(node.value(), " ", node.own_count(), "/", node.total_count(), " @", node.depth(),
                               node.parent().empty() ? "" : " <" + node.parent(), " ", node.name()));
  }
  return out;
}

v1::FacetResult Tree(const std::vector<CategoryCount>& counts, size_t limit = 20,
                     const std::vector<std::string>& order = {}) {
  v1::FacetResult facet;
  FillCategoryTree(counts, order, limit, &facet);
  return facet;
}

TEST(CategoryTreeTest, ChildrenRollUpIntoAParentWithoutPostsOfItsOwn) {
  const v1::FacetResult facet = Tree({{"개발/블로그", "개발/블로그", 3}, {"일상", "일상", 4}, {"개발/파이썬", "개발/파이썬", 6}});
  EXPECT_EQ(Shown(facet), (std::vector<std::string>{"개발 0/9 @0 개발", "개발/파이썬 6/6 @1 <개발 파이썬",
                                                    "개발/블로그 3/3 @1 <개발 블로그", "일상 4/4 @0 일상"}));
  EXPECT_EQ(facet.other_tree_nodes(), 0u);
}

TEST(CategoryTreeTest, OwnPostsAndDeepPathsAddUp) {
  const v1::FacetResult facet =
      Tree({{"개발", "개발", 2}, {"개발/파이썬/django", "개발/파이썬/Django", 1}, {"개발/파이썬", "개발/파이썬", 5}});
  EXPECT_EQ(Shown(facet), (std::vector<std::string>{"개발 2/8 @0 개발", "개발/파이썬 5/6 @1 <개발 파이썬",
                                                    "개발/파이썬/Django 1/1 @2 <개발/파이썬 Django"}));
}

TEST(CategoryTreeTest, SiblingsByTotalThenName) {
  const v1::FacetResult facet =
      Tree({{"d", "d", 2}, {"b", "b", 2}, {"c", "c", 5}, {"a", "a", 2}, {"a/x", "a/x", 1}});
  EXPECT_EQ(Shown(facet), (std::vector<std::string>{"c 5/5 @0 c", "a 2/3 @0 a", "a/x 1/1 @1 <a x", "b 2/2 @0 b",
                                                    "d 2/2 @0 d"}));
}

TEST(CategoryTreeTest, NamesComeFromTheSpellingAndFilterValuesFromTheWholePath) {
  // The key is normalized ("ai 소식/llm"); the spelling, with its spaces, is shown.
  const v1::FacetResult facet = Tree({{"ai 소식/llm", "AI 소식 / LLM", 3}});
  ASSERT_EQ(facet.category_tree_size(), 2);
  EXPECT_EQ(facet.category_tree(0).value(), "AI 소식");
  EXPECT_EQ(facet.category_tree(0).total_count(), 3u);
  EXPECT_EQ(facet.category_tree(1).name(), "LLM");
  EXPECT_EQ(facet.category_tree(1).value(), "AI 소식 / LLM");
  EXPECT_EQ(facet.category_tree(1).parent(), "AI 소식");
}

TEST(CategoryTreeTest, TheLimitKeepsTheBiggestBranchesWithTheirAncestors) {
  const v1::FacetResult facet =
      Tree({{"개발/파이썬", "개발/파이썬", 6}, {"개발/블로그", "개발/블로그", 3}, {"일상", "일상", 4}}, 2);
  EXPECT_EQ(Shown(facet), (std::vector<std::string>{"개발 0/9 @0 개발", "개발/파이썬 6/6 @1 <개발 파이썬"}));
  EXPECT_EQ(facet.other_tree_nodes(), 2u);
  // A parent with one child has the child's total: the parent is kept first.
  const v1::FacetResult only = Tree({{"a/b", "a/b", 5}}, 1);
  EXPECT_EQ(Shown(only), (std::vector<std::string>{"a 0/5 @0 a"}));
}

TEST(CategoryTreeTest, TheSitesOrderComesFirstAmongSiblings) {
  const std::vector<CategoryCount> counts = {
      {"개발/파이썬", "개발/파이썬", 6}, {"개발/블로그", "개발/블로그", 3}, {"일상", "일상", 4}, {"여행", "여행", 5}};
  // Listed: 일상, then 개발 (spelt with other spaces) and its 블로그 before 파이썬;
  // 여행 is not listed and follows; a listed category without posts is not shown.
  const v1::FacetResult facet = Tree(counts, 20, {"일상", "없는 카테고리", " 개발 ", "개발 / 블로그"});
  EXPECT_EQ(Shown(facet), (std::vector<std::string>{"일상 4/4 @0 일상", "개발 0/9 @0 개발",
                                                    "개발/블로그 3/3 @1 <개발 블로그",
                                                    "개발/파이썬 6/6 @1 <개발 파이썬", "여행 5/5 @0 여행"}));
}

TEST(CategoryTreeTest, NothingCountedIsAnEmptyTree) {
  const v1::FacetResult facet = Tree({{"개발", "개발", 0}});
  EXPECT_EQ(facet.category_tree_size(), 0);
  EXPECT_EQ(facet.other_tree_nodes(), 0u);
}

}  // namespace
}  // namespace chaja::search
