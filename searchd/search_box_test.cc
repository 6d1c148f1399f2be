// Issue 12, the Korean search box: every row of the table on the
// sample blog, through gRPC and HTTP/JSON (the same request must give the
// same answer on both): a query typed in English mode, a title still being
// composed, 초성, an English prefix, a word the blog does not have, a typo,
// a query with broken syntax while typing; and Suggest.
#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>
#include <httplib.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "analyzer/hangul.h"
#include "analyzer/jamo.h"
#include "analyzer/utf8.h"
#include "chaja/v1/search.grpc.pb.h"
#include "gtest/gtest.h"
#include "testing/searchd.h"
#include "testing/sites.h"
#include "testing/temp_dir.h"

namespace chaja {
namespace {

constexpr char kSite[] = "blog";
constexpr char kParticleOnly[] = "particle-only";

std::string Encode(absl::string_view text) { return testing::UrlEncode(text); }

std::vector<std::string> Ids(const v1::SearchResponse& response) {
  std::vector<std::string> ids;
  for (const v1::SearchHit& hit : response.hits()) ids.push_back(hit.id());
  return ids;
}

std::set<std::string> IdSet(const v1::SearchResponse& response) {
  const std::vector<std::string> ids = Ids(response);
  return {ids.begin(), ids.end()};
}

bool Mentions(const v1::SearchHit& hit, absl::string_view word) {
  if (absl::StrContains(absl::AsciiStrToLower(hit.title()), word)) return true;
  return std::any_of(hit.tags().begin(), hit.tags().end(),
                     [&](const std::string& tag) { return absl::StrContains(absl::AsciiStrToLower(tag), word); });
}

class SearchBoxTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir("search_box_test");
    absl::StatusOr<std::vector<v1::Article>> articles = testing::ReadArticles(testing::SampleBlogPath());
    ASSERT_TRUE(articles.ok()) << articles.status();
    // A post that has 도 only as the particle after Latin words.
    v1::Article particle;
    particle.set_id(kParticleOnly);
    particle.set_title("GPT도 Claude도 써 봤다");
    particle.set_body("Gemini도 Llama도 좋았다. 셋 다 쓸 만하다.");
    articles->push_back(particle);
    ASSERT_TRUE(testing::WriteSite(dir_->path(), kSite, *articles).ok());
    articles_ = new std::vector<v1::Article>(*std::move(articles));
    absl::StatusOr<std::unique_ptr<testing::ServerUnderTest>> server = testing::StartSearchdWithHttp(dir_->path());
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
  }

  static void TearDownTestSuite() {
    delete server_;
    delete articles_;
    delete dir_;
  }

  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    stub_ = v1::SearchService::NewStub(grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials()));
    http_ = std::make_unique<httplib::Client>("127.0.0.1", server_->http_port());
    http_->set_url_encode(false);
  }

  // The search over gRPC, checked against the same search over HTTP.
  v1::SearchResponse Search(const std::string& query, bool typing = false, uint32_t limit = 20) {
    v1::SearchRequest request;
    request.set_site(kSite);
    request.set_query(query);
    request.set_typing(typing);
    request.set_limit(limit);
    grpc::ClientContext context;
    v1::SearchResponse response;
    const grpc::Status status = stub_->Search(&context, request, &response);
    EXPECT_TRUE(status.ok()) << query << ": " << status.error_message();
    const httplib::Result http = http_->Get(absl::StrCat("/v1/sites/blog/search?query=", Encode(query),
                                                         "&limit=", limit, typing ? "&typing=true" : ""));
    EXPECT_TRUE(http && http->status == 200) << query << ": " << (http ? http->body : "no answer");
    if (http) {
      v1::SearchResponse over_http;
      EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(http->body, &over_http).ok());
      EXPECT_EQ(Ids(over_http), Ids(response)) << query;
      EXPECT_EQ(over_http.interpreted_query(), response.interpreted_query()) << query;
      EXPECT_EQ(over_http.suggested_query(), response.suggested_query()) << query;
    }
    return response;
  }

  // The status of a search over gRPC and the HTTP status of the same search.
  std::pair<grpc::StatusCode, int> SearchStatus(const std::string& query, bool typing) {
    v1::SearchRequest request;
    request.set_site(kSite);
    request.set_query(query);
    request.set_typing(typing);
    grpc::ClientContext context;
    v1::SearchResponse response;
    const grpc::StatusCode code = stub_->Search(&context, request, &response).error_code();
    const httplib::Result http =
        http_->Get(absl::StrCat("/v1/sites/blog/search?query=", Encode(query), typing ? "&typing=true" : ""));
    return {code, http ? http->status : 0};
  }

  v1::SuggestResponse Suggest(const std::string& prefix, uint32_t limit = 8) {
    v1::SuggestRequest request;
    request.set_site(kSite);
    request.set_prefix(prefix);
    request.set_limit(limit);
    grpc::ClientContext context;
    v1::SuggestResponse response;
    const grpc::Status status = stub_->Suggest(&context, request, &response);
    EXPECT_TRUE(status.ok()) << prefix << ": " << status.error_message();
    const httplib::Result http =
        http_->Get(absl::StrCat("/v1/sites/blog/suggest?q=", Encode(prefix), "&limit=", limit));
    EXPECT_TRUE(http && http->status == 200) << prefix << ": " << (http ? http->body : "no answer");
    if (http) {
      v1::SuggestResponse over_http;
      EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(http->body, &over_http).ok());
      EXPECT_EQ(over_http.SerializeAsString(), response.SerializeAsString()) << prefix;
    }
    return response;
  }

  static bool Suggests(const v1::SuggestResponse& response, absl::string_view text) {
    return std::any_of(response.suggestions().begin(), response.suggestions().end(),
                       [&](const v1::Suggestion& s) { return s.text() == text; });
  }

  static testing::TempDir* dir_;
  static std::vector<v1::Article>* articles_;
  static testing::ServerUnderTest* server_;
  std::unique_ptr<v1::SearchService::Stub> stub_;
  std::unique_ptr<httplib::Client> http_;
};

testing::TempDir* SearchBoxTest::dir_ = nullptr;
std::vector<v1::Article>* SearchBoxTest::articles_ = nullptr;
testing::ServerUnderTest* SearchBoxTest::server_ = nullptr;

TEST_F(SearchBoxTest, WordsTypedInEnglishModeAreSearchedAsMeant) {
  for (const auto& [typed, meant] : std::vector<std::pair<std::string, std::string>>{
           {"vornjs", "패권"}, {"dnqnsxn", "우분투"}, {"ehzj", "도커"}, {"ㅔㅛㅅㅗㅐㅜ", "python"}}) {
    const v1::SearchResponse as_meant = Search(meant);
    ASSERT_GT(as_meant.total_hits(), 0u) << meant;
    EXPECT_TRUE(as_meant.interpreted_query().empty()) << meant;
    for (const bool typing : {false, true}) {
      const v1::SearchResponse mistyped = Search(typed, typing);
      EXPECT_EQ(mistyped.interpreted_query(), meant) << typed;
      // While typing, titles that start with the word rank first.
      EXPECT_EQ(Ids(mistyped), Ids(Search(meant, typing))) << typed;
    }
  }
  // A word the blog has is taken as written, in either script.
  EXPECT_TRUE(Search("docker").interpreted_query().empty());
}

TEST_F(SearchBoxTest, TheWordBeingTypedMatchesWordsThatStartWithIt) {
  const std::set<std::string> paegwon = IdSet(Search("패권"));
  ASSERT_FALSE(paegwon.empty());
  EXPECT_EQ(IdSet(Search("패궈", true)), paegwon);
  EXPECT_EQ(IdSet(Search("패ㄱ", true)), paegwon);
  // Not typing: the syllables as written, which the blog does not have.
  EXPECT_EQ(Search("패궈").total_hits(), 0u);

  const v1::SearchResponse docker = Search("도ㅋ", true);
  ASSERT_GT(docker.hits_size(), 0);
  EXPECT_TRUE(Mentions(docker.hits(0), "도커") || Mentions(docker.hits(0), "docker"));
  EXPECT_EQ(IdSet(Search("우분", true)), IdSet(Search("우분투")));

  // A title being typed, its last syllable still composing: the post on top.
  for (const std::string typed : {"우분투 서버 첫 설ㅈ", "우분투 서버 첫 설저", "Docker Desktop 없이 WSL2에서 도ㅋ"}) {
    const v1::SearchResponse title = Search(typed, true);
    ASSERT_GT(title.hits_size(), 0) << typed;
    EXPECT_TRUE(absl::StartsWith(title.hits(0).title(), typed.substr(0, typed.size() - 3))) << typed;
  }
}

// A typed syllable finds the words that start with it (도커, and 되다 or 돼서,
// which the IME shows as 도 on the way), never a post that has it only
// alone, as the particle after a Latin word (GPT도).
TEST_F(SearchBoxTest, ASingleTypedSyllableMatchesWordsNotTheParticle) {
  const std::set<std::string> plain = IdSet(Search("도", false, 100));
  EXPECT_TRUE(plain.count(kParticleOnly));  // as written: the one-syllable word
  const v1::SearchResponse typed = Search("도", true, 100);
  ASSERT_GT(typed.hits_size(), 0);
  EXPECT_EQ(IdSet(typed).count(kParticleOnly), 0u);
  const std::vector<analyzer::CodePointRange> becomes = analyzer::CompletionsOf(U'도');
  std::set<std::string> with_word;
  for (const v1::Article& article : *articles_) {
    const std::vector<analyzer::CodePoint> text = analyzer::DecodeUtf8(article.title() + "\n" + article.body());
    for (size_t i = 0; i + 1 < text.size(); ++i) {
      const bool starts = std::any_of(becomes.begin(), becomes.end(), [&](const analyzer::CodePointRange& r) {
        return text[i].value >= r.first && text[i].value <= r.second;
      });
      if (starts && analyzer::IsHangulSyllable(text[i + 1].value)) with_word.insert(article.id());
    }
  }
  for (const std::string& id : Ids(typed)) EXPECT_TRUE(with_word.count(id)) << id << " has no word 도 may begin";
}

TEST_F(SearchBoxTest, ChoseongFindsTitlesTagsAndWords) {
  // The posts titled or tagged 우분투 first, then other words of those
  // initials (이벤트).
  const v1::SearchResponse ubuntu = Search("ㅇㅂㅌ");
  EXPECT_EQ(ubuntu.interpreted_query(), "우분투");
  size_t named = 0;
  for (const v1::SearchHit& hit : ubuntu.hits()) named += Mentions(hit, "우분투") ? 1 : 0;
  ASSERT_GE(named, 2u);
  for (size_t i = 0; i < named; ++i) EXPECT_TRUE(Mentions(ubuntu.hits(i), "우분투")) << ubuntu.hits(i).title();

  const v1::SearchResponse docker = Search("ㄷㅋ", true);
  EXPECT_EQ(docker.interpreted_query(), "도커");
  ASSERT_GT(docker.hits_size(), 0);
  EXPECT_TRUE(Mentions(docker.hits(0), "도커") || Mentions(docker.hits(0), "docker")) << docker.hits(0).title();
  // Initials that stand for nothing of the blog: no results, not an error.
  EXPECT_EQ(Search("ㅋㅋㅋㅋ").total_hits(), 0u);
}

TEST_F(SearchBoxTest, AnEnglishPrefixMatchesTheWordsItStarts) {
  EXPECT_EQ(IdSet(Search("ubun", true)), IdSet(Search("ubuntu")));
  const std::set<std::string> python = IdSet(Search("python"));
  const std::set<std::string> pyth = IdSet(Search("pyth", true));
  for (const std::string& id : python) EXPECT_TRUE(pyth.count(id)) << id;
}

TEST_F(SearchBoxTest, AWordTheBlogDoesNotHaveFindsNothing) {
  // Before issue 12: 13 posts that share one bigram with it.
  EXPECT_EQ(Search("스타게이트").total_hits(), 0u);
  EXPECT_EQ(Search("스타게이트", true).total_hits(), 0u);
  // A word the blog has inside a longer one is still found.
  EXPECT_GT(Search("패권을").total_hits(), 0u);
}

TEST_F(SearchBoxTest, TyposGetADidYouMean) {
  const v1::SearchResponse ubuntu = Search("우뷴투");
  EXPECT_EQ(ubuntu.suggested_query(), "우분투");
  const std::set<std::string> found = IdSet(ubuntu);
  for (const std::string& id : IdSet(Search("우분투"))) EXPECT_TRUE(found.count(id)) << id;
  EXPECT_EQ(Search("pyhton").suggested_query(), "python");
  EXPECT_TRUE(Search("우분투").suggested_query().empty());
}

TEST_F(SearchBoxTest, TypingNeverFailsOnSyntaxButPlainRequestsDo) {
  for (const std::string query : {"\"도커", "도커 OR", "OR 도커", "-", "tag:"}) {
    EXPECT_EQ(SearchStatus(query, true), std::make_pair(grpc::StatusCode::OK, 200)) << query;
    EXPECT_EQ(SearchStatus(query, false), std::make_pair(grpc::StatusCode::INVALID_ARGUMENT, 400)) << query;
  }
  EXPECT_GT(Search("\"도커", true).total_hits(), 0u);
}

TEST_F(SearchBoxTest, SuggestsFromTheBlog) {
  EXPECT_TRUE(Suggests(Suggest("ㄷㅋ"), "도커"));
  EXPECT_TRUE(Suggests(Suggest("우분"), "우분투"));
  EXPECT_TRUE(Suggests(Suggest("ㅇㅂㅌ"), "우분투"));
  const v1::SuggestResponse mistyped = Suggest("ehzj");
  EXPECT_EQ(mistyped.interpreted_prefix(), "도커");
  EXPECT_TRUE(Suggests(mistyped, "도커"));
  EXPECT_TRUE(Suggests(Suggest("ㅔㅛㅅ"), "Python"));
  const v1::SuggestResponse title = Suggest("우분투 서버 첫 설ㅈ");
  ASSERT_GT(title.suggestions_size(), 0);
  EXPECT_EQ(title.suggestions(0).kind(), v1::SUGGESTION_KIND_TITLE);
  EXPECT_TRUE(absl::StartsWith(title.suggestions(0).text(), "우분투 서버 첫 설정"));
  EXPECT_LE(Suggest("AI", 3).suggestions_size(), 3);
  EXPECT_EQ(Suggest("").suggestions_size(), 0);
}

TEST_F(SearchBoxTest, SuggestRefusesBadArguments) {
  v1::SuggestRequest request;
  request.set_site(kSite);
  request.set_prefix("도");
  request.set_limit(51);
  grpc::ClientContext context;
  v1::SuggestResponse response;
  EXPECT_EQ(stub_->Suggest(&context, request, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const httplib::Result http = http_->Get("/v1/sites/blog/suggest?q=%EB%8F%84&limit=51");
  ASSERT_TRUE(http);
  EXPECT_EQ(http->status, 400);
  const httplib::Result unknown = http_->Get("/v1/sites/nosuch/suggest?q=a");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
}

}  // namespace
}  // namespace chaja
