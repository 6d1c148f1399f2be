// Issue 13, one word in two scripts, on the sample blog through gRPC and
// HTTP/JSON: every cross-script pair of its tags is one tag (tag cloud,
// facets, filters) and each spelling finds the same posts; exclusions,
// phrases, + and tag: work with every spelling; hits and related posts say
// when a match came through an equivalent; site.json changes them on reload
// without re-indexing; SiteStats lists them; SuggestEquivalents proposes
// pairs the lists lack.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>
#include <httplib.h>

#include "absl/strings/str_cat.h"
#include "analyzer/hangul.h"
#include "analyzer/utf8.h"
#include "chaja/v1/search.grpc.pb.h"
#include "gtest/gtest.h"
#include "index/equivalents.h"
#include "index/schema.h"
#include "testing/searchd.h"
#include "testing/sites.h"
#include "testing/temp_dir.h"

namespace chaja {
namespace {

constexpr char kOwnerToken[] = "equivalents-owner-token-0123";
constexpr char kOwnerBearer[] = "Bearer equivalents-owner-token-0123";

constexpr char kSite[] = "blog";
// tests/testdata/synonyms/blog.jsonl: pairs no list has, and false friends.
constexpr char kFixtureSite[] = "fixture";

using IdSet = std::set<std::string>;

IdSet IdsOf(const v1::SearchResponse& response) {
  IdSet ids;
  for (const v1::SearchHit& hit : response.hits()) ids.insert(hit.id());
  return ids;
}

bool HasHangul(const std::string& text) {
  const std::u32string cps = analyzer::ToCodePoints(text);
  return std::any_of(cps.begin(), cps.end(), [](char32_t c) { return analyzer::IsHangulSyllable(c); });
}

// The built-in equivalents, as a site without site.json has them.
const index::Equivalents& Builtin() {
  static const std::shared_ptr<const index::Equivalents> equivalents = *index::Equivalents::Make({}, true);
  return *equivalents;
}

class EquivalentsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir("equivalents_test");
    absl::StatusOr<std::vector<v1::Article>> articles =
        testing::WriteSiteFromJsonl(dir_->path(), kSite, testing::SampleBlogPath());
    ASSERT_TRUE(articles.ok()) << articles.status();
    articles_ = new std::vector<v1::Article>(*std::move(articles));
    ASSERT_TRUE(testing::WriteSiteFromJsonl(dir_->path(), kFixtureSite,
                                            std::string(CHAJA_TESTDATA_DIR) + "/synonyms/blog.jsonl")
                    .ok());
    // With a write token: synonym discovery is the owner's.
    searchd::ServerOptions options = testing::LoopbackOptions(dir_->path());
    options.http_listen = testing::kLoopbackAnyPort;
    options.index_token = kOwnerToken;
    absl::StatusOr<std::unique_ptr<testing::ServerUnderTest>> server = testing::ServerUnderTest::Start(options);
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

  // `request` over gRPC, checked against the same search over HTTP
  // (`http_params`: the request's filters as URL parameters).
  v1::SearchResponse Search(v1::SearchRequest request, const std::string& http_params = "") {
    request.set_site(kSite);
    if (request.limit() == 0) request.set_limit(100);
    grpc::ClientContext context;
    v1::SearchResponse response;
    const grpc::Status status = stub_->Search(&context, request, &response);
    EXPECT_TRUE(status.ok()) << request.query() << ": " << status.error_message();
    const httplib::Result http = http_->Get(absl::StrCat("/v1/sites/blog/search?query=",
                                                         testing::UrlEncode(request.query()),
                                                         "&limit=", request.limit(), http_params));
    EXPECT_TRUE(http && http->status == 200) << request.query() << ": " << (http ? http->body : "no answer");
    if (http) {
      v1::SearchResponse over_http;
      EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(http->body, &over_http).ok());
      EXPECT_EQ(IdsOf(over_http), IdsOf(response)) << request.query() << http_params;
      if (over_http.facets_size() > 0 && response.facets_size() > 0) {
        EXPECT_EQ(over_http.facets(0).SerializeAsString(), response.facets(0).SerializeAsString());
      }
    }
    return response;
  }

  v1::SearchResponse Search(const std::string& query) {
    v1::SearchRequest request;
    request.set_query(query);
    return Search(request);
  }

  v1::SearchResponse WithTag(const std::string& tag, bool exclude) {
    v1::SearchRequest request;
    (exclude ? request.add_exclude_tags() : request.add_tags())->assign(tag);
    return Search(request, absl::StrCat(exclude ? "&exclude_tag=" : "&tag=", testing::UrlEncode(tag)));
  }

  // The tag cloud: every tag's row (name → posts).
  std::map<std::string, uint64_t> TagCloud() {
    v1::SearchRequest request;
    v1::FacetRequest* facet = request.add_facets();
    facet->set_field(v1::FACET_FIELD_TAG);
    facet->set_limit(1000);
    const v1::SearchResponse response = Search(request, "&facets=tag&facet_limit=1000");
    std::map<std::string, uint64_t> rows;
    if (response.facets_size() != 1) return rows;
    for (const v1::FacetCount& c : response.facets(0).counts()) rows[c.value()] = c.count();
    return rows;
  }

  v1::SiteStats Stats() {
    v1::GetSiteStatsRequest request;
    request.set_site(kSite);
    grpc::ClientContext context;
    v1::SiteStats stats;
    EXPECT_TRUE(stub_->GetSiteStats(&context, request, &stats).ok());
    return stats;
  }

  v1::GetRelatedResponse Related(const std::string& id) {
    v1::GetRelatedRequest request;
    request.set_site(kSite);
    request.set_article_id(id);
    request.set_limit(43);
    grpc::ClientContext context;
    v1::GetRelatedResponse response;
    EXPECT_TRUE(stub_->GetRelated(&context, request, &response).ok());
    const httplib::Result http = http_->Get(absl::StrCat("/v1/sites/blog/articles/", id, "/related?limit=43"));
    EXPECT_TRUE(http && http->status == 200) << (http ? http->body : "no answer");
    if (http) {
      v1::GetRelatedResponse over_http;
      EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(http->body, &over_http).ok());
      EXPECT_EQ(over_http.posts_size(), response.posts_size());
      for (int i = 0; i < std::min(response.posts_size(), over_http.posts_size()); ++i) {
        EXPECT_EQ(over_http.posts(i).equivalent_tags_size(), response.posts(i).equivalent_tags_size());
        EXPECT_EQ(over_http.posts(i).shared_tags_size(), response.posts(i).shared_tags_size());
      }
    }
    return response;
  }

  // SuggestEquivalents of the fixture site over gRPC, checked against HTTP.
  v1::SuggestEquivalentsResponse SuggestEquivalents(uint32_t limit) {
    v1::SuggestEquivalentsRequest request;
    request.set_site(kFixtureSite);
    request.set_limit(limit);
    grpc::ClientContext context;
    context.AddMetadata("authorization", kOwnerBearer);
    v1::SuggestEquivalentsResponse response;
    const grpc::Status status = stub_->SuggestEquivalents(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    const httplib::Result http = http_->Get(absl::StrCat("/v1/sites/fixture/equivalents/suggestions?limit=", limit),
                                            {{"Authorization", kOwnerBearer}});
    EXPECT_TRUE(http && http->status == 200) << (http ? http->body : "no answer");
    if (http) {
      v1::SuggestEquivalentsResponse over_http;
      EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(http->body, &over_http).ok());
      EXPECT_EQ(over_http.SerializeAsString(), response.SerializeAsString());
    }
    return response;
  }

  static void WriteSiteJson(const std::string& json, const std::string& site = kSite) {
    std::ofstream(std::filesystem::path(dir_->path()) / site / "site.json") << json;
    ASSERT_TRUE(server_->ReloadSettings().ok());
  }

  // The posts tagged with any spelling of `tag`'s equivalent set.
  static IdSet TaggedAnySpelling(const std::string& tag) {
    const uint32_t set = Builtin().SetOfKey(index::NormalizeKey(tag));
    IdSet ids;
    for (const v1::Article& a : *articles_) {
      for (const std::string& t : a.tags()) {
        if (Builtin().SetOfKey(index::NormalizeKey(t)) == set) ids.insert(a.id());
      }
    }
    return ids;
  }

  // Tags of the sample whose equivalent set has spellings in both scripts.
  static std::map<uint32_t, std::set<std::string>> CrossScriptTagPairs() {
    std::map<uint32_t, std::set<std::string>> spellings;  // set → normalized tags
    for (const v1::Article& a : *articles_) {
      for (const std::string& t : a.tags()) {
        const uint32_t set = Builtin().SetOfKey(index::NormalizeKey(t));
        if (set != index::Equivalents::kNoSet) spellings[set].insert(t);
      }
    }
    std::map<uint32_t, std::set<std::string>> pairs;
    for (const auto& [set, tags] : spellings) {
      const bool hangul = std::any_of(tags.begin(), tags.end(), HasHangul);
      const bool latin = std::any_of(tags.begin(), tags.end(), [](const std::string& t) { return !HasHangul(t); });
      if (hangul && latin) pairs[set] = tags;
    }
    return pairs;
  }

  static testing::TempDir* dir_;
  static std::vector<v1::Article>* articles_;
  static testing::ServerUnderTest* server_;
  std::unique_ptr<v1::SearchService::Stub> stub_;
  std::unique_ptr<httplib::Client> http_;
};

testing::TempDir* EquivalentsTest::dir_ = nullptr;
std::vector<v1::Article>* EquivalentsTest::articles_ = nullptr;
testing::ServerUnderTest* EquivalentsTest::server_ = nullptr;

TEST_F(EquivalentsTest, EveryCrossScriptTagPairOfTheSampleIsOneTag) {
  const std::map<uint32_t, std::set<std::string>> pairs = CrossScriptTagPairs();
  // 우분투/ubuntu, 파이썬/Python, 오픈AI/OpenAI, 트랜스포머/TRANSFORMER at least.
  ASSERT_GE(pairs.size(), 4u);
  const std::map<std::string, uint64_t> cloud = TagCloud();
  for (const auto& [set, tags] : pairs) {
    const IdSet tagged = TaggedAnySpelling(*tags.begin());
    // One row, counting each post once, under one of the spellings.
    size_t rows = 0;
    for (const auto& [name, count] : cloud) {
      if (Builtin().SetOfKey(index::NormalizeKey(name)) != set) continue;
      ++rows;
      EXPECT_EQ(count, tagged.size()) << name;
    }
    EXPECT_EQ(rows, 1u) << *tags.begin();
    for (const std::string& tag : tags) {
      // Filtering by any spelling finds every post of the tag; excluding it
      // leaves none of them.
      EXPECT_EQ(IdsOf(WithTag(tag, false)), tagged) << tag;
      for (const std::string& id : IdsOf(WithTag(tag, true))) EXPECT_EQ(tagged.count(id), 0u) << tag << " " << id;
      EXPECT_EQ(IdsOf(Search(absl::StrCat("tag:", tag))), tagged) << tag;
      // Each spelling, searched as a word, finds the same posts.
      EXPECT_EQ(IdsOf(Search(tag)), IdsOf(Search(*tags.begin()))) << tag << " vs " << *tags.begin();
    }
  }
}

TEST_F(EquivalentsTest, AWordFindsThePostsOfItsOtherSpellingAndSaysSo) {
  // 도커 misses the posts that only say Docker without equivalents.
  const v1::SearchResponse korean = Search("도커");
  EXPECT_EQ(IdsOf(korean), IdsOf(Search("Docker")));
  size_t through_docker = 0;
  for (const v1::SearchHit& hit : korean.hits()) {
    for (const v1::EquivalentMatch& m : hit.equivalents()) {
      EXPECT_EQ(m.written(), "도커");
      EXPECT_EQ(index::NormalizeKey(m.matched()), "docker");
      EXPECT_EQ(m.source(), v1::EQUIVALENT_SOURCE_BUILTIN);
      ++through_docker;
    }
  }
  EXPECT_GE(through_docker, 4u);
  // Each post is weighed by the spelling it has, the better one when it has
  // both (not their sum): both spellings rank every post the same.
  const v1::SearchResponse hangul = Search("우분투"), latin = Search("ubuntu");
  ASSERT_EQ(hangul.hits_size(), latin.hits_size());
  for (int i = 0; i < hangul.hits_size(); ++i) {
    EXPECT_EQ(hangul.hits(i).id(), latin.hits(i).id()) << i;
    EXPECT_NEAR(hangul.hits(i).score(), latin.hits(i).score(), 1e-9) << hangul.hits(i).id();
  }
  // With a particle, the word is looked up without it.
  EXPECT_EQ(IdsOf(Search("우분투에서")), IdsOf(Search("ubuntu")));
}

TEST_F(EquivalentsTest, ExclusionsPhrasesRequiredWordsAndFiltersUseEverySpelling) {
  const IdSet docker = IdsOf(Search("docker"));
  ASSERT_FALSE(docker.empty());
  for (const std::string& query : {std::string("리눅스 -도커"), std::string("리눅스 -docker")}) {
    const IdSet left = IdsOf(Search(query));
    EXPECT_FALSE(left.empty()) << query;
    for (const std::string& id : left) EXPECT_EQ(docker.count(id), 0u) << query << " kept " << id;
  }
  EXPECT_EQ(IdsOf(Search("리눅스 -도커")), IdsOf(Search("리눅스 -docker")));
  const IdSet phrase = IdsOf(Search("\"우분투 24.04\""));
  EXPECT_FALSE(phrase.empty());
  EXPECT_EQ(phrase, IdsOf(Search("\"ubuntu 24.04\"")));
  EXPECT_EQ(IdsOf(Search("+우분투 설치")), IdsOf(Search("+ubuntu 설치")));
  EXPECT_EQ(IdsOf(Search("설치 tag:우분투")), IdsOf(Search("설치 tag:ubuntu")));
  EXPECT_EQ(IdsOf(Search("도커 -tag:우분투")), IdsOf(Search("도커 -tag:Ubuntu")));
}

TEST_F(EquivalentsTest, RelatedPostsShareTheMergedTag) {
  std::string article;
  for (const v1::Article& a : *articles_) {
    if (std::find(a.tags().begin(), a.tags().end(), "우분투") != a.tags().end()) article = a.id();
  }
  ASSERT_FALSE(article.empty());
  size_t across_spellings = 0;
  const v1::GetRelatedResponse related = Related(article);
  for (const v1::RelatedPost& post : related.posts()) {
    // Tags by their merged names, as the tag cloud shows them.
    EXPECT_EQ(std::count(post.post().tags().begin(), post.post().tags().end(), "ubuntu"), 0) << post.post().id();
    for (const v1::EquivalentMatch& m : post.equivalent_tags()) {
      EXPECT_EQ(m.written(), "우분투");
      EXPECT_EQ(index::NormalizeKey(m.matched()), "ubuntu");
      EXPECT_NE(std::find(post.shared_tags().begin(), post.shared_tags().end(), "우분투"), post.shared_tags().end());
      ++across_spellings;
    }
  }
  EXPECT_GE(across_spellings, 1u);
}

TEST_F(EquivalentsTest, OtherPostsRelatedPostsAndSuggestionsUseTheMergedTag) {
  const IdSet tagged = TaggedAnySpelling("ubuntu");
  std::string latin_only;  // a post tagged ubuntu, not 우분투
  for (const v1::Article& a : *articles_) {
    const bool latin = std::find(a.tags().begin(), a.tags().end(), "ubuntu") != a.tags().end();
    const bool hangul = std::find(a.tags().begin(), a.tags().end(), "우분투") != a.tags().end();
    if (latin && !hangul) latin_only = a.id();
  }
  ASSERT_FALSE(latin_only.empty());
  // "Other posts in this category" of a post next to it list its tags as the
  // tag cloud names them: 우분투, the spelling most posts use.
  v1::ListCategoryPostsRequest request;
  request.set_site(kSite);
  request.set_article_id(latin_only);
  request.set_limit(50);
  grpc::ClientContext context;
  v1::ListCategoryPostsResponse others;
  ASSERT_TRUE(stub_->ListCategoryPosts(&context, request, &others).ok());
  size_t shown = 0;
  for (const v1::PostSummary& post : others.posts()) {
    EXPECT_EQ(std::count(post.tags().begin(), post.tags().end(), "ubuntu"), 0) << post.id();
    if (tagged.count(post.id()) > 0) {
      EXPECT_EQ(std::count(post.tags().begin(), post.tags().end(), "우분투"), 1) << post.id();
      ++shown;
    }
  }
  EXPECT_GE(shown, 1u);
  // Suggestions count the merged tag's posts.
  v1::SuggestRequest suggest;
  suggest.set_site(kSite);
  suggest.set_prefix("ubun");
  grpc::ClientContext suggest_context;
  v1::SuggestResponse suggestions;
  ASSERT_TRUE(stub_->Suggest(&suggest_context, suggest, &suggestions).ok());
  bool counted = false;
  for (const v1::Suggestion& s : suggestions.suggestions()) {
    if (s.kind() == v1::SUGGESTION_KIND_TAG && index::NormalizeKey(s.text()) == "ubuntu") {
      EXPECT_EQ(s.count(), tagged.size());
      counted = true;
    }
  }
  EXPECT_TRUE(counted) << suggestions.DebugString();
}

TEST_F(EquivalentsTest, SiteStatsListTheEquivalentsInEffect) {
  const v1::SiteStats stats = Stats();
  EXPECT_TRUE(stats.builtin_equivalents());
  EXPECT_GE(stats.builtin_equivalent_sets(), 500u);
  auto listed = [&](const std::string& word) {
    return std::any_of(stats.equivalents().begin(), stats.equivalents().end(), [&](const v1::EquivalentSet& set) {
      return std::find(set.words().begin(), set.words().end(), word) != set.words().end();
    });
  };
  EXPECT_TRUE(listed("우분투"));
  EXPECT_TRUE(listed("파이썬"));
  // A built-in set with no word on this blog does nothing here.
  EXPECT_FALSE(listed("넷플릭스"));
}

TEST_F(EquivalentsTest, SuggestEquivalentsProposesPairsNoListHasWithTheirEvidence) {
  auto has = [](const v1::SuggestEquivalentsResponse& r, const std::string& hangul, const std::string& latin) {
    return std::any_of(r.candidates().begin(), r.candidates().end(), [&](const v1::EquivalentCandidate& c) {
      return c.hangul() == hangul && c.latin() == latin;
    });
  };
  const v1::SuggestEquivalentsResponse found = SuggestEquivalents(50);
  ASSERT_TRUE(has(found, "카산드라", "Cassandra")) << found.DebugString();
  for (const v1::EquivalentCandidate& c : found.candidates()) {
    EXPECT_EQ(c.rule(), absl::StrCat(c.hangul(), ", ", c.latin()));
    EXPECT_TRUE(c.both_posts() > 0 || c.shared_tags() > 0) << c.hangul();
    EXPECT_FALSE(c.examples().empty()) << c.hangul();
    for (const std::string false_friend : {"미로", "소라", "다시", "미소", "파도"}) EXPECT_NE(c.hangul(), false_friend);
  }
  // Accepted into site.json, a pair is no longer proposed.
  WriteSiteJson(R"({"synonyms": ["카산드라, Cassandra"]})", kFixtureSite);
  EXPECT_FALSE(has(SuggestEquivalents(50), "카산드라", "Cassandra"));
  std::filesystem::remove(std::filesystem::path(dir_->path()) / kFixtureSite / "site.json");
  ASSERT_TRUE(server_->ReloadSettings().ok());

  v1::SuggestEquivalentsRequest too_many;
  too_many.set_site(kFixtureSite);
  too_many.set_limit(501);
  grpc::ClientContext context;
  context.AddMetadata("authorization", kOwnerBearer);
  v1::SuggestEquivalentsResponse response;
  EXPECT_EQ(stub_->SuggestEquivalents(&context, too_many, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

// Discovery is the owner's tool (and may read the whole site up to the
// deadline): without the write token it is refused before any work.
TEST_F(EquivalentsTest, SuggestEquivalentsNeedsTheWriteToken) {
  v1::SuggestEquivalentsRequest request;
  request.set_site(kFixtureSite);
  v1::SuggestEquivalentsResponse response;
  grpc::ClientContext none;
  EXPECT_EQ(stub_->SuggestEquivalents(&none, request, &response).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  grpc::ClientContext wrong;
  wrong.AddMetadata("authorization", "Bearer not-the-owner-token-000");
  EXPECT_EQ(stub_->SuggestEquivalents(&wrong, request, &response).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  const httplib::Result http = http_->Get("/v1/sites/fixture/equivalents/suggestions");
  ASSERT_TRUE(http);
  EXPECT_EQ(http->status, 401);
}

// Runs last in this file's order: it changes site.json, then restores it.
TEST_F(EquivalentsTest, SiteJsonChangesEquivalentsOnReloadWithoutReindexing) {
  const uint64_t revision = Stats().revision();
  const IdSet orbstack = IdsOf(Search("OrbStack"));
  ASSERT_FALSE(orbstack.empty());
  auto through_site_rule = [&](const v1::SearchResponse& response) {
    size_t n = 0;
    for (const v1::SearchHit& hit : response.hits()) {
      for (const v1::EquivalentMatch& m : hit.equivalents()) n += m.source() == v1::EQUIVALENT_SOURCE_SITE;
    }
    return n;
  };
  // Not in the built-in list, and no post writes it.
  const v1::SearchResponse before = Search("오브스택");
  EXPECT_EQ(through_site_rule(before), 0u);
  EXPECT_NE(IdsOf(before), orbstack);

  WriteSiteJson(R"({"synonyms": ["오브스택, OrbStack", "로컬LLM => Ollama"], "tagNames": ["Ubuntu"]})");
  const v1::SearchResponse after = Search("오브스택");
  EXPECT_EQ(IdsOf(after), orbstack);
  EXPECT_EQ(through_site_rule(after), orbstack.size());
  // One way: 로컬LLM finds Ollama's posts, Ollama does not find 로컬LLM's.
  const IdSet ollama = IdsOf(Search("Ollama"));
  for (const std::string& id : ollama) EXPECT_EQ(IdsOf(Search("로컬LLM")).count(id), 1u) << id;
  const std::map<std::string, uint64_t> cloud = TagCloud();
  EXPECT_EQ(cloud.count("Ubuntu"), 1u);
  EXPECT_EQ(cloud.count("우분투"), 0u);
  const v1::SiteStats stats = Stats();
  ASSERT_GE(stats.equivalents_size(), 2);
  EXPECT_EQ(stats.equivalents(0).source(), v1::EQUIVALENT_SOURCE_SITE);
  EXPECT_EQ(stats.equivalents(0).words(0), "오브스택");
  EXPECT_TRUE(stats.equivalents(1).one_way());

  WriteSiteJson(R"({"builtinSynonyms": false})");
  EXPECT_NE(IdsOf(Search("우분투")), IdsOf(Search("ubuntu")));
  const std::map<std::string, uint64_t> split = TagCloud();
  EXPECT_EQ(split.count("우분투"), 1u);
  EXPECT_EQ(split.count("ubuntu"), 1u);
  EXPECT_FALSE(Stats().builtin_equivalents());

  // A bad rule keeps the settings in force.
  std::ofstream(std::filesystem::path(dir_->path()) / kSite / "site.json") << R"({"synonyms": ["a => b => c"]})";
  EXPECT_FALSE(server_->ReloadSettings().ok());
  EXPECT_FALSE(Stats().builtin_equivalents());

  std::filesystem::remove(std::filesystem::path(dir_->path()) / kSite / "site.json");
  ASSERT_TRUE(server_->ReloadSettings().ok());
  EXPECT_EQ(IdsOf(Search("우분투")), IdsOf(Search("ubuntu")));
  EXPECT_EQ(Stats().revision(), revision);  // nothing was re-indexed
}

}  // namespace
}  // namespace chaja
