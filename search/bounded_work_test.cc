// Issue 14: no request can take a core. Every repeated field of a search is
// bounded, and snippets and the phrase check read a bounded window of a
// post, so a post's size does not set a search's cost.
#include <string>

#include <xapian.h>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "index/document_builder.h"
#include "search/hit_writer.h"
#include "search/page_token.h"
#include "search/phrase_filter.h"
#include "search/query_plan.h"
#include "search/site_reader.h"

namespace chaja::search {
namespace {

TEST(BoundedRequestTest, RepeatedFieldsHaveALimit) {
  v1::SearchRequest request;
  for (uint32_t i = 0; i < kMaxTagFilters; ++i) {
    request.add_tags(absl::StrCat("tag", i));
    request.add_exclude_tags(absl::StrCat("other", i));
  }
  for (uint32_t i = 0; i < kMaxFacetRequests; ++i) request.add_facets()->set_field(v1::FACET_FIELD_TAG);
  EXPECT_TRUE(ValidateSearchRequest(request).ok());
  for (auto* field : {request.mutable_tags(), request.mutable_exclude_tags()}) {
    field->Add("one too many");
    const absl::Status status = ValidateSearchRequest(request);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    field->RemoveLast();
  }
  request.add_facets()->set_field(v1::FACET_FIELD_CATEGORY);
  EXPECT_EQ(ValidateSearchRequest(request).code(), absl::StatusCode::kInvalidArgument);
}

// A post of `body_bytes` of filler with `tail` at its very end.
Xapian::Document LongPost(size_t body_bytes, const std::string& tail) {
  v1::Article article;
  article.set_id("long");
  article.set_title("긴 글");
  std::string body;
  while (body.size() < body_bytes) body += "채우는 문장이다. ";
  article.set_body(body + tail);
  return index::DocumentBuilder().Build(article);
}

TEST(BoundedWindowTest, ThePhraseCheckReadsTheStartOfALongPost) {
  PlanOptions options;
  const absl::StatusOr<QueryPlan> plan = PlanQuery("\"희귀한 구절\"", options);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->phrase_checks.size(), 1u);
  const PhraseFilter filter(plan->phrase_checks);
  EXPECT_TRUE(filter(LongPost(1000, " 희귀한 구절이 있다.")));
  // Beyond the window the phrase is not looked for: the check costs the
  // window, not the post.
  EXPECT_FALSE(filter(LongPost(kPhraseWindowBytes + 100, " 희귀한 구절이 있다.")));
}

TEST(BoundedWindowTest, TheSnippetIsCutFromTheStartOfALongPost) {
  PlanOptions options;
  const absl::StatusOr<QueryPlan> plan = PlanQuery("희귀한", options);
  ASSERT_TRUE(plan.ok());
  const HitWriter writer(*plan);
  v1::SearchResponse response;
  ASSERT_TRUE(writer.Add(LongPost(1000, " 희귀한 구절이 있다."), 1.0, &response).ok());
  ASSERT_TRUE(writer.Add(LongPost(kSnippetWindowBytes + 100, " 희귀한 구절이 있다."), 1.0, &response).ok());
  EXPECT_NE(response.hits(0).snippet().find("<mark>"), std::string::npos) << response.hits(0).snippet();
  EXPECT_EQ(response.hits(1).snippet().find("<mark>"), std::string::npos);
}

}  // namespace
}  // namespace chaja::search
