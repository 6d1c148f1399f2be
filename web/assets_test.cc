#include "web/assets.h"

#include <gtest/gtest.h>

namespace chaja::web {
namespace {

TEST(AssetsTest, RootIsTheDemoPage) {
  const Asset* a = FindAsset("/");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->content_type, "text/html; charset=utf-8");
  EXPECT_NE(a->body.find("<html"), std::string_view::npos);
}

TEST(AssetsTest, WidgetIsJavaScriptWithAQuotedEtag) {
  const Asset* a = FindAsset("/widget.js");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->content_type, "text/javascript; charset=utf-8");
  EXPECT_FALSE(a->body.empty());
  ASSERT_GE(a->etag.size(), 3u);
  EXPECT_EQ(a->etag.front(), '"');
  EXPECT_EQ(a->etag.back(), '"');
}

TEST(AssetsTest, EtagsDifferWhenBodiesDiffer) {
  const Asset* widget = FindAsset("/widget.js");
  const Asset* page = FindAsset("/");
  ASSERT_NE(widget, nullptr);
  ASSERT_NE(page, nullptr);
  EXPECT_NE(widget->etag, page->etag);
}

TEST(AssetsTest, UnknownPathsAndNearMissesAreNull) {
  EXPECT_EQ(FindAsset("/nope.js"), nullptr);
  EXPECT_EQ(FindAsset(""), nullptr);
  EXPECT_EQ(FindAsset("/widget.js?v=1"), nullptr);
  EXPECT_EQ(FindAsset("widget.js"), nullptr);
}

TEST(AssetsTest, BodyIsTheExactFileWithoutTheTerminator) {
  const Asset* a = FindAsset("/widget.js");
  ASSERT_NE(a, nullptr);
  EXPECT_NE(a->body.back(), '\0');
}

}  // namespace
}  // namespace chaja::web
