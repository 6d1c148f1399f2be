// Issue 3 end to end: what a blog page shows around a post — facets, the
// category list with previous/next, the archive calendar, related posts,
// pages by token, sites and stats — on the sample blog. Expected values are
// computed from sample/blog.jsonl itself, so the tests check exactness, not
// numbers copied by hand.
#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "chaja/v1/search.grpc.pb.h"
#include "gtest/gtest.h"
#include "index/document_builder.h"
#include "index/schema.h"
#include "searchd/search_backend.h"
#include "testing/searchd.h"
#include "testing/sites.h"
#include "testing/temp_dir.h"

namespace chaja {
namespace {

constexpr char kSite[] = "blog";

class BlogPagesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    temp_dir_ = new testing::TempDir("blog_pages_test");
    data_dir_ = &temp_dir_->path();
    absl::StatusOr<std::vector<v1::Article>> articles =
        testing::WriteSiteFromJsonl(*data_dir_, kSite, testing::SampleBlogPath());
    ASSERT_TRUE(articles.ok()) << articles.status();
    articles_ = new std::vector<v1::Article>(*std::move(articles));
    ASSERT_GE(articles_->size(), 40u);
    backend_ = new searchd::SearchBackend(*data_dir_);
  }

  static void TearDownTestSuite() {
    delete backend_;
    delete temp_dir_;  // removes the data folder
    delete articles_;
  }

  static const v1::Article& Article(const std::string& id) {
    return *std::find_if(articles_->begin(), articles_->end(), [&](const v1::Article& a) { return a.id() == id; });
  }

  static v1::SearchResponse SearchOrDie(v1::SearchRequest request) {
    request.set_site(kSite);
    absl::StatusOr<v1::SearchResponse> response = backend_->Search(request);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : v1::SearchResponse();
  }

  static testing::TempDir* temp_dir_;
  static const std::string* data_dir_;  // temp_dir_->path()
  static std::vector<v1::Article>* articles_;
  static searchd::SearchBackend* backend_;
};

testing::TempDir* BlogPagesTest::temp_dir_ = nullptr;
const std::string* BlogPagesTest::data_dir_ = nullptr;
std::vector<v1::Article>* BlogPagesTest::articles_ = nullptr;
searchd::SearchBackend* BlogPagesTest::backend_ = nullptr;

// The group of a tag in the tag cloud: one per spelling, except that the
// spellings of one equivalent set (우분투, ubuntu) are one tag.
std::string TagGroupKey(const std::string& tag) {
  static const std::shared_ptr<const index::Equivalents> equivalents = *index::Equivalents::Make({}, true);
  const std::string key = index::NormalizeKey(tag);
  const uint32_t set = equivalents->SetOfKey(key);
  return set == index::Equivalents::kNoSet ? key : absl::StrCat("set ", set);
}

TEST_F(BlogPagesTest, EmptyQueryTagFacetIsTheExactTagCloud) {
  std::map<std::string, uint64_t> expected;  // tag group → posts
  for (const v1::Article& a : *articles_) {
    std::set<std::string> keys;
    for (const std::string& t : a.tags()) keys.insert(TagGroupKey(t));
    for (const std::string& k : keys) ++expected[k];
  }
  v1::SearchRequest request;
  v1::FacetRequest* facet = request.add_facets();
  facet->set_field(v1::FACET_FIELD_TAG);
  facet->set_limit(1000);
  const v1::SearchResponse response = SearchOrDie(request);
  ASSERT_EQ(response.facets_size(), 1);
  const v1::FacetResult& tags = response.facets(0);
  EXPECT_EQ(tags.field(), v1::FACET_FIELD_TAG);
  ASSERT_EQ(static_cast<size_t>(tags.counts_size()), expected.size());
  EXPECT_EQ(tags.other_values(), 0u);
  for (int i = 0; i < tags.counts_size(); ++i) {
    EXPECT_EQ(tags.counts(i).count(), expected[TagGroupKey(tags.counts(i).value())]) << tags.counts(i).value();
    if (i > 0) {  // by count, then name
      const auto& prev = tags.counts(i - 1);
      const auto& cur = tags.counts(i);
      EXPECT_TRUE(prev.count() > cur.count() || (prev.count() == cur.count() && prev.value() < cur.value()));
    }
  }
  // OpenAI, openai and 오픈AI are one tag, so are 우분투 and ubuntu.
  EXPECT_EQ(TagGroupKey("OpenAI"), TagGroupKey("오픈AI"));
  EXPECT_EQ(expected[TagGroupKey("OpenAI")], 4u);
  EXPECT_EQ(expected[TagGroupKey("우분투")], 5u);
}

// Plain words take the posting-list union path; phrases, +words and filters
// take Xapian's matcher. Both must count exactly what the hits hold.
TEST_F(BlogPagesTest, FacetsCountEveryMatchOnEveryPath) {
  for (const char* text : {"도커 Docker", "\"이미지 생성\" 모델", "+우분투 설치", "GPT-4o 모델"}) {
    for (bool filtered : {false, true}) {
      v1::SearchRequest request;
      request.set_query(text);
      if (filtered) request.add_exclude_tags("Python");
      request.set_limit(100);
      const v1::SearchResponse all = SearchOrDie(request);
      std::map<std::string, uint64_t> tags;
      for (const v1::SearchHit& hit : all.hits()) {
        std::set<std::string> keys;
        for (const std::string& t : hit.tags()) keys.insert(TagGroupKey(t));
        for (const std::string& k : keys) ++tags[k];
      }
      request.set_limit(1);
      v1::FacetRequest* facet = request.add_facets();
      facet->set_field(v1::FACET_FIELD_TAG);
      facet->set_limit(1000);
      const v1::SearchResponse page = SearchOrDie(request);
      EXPECT_EQ(page.total_hits(), static_cast<uint64_t>(all.hits_size())) << text << " filtered=" << filtered;
      ASSERT_EQ(page.facets_size(), 1);
      EXPECT_EQ(static_cast<size_t>(page.facets(0).counts_size()), tags.size()) << text;
      for (const v1::FacetCount& c : page.facets(0).counts()) {
        EXPECT_EQ(c.count(), tags[TagGroupKey(c.value())]) << text << " " << c.value();
      }
    }
  }
}

TEST_F(BlogPagesTest, FacetsCountEveryMatchNotJustThePage) {
  v1::SearchRequest request;
  request.set_query("도커 Docker");
  request.set_limit(2);
  for (v1::FacetField f : {v1::FACET_FIELD_TAG, v1::FACET_FIELD_CATEGORY}) {
    v1::FacetRequest* facet = request.add_facets();
    facet->set_field(f);
    facet->set_limit(1000);
  }
  const v1::SearchResponse page = SearchOrDie(request);
  request.set_limit(100);
  request.clear_facets();
  const v1::SearchResponse all = SearchOrDie(request);
  ASSERT_GT(all.hits_size(), 2);
  EXPECT_TRUE(page.total_hits_exact());
  EXPECT_EQ(page.total_hits(), static_cast<uint64_t>(all.hits_size()));
  std::map<std::string, uint64_t> tags, categories;
  for (const v1::SearchHit& hit : all.hits()) {
    std::set<std::string> keys;
    for (const std::string& t : hit.tags()) keys.insert(TagGroupKey(t));
    for (const std::string& k : keys) ++tags[k];
    ++categories[hit.category()];
  }
  ASSERT_EQ(page.facets_size(), 2);
  uint64_t category_sum = 0;
  for (const v1::FacetCount& c : page.facets(0).counts()) EXPECT_EQ(c.count(), tags[TagGroupKey(c.value())]);
  for (const v1::FacetCount& c : page.facets(1).counts()) {
    EXPECT_EQ(c.count(), categories[c.value()]) << c.value();
    category_sum += c.count();
  }
  EXPECT_EQ(category_sum, page.total_hits());
}

TEST_F(BlogPagesTest, TagFiltersAllAnyAndExcluded) {
  auto count = [&](const std::vector<std::string>& tags, v1::TagMatch match, const std::vector<std::string>& exclude) {
    size_t n = 0;
    for (const v1::Article& a : *articles_) {
      std::set<std::string> keys;
      for (const std::string& t : a.tags()) keys.insert(TagGroupKey(t));
      size_t have = 0;
      for (const std::string& t : tags) have += keys.count(TagGroupKey(t));
      bool excluded = false;
      for (const std::string& t : exclude) excluded |= keys.count(TagGroupKey(t)) > 0;
      const bool match_ok = match == v1::TAG_MATCH_ANY ? have > 0 : have == tags.size();
      n += match_ok && !excluded;
    }
    return n;
  };
  for (v1::TagMatch match : {v1::TAG_MATCH_ALL, v1::TAG_MATCH_ANY}) {
    v1::SearchRequest request;
    request.set_limit(100);
    request.add_tags("Docker");
    request.add_tags("LLM");
    request.set_tag_match(match);
    EXPECT_EQ(static_cast<size_t>(SearchOrDie(request).hits_size()), count({"Docker", "LLM"}, match, {}));
    request.add_exclude_tags("Python");
    EXPECT_EQ(static_cast<size_t>(SearchOrDie(request).hits_size()), count({"Docker", "LLM"}, match, {"Python"}));
  }
}

TEST_F(BlogPagesTest, CategoryFilterIncludesSubCategories) {
  v1::SearchRequest request;
  request.set_limit(100);
  request.set_category("개발");
  size_t expected = 0;
  for (const v1::Article& a : *articles_) expected += a.category().rfind("개발/", 0) == 0 || a.category() == "개발";
  ASSERT_GT(expected, 0u);
  EXPECT_EQ(static_cast<size_t>(SearchOrDie(request).hits_size()), expected);
}

TEST_F(BlogPagesTest, PageTokensWalkTheWholeListOnce) {
  v1::SearchRequest request;
  request.set_query("AI 모델");
  request.set_limit(100);
  const v1::SearchResponse all = SearchOrDie(request);
  ASSERT_GT(all.hits_size(), 7);
  std::vector<std::string> walked;
  request.set_limit(3);
  for (int pages = 0; pages < 100; ++pages) {
    const v1::SearchResponse page = SearchOrDie(request);
    for (const v1::SearchHit& h : page.hits()) walked.push_back(h.id());
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  ASSERT_EQ(walked.size(), static_cast<size_t>(all.hits_size()));
  for (int i = 0; i < all.hits_size(); ++i) EXPECT_EQ(walked[i], all.hits(i).id());

  // A token is bound to its query; a made-up one is refused.
  v1::SearchRequest other;
  other.set_site(kSite);
  other.set_query("우분투");
  other.set_page_token(request.page_token());
  EXPECT_EQ(backend_->Search(other).status().code(), absl::StatusCode::kInvalidArgument);
  other.set_page_token("not-a-token");
  EXPECT_EQ(backend_->Search(other).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(BlogPagesTest, CategoryPostsAreTheOthersNewestFirstWithPreviousAndNext) {
  const v1::Article& self = Article("post-028");
  std::vector<const v1::Article*> same;
  for (const v1::Article& a : *articles_) {
    if (a.category() == self.category() && a.id() != self.id()) same.push_back(&a);
  }
  std::sort(same.begin(), same.end(), [](const v1::Article* a, const v1::Article* b) {
    return a->published().seconds() > b->published().seconds();
  });
  v1::ListCategoryPostsRequest request;
  request.set_site(kSite);
  request.set_article_id(self.id());
  request.set_limit(4);
  absl::StatusOr<v1::ListCategoryPostsResponse> response = backend_->ListCategoryPosts(request);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->category(), self.category());
  EXPECT_EQ(response->total(), same.size());
  ASSERT_EQ(response->posts_size(), 4);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(response->posts(i).id(), same[i]->id());
    EXPECT_EQ(response->posts(i).comment_count(), same[i]->comment_count());
    EXPECT_EQ(response->posts(i).url(), same[i]->url());
  }
  // Previous: the newest older post; next: the oldest newer one.
  const v1::Article* previous = nullptr;
  const v1::Article* next = nullptr;
  for (const v1::Article* a : same) {
    if (a->published().seconds() < self.published().seconds() && previous == nullptr) previous = a;
    if (a->published().seconds() > self.published().seconds()) next = a;
  }
  ASSERT_NE(previous, nullptr);
  EXPECT_EQ(response->previous().id(), previous->id());
  if (next != nullptr) {
    EXPECT_EQ(response->next().id(), next->id());
  }

  // The second page by token continues where the first stopped.
  ASSERT_FALSE(response->next_page_token().empty());
  request.set_page_token(response->next_page_token());
  absl::StatusOr<v1::ListCategoryPostsResponse> second = backend_->ListCategoryPosts(request);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_GT(second->posts_size(), 0);
  EXPECT_EQ(second->posts(0).id(), same[4]->id());

  request.clear_page_token();
  request.set_article_id("no-such-post");
  EXPECT_EQ(backend_->ListCategoryPosts(request).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(BlogPagesTest, ArchiveCountsDaysInSeoul) {
  const absl::TimeZone seoul = absl::FixedTimeZone(9 * 3600);
  std::map<int, uint32_t> days;
  std::map<int, uint32_t> months_2024;
  for (const v1::Article& a : *articles_) {
    const absl::CivilSecond local = absl::ToCivilSecond(absl::FromUnixSeconds(a.published().seconds()), seoul);
    if (local.year() == 2025 && local.month() == 1) ++days[local.day()];
    if (local.year() == 2024) ++months_2024[local.month()];
  }
  v1::GetArchiveRequest request;
  request.set_site(kSite);
  request.set_year(2025);
  request.set_month(1);
  absl::StatusOr<v1::GetArchiveResponse> month = backend_->GetArchive(request);
  ASSERT_TRUE(month.ok()) << month.status();
  EXPECT_EQ(month->time_zone(), "Asia/Seoul");
  std::map<int, uint32_t> got;
  for (const v1::ArchiveCount& c : month->counts()) got[c.key()] = c.count();
  EXPECT_EQ(got, days);
  // post-028 is 2025-01-21T23:30Z: the 22nd in Seoul.
  EXPECT_GE(got[22], 1u);

  request.set_month(0);
  request.set_year(2024);
  absl::StatusOr<v1::GetArchiveResponse> year = backend_->GetArchive(request);
  ASSERT_TRUE(year.ok()) << year.status();
  got.clear();
  for (const v1::ArchiveCount& c : year->counts()) got[c.key()] = c.count();
  EXPECT_EQ(got, months_2024);

  request.set_month(13);
  EXPECT_EQ(backend_->GetArchive(request).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(BlogPagesTest, RelatedPostsOfAnImagePostAreImagePostsAndSayWhy) {
  v1::GetRelatedRequest request;
  request.set_site(kSite);
  request.set_article_id("post-003");
  request.set_limit(3);
  absl::StatusOr<v1::GetRelatedResponse> related = backend_->GetRelated(request);
  ASSERT_TRUE(related.ok()) << related.status();
  ASSERT_EQ(related->posts_size(), 3);
  for (const v1::RelatedPost& p : related->posts()) {
    EXPECT_NE(p.post().id(), "post-003");
    EXPECT_EQ(p.post().category(), "이미지 생성") << p.post().id() << " " << p.post().title();
    EXPECT_TRUE(p.shared_tags_size() > 0 || p.shared_terms_size() > 0) << p.post().id();
  }
  request.set_article_id("no-such-post");
  EXPECT_EQ(backend_->GetRelated(request).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(BlogPagesTest, GetArticleSitesAndStats) {
  v1::GetArticleRequest get;
  get.set_site(kSite);
  get.set_id("post-006");
  absl::StatusOr<v1::Article> article = backend_->GetArticle(get);
  ASSERT_TRUE(article.ok()) << article.status();
  EXPECT_EQ(article->body(), Article("post-006").body());
  get.set_id("nope");
  EXPECT_EQ(backend_->GetArticle(get).status().code(), absl::StatusCode::kNotFound);

  absl::StatusOr<v1::ListSitesResponse> sites = backend_->ListSites();
  ASSERT_TRUE(sites.ok()) << sites.status();
  ASSERT_EQ(sites->sites_size(), 1);
  const v1::SiteStats& stats = sites->sites(0);
  EXPECT_EQ(stats.name(), kSite);
  EXPECT_EQ(stats.document_count(), articles_->size());
  EXPECT_GT(stats.index_size_bytes(), 0u);
  EXPECT_GT(stats.last_updated().seconds(), 1700000000);
  EXPECT_EQ(stats.time_zone(), "Asia/Seoul");

  v1::GetSiteStatsRequest unknown;
  unknown.set_site("nowhere");
  EXPECT_EQ(backend_->GetSiteStats(unknown).status().code(), absl::StatusCode::kNotFound);
  unknown.set_site("../etc");
  EXPECT_EQ(backend_->GetSiteStats(unknown).status().code(), absl::StatusCode::kInvalidArgument);
}

// Runs last in this file's order: it changes the site's settings.
TEST_F(BlogPagesTest, ZSiteSettingsReloadChangesZoneAndNameAndKeepsThemOnBadFile) {
  const std::string config = absl::StrCat(*data_dir_, "/", kSite, "/site.json");
  std::ofstream(config) << R"({"displayName": "AI 탐구노트", "timeZone": "UTC"})";
  ASSERT_TRUE(backend_->ReloadSettings().ok());
  v1::GetArchiveRequest request;
  request.set_site(kSite);
  request.set_year(2025);
  request.set_month(1);
  absl::StatusOr<v1::GetArchiveResponse> month = backend_->GetArchive(request);
  ASSERT_TRUE(month.ok()) << month.status();
  EXPECT_EQ(month->time_zone(), "UTC");
  std::map<int, uint32_t> utc_days;
  for (const v1::Article& a : *articles_) {
    const absl::CivilSecond t = absl::ToCivilSecond(absl::FromUnixSeconds(a.published().seconds()), absl::UTCTimeZone());
    if (t.year() == 2025 && t.month() == 1) ++utc_days[t.day()];
  }
  std::map<int, uint32_t> got;
  for (const v1::ArchiveCount& c : month->counts()) got[c.key()] = c.count();
  EXPECT_EQ(got, utc_days);

  std::ofstream(config) << R"({"timeZone": "Mars/Olympus"})";
  const absl::Status bad = backend_->ReloadSettings();
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.message().find("Mars/Olympus"), absl::string_view::npos) << bad;
  v1::GetSiteStatsRequest stats_request;
  stats_request.set_site(kSite);
  absl::StatusOr<v1::SiteStats> stats = backend_->GetSiteStats(stats_request);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->display_name(), "AI 탐구노트");
  EXPECT_EQ(stats->time_zone(), "UTC");
}

// The same rpcs over real gRPC: wiring and status codes.
TEST_F(BlogPagesTest, EveryRpcAnswersOverGrpc) {
  absl::StatusOr<std::unique_ptr<testing::ServerUnderTest>> server = testing::StartSearchd(*data_dir_);
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = v1::SearchService::NewStub(grpc::CreateChannel((*server)->address(), grpc::InsecureChannelCredentials()));
  auto context = [] {
    auto c = std::make_unique<grpc::ClientContext>();
    c->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return c;
  };
  {
    v1::ListCategoryPostsRequest r;
    r.set_site(kSite);
    r.set_article_id("post-003");
    v1::ListCategoryPostsResponse out;
    EXPECT_TRUE(stub->ListCategoryPosts(context().get(), r, &out).ok());
    EXPECT_GT(out.posts_size(), 0);
  }
  {
    v1::GetArchiveRequest r;
    r.set_site(kSite);
    r.set_year(2025);
    v1::GetArchiveResponse out;
    EXPECT_TRUE(stub->GetArchive(context().get(), r, &out).ok());
    EXPECT_GT(out.total(), 0u);
  }
  {
    v1::GetRelatedRequest r;
    r.set_site(kSite);
    r.set_article_id("post-003");
    v1::GetRelatedResponse out;
    EXPECT_TRUE(stub->GetRelated(context().get(), r, &out).ok());
    EXPECT_GT(out.posts_size(), 0);
  }
  {
    v1::GetArticleRequest r;
    r.set_site("nowhere");
    r.set_id("x");
    v1::Article out;
    EXPECT_EQ(stub->GetArticle(context().get(), r, &out).error_code(), grpc::StatusCode::NOT_FOUND);
  }
  {
    v1::ListSitesResponse out;
    EXPECT_TRUE(stub->ListSites(context().get(), v1::ListSitesRequest(), &out).ok());
    EXPECT_EQ(out.sites_size(), 1);
  }
  (*server)->Shutdown();
}

}  // namespace
}  // namespace chaja
