// End-to-end: the sample blog indexed with the Importer into a temporary data
// folder, chaja-searchd's Server started in process on 127.0.0.1 (a free port),
// and every query sent through client::SearchClient over real gRPC.
#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "client/search_client.h"
#include "gtest/gtest.h"
#include "index/site_writer.h"
#include "indexer/importer.h"
#include "testing/searchd.h"
#include "testing/sites.h"
#include "testing/temp_dir.h"

#ifndef CHAJA_TESTDATA_DIR
#error "CHAJA_TESTDATA_DIR must name tests/testdata"
#endif

namespace chaja {
namespace {

constexpr char kSite[] = "blog";

google::protobuf::Timestamp Time(int64_t seconds) {
  google::protobuf::Timestamp t;
  t.set_seconds(seconds);
  return t;
}

// Seconds since the epoch of some UTC instants used below.
constexpr int64_t k2024_12_01 = 1733011200;
constexpr int64_t k2025_01_01 = 1735689600;
constexpr int64_t k2025_01_21 = 1737417600;
constexpr int64_t kPost028 = 1737502200;  // 2025-01-21T23:30:00Z

// "001 016" style: the numbers of post-NNN ids, sorted; other ids unchanged.
std::string Numbers(const v1::SearchResponse& response) {
  std::vector<std::string> ids;
  for (const v1::SearchHit& hit : response.hits()) {
    ids.push_back(absl::StartsWith(hit.id(), "post-") ? hit.id().substr(5) : hit.id());
  }
  std::sort(ids.begin(), ids.end());
  return absl::StrJoin(ids, " ");
}

bool Contains(const std::string& numbers, const std::string& number) {
  const std::vector<std::string> parts = absl::StrSplit(numbers, ' ');
  return std::find(parts.begin(), parts.end(), number) != parts.end();
}

// Creates a data folder, imports the sample blog and starts searchd once for
// the whole suite; each test talks to it through the client.
class SearchdIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    temp_dir_ = new testing::TempDir("integration_test");
    data_dir_ = &temp_dir_->path();
    import_messages_ = new std::vector<std::string>();

    if (absl::Status s = ImportFile(testing::SampleBlogPath(), kSite, import_messages_); !s.ok()) {
      setup_error_ = new std::string(s.ToString());
      return;
    }
    absl::StatusOr<std::unique_ptr<testing::ServerUnderTest>> server = testing::StartSearchd(*data_dir_);
    if (!server.ok()) {
      setup_error_ = new std::string(server.status().ToString());
      return;
    }
    server_ = server->release();
    address_ = &server_->address();
    client_ = new client::SearchClient(*address_);
  }

  static void TearDownTestSuite() {
    delete client_;
    client_ = nullptr;
    delete server_;  // stops searchd
    server_ = nullptr;
    address_ = nullptr;
    delete temp_dir_;  // removes the data folder
    temp_dir_ = nullptr;
    data_dir_ = nullptr;
    delete import_messages_;
    import_messages_ = nullptr;
    delete setup_error_;
    setup_error_ = nullptr;
  }

  void SetUp() override {
    ASSERT_EQ(setup_error_, nullptr) << *setup_error_;
    ASSERT_NE(client_, nullptr);
  }

  // Imports `path` into `site` the way chaja-indexer does; rejection messages go to `messages`.
  static absl::Status ImportFile(const std::string& path, const std::string& site,
                                 std::vector<std::string>* messages, indexer::ImportStats* stats = nullptr) {
    absl::StatusOr<std::unique_ptr<index::SiteWriter>> writer = index::SiteWriter::Open(*data_dir_, site);
    if (!writer.ok()) return writer.status();
    indexer::ImportReporter reporter;
    reporter.on_rejected = [messages](const std::string& m) { messages->push_back(m); };
    indexer::Importer importer(writer->get(), indexer::ImportOptions(), reporter);
    if (absl::Status s = importer.ImportJsonlFile(path); !s.ok()) return s;
    if (absl::Status s = importer.Finish(); !s.ok()) return s;
    if (stats != nullptr) *stats = importer.stats();
    return absl::OkStatus();
  }

  static v1::SearchRequest Request(const std::string& query, const std::string& site = kSite) {
    v1::SearchRequest request;
    request.set_site(site);
    request.set_query(query);
    request.set_limit(100);
    return request;
  }

  static absl::StatusOr<v1::SearchResponse> Search(const v1::SearchRequest& request) {
    return client_->Search(request);
  }

  // Sorted post numbers of every hit, or "ERROR: …".
  static std::string Found(const v1::SearchRequest& request) {
    absl::StatusOr<v1::SearchResponse> response = client_->Search(request);
    if (!response.ok()) return "ERROR: " + response.status().ToString();
    return Numbers(*response);
  }
  static std::string Found(const std::string& query) { return Found(Request(query)); }

  static testing::TempDir* temp_dir_;
  static const std::string* data_dir_;  // temp_dir_->path()
  static const std::string* address_;   // server_->address()
  static std::string* setup_error_;
  static std::vector<std::string>* import_messages_;
  static testing::ServerUnderTest* server_;
  static client::SearchClient* client_;
};

testing::TempDir* SearchdIntegrationTest::temp_dir_ = nullptr;
const std::string* SearchdIntegrationTest::data_dir_ = nullptr;
const std::string* SearchdIntegrationTest::address_ = nullptr;
std::string* SearchdIntegrationTest::setup_error_ = nullptr;
std::vector<std::string>* SearchdIntegrationTest::import_messages_ = nullptr;
testing::ServerUnderTest* SearchdIntegrationTest::server_ = nullptr;
client::SearchClient* SearchdIntegrationTest::client_ = nullptr;

TEST_F(SearchdIntegrationTest, SampleBlogImportsCleanly) {
  EXPECT_TRUE(import_messages_->empty()) << absl::StrJoin(*import_messages_, "\n");
  v1::SearchRequest request = Request("");
  absl::StatusOr<v1::SearchResponse> response = Search(request);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->total_hits(), 44u);
  EXPECT_TRUE(response->total_hits_exact());
  EXPECT_EQ(response->hits_size(), 44);
}

TEST_F(SearchdIntegrationTest, KoreanWordFindsPostsWhereAParticleIsAttached) {
  // 패권 appears only as 패권을 / 패권이.
  EXPECT_EQ(Found("패권"), "016 028");
  // Typing the particle too still finds both (패권 is one of its syllable pairs).
  const std::string with_particle = Found("패권을");
  EXPECT_TRUE(Contains(with_particle, "016")) << with_particle;
  EXPECT_TRUE(Contains(with_particle, "028")) << with_particle;
}

TEST_F(SearchdIntegrationTest, DecomposedInputFindsTheSameAsComposed) {
  // NFD, as macOS input methods and file names produce.
  EXPECT_EQ(Found("\u1111\u1162\u1100\u116F\u11AB"), "016 028");  // 패권
  // 국가적 전략 in NFD, as a phrase.
  const std::string nfd_phrase =
      "\"\u1100\u116E\u11A8\u1100\u1161\u110C\u1165\u11A8 \u110C\u1165\u11AB\u1105\u1163\u11A8\"";
  EXPECT_EQ(Found(nfd_phrase), Found("\"국가적 전략\""));
  EXPECT_EQ(Found(nfd_phrase), "023");
}

TEST_F(SearchdIntegrationTest, CompatibilityJamoTypedLetterByLetterAreAssembled) {
  EXPECT_EQ(Found("ㅍㅐㄱㅝㄴ"), "016 028");
  EXPECT_EQ(Found("\"ㄱㅜㄱㄱㅏㅈㅓㄱ ㅈㅓㄴㄹㅑㄱ\""), "023");
}

TEST_F(SearchdIntegrationTest, LatinGluedToHangulIsSplitAtTheScriptChange) {
  EXPECT_EQ(Found("\"AI기술\""), "016 023");
  EXPECT_EQ(Found("\"AI 기술\""), "016 023");
  const std::string natural = Found("AI기술");
  EXPECT_TRUE(Contains(natural, "016")) << natural;
  EXPECT_TRUE(Contains(natural, "023")) << natural;
  v1::SearchRequest all = Request("AI기술");
  all.set_match_mode(v1::MATCH_MODE_ALL);
  const std::string both = Found(all);
  EXPECT_TRUE(Contains(both, "016")) << both;
  EXPECT_TRUE(Contains(both, "023")) << both;
}

TEST_F(SearchdIntegrationTest, GptSpellingsFindEachOther) {
  // GPT-4o [001 021 031 038 043], gpt4o [032], "GPT 4o" [024].
  const std::string expected = "001 021 024 031 032 038 043";
  EXPECT_EQ(Found("GPT-4o"), expected);
  EXPECT_EQ(Found("gpt4o"), expected);
  EXPECT_EQ(Found("\"GPT 4o\""), expected);
  EXPECT_EQ(Found("\"gpt-4o\""), expected);
  EXPECT_EQ(Found("GPT4O"), expected);
}

TEST_F(SearchdIntegrationTest, QuotedPhraseNeedsTheWordsTogether) {
  EXPECT_EQ(Found("\"국가적 전략\""), "023");
  // Without quotes, 016 (국가적 관심사 … 산업 전략이) and 022 (전략) match too.
  const std::string natural = Found("국가적 전략");
  for (const char* id : {"016", "022", "023"}) EXPECT_TRUE(Contains(natural, id)) << natural;
  // The adjacent form ranks first.
  absl::StatusOr<v1::SearchResponse> response = Search(Request("국가적 전략"));
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_GT(response->hits_size(), 0);
  EXPECT_EQ(response->hits(0).id(), "post-023");
}

TEST_F(SearchdIntegrationTest, ExcludedWordsRemoveHits) {
  EXPECT_EQ(Found("패권 -DeepSeek"), "016");
  EXPECT_EQ(Found("패권 -\"DeepSeek-R1\""), "016");
  // -tag:openai also leaves out 021, tagged 오픈AI (one tag in two scripts).
  EXPECT_EQ(Found("GPT-4o -tag:openai"), "024 032 043");
}

TEST_F(SearchdIntegrationTest, RequiredWordsMustMatch) {
  EXPECT_EQ(Found("+패권 전략"), "016 028");
}

TEST_F(SearchdIntegrationTest, TagFilterIsCaseInsensitive) {
  v1::SearchRequest request = Request("");
  request.add_tags("OpenAI");
  EXPECT_EQ(Found(request), "001 021 031 038");
  request.set_tags(0, "openai");
  EXPECT_EQ(Found(request), "001 021 031 038");
  request.set_tags(0, "OPENAI");
  EXPECT_EQ(Found(request), "001 021 031 038");
  EXPECT_EQ(Found("tag:OpenAI"), "001 021 031 038");
  EXPECT_EQ(Found("tag:openai"), "001 021 031 038");
  // The Korean spelling is the same tag (the built-in equivalents).
  EXPECT_EQ(Found("tag:오픈AI"), "001 021 031 038");
  EXPECT_EQ(Found("tag:transformer"), "012 044");
  // Every listed tag must be carried.
  request.set_tags(0, "LLM");
  request.add_tags("Python");
  EXPECT_EQ(Found(request), "020 029");
  // Filters combine with text.
  v1::SearchRequest docker = Request("도커");
  docker.add_tags("docker");
  const std::string found = Found(docker);
  for (const char* id : {"002", "010", "018", "026", "034", "041"}) EXPECT_TRUE(Contains(found, id)) << found;
  EXPECT_FALSE(Contains(found, "030")) << "030 says 도커 but is not tagged Docker";
}

TEST_F(SearchdIntegrationTest, CategoryFilterIncludesSubCategories) {
  const std::string python = "005 013 020 029 036 044";
  v1::SearchRequest request = Request("");
  request.set_category("개발");
  EXPECT_EQ(Found(request), python) << "개발 holds 개발/파이썬 but not the separate 개발 환경";
  request.set_category("개발/파이썬");
  EXPECT_EQ(Found(request), python);
  request.set_category("개발 / 파이썬");
  EXPECT_EQ(Found(request), python);
  request.set_category("개발 환경");
  EXPECT_EQ(Found(request), "002 010 018 026 034 041");
  request.set_category("일상");
  EXPECT_EQ(Found(request), "008 015 024 032 039");
  EXPECT_EQ(Found("category:개발"), python);
  EXPECT_EQ(Found("category:\"AI 관련 소식\" 패권"), "016 028");
  EXPECT_EQ(Found("category:리눅스 -category:개발"), "004 011 019 027 035 042");
}

TEST_F(SearchdIntegrationTest, PublishedRangeIsFromInclusiveToExclusive) {
  v1::SearchRequest request = Request("");
  *request.mutable_published_from() = Time(k2024_12_01);
  *request.mutable_published_to() = Time(k2025_01_01);
  EXPECT_EQ(Found(request), "016 017 018 019 020 021 022 023");

  // post-028 is the only post at 23:30 UTC on 2025-01-21.
  *request.mutable_published_from() = Time(kPost028);
  *request.mutable_published_to() = Time(kPost028 + 1);
  EXPECT_EQ(Found(request), "028");
  *request.mutable_published_from() = Time(k2025_01_21);
  *request.mutable_published_to() = Time(kPost028);
  EXPECT_EQ(Found(request), "");

  // Open-ended on either side.
  v1::SearchRequest from_only = Request("");
  *from_only.mutable_published_from() = Time(1741996800);  // 2025-03-15
  EXPECT_EQ(Found(from_only), "043 044");
  v1::SearchRequest to_only = Request("");
  *to_only.mutable_published_to() = Time(1727740800);  // 2024-10-01
  EXPECT_EQ(Found(to_only), "001 002 003 004");

  // With text: 패권 in December only.
  v1::SearchRequest text = Request("패권");
  *text.mutable_published_from() = Time(k2024_12_01);
  *text.mutable_published_to() = Time(k2025_01_01);
  EXPECT_EQ(Found(text), "016");

  v1::SearchRequest backwards = Request("");
  *backwards.mutable_published_from() = Time(k2025_01_01);
  *backwards.mutable_published_to() = Time(k2024_12_01);
  absl::StatusOr<v1::SearchResponse> response = Search(backwards);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument) << response.status();
}

TEST_F(SearchdIntegrationTest, SortsByPublishedAndComments) {
  v1::SearchRequest request = Request("");
  request.set_sort(v1::SORT_ORDER_NEWEST);
  absl::StatusOr<v1::SearchResponse> newest = Search(request);
  ASSERT_TRUE(newest.ok()) << newest.status();
  ASSERT_EQ(newest->hits_size(), 44);
  EXPECT_EQ(newest->hits(0).id(), "post-044");
  EXPECT_EQ(newest->hits(43).id(), "post-001");
  for (int i = 1; i < newest->hits_size(); ++i) {
    EXPECT_GE(newest->hits(i - 1).published().seconds(), newest->hits(i).published().seconds()) << i;
  }

  request.set_sort(v1::SORT_ORDER_OLDEST);
  absl::StatusOr<v1::SearchResponse> oldest = Search(request);
  ASSERT_TRUE(oldest.ok()) << oldest.status();
  ASSERT_EQ(oldest->hits_size(), 44);
  EXPECT_EQ(oldest->hits(0).id(), "post-001");
  for (int i = 1; i < oldest->hits_size(); ++i) {
    EXPECT_LE(oldest->hits(i - 1).published().seconds(), oldest->hits(i).published().seconds()) << i;
  }

  request.set_sort(v1::SORT_ORDER_MOST_COMMENTED);
  absl::StatusOr<v1::SearchResponse> commented = Search(request);
  ASSERT_TRUE(commented.ok()) << commented.status();
  ASSERT_EQ(commented->hits_size(), 44);
  EXPECT_EQ(commented->hits(0).id(), "post-020");
  EXPECT_EQ(commented->hits(0).comment_count(), 30u);
  for (int i = 1; i < commented->hits_size(); ++i) {
    EXPECT_GE(commented->hits(i - 1).comment_count(), commented->hits(i).comment_count()) << i;
  }
  // The five posts without comments come last.
  std::vector<std::string> last5;
  for (int i = 39; i < 44; ++i) last5.push_back(commented->hits(i).id().substr(5));
  std::sort(last5.begin(), last5.end());
  EXPECT_EQ(absl::StrJoin(last5, " "), "008 017 026 036 042");

  // Sorting a text query orders its hits, not the whole site.
  v1::SearchRequest llm = Request("tag:LLM");
  llm.set_sort(v1::SORT_ORDER_NEWEST);
  absl::StatusOr<v1::SearchResponse> llm_newest = Search(llm);
  ASSERT_TRUE(llm_newest.ok()) << llm_newest.status();
  std::vector<std::string> order;
  for (const v1::SearchHit& hit : llm_newest->hits()) order.push_back(hit.id().substr(5));
  EXPECT_EQ(absl::StrJoin(order, " "), "043 041 038 029 028 020 012 001");

  v1::SearchRequest gpt = Request("GPT-4o");
  gpt.set_sort(v1::SORT_ORDER_OLDEST);
  absl::StatusOr<v1::SearchResponse> gpt_oldest = Search(gpt);
  ASSERT_TRUE(gpt_oldest.ok()) << gpt_oldest.status();
  order.clear();
  for (const v1::SearchHit& hit : gpt_oldest->hits()) order.push_back(hit.id().substr(5));
  EXPECT_EQ(absl::StrJoin(order, " "), "001 021 024 031 032 038 043");
}

TEST_F(SearchdIntegrationTest, PaginatesWithOffsetAndLimit) {
  v1::SearchRequest request = Request("");
  request.set_sort(v1::SORT_ORDER_OLDEST);
  std::vector<std::string> seen;
  for (uint32_t offset = 0; offset < 50; offset += 10) {
    request.set_offset(offset);
    request.set_limit(10);
    absl::StatusOr<v1::SearchResponse> page = Search(request);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->total_hits(), 44u) << offset;
    EXPECT_EQ(page->hits_size(), offset < 40 ? 10 : 4) << offset;
    for (const v1::SearchHit& hit : page->hits()) seen.push_back(hit.id());
  }
  ASSERT_EQ(seen.size(), 44u);
  for (size_t i = 0; i < seen.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    EXPECT_EQ(seen[i], "post-" + std::string(3 - n.size(), '0') + n);
  }
  // Past the end: no hits, but the total is still known.
  request.set_offset(100);
  absl::StatusOr<v1::SearchResponse> past = Search(request);
  ASSERT_TRUE(past.ok()) << past.status();
  EXPECT_EQ(past->hits_size(), 0);
  // No limit on the wire (what clients built before limit had presence send,
  // whatever they set) means the default of 10.
  request.set_offset(0);
  request.clear_limit();
  absl::StatusOr<v1::SearchResponse> by_default = Search(request);
  ASSERT_TRUE(by_default.ok()) << by_default.status();
  EXPECT_EQ(by_default->hits_size(), 10);
}

// limit 0, set explicitly: no hits, the exact total and the facets of the
// whole match, and no next page.
TEST_F(SearchdIntegrationTest, LimitZeroAnswersFacetsAlone) {
  for (const char* query : {"", "모델", "\"오픈소스 모델\""}) {
    SCOPED_TRACE(query);
    v1::SearchRequest request = Request(query);
    request.add_facets()->set_field(v1::FACET_FIELD_CATEGORY);
    request.add_facets()->set_field(v1::FACET_FIELD_TAG);
    absl::StatusOr<v1::SearchResponse> ten = Search(request);
    request.set_limit(0);
    absl::StatusOr<v1::SearchResponse> none = Search(request);
    ASSERT_TRUE(ten.ok() && none.ok()) << ten.status() << none.status();
    EXPECT_GT(ten->hits_size(), 0);
    EXPECT_EQ(none->hits_size(), 0);
    EXPECT_EQ(none->total_hits(), ten->total_hits());
    EXPECT_TRUE(none->total_hits_exact());
    EXPECT_EQ(none->next_page_token(), "");
    ASSERT_EQ(none->facets_size(), 2);
    for (int i = 0; i < 2; ++i) {
      EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(none->facets(i), ten->facets(i)))
          << none->facets(i).DebugString() << "\nvs\n" << ten->facets(i).DebugString();
    }
    // Without facets too, the total is counted exactly.
    request.clear_facets();
    absl::StatusOr<v1::SearchResponse> count = Search(request);
    ASSERT_TRUE(count.ok()) << count.status();
    EXPECT_EQ(count->hits_size(), 0);
    EXPECT_EQ(count->total_hits(), ten->total_hits());
    EXPECT_TRUE(count->total_hits_exact());
  }
}

// Over gRPC the category facet holds the tree: 개발 (6) with 파이썬 (6)
// under it, 일상 (5) with 리뷰 (5), the rest top-level.
TEST_F(SearchdIntegrationTest, CategoryFacetIsATree) {
  v1::SearchRequest request = Request("");
  request.set_limit(0);
  request.add_facets()->set_field(v1::FACET_FIELD_CATEGORY);
  absl::StatusOr<v1::SearchResponse> response = Search(request);
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->facets_size(), 1);
  std::vector<std::string> shown;
  for (const v1::CategoryNode& node : response->facets(0).category_tree()) {
    shown.push_back(absl::StrCat(std::string(2 * node.depth(), ' '), node.name(), " ", node.own_count(), "/",
                                 node.total_count()));
  }
  EXPECT_EQ(absl::StrJoin(shown, "\n"),
            "AI 관련 소식 9/9\n"
            "개발 0/6\n"
            "  파이썬 6/6\n"
            "개발 환경 6/6\n"
            "리눅스 6/6\n"
            "이미지 생성 6/6\n"
            "프로그래밍 6/6\n"
            "일상 0/5\n"
            "  리뷰 5/5");
  // The flat counts stay as they were: the categories posts are filed under.
  EXPECT_EQ(response->facets(0).counts_size(), 7);
}

TEST_F(SearchdIntegrationTest, NumbersGluedToHangulParse) {
  EXPECT_EQ(Found("\"12 삭망월과 1태양년의\""), "014");
  absl::StatusOr<v1::SearchResponse> response = Search(Request("12 삭망월과 1태양년의"));
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_GT(response->hits_size(), 0);
  EXPECT_EQ(response->hits(0).id(), "post-014");
}

TEST_F(SearchdIntegrationTest, SnippetsMarkMatchesAndEscapeHtml) {
  absl::StatusOr<v1::SearchResponse> response = Search(Request("패권"));
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->hits_size(), 2);
  for (const v1::SearchHit& hit : response->hits()) {
    EXPECT_TRUE(absl::StrContains(hit.snippet(), "<mark>")) << hit.id() << ": " << hit.snippet();
    EXPECT_TRUE(absl::StrContains(hit.snippet(), "</mark>")) << hit.id() << ": " << hit.snippet();
  }

  // post-006 quotes <script>alert(1)</script> and <img src=x onerror=alert(1)>.
  for (const char* query : {"alert", "script", "onerror", "XSS"}) {
    absl::StatusOr<v1::SearchResponse> xss = Search(Request(query));
    ASSERT_TRUE(xss.ok()) << xss.status();
    bool saw_006 = false;
    for (const v1::SearchHit& hit : xss->hits()) {
      saw_006 = saw_006 || hit.id() == "post-006";
      for (const std::string& html : {hit.snippet(), hit.title_highlighted()}) {
        EXPECT_FALSE(absl::StrContains(html, "<script")) << query << " " << hit.id() << ": " << html;
        EXPECT_FALSE(absl::StrContains(html, "<img")) << query << " " << hit.id() << ": " << html;
        // The only markup is <mark>…</mark>.
        const std::string stripped = absl::StrReplaceAll(html, {{"<mark>", ""}, {"</mark>", ""}});
        EXPECT_FALSE(absl::StrContains(stripped, "<")) << query << " " << hit.id() << ": " << html;
        EXPECT_FALSE(absl::StrContains(stripped, ">")) << query << " " << hit.id() << ": " << html;
      }
    }
    EXPECT_TRUE(saw_006) << query;
  }
  absl::StatusOr<v1::SearchResponse> alert = Search(Request("alert"));
  ASSERT_TRUE(alert.ok()) << alert.status();
  ASSERT_EQ(alert->hits_size(), 1);
  EXPECT_TRUE(absl::StrContains(alert->hits(0).snippet(), "&lt;")) << alert->hits(0).snippet();
}

TEST_F(SearchdIntegrationTest, HitsCarryTheStoredArticle) {
  absl::StatusOr<v1::SearchResponse> response = Search(Request("\"12 삭망월과 1태양년의\""));
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->hits_size(), 1);
  const v1::SearchHit& hit = response->hits(0);
  EXPECT_EQ(hit.id(), "post-014");
  EXPECT_EQ(hit.category(), "프로그래밍");
  EXPECT_EQ(absl::StrJoin(hit.tags(), ","), "달력,음력,자바스크립트,위젯");
  EXPECT_EQ(hit.comment_count(), 7u);
  EXPECT_EQ(hit.published().seconds(), 1731903600);  // 2024-11-18T04:20:00Z
  EXPECT_TRUE(absl::StartsWith(hit.url(), "https://ai-tamgu.example.com/entry/")) << hit.url();
  EXPECT_TRUE(absl::StartsWith(hit.title(), "음력 달력 위젯을")) << hit.title();
  EXPECT_GT(hit.score(), 0.0);
}

TEST_F(SearchdIntegrationTest, BadRequestsAreInvalidArgumentWithAMessage) {
  for (const char* query : {"\"국가적 전략", "패권 OR", "!!! 😀", "tag:"}) {
    absl::StatusOr<v1::SearchResponse> response = Search(Request(query));
    ASSERT_FALSE(response.ok()) << query;
    EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument) << query << ": " << response.status();
    EXPECT_FALSE(response.status().message().empty()) << query;
  }
  v1::SearchRequest too_many = Request("패권");
  too_many.set_limit(5000);
  absl::StatusOr<v1::SearchResponse> response = Search(too_many);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument) << response.status();
  EXPECT_TRUE(absl::StrContains(response.status().message(), "5000")) << response.status();

  v1::SearchRequest bad_sort = Request("패권");
  bad_sort.set_sort(static_cast<v1::SortOrder>(42));
  EXPECT_EQ(Search(bad_sort).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(SearchdIntegrationTest, UnknownSiteIsNotFoundAndBadSiteNamesAreInvalid) {
  absl::StatusOr<v1::SearchResponse> unknown = Search(Request("패권", "no-such-site"));
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound) << unknown.status();
  EXPECT_TRUE(absl::StrContains(unknown.status().message(), "no-such-site")) << unknown.status();
  for (const std::string& site : {std::string("../blog"), std::string("a/b"), std::string(""), std::string(65, 'a')}) {
    absl::StatusOr<v1::SearchResponse> bad = Search(Request("패권", site));
    EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument) << "site \"" << site << "\": " << bad.status();
  }
}

TEST_F(SearchdIntegrationTest, HealthServiceAnswersServing) {
  // The server as a whole ("") and each service it serves.
  for (const std::string service : {"", "chaja.v1.SearchService"}) {
    bool serving = false;
    EXPECT_EQ(testing::CheckHealth(*address_, service, &serving), grpc::StatusCode::OK) << "\"" << service << "\"";
    EXPECT_TRUE(serving) << "\"" << service << "\"";
  }
  // Started without --index_token_file: no IndexService, and no made-up service.
  for (const std::string service : {"chaja.v1.IndexService", "chaja.v1.NoSuchService"}) {
    bool serving = false;
    EXPECT_EQ(testing::CheckHealth(*address_, service, &serving), grpc::StatusCode::NOT_FOUND) << service;
  }
}

TEST_F(SearchdIntegrationTest, NewCommitsAreVisibleWithoutRestart) {
  // A site that did not exist when searchd started.
  absl::StatusOr<v1::SearchResponse> before = Search(Request("라이브", "live"));
  EXPECT_EQ(before.status().code(), absl::StatusCode::kNotFound) << before.status();
  {
    absl::StatusOr<std::unique_ptr<index::SiteWriter>> writer = index::SiteWriter::Open(*data_dir_, "live");
    ASSERT_TRUE(writer.ok()) << writer.status();
    v1::Article article;
    article.set_id("live-1");
    article.set_title("라이브 색인 첫 글");
    article.set_body("서버를 다시 켜지 않아도 보여야 한다.");
    ASSERT_TRUE((*writer)->Upsert(article).ok());
    ASSERT_TRUE((*writer)->Commit().ok());
    EXPECT_EQ(Found(Request("라이브", "live")), "live-1");

    // The searcher now pooled for "live" must see the next commit too.
    article.set_id("live-2");
    article.set_title("라이브 색인 둘째 글");
    ASSERT_TRUE((*writer)->Upsert(article).ok());
    EXPECT_EQ(Found(Request("라이브", "live")), "live-1") << "uncommitted changes are not visible";
    ASSERT_TRUE((*writer)->Commit().ok());
    EXPECT_EQ(Found(Request("라이브", "live")), "live-1 live-2");
    ASSERT_TRUE((*writer)->Delete("live-1").ok());
    ASSERT_TRUE((*writer)->Commit().ok());
    EXPECT_EQ(Found(Request("라이브", "live")), "live-2");
  }

  // The sample site, already being served: add one post, then take it out again.
  ASSERT_EQ(Found("\"탐구노트라이브\""), "");
  absl::StatusOr<std::unique_ptr<index::SiteWriter>> writer = index::SiteWriter::Open(*data_dir_, kSite);
  ASSERT_TRUE(writer.ok()) << writer.status();
  v1::Article extra;
  extra.set_id("post-999");
  extra.set_title("탐구노트라이브 추가 글");
  extra.set_body("패권과 상관없는 새 글이다.");
  extra.add_tags("OpenAI");
  ASSERT_TRUE((*writer)->Upsert(extra).ok());
  ASSERT_TRUE((*writer)->Commit().ok());
  const std::string found = Found("\"탐구노트라이브\"");
  const std::string by_tag = Found("tag:openai");
  ASSERT_TRUE((*writer)->Delete("post-999").ok());
  ASSERT_TRUE((*writer)->Commit().ok());
  EXPECT_EQ(found, "999");
  EXPECT_EQ(by_tag, "001 021 031 038 999");
  EXPECT_EQ(Found("\"탐구노트라이브\""), "");
  EXPECT_EQ(Found("tag:openai"), "001 021 031 038");
}

TEST_F(SearchdIntegrationTest, BadLinesAreReportedAndGoodLinesServed) {
  const std::string fixture = std::string(CHAJA_TESTDATA_DIR) + "/bad_lines.jsonl";
  std::vector<std::string> messages;
  indexer::ImportStats stats;
  const absl::Status imported = ImportFile(fixture, "fixture", &messages, &stats);
  ASSERT_TRUE(imported.ok()) << imported;

  std::vector<std::string> locations;
  for (const std::string& m : messages) {
    ASSERT_TRUE(absl::StartsWith(m, fixture + ":")) << m;
    const std::string rest = m.substr(fixture.size() + 1);
    const size_t colon = rest.find(": ");
    ASSERT_NE(colon, std::string::npos) << m;
    locations.push_back(rest.substr(0, colon));
  }
  EXPECT_EQ(absl::StrJoin(locations, " "), "3 5 6 7") << absl::StrJoin(messages, "\n");
  EXPECT_EQ(stats.records, 8u);
  EXPECT_EQ(stats.indexed, 4u);
  EXPECT_EQ(stats.rejected, 4u);
  if (messages.size() == 4) {
    EXPECT_TRUE(absl::StrContains(messages[1], "id")) << messages[1];
    EXPECT_TRUE(absl::StrContains(messages[3], "titel")) << messages[3];
  }

  // The good lines are served by the running searchd.
  EXPECT_EQ(Found(Request("", "fixture")), "fixture-1 fixture-2 fixture-4 fixture-8");
  EXPECT_EQ(Found(Request("수박", "fixture")), "fixture-4 fixture-8");
  EXPECT_EQ(Found(Request("고양이", "fixture")), "fixture-1");
  EXPECT_EQ(Found(Request("tag:고양이", "fixture")), "fixture-1 fixture-8");
  EXPECT_EQ(Found(Request("rust", "fixture")), "fixture-2");
  EXPECT_EQ(Found(Request("펭귄", "fixture")), "");
  EXPECT_EQ(Found(Request("tag:농사", "fixture")), "fixture-4 fixture-8");
}

}  // namespace
}  // namespace chaja
