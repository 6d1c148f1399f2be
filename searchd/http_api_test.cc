// Issue 5, the HTTP/JSON API: chaja-searchd's Server started in process with
// an HTTP port on 127.0.0.1, over a temporary data folder holding the sample
// blog (plus one article whose id needs percent-encoding), called through
// cpp-httplib's client. Every answer is parsed back from its JSON and compared
// with what SearchBackend returns for the same request, so the tests check
// that HTTP and gRPC share one code path, not numbers copied by hand.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/field_comparator.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/util/time_util.h>
#include <httplib.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "chaja/v1/search.pb.h"
#include "gtest/gtest.h"
#include "index/site.h"
#include "index/site_writer.h"
#include "searchd/http_api.h"
#include "searchd/search_backend.h"
#include "searchd/server.h"
#include "testing/searchd.h"
#include "testing/sites.h"
#include "testing/temp_dir.h"

namespace chaja {
namespace {

constexpr char kSite[] = "blog";
// An id with a slash, Hangul, a space and characters that mean something in
// URLs: it must travel as one percent-encoded path segment.
constexpr char kOddId[] = "notes/첫 글?#%+&";
constexpr char kOddCategory[] = "개발/파이썬";
constexpr char kAllowedOrigin[] = "https://blog.example.com";
std::string Encode(absl::string_view text) { return testing::UrlEncode(text); }

template <typename Message>
Message FromJson(const std::string& json) {
  Message message;
  const auto parsed = google::protobuf::util::JsonStringToMessage(json, &message);
  EXPECT_TRUE(parsed.ok()) << parsed.message().ToString() << "\n" << json;
  return message;
}

void ExpectSameMessage(const google::protobuf::Message& http, const google::protobuf::Message& backend) {
  google::protobuf::util::MessageDifferencer differencer;
  // Related-post scores include recency (time since now), so two calls a few
  // milliseconds apart differ in the 12th digit.
  google::protobuf::util::DefaultFieldComparator comparator;
  comparator.set_float_comparison(google::protobuf::util::DefaultFieldComparator::APPROXIMATE);
  comparator.SetDefaultFractionAndMargin(1e-9, 1e-12);
  differencer.set_field_comparator(&comparator);
  std::string differences;
  differencer.ReportDifferencesToString(&differences);
  EXPECT_TRUE(differencer.Compare(http, backend)) << "over HTTP vs from the backend:\n" << differences;
}

// The error body {"code": N, "status": "NAME", "message": "…"}.
struct ErrorBody {
  int code = -1;
  std::string status;
  std::string message;
};

ErrorBody ParseError(const std::string& json) {
  const google::protobuf::Struct body = FromJson<google::protobuf::Struct>(json);
  ErrorBody error;
  const auto& fields = body.fields();
  EXPECT_EQ(fields.size(), 3u) << json;
  if (fields.count("code")) error.code = static_cast<int>(fields.at("code").number_value());
  if (fields.count("status")) error.status = fields.at("status").string_value();
  if (fields.count("message")) error.message = fields.at("message").string_value();
  return error;
}

class HttpApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::vector<v1::Article>> sample = testing::ReadArticles(testing::SampleBlogPath());
    ASSERT_TRUE(sample.ok()) << sample.status();
    articles_ = *std::move(sample);
    ASSERT_GE(articles_.size(), 40u);
    v1::Article odd;
    odd.set_id(kOddId);
    odd.set_title("슬래시가 든 아이디");
    odd.set_body("아이디에 빗금과 물음표가 들어 있는 글입니다. 패권 이야기는 없습니다.");
    odd.set_category(kOddCategory);
    odd.add_tags("Python");
    ASSERT_TRUE(google::protobuf::util::TimeUtil::FromString("2025-02-03T04:05:06Z", odd.mutable_published()));
    articles_.push_back(odd);
    const absl::Status written = testing::WriteSite(data_dir_, kSite, articles_);
    ASSERT_TRUE(written.ok()) << written;
    ASSERT_NO_FATAL_FAILURE(StartServer());
    backend_ = std::make_unique<searchd::SearchBackend>(data_dir_);
  }

  // Starts searchd (gRPC and HTTP on free ports) and points client_ at it.
  void StartServer() {
    absl::StatusOr<std::unique_ptr<testing::ServerUnderTest>> server = testing::StartSearchdWithHttp(data_dir_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    ASSERT_GT(server_->http_port(), 0);
    ASSERT_NE(server_->http_port(), server_->port());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->http_port());
    // The tests encode URLs themselves, exactly as a browser would.
    client_->set_url_encode(false);
  }

  void TearDown() override {
    client_.reset();
    server_.reset();
    backend_.reset();
  }

  struct Reply {
    int status = 0;
    std::string body;
    httplib::Headers headers;
    std::string Header(const std::string& name) const {
      auto it = headers.find(name);
      return it == headers.end() ? "" : it->second;
    }
    bool HasHeader(const std::string& name) const { return headers.count(name) > 0; }
  };

  static Reply ToReply(const httplib::Result& result) {
    Reply reply;
    EXPECT_TRUE(result) << "HTTP request failed: " << httplib::to_string(result.error());
    if (!result) return reply;
    reply.status = result->status;
    reply.body = result->body;
    reply.headers = result->headers;
    return reply;
  }

  Reply Get(const std::string& path, const httplib::Headers& headers = {}) { return ToReply(client_->Get(path, headers)); }
  Reply Post(const std::string& path, const std::string& body) {
    return ToReply(client_->Post(path, body, "application/json"));
  }

  // GET `path`, expecting 200 and a body of message type M.
  template <typename M>
  M GetOk(const std::string& path) {
    const Reply reply = Get(path);
    EXPECT_EQ(reply.status, 200) << path << "\n" << reply.body;
    EXPECT_EQ(reply.Header("Content-Type"), "application/json; charset=utf-8");
    return FromJson<M>(reply.body);
  }

  v1::SearchResponse BackendSearch(v1::SearchRequest request) {
    request.set_site(kSite);
    absl::StatusOr<v1::SearchResponse> response = backend_->Search(request);
    EXPECT_TRUE(response.ok()) << response.status();
    v1::SearchResponse result = response.ok() ? *response : v1::SearchResponse();
    result.clear_took();  // time spent differs from call to call
    return result;
  }

  v1::SearchResponse HttpSearch(const std::string& query_string) {
    v1::SearchResponse response = GetOk<v1::SearchResponse>(absl::StrCat("/v1/sites/blog/search?", query_string));
    EXPECT_TRUE(response.has_took());
    response.clear_took();
    return response;
  }

  void ExpectError(const Reply& reply, int http_status, const std::string& code_name, const std::string& message_part) {
    EXPECT_EQ(reply.status, http_status) << reply.body;
    EXPECT_EQ(reply.Header("Content-Type"), "application/json; charset=utf-8");
    const ErrorBody error = ParseError(reply.body);
    EXPECT_EQ(error.status, code_name) << reply.body;
    absl::StatusCode code = absl::StatusCode::kUnknown;
    for (int c = 0; c <= 16; ++c) {
      if (absl::StatusCodeToString(static_cast<absl::StatusCode>(c)) == code_name) code = static_cast<absl::StatusCode>(c);
    }
    EXPECT_EQ(error.code, static_cast<int>(code)) << reply.body;
    EXPECT_TRUE(absl::StrContains(error.message, message_part)) << "message: " << error.message << "\nwanted: " << message_part;
  }

  void WriteSiteJson(const std::string& json) {
    std::ofstream out(std::filesystem::path(data_dir_) / kSite / "site.json");
    out << json;
  }

  const testing::TempDir temp_dir_{"http_api_test"};  // removed after everything below
  const std::string data_dir_ = temp_dir_.path();
  std::vector<v1::Article> articles_;
  std::unique_ptr<testing::ServerUnderTest> server_;
  std::unique_ptr<searchd::SearchBackend> backend_;
  std::unique_ptr<httplib::Client> client_;
};

TEST(HttpStatusTest, FollowsGoogleRpcCodeMapping) {
  const std::map<absl::StatusCode, int> expected = {
      {absl::StatusCode::kOk, 200},
      {absl::StatusCode::kCancelled, 499},
      {absl::StatusCode::kUnknown, 500},
      {absl::StatusCode::kInvalidArgument, 400},
      {absl::StatusCode::kDeadlineExceeded, 504},
      {absl::StatusCode::kNotFound, 404},
      {absl::StatusCode::kAlreadyExists, 409},
      {absl::StatusCode::kPermissionDenied, 403},
      {absl::StatusCode::kResourceExhausted, 429},
      {absl::StatusCode::kFailedPrecondition, 400},
      {absl::StatusCode::kAborted, 409},
      {absl::StatusCode::kOutOfRange, 400},
      {absl::StatusCode::kUnimplemented, 501},
      {absl::StatusCode::kInternal, 500},
      {absl::StatusCode::kUnavailable, 503},
      {absl::StatusCode::kDataLoss, 500},
      {absl::StatusCode::kUnauthenticated, 401},
  };
  for (const auto& [code, http] : expected) {
    EXPECT_EQ(searchd::HttpStatusFromCode(code), http) << absl::StatusCodeToString(code);
  }
}

TEST_F(HttpApiTest, HealthzSaysServing) {
  const Reply reply = Get("/healthz");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, R"({"status":"SERVING"})");
}

TEST_F(HttpApiTest, SitesAndStatsMatchTheBackend) {
  v1::ListSitesResponse http = GetOk<v1::ListSitesResponse>("/v1/sites");
  absl::StatusOr<v1::ListSitesResponse> backend = backend_->ListSites();
  ASSERT_TRUE(backend.ok()) << backend.status();
  ASSERT_EQ(http.sites_size(), 1);
  // last_updated is the folder's mtime converted through now(): it jitters by
  // nanoseconds between calls, so compare it to the second.
  EXPECT_EQ(http.sites(0).last_updated().seconds(), backend->sites(0).last_updated().seconds());
  // What is open depends on the call: the HTTP one opened the site, and
  // open_since is when it did (issue 16's reader budget).
  for (v1::SiteStats* site : {http.mutable_sites(0), backend->mutable_sites(0)}) {
    site->clear_last_updated();
    site->clear_open_readers();
    site->clear_open_since();
  }
  ExpectSameMessage(http, *backend);
  EXPECT_EQ(http.sites(0).document_count(), articles_.size());

  v1::SiteStats stats = GetOk<v1::SiteStats>("/v1/sites/blog");
  v1::GetSiteStatsRequest request;
  request.set_site(kSite);
  absl::StatusOr<v1::SiteStats> expected = backend_->GetSiteStats(request);
  ASSERT_TRUE(expected.ok());
  for (v1::SiteStats* site : {&stats, &*expected}) {
    site->clear_last_updated();
    site->clear_open_readers();
    site->clear_open_since();
  }
  ExpectSameMessage(stats, *expected);
}

TEST_F(HttpApiTest, JsonIsTheProtobufMappingWithDefaultsPrinted) {
  const Reply reply = Get("/v1/sites/blog/search?q=zzqqxxvv");
  ASSERT_EQ(reply.status, 200) << reply.body;
  // lowerCamelCase names, 64-bit counts as strings, zero values printed.
  EXPECT_TRUE(absl::StrContains(reply.body, R"("totalHits":"0")")) << reply.body;
  EXPECT_TRUE(absl::StrContains(reply.body, R"("nextPageToken":"")")) << reply.body;
  EXPECT_TRUE(absl::StrContains(reply.body, R"("hits":[])")) << reply.body;
  const Reply article = Get("/v1/sites/blog/articles/post-001");
  ASSERT_EQ(article.status, 200);
  EXPECT_TRUE(absl::StrContains(article.body, R"("published":"20)")) << "RFC 3339 timestamps: " << article.body;
}

TEST_F(HttpApiTest, KoreanSearchMatchesTheBackend) {
  v1::SearchRequest request;
  request.set_query("패권");
  request.set_limit(3);
  const v1::SearchResponse http = HttpSearch("q=" + Encode("패권") + "&limit=3");
  ASSERT_GT(http.hits_size(), 0);
  ExpectSameMessage(http, BackendSearch(request));
  // '+' is a space in a query string, as forms send it.
  request.set_query("패권 전략");
  request.clear_limit();
  ExpectSameMessage(HttpSearch("q=" + Encode("패권") + "+" + Encode("전략")), BackendSearch(request));
}

TEST_F(HttpApiTest, AliasesAndShortEnumNamesEqualTheFullFields) {
  v1::SearchRequest request;
  request.set_query("모델");
  request.add_tags("OpenAI");
  request.add_tags("LLM");
  request.set_tag_match(v1::TAG_MATCH_ANY);
  request.add_exclude_tags("GPT-4.5");
  request.set_match_mode(v1::MATCH_MODE_ALL);
  request.set_sort(v1::SORT_ORDER_MOST_COMMENTED);
  request.set_limit(5);
  v1::FacetRequest* tag = request.add_facets();
  tag->set_field(v1::FACET_FIELD_TAG);
  tag->set_limit(4);
  v1::FacetRequest* category = request.add_facets();
  category->set_field(v1::FACET_FIELD_CATEGORY);
  category->set_limit(4);
  const v1::SearchResponse expected = BackendSearch(request);
  ASSERT_GT(expected.hits_size(), 0);
  ASSERT_EQ(expected.facets_size(), 2);

  const v1::SearchResponse by_alias = HttpSearch(
      "q=" + Encode("모델") + "&tag=OpenAI&tag=LLM&tag_match=any&exclude_tag=GPT-4.5&match=all&sort=comments"
      "&limit=5&facet=tag&facet=category&facet_limit=4");
  ExpectSameMessage(by_alias, expected);
  // Proto names and full enum names.
  const v1::SearchResponse by_proto_name = HttpSearch(
      "query=" + Encode("모델") + "&tags=OpenAI&tags=LLM&tag_match=TAG_MATCH_ANY&exclude_tags=GPT-4.5"
      "&match_mode=MATCH_MODE_ALL&sort=SORT_ORDER_MOST_COMMENTED&limit=5&facets=FACET_FIELD_TAG"
      "&facets=category&facet_limit=4");
  ExpectSameMessage(by_proto_name, expected);
  // JSON names; enums by number.
  const v1::SearchResponse by_json_name = HttpSearch(
      "query=" + Encode("모델") + "&tags=OpenAI&tags=LLM&tagMatch=1&excludeTags=GPT-4.5&matchMode=all"
      "&sort=most_commented&limit=5&facet=tag&facet=category&facetLimit=4");
  ExpectSameMessage(by_json_name, expected);
}

// Facets alone: limit=0 in the query string or the JSON body asks for no
// hits, with the total and facets of the whole match; no limit at all is 10.
TEST_F(HttpApiTest, LimitZeroAnswersFacetsAlone) {
  v1::SearchRequest request;
  request.set_query("모델");
  request.add_facets()->set_field(v1::FACET_FIELD_CATEGORY);
  request.add_facets()->set_field(v1::FACET_FIELD_TAG);
  const v1::SearchResponse ten = BackendSearch(request);
  ASSERT_EQ(ten.hits_size(), 10);
  ASSERT_TRUE(ten.total_hits_exact());
  request.set_limit(0);
  const v1::SearchResponse none = BackendSearch(request);
  EXPECT_EQ(none.hits_size(), 0);
  EXPECT_EQ(none.total_hits(), ten.total_hits());
  EXPECT_TRUE(none.total_hits_exact());
  EXPECT_EQ(none.next_page_token(), "");
  ASSERT_EQ(none.facets_size(), 2);
  ExpectSameMessage(none.facets(0), ten.facets(0));
  ExpectSameMessage(none.facets(1), ten.facets(1));

  const std::string facets = "&facet=category&facet=tag";
  ExpectSameMessage(HttpSearch("q=" + Encode("모델") + "&limit=0" + facets), none);
  EXPECT_EQ(HttpSearch("q=" + Encode("모델") + facets).hits_size(), 10);  // a client that sends no limit
  const Reply post = Post("/v1/sites/blog/search",
                          R"({"query":"모델","limit":0,"facets":[{"field":"FACET_FIELD_CATEGORY"},{"field":"FACET_FIELD_TAG"}]})");
  ASSERT_EQ(post.status, 200) << post.body;
  v1::SearchResponse posted = FromJson<v1::SearchResponse>(post.body);
  posted.clear_took();
  ExpectSameMessage(posted, none);
  const Reply unset = Post("/v1/sites/blog/search", R"({"query":"모델"})");
  EXPECT_EQ(FromJson<v1::SearchResponse>(unset.body).hits_size(), 10);
}

// The category facet's tree over HTTP: 개발/파이썬 under a 개발 that no post
// is filed under directly, and 개발 as a filter finds the same posts.
TEST_F(HttpApiTest, CategoryFacetCarriesTheTree) {
  const Reply reply = Get("/v1/sites/blog/search?q=&limit=0&facet=category&facet_limit=50");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_TRUE(absl::StrContains(reply.body, R"("categoryTree":[)")) << reply.body;
  const v1::SearchResponse response = FromJson<v1::SearchResponse>(reply.body);
  ASSERT_EQ(response.facets_size(), 1);
  const v1::FacetResult& facet = response.facets(0);
  int parent = -1;
  for (int i = 0; i < facet.category_tree_size(); ++i) {
    if (facet.category_tree(i).value() == "개발") parent = i;
  }
  ASSERT_GE(parent, 0) << reply.body;
  ASSERT_LT(parent + 1, facet.category_tree_size());
  const v1::CategoryNode& node = facet.category_tree(parent);
  const v1::CategoryNode& child = facet.category_tree(parent + 1);
  EXPECT_EQ(node.depth(), 0u);
  EXPECT_EQ(node.own_count(), 0u);
  EXPECT_EQ(node.total_count(), 7u);  // the sample's six and kOddId
  EXPECT_EQ(child.value(), "개발/파이썬");
  EXPECT_EQ(child.name(), "파이썬");
  EXPECT_EQ(child.parent(), "개발");
  EXPECT_EQ(child.depth(), 1u);
  EXPECT_EQ(child.own_count(), 7u);
  EXPECT_EQ(child.total_count(), 7u);
  // The filter by the parent finds the posts its total counts.
  EXPECT_EQ(HttpSearch("q=&limit=0&category=" + Encode("개발")).total_hits(), node.total_count());

  // site.json's categoryOrder puts the listed categories first, in its order (after SIGHUP).
  WriteSiteJson(R"({"categoryOrder": ["일상", "개발", "리눅스"]})");
  ASSERT_TRUE(server_->ReloadSettings().ok());
  const v1::SearchResponse ordered = HttpSearch("q=&limit=0&facet=category");
  ASSERT_EQ(ordered.facets_size(), 1);
  std::vector<std::string> top;
  for (const v1::CategoryNode& n : ordered.facets(0).category_tree()) {
    if (n.depth() == 0) top.push_back(n.value());
  }
  EXPECT_EQ(top, (std::vector<std::string>{"일상", "개발", "리눅스", "AI 관련 소식", "개발 환경", "이미지 생성",
                                           "프로그래밍"}));
}

TEST_F(HttpApiTest, DateRangeAndPageTokensMatchTheBackend) {
  v1::SearchRequest request;
  request.set_sort(v1::SORT_ORDER_NEWEST);
  request.set_limit(4);
  ASSERT_TRUE(google::protobuf::util::TimeUtil::FromString("2025-01-01T00:00:00+09:00", request.mutable_published_from()));
  ASSERT_TRUE(google::protobuf::util::TimeUtil::FromString("2025-03-01T00:00:00Z", request.mutable_published_to()));
  const v1::SearchResponse first = BackendSearch(request);
  ASSERT_FALSE(first.next_page_token().empty());
  const std::string range = "sort=newest&limit=4&published_from=" + Encode("2025-01-01T00:00:00+09:00") +
                            "&publishedTo=" + Encode("2025-03-01T00:00:00Z");
  ExpectSameMessage(HttpSearch(range), first);

  request.set_page_token(first.next_page_token());
  const v1::SearchResponse second = BackendSearch(request);
  ASSERT_GT(second.hits_size(), 0);
  ExpectSameMessage(HttpSearch(range + "&page_token=" + Encode(first.next_page_token())), second);
  EXPECT_NE(second.hits(0).id(), first.hits(0).id());
}

TEST_F(HttpApiTest, PostBodyEqualsGet) {
  v1::SearchRequest request;
  request.set_query("오픈소스 모델");
  request.set_limit(3);
  request.add_facets()->set_field(v1::FACET_FIELD_TAG);
  const v1::SearchResponse expected = BackendSearch(request);
  const Reply reply = Post("/v1/sites/blog/search", R"({"query":"오픈소스 모델","limit":3,"facets":[{"field":"FACET_FIELD_TAG"}]})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  v1::SearchResponse http = FromJson<v1::SearchResponse>(reply.body);
  http.clear_took();
  ExpectSameMessage(http, expected);
  // The site in the body may repeat the path's, not contradict it.
  EXPECT_EQ(Post("/v1/sites/blog/search", R"({"site":"blog","query":"모델"})").status, 200);
  ExpectError(Post("/v1/sites/blog/search", R"({"site":"other","query":"모델"})"), 400, "INVALID_ARGUMENT",
              "the body names site \"other\"");
  ExpectError(Post("/v1/sites/blog/search", R"({"qeury":"모델"})"), 400, "INVALID_ARGUMENT", "qeury");
  ExpectError(Post("/v1/sites/blog/search", "{not json"), 400, "INVALID_ARGUMENT", "invalid JSON SearchRequest body");
  ExpectError(Post("/v1/sites/blog/search?q=x", "{}"), 400, "INVALID_ARGUMENT", "JSON body");
  // Thousands of excluded tags once cost seconds of CPU: at most 64 (issue 14).
  std::string tags;
  for (int i = 0; i < 65; ++i) absl::StrAppend(&tags, i == 0 ? "" : ",", "\"t", i, "\"");
  ExpectError(Post("/v1/sites/blog/search", absl::StrCat(R"({"query":"모델","excludeTags":[)", tags, "]}")), 400,
              "INVALID_ARGUMENT", "number of exclude_tags 65 is over the maximum of 64");
}

TEST_F(HttpApiTest, ArticleRoutesMatchTheBackend) {
  const std::string id = "post-028";
  v1::GetArticleRequest get;
  get.set_site(kSite);
  get.set_id(id);
  ExpectSameMessage(GetOk<v1::Article>("/v1/sites/blog/articles/" + id), *backend_->GetArticle(get));

  v1::GetRelatedRequest related;
  related.set_site(kSite);
  related.set_article_id(id);
  related.set_limit(3);
  const v1::GetRelatedResponse related_http = GetOk<v1::GetRelatedResponse>("/v1/sites/blog/articles/" + id + "/related?limit=3");
  EXPECT_EQ(related_http.posts_size(), 3);
  ExpectSameMessage(related_http, *backend_->GetRelated(related));

  v1::ListCategoryPostsRequest by_article;
  by_article.set_site(kSite);
  by_article.set_article_id(id);
  by_article.set_limit(2);
  const v1::ListCategoryPostsResponse first = *backend_->ListCategoryPosts(by_article);
  ASSERT_FALSE(first.next_page_token().empty());
  ExpectSameMessage(GetOk<v1::ListCategoryPostsResponse>("/v1/sites/blog/articles/" + id + "/category-posts?limit=2"),
                    first);
  by_article.set_page_token(first.next_page_token());
  ExpectSameMessage(GetOk<v1::ListCategoryPostsResponse>("/v1/sites/blog/articles/" + id +
                                                          "/category-posts?limit=2&page_token=" +
                                                          Encode(first.next_page_token())),
                    *backend_->ListCategoryPosts(by_article));

  v1::ListCategoryPostsRequest by_name;
  by_name.set_site(kSite);
  by_name.set_category("AI 관련 소식");
  by_name.set_limit(4);
  const v1::ListCategoryPostsResponse named =
      GetOk<v1::ListCategoryPostsResponse>("/v1/sites/blog/categories/" + Encode("AI 관련 소식") + "/posts?limit=4");
  EXPECT_EQ(named.posts_size(), 4);
  ExpectSameMessage(named, *backend_->ListCategoryPosts(by_name));

  v1::GetArchiveRequest archive;
  archive.set_site(kSite);
  archive.set_year(2025);
  ExpectSameMessage(GetOk<v1::GetArchiveResponse>("/v1/sites/blog/archive?year=2025"), *backend_->GetArchive(archive));
  archive.set_month(1);
  const v1::GetArchiveResponse month = GetOk<v1::GetArchiveResponse>("/v1/sites/blog/archive?year=2025&month=1");
  EXPECT_GT(month.total(), 0u);
  ExpectSameMessage(month, *backend_->GetArchive(archive));
}

TEST_F(HttpApiTest, PercentEncodedIdsAndCategoriesAreOneSegment) {
  // "notes/첫 글?#%+&" as notes%2F%EC%B2%AB%20%EA%B8%80%3F%23%25%2B%26.
  const v1::Article article = GetOk<v1::Article>("/v1/sites/blog/articles/" + Encode(kOddId));
  EXPECT_EQ(article.id(), kOddId);
  EXPECT_EQ(article.category(), kOddCategory);
  const v1::GetRelatedResponse related =
      GetOk<v1::GetRelatedResponse>("/v1/sites/blog/articles/" + Encode(kOddId) + "/related");
  v1::GetRelatedRequest request;
  request.set_site(kSite);
  request.set_article_id(kOddId);
  ExpectSameMessage(related, *backend_->GetRelated(request));

  const v1::ListCategoryPostsResponse category =
      GetOk<v1::ListCategoryPostsResponse>("/v1/sites/blog/categories/" + Encode(kOddCategory) + "/posts");
  EXPECT_EQ(category.category(), kOddCategory);
  ASSERT_GE(category.posts_size(), 1);
  bool found = false;
  for (const v1::PostSummary& post : category.posts()) found |= post.id() == kOddId;
  EXPECT_TRUE(found);

  // Undecoded, the slash would make another route; a bad escape is a 400.
  EXPECT_EQ(Get("/v1/sites/blog/articles/notes/x").status, 404);
  ExpectError(Get("/v1/sites/blog/articles/post%2"), 400, "INVALID_ARGUMENT", "percent-encoding");
  ExpectError(Get("/v1/sites/blog/articles/%FF%FE"), 400, "INVALID_ARGUMENT", "UTF-8");
}

TEST_F(HttpApiTest, BadParametersAre400NamingThem) {
  ExpectError(Get("/v1/sites/blog/search?q=x&colour=red"), 400, "INVALID_ARGUMENT", "\"colour\"");
  ExpectError(Get("/v1/sites/blog/search?limit=ten"), 400, "INVALID_ARGUMENT", "\"limit\"");
  ExpectError(Get("/v1/sites/blog/search?limit=-1"), 400, "INVALID_ARGUMENT", "\"limit\"");
  ExpectError(Get("/v1/sites/blog/search?sort=popular"), 400, "INVALID_ARGUMENT", "\"sort\"");
  ExpectError(Get("/v1/sites/blog/search?published_from=yesterday"), 400, "INVALID_ARGUMENT", "\"published_from\"");
  ExpectError(Get("/v1/sites/blog/search?q=a&query=b"), 400, "INVALID_ARGUMENT", "given twice");
  ExpectError(Get("/v1/sites/blog/search?site=other"), 400, "INVALID_ARGUMENT", "URL path");
  ExpectError(Get("/v1/sites/blog/search?facet=author"), 400, "INVALID_ARGUMENT", "\"facet\"");
  ExpectError(Get("/v1/sites/blog/search?facet_limit=3"), 400, "INVALID_ARGUMENT", "\"facet_limit\"");
  ExpectError(Get("/v1/sites/blog/archive?year=2025&day=3"), 400, "INVALID_ARGUMENT", "\"day\"");
  ExpectError(Get("/v1/sites/blog/articles/post-001?limit=3"), 400, "INVALID_ARGUMENT", "\"limit\"");
  ExpectError(Get("/v1/sites?x=1"), 400, "INVALID_ARGUMENT", "\"x\"");
  ExpectError(Get("/v1/sites/blog/search?q=%ZZ"), 400, "INVALID_ARGUMENT", "percent-encoding");
}

TEST_F(HttpApiTest, BackendErrorsKeepTheirCodeAndMessage) {
  // The same message as the backend (and so gRPC) gives, with the HTTP status
  // of its code.
  v1::SearchRequest request;
  request.set_site(kSite);
  request.set_query("\"닫히지 않은 따옴표");
  const absl::StatusOr<v1::SearchResponse> backend = backend_->Search(request);
  ASSERT_EQ(backend.status().code(), absl::StatusCode::kInvalidArgument);
  ExpectError(Get("/v1/sites/blog/search?q=" + Encode(request.query())), 400, "INVALID_ARGUMENT",
              std::string(backend.status().message()));

  ExpectError(Get("/v1/sites/nosuchsite/search?q=x"), 404, "NOT_FOUND", "unknown site \"nosuchsite\"");
  ExpectError(Get("/v1/sites/nosuchsite"), 404, "NOT_FOUND", "nosuchsite");
  ExpectError(Get("/v1/sites/blog/articles/no-such-post"), 404, "NOT_FOUND", "no-such-post");
  ExpectError(Get("/v1/sites/bad..name/archive?year=2025"), 400, "INVALID_ARGUMENT", "");
  ExpectError(Get("/v1/sites/blog/archive?year=2025&month=13"), 400, "INVALID_ARGUMENT", "");
}

TEST_F(HttpApiTest, UnknownRoutesAre404AndWrongMethods405) {
  ExpectError(Get("/v2/sites"), 404, "NOT_FOUND", "no such route");
  ExpectError(Get("/v1/sites/blog/searches"), 404, "NOT_FOUND", "no such route");
  ExpectError(Get("/v1/sites/blog/search/"), 404, "NOT_FOUND", "no such route");
  const Reply del = ToReply(client_->Delete("/v1/sites/blog/search"));
  ExpectError(del, 405, "UNIMPLEMENTED", "DELETE");
  EXPECT_EQ(del.Header("Allow"), "GET, HEAD, POST, OPTIONS");
  const Reply post = Post("/v1/sites/blog/articles/post-001", "{}");
  ExpectError(post, 405, "UNIMPLEMENTED", "POST");
  EXPECT_EQ(post.Header("Allow"), "GET, HEAD, OPTIONS");
  ExpectError(Post("/v1/sites", "{}"), 405, "UNIMPLEMENTED", "POST");
  ExpectError(Post("/healthz", "{}"), 405, "UNIMPLEMENTED", "POST");
}

TEST_F(HttpApiTest, HeadAnswersLikeGetWithoutBody) {
  const Reply get = Get("/v1/sites/blog/search?q=" + Encode("모델"));
  const Reply head = ToReply(client_->Head("/v1/sites/blog/search?q=" + Encode("모델")));
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.Header("ETag"), get.Header("ETag"));
}

TEST_F(HttpApiTest, RepeatedSearchIsNotModifiedUntilTheIndexChanges) {
  const std::string path = "/v1/sites/blog/search?q=" + Encode("패권") + "&facet=tag";
  const Reply first = Get(path);
  ASSERT_EQ(first.status, 200);
  const std::string etag = first.Header("ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_TRUE(absl::StartsWith(etag, "W/\"")) << etag;  // `took` differs between runs: a weak validator
  EXPECT_EQ(first.Header("Cache-Control"), "no-cache");

  const Reply again = Get(path, {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.Header("ETag"), etag);
  // In a list, and compared weakly.
  EXPECT_EQ(Get(path, {{"If-None-Match", "\"other\", " + etag.substr(2)}}).status, 304);
  // Another request has another tag; the same request in another order does not.
  const Reply other = Get("/v1/sites/blog/search?q=" + Encode("전략"), {{"If-None-Match", etag}});
  EXPECT_EQ(other.status, 200);
  EXPECT_NE(other.Header("ETag"), etag);
  EXPECT_EQ(Get("/v1/sites/blog/search?facet=tag&q=" + Encode("패권")).Header("ETag"), etag);
  const std::string stats_etag = Get("/v1/sites/blog").Header("ETag");
  const std::string list_etag = Get("/v1/sites").Header("ETag");

  // A commit: the same search is answered again, with a new tag.
  {
    absl::StatusOr<std::unique_ptr<index::SiteWriter>> writer = index::SiteWriter::Open(data_dir_, kSite);
    ASSERT_TRUE(writer.ok()) << writer.status();
    v1::Article post;
    post.set_id("post-new");
    post.set_title("새 글: 패권 경쟁의 다음 장");
    post.set_body("패권 경쟁은 계속된다.");
    ASSERT_TRUE((*writer)->Upsert(post).ok());
    ASSERT_TRUE((*writer)->Commit().ok());
  }
  const Reply after_commit = Get(path, {{"If-None-Match", etag}});
  ASSERT_EQ(after_commit.status, 200);
  const std::string commit_etag = after_commit.Header("ETag");
  EXPECT_NE(commit_etag, etag);
  EXPECT_TRUE(absl::StrContains(after_commit.body, "post-new"));
  EXPECT_EQ(Get(path, {{"If-None-Match", commit_etag}}).status, 304);
  EXPECT_NE(Get("/v1/sites/blog").Header("ETag"), stats_etag);
  EXPECT_NE(Get("/v1/sites").Header("ETag"), list_etag);

  // New site settings (SIGHUP): new tags too.
  WriteSiteJson(R"({"displayName": "AI 탐구노트", "titleBoost": 2})");
  ASSERT_TRUE(server_->ReloadSettings().ok());
  const Reply after_reload = Get(path, {{"If-None-Match", commit_etag}});
  EXPECT_EQ(after_reload.status, 200);
  EXPECT_NE(after_reload.Header("ETag"), commit_etag);
  EXPECT_EQ(FromJson<v1::SiteStats>(Get("/v1/sites/blog").body).display_name(), "AI 탐구노트");
}

// A validator must not outlive what it vouched for: another index in the
// folder at the same revision (rebuilt or replicated) and a searchd restart
// (its settings generation starts over; the per-process nonce) give new tags.
TEST_F(HttpApiTest, AnotherIndexAtTheSameRevisionOrARestartGivesNewTags) {
  const std::string path = "/v1/sites/blog/search?q=" + Encode("패권");
  const std::string etag = Get(path).Header("ETag");
  ASSERT_FALSE(etag.empty());
  const v1::SiteStats before = FromJson<v1::SiteStats>(Get("/v1/sites/blog").body);
  {
    absl::StatusOr<std::string> db_path = index::SiteDatabasePath(data_dir_, kSite);
    ASSERT_TRUE(db_path.ok());
    std::filesystem::remove_all(*db_path);
    absl::StatusOr<std::unique_ptr<index::SiteWriter>> writer = index::SiteWriter::Open(data_dir_, kSite);
    ASSERT_TRUE(writer.ok()) << writer.status();
    for (const v1::Article& a : articles_) ASSERT_TRUE((*writer)->Upsert(a).ok()) << a.id();
    ASSERT_TRUE((*writer)->Commit().ok());
  }
  const v1::SiteStats after = FromJson<v1::SiteStats>(Get("/v1/sites/blog").body);
  ASSERT_EQ(after.revision(), before.revision());
  EXPECT_NE(after.index_uuid(), before.index_uuid());
  EXPECT_FALSE(after.index_uuid().empty());
  const Reply rebuilt = Get(path, {{"If-None-Match", etag}});
  EXPECT_EQ(rebuilt.status, 200);
  const std::string rebuilt_etag = rebuilt.Header("ETag");
  EXPECT_NE(rebuilt_etag, etag);

  server_->Shutdown();
  ASSERT_NO_FATAL_FAILURE(StartServer());
  const Reply restarted = Get(path, {{"If-None-Match", rebuilt_etag}});
  EXPECT_EQ(restarted.status, 200);
  EXPECT_NE(restarted.Header("ETag"), rebuilt_etag);
}

TEST_F(HttpApiTest, EveryReadRouteRevalidates) {
  for (const std::string& path : std::vector<std::string>{"/v1/sites", "/v1/sites/blog", "/v1/sites/blog/articles/post-028", "/v1/sites/blog/articles/post-028/related",
        "/v1/sites/blog/articles/post-028/category-posts", "/v1/sites/blog/categories/" + Encode("AI 관련 소식") + "/posts",
        "/v1/sites/blog/archive?year=2025"}) {
    const Reply first = Get(path);
    ASSERT_EQ(first.status, 200) << path << first.body;
    ASSERT_FALSE(first.Header("ETag").empty()) << path;
    EXPECT_EQ(Get(path, {{"If-None-Match", first.Header("ETag")}}).status, 304) << path;
  }
  // Errors carry no tag; POST answers are not cached.
  EXPECT_FALSE(Get("/v1/sites/blog/articles/no-such-post").HasHeader("ETag"));
  EXPECT_FALSE(Post("/v1/sites/blog/search", R"({"query":"모델"})").HasHeader("ETag"));
}

TEST_F(HttpApiTest, CorsIsOffByDefault) {
  const Reply get = Get("/v1/sites/blog/search?q=x", {{"Origin", kAllowedOrigin}});
  EXPECT_EQ(get.status, 200);
  EXPECT_FALSE(get.HasHeader("Access-Control-Allow-Origin"));
  EXPECT_EQ(get.Header("Vary"), "Origin");
  const Reply preflight = ToReply(client_->Options("/v1/sites/blog/search", {{"Origin", kAllowedOrigin},
                                                                              {"Access-Control-Request-Method", "GET"}}));
  ExpectError(preflight, 403, "PERMISSION_DENIED", kAllowedOrigin);
  EXPECT_FALSE(preflight.HasHeader("Access-Control-Allow-Origin"));
}

TEST_F(HttpApiTest, CorsAllowsListedOriginsOnly) {
  WriteSiteJson(absl::StrCat(R"({"allowedOrigins": [")", kAllowedOrigin, R"(", "http://localhost:1313"]})"));
  ASSERT_TRUE(server_->ReloadSettings().ok());

  const Reply allowed = Get("/v1/sites/blog/search?q=" + Encode("모델"), {{"Origin", kAllowedOrigin}});
  EXPECT_EQ(allowed.status, 200);
  EXPECT_EQ(allowed.Header("Access-Control-Allow-Origin"), kAllowedOrigin);
  EXPECT_EQ(allowed.Header("Vary"), "Origin");
  EXPECT_EQ(allowed.Header("Access-Control-Expose-Headers"), "ETag");
  // The 304 and errors carry the headers too, so the page can read them.
  const Reply not_modified =
      Get("/v1/sites/blog/search?q=" + Encode("모델"), {{"Origin", kAllowedOrigin}, {"If-None-Match", allowed.Header("ETag")}});
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_EQ(not_modified.Header("Access-Control-Allow-Origin"), kAllowedOrigin);
  const Reply error = Get("/v1/sites/blog/articles/missing", {{"Origin", "http://localhost:1313"}});
  EXPECT_EQ(error.status, 404);
  EXPECT_EQ(error.Header("Access-Control-Allow-Origin"), "http://localhost:1313");

  // Another origin is answered, but without CORS headers: the browser blocks it.
  const Reply other = Get("/v1/sites/blog/search?q=x", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(other.status, 200);
  EXPECT_FALSE(other.HasHeader("Access-Control-Allow-Origin"));
  // Same-origin and non-browser requests need nothing.
  EXPECT_FALSE(Get("/v1/sites/blog/search?q=x").HasHeader("Access-Control-Allow-Origin"));

  const Reply preflight = ToReply(client_->Options(
      "/v1/sites/blog/search", {{"Origin", kAllowedOrigin}, {"Access-Control-Request-Method", "POST"},
                                {"Access-Control-Request-Headers", "content-type"}}));
  EXPECT_EQ(preflight.status, 204);
  EXPECT_TRUE(preflight.body.empty());
  EXPECT_EQ(preflight.Header("Access-Control-Allow-Origin"), kAllowedOrigin);
  EXPECT_EQ(preflight.Header("Access-Control-Allow-Methods"), "GET, POST, OPTIONS");
  EXPECT_EQ(preflight.Header("Access-Control-Allow-Headers"), "Content-Type, If-None-Match");
  EXPECT_EQ(preflight.Header("Access-Control-Max-Age"), "600");
  EXPECT_EQ(preflight.Header("Vary"), "Origin");
  EXPECT_EQ(ToReply(client_->Options("/v1/sites/blog/articles/" + Encode(kOddId) + "/related",
                                     {{"Origin", kAllowedOrigin}, {"Access-Control-Request-Method", "GET"}}))
                .status,
            204);

  const Reply refused = ToReply(client_->Options(
      "/v1/sites/blog/search", {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "GET"}}));
  ExpectError(refused, 403, "PERMISSION_DENIED", "https://evil.example");
  EXPECT_FALSE(refused.HasHeader("Access-Control-Allow-Origin"));
  ExpectError(ToReply(client_->Options("/v1/sites/nosuchsite/search", {{"Origin", kAllowedOrigin}})), 404, "NOT_FOUND",
              "nosuchsite");
}

TEST_F(HttpApiTest, CorsWildcardMustBeListed) {
  WriteSiteJson(R"({"allowedOrigins": ["*"]})");
  ASSERT_TRUE(server_->ReloadSettings().ok());
  const Reply any = Get("/v1/sites/blog/archive?year=2025", {{"Origin", "https://anyone.example"}});
  EXPECT_EQ(any.Header("Access-Control-Allow-Origin"), "https://anyone.example");
}

TEST_F(HttpApiTest, MalformedAllowedOriginKeepsThePreviousSettings) {
  WriteSiteJson(absl::StrCat(R"({"allowedOrigins": [")", kAllowedOrigin, R"("]})"));
  ASSERT_TRUE(server_->ReloadSettings().ok());
  // A trailing slash never matches an Origin header: refused, not ignored.
  WriteSiteJson(R"({"allowedOrigins": ["https://blog.example.com/"]})");
  const absl::Status reloaded = server_->ReloadSettings();
  EXPECT_EQ(reloaded.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(reloaded.message(), "trailing slash")) << reloaded;
  EXPECT_EQ(Get("/v1/sites/blog/search?q=x", {{"Origin", kAllowedOrigin}}).Header("Access-Control-Allow-Origin"),
            kAllowedOrigin);
}

TEST_F(HttpApiTest, ServesEmbeddedAssetsWithTheirETag) {
  for (const std::string path : {"/", "/widget.js"}) {
    const Reply asset = Get(path);
    ASSERT_EQ(asset.status, 200) << path;
    EXPECT_FALSE(asset.body.empty());
    EXPECT_EQ(asset.Header("Cache-Control"), "public, max-age=300");
    const std::string etag = asset.Header("ETag");
    ASSERT_FALSE(etag.empty());
    const Reply again = Get(path, {{"If-None-Match", etag}});
    EXPECT_EQ(again.status, 304) << path;
    EXPECT_TRUE(again.body.empty());
  }
  EXPECT_TRUE(absl::StartsWith(Get("/").Header("Content-Type"), "text/html"));
  EXPECT_TRUE(absl::StrContains(Get("/widget.js").Header("Content-Type"), "javascript"));
  ExpectError(Post("/widget.js", ""), 405, "UNIMPLEMENTED", "POST");
}

TEST_F(HttpApiTest, EightKeepAliveClientsAreAllServed) {
  // Each keep-alive connection holds a server thread; eight at once (a load
  // test's concurrency) plus a ninth client must all be answered.
  constexpr int kClients = 9;
  std::vector<std::unique_ptr<httplib::Client>> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<httplib::Client>("127.0.0.1", server_->http_port()));
    clients.back()->set_keep_alive(true);
    clients.back()->set_tcp_nodelay(true);
    clients.back()->set_url_encode(false);
  }
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      for (int j = 0; j < 5; ++j) {
        httplib::Result r = clients[i]->Get("/v1/sites/blog/search?q=" + Encode("모델") + "&limit=" + std::to_string(j + 1));
        if (r && r->status == 200) ++ok;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), kClients * 5);
}

TEST_F(HttpApiTest, WithoutHttpListenThereIsNoHttpServer) {
  searchd::ServerOptions options;
  options.data_dir = data_dir_;
  options.listen = "127.0.0.1:0";
  absl::StatusOr<std::unique_ptr<searchd::Server>> server = searchd::Server::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ((*server)->http_port(), 0);
  options.http_listen = "127.0.0.1:" + std::to_string(server_->http_port());  // taken
  EXPECT_EQ(searchd::Server::Start(options).status().code(), absl::StatusCode::kUnavailable);
  options.http_listen = "no-port";
  EXPECT_EQ(searchd::Server::Start(options).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace chaja
