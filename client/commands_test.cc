#include "client/commands.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>

#include <fstream>
#include <string>
#include <tuple>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "client/fake_search_service.h"
#include "testing/temp_dir.h"
#include "gtest/gtest.h"

// Flags of this test binary, as main.cc registers the CLI's.
ABSL_FLAG(std::string, pq_site, "", "test flag (string)");
ABSL_FLAG(uint32_t, pq_limit, 0, "test flag (number)");
ABSL_FLAG(bool, pq_json, false, "test flag (bool)");

namespace chaja::client {
namespace {

using testing::FakeSearchService;
using testing::FakeServer;

std::string Joined(const std::vector<std::string>& args) { return absl::StrJoin(args, " | "); }

TEST(ProtectQueryWordsTest, DashWordsThatAreNoFlagsBecomeQueryWords) {
  const struct {
    const char* name;
    std::vector<std::string> argv;
    std::vector<std::string> expected;
  } cases[] = {
      {"excluded Hangul word",
       {"chaja", "search", "도커", "-쿠버네티스", "--pq_site", "blog"},
       {"chaja", "--pq_site", "blog", "--", "search", "도커", "-쿠버네티스"}},
      {"excluded Latin word and a number",
       {"chaja", "search", "우분투", "-docker", "-5"},
       {"chaja", "--", "search", "우분투", "-docker", "-5"}},
      {"flag value with =",
       {"chaja", "--pq_site=blog", "search", "-x"},
       {"chaja", "--pq_site=blog", "--", "search", "-x"}},
      {"single-dash flag keeps its value",
       {"chaja", "-pq_site", "blog", "q"},
       {"chaja", "-pq_site", "blog", "--", "q"}},
      {"a value that starts with a dash stays the flag's",
       {"chaja", "search", "--pq_site", "-odd-", "q"},
       {"chaja", "--pq_site", "-odd-", "--", "search", "q"}},
      {"bool flag takes no value",
       {"chaja", "search", "--pq_json", "도커"},
       {"chaja", "--pq_json", "--", "search", "도커"}},
      {"negated bool flag", {"chaja", "--nopq_json", "q"}, {"chaja", "--nopq_json", "--", "q"}},
      {"negated non-bool is no flag", {"chaja", "q", "-nopq_site"}, {"chaja", "--", "q", "-nopq_site"}},
      {"numeric flag", {"chaja", "--pq_limit", "5", "q", "-w"}, {"chaja", "--pq_limit", "5", "--", "q", "-w"}},
      {"-- still ends the flags",
       {"chaja", "search", "--pq_json", "--", "--pq_site", "-a", "b"},
       {"chaja", "--pq_json", "--", "search", "--pq_site", "-a", "b"}},
      {"lone dash is a word", {"chaja", "search", "-", "a"}, {"chaja", "--", "search", "-", "a"}},
      {"help stays a flag", {"chaja", "--help"}, {"chaja", "--help", "--"}},
      {"mistyped --flag stays a flag for absl to reject",
       {"chaja", "search", "--pq_lmit", "5", "q"},
       {"chaja", "--pq_lmit", "--", "search", "5", "q"}},
      {"--Hangul is a word", {"chaja", "search", "--도커"}, {"chaja", "--", "search", "--도커"}},
      {"flag without its value at the end", {"chaja", "q", "--pq_site"}, {"chaja", "--pq_site", "--", "q"}},
      {"nothing", {"chaja"}, {"chaja", "--"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Joined(ProtectQueryWords(c.argv)), Joined(c.expected));
  }
}

TEST(ProtectQueryWordsTest, AbslParsesTheResultIntoFlagsAndWords) {
  std::vector<std::string> args =
      ProtectQueryWords({"chaja", "search", "도커", "-쿠버네티스", "--pq_site", "blog", "--pq_json", "+우분투"});
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  const std::vector<char*> positional = absl::ParseCommandLine(static_cast<int>(argv.size()), argv.data());
  EXPECT_EQ(absl::GetFlag(FLAGS_pq_site), "blog");
  EXPECT_TRUE(absl::GetFlag(FLAGS_pq_json));
  EXPECT_EQ(Joined(std::vector<std::string>(positional.begin() + 1, positional.end())),
            "search | 도커 | -쿠버네티스 | +우분투");
}

google::protobuf::Timestamp At(const char* civil, absl::TimeZone zone) {
  absl::CivilSecond t;
  EXPECT_TRUE(absl::ParseCivilTime(civil, &t)) << civil;
  google::protobuf::Timestamp out;
  out.set_seconds(absl::ToUnixSeconds(absl::FromCivil(t, zone)));
  return out;
}

TEST(BuildSearchRequestTest, MapsEveryOption) {
  CliOptions options;
  options.site = "blog";
  options.limit = 20;
  options.offset = 40;
  options.page_token = "tok";
  options.tags = {"AI", "OpenAI"};
  options.any_tag = true;
  options.exclude_tags = {"광고"};
  options.category = "개발";
  options.sort = "comments";
  options.match = "all";
  options.facets = {"tag", "category"};
  options.facet_limit = 7;
  options.from = "2025-01-01";
  options.to = "2025-01-31";
  absl::StatusOr<v1::SearchRequest> request = BuildSearchRequest({"도커", "-쿠버네티스"}, options);
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->site(), "blog");
  EXPECT_EQ(request->query(), "도커 -쿠버네티스");
  EXPECT_EQ(request->limit(), 20u);
  EXPECT_EQ(request->offset(), 40u);
  EXPECT_EQ(request->page_token(), "tok");
  EXPECT_EQ(Joined({request->tags().begin(), request->tags().end()}), "AI | OpenAI");
  EXPECT_EQ(request->tag_match(), v1::TAG_MATCH_ANY);
  EXPECT_EQ(Joined({request->exclude_tags().begin(), request->exclude_tags().end()}), "광고");
  EXPECT_EQ(request->category(), "개발");
  EXPECT_EQ(request->sort(), v1::SORT_ORDER_MOST_COMMENTED);
  EXPECT_EQ(request->match_mode(), v1::MATCH_MODE_ALL);
  ASSERT_EQ(request->facets_size(), 2);
  EXPECT_EQ(request->facets(0).field(), v1::FACET_FIELD_TAG);
  EXPECT_EQ(request->facets(1).field(), v1::FACET_FIELD_CATEGORY);
  EXPECT_EQ(request->facets(1).limit(), 7u);
  // Days are read in the zone (Seoul by default); --to includes its whole day.
  const absl::TimeZone seoul = absl::FixedTimeZone(9 * 3600);
  EXPECT_EQ(request->published_from().seconds(), At("2025-01-01T00:00:00", seoul).seconds());
  EXPECT_EQ(request->published_to().seconds(), At("2025-02-01T00:00:00", seoul).seconds());
}

TEST(BuildSearchRequestTest, DefaultsLeaveTheServerDefaults) {
  absl::StatusOr<v1::SearchRequest> request = BuildSearchRequest({"패권"}, CliOptions());
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_FALSE(request->has_limit());  // unset: the server's 10 (a 0 would ask for no hits)
  EXPECT_EQ(request->sort(), v1::SORT_ORDER_RELEVANCE);
  EXPECT_EQ(request->match_mode(), v1::MATCH_MODE_ANY);
  EXPECT_EQ(request->tag_match(), v1::TAG_MATCH_ALL);
  EXPECT_FALSE(request->has_published_from());
  EXPECT_FALSE(request->has_published_to());
  EXPECT_EQ(request->facets_size(), 0);
}

TEST(BuildSearchRequestTest, DatesFollowTheZone) {
  CliOptions options;
  options.format.zone = absl::UTCTimeZone();
  options.from = "2024-02-29";
  absl::StatusOr<v1::SearchRequest> request = BuildSearchRequest({}, options);
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->published_from().seconds(), At("2024-02-29T00:00:00", absl::UTCTimeZone()).seconds());
}

TEST(BuildSearchRequestTest, RejectsBadOptions) {
  const struct {
    const char* name;
    void (*set)(CliOptions*);
    const char* message;
  } cases[] = {
      {"sort", [](CliOptions* o) { o->sort = "best"; }, "--sort"},
      {"match", [](CliOptions* o) { o->match = "some"; }, "--match"},
      {"facet", [](CliOptions* o) { o->facets = {"author"}; }, "--facets"},
      {"from", [](CliOptions* o) { o->from = "2025-02-30"; }, "--from"},
      {"to", [](CliOptions* o) { o->to = "25-01-01"; }, "--to"},
      {"range", [](CliOptions* o) { o->from = "2025-02-01", o->to = "2025-01-31"; }, "after"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    CliOptions options;
    c.set(&options);
    absl::StatusOr<v1::SearchRequest> request = BuildSearchRequest({"q"}, options);
    EXPECT_EQ(request.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StrContains(request.status().message(), c.message)) << request.status();
  }
}

TEST(ParseYearMonthTest, AcceptsMonthsAndYears) {
  const struct {
    const char* text;
    int year;
    int month;
  } good[] = {
      {"2025-01", 2025, 1}, {"2025-1", 2025, 1}, {"2025/12", 2025, 12}, {"2025.03", 2025, 3}, {"2025", 2025, 0}};
  for (const auto& c : good) {
    SCOPED_TRACE(c.text);
    absl::StatusOr<YearMonth> got = ParseYearMonth(c.text);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(got->year, c.year);
    EXPECT_EQ(got->month, c.month);
  }
  for (const char* bad :
       {"", "2025-13", "2025-00", "2025-", "25-01", "2025-01-22", "+202-1", "abcd", "2025-1x", " 2025"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(ParseYearMonth(bad).status().code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST(ZoneForFlagTest, KnownZonesAndSeoulFallback) {
  EXPECT_TRUE(ZoneForFlag("UTC").ok());
  EXPECT_TRUE(ZoneForFlag("Asia/Seoul").ok());
  EXPECT_EQ(ZoneForFlag("Mars/Olympus").status().code(), absl::StatusCode::kInvalidArgument);
}

// The subcommands against the fake server.
class CommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.ok());
    options_.site = "blog";
  }

  CommandResult Run(std::vector<std::string> args) { return RunCommand(client_, args, options_); }

  FakeSearchService fake_;
  FakeServer server_{&fake_};
  SearchClient client_{server_.address()};
  CliOptions options_;
};

TEST_F(CommandsTest, SearchSendsTheQueryWithExclusionsAndPrintsHits) {
  v1::SearchHit* hit = fake_.search_response.add_hits();
  hit->set_id("post-1");
  hit->set_title("도커 입문");
  fake_.search_response.set_total_hits(1);
  fake_.search_response.set_total_hits_exact(true);
  options_.facets = {"tag"};
  const CommandResult r = Run({"search", "도커", "-쿠버네티스"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(fake_.last_search.query(), "도커 -쿠버네티스");
  EXPECT_EQ(fake_.last_search.facets_size(), 1);
  EXPECT_TRUE(absl::StrContains(r.out, "  1. 도커 입문\n")) << r.out;
}

TEST_F(CommandsTest, SearchNeedsAQueryOrAFilter) {
  const CommandResult r = Run({"search"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(fake_.calls(), 0);
  options_.tags = {"AI"};
  EXPECT_EQ(Run({"search"}).exit_code, 0);
}

TEST_F(CommandsTest, TagsAsksForOneFacetOverEverything) {
  v1::FacetResult* facet = fake_.search_response.add_facets();
  facet->set_field(v1::FACET_FIELD_TAG);
  v1::FacetCount* count = facet->add_counts();
  count->set_value("AI");
  count->set_count(12);
  fake_.search_response.set_total_hits(44);
  fake_.search_response.set_total_hits_exact(true);
  fake_.search_response.add_hits()->set_id("post-1");
  options_.facet_limit = 30;
  options_.facets = {"category"};  // search's facets do not leak into tags
  const CommandResult r = Run({"tags"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(fake_.last_search.query(), "");
  ASSERT_EQ(fake_.last_search.facets_size(), 1);
  EXPECT_EQ(fake_.last_search.facets(0).field(), v1::FACET_FIELD_TAG);
  EXPECT_EQ(fake_.last_search.facets(0).limit(), 30u);
  EXPECT_EQ(r.out,
            "TAG  POSTS\n"
            "AI      12\n"
            "(44 posts)\n");
}

TEST_F(CommandsTest, CategoriesOverAQuery) {
  fake_.search_response.add_facets()->set_field(v1::FACET_FIELD_CATEGORY);
  fake_.search_response.set_total_hits(3);
  const CommandResult r = Run({"categories", "도커", "-광고"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(fake_.last_search.query(), "도커 -광고");
  EXPECT_EQ(fake_.last_search.facets(0).field(), v1::FACET_FIELD_CATEGORY);
  EXPECT_TRUE(absl::EndsWith(r.out, "(about 3 posts matching 도커 -광고)\n")) << r.out;
}

TEST_F(CommandsTest, CategoriesAskForFacetsAloneAndShowTheTree) {
  v1::FacetResult* facet = fake_.search_response.add_facets();
  facet->set_field(v1::FACET_FIELD_CATEGORY);
  for (const auto& [name, depth, total] : {std::tuple<const char*, uint32_t, uint64_t>{"개발", 0, 9},
                                          {"파이썬", 1, 6}, {"블로그", 1, 3}}) {
    v1::CategoryNode* node = facet->add_category_tree();
    node->set_name(name);
    node->set_depth(depth);
    node->set_total_count(total);
  }
  fake_.search_response.set_total_hits(11);
  fake_.search_response.set_total_hits_exact(true);
  const CommandResult r = Run({"categories"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fake_.last_search.has_limit());  // 0 set explicitly: no hits, only the counts
  EXPECT_EQ(fake_.last_search.limit(), 0u);
  EXPECT_EQ(r.out,
            "개발 (9)\n"
            "  파이썬 (6)\n"
            "  블로그 (3)\n"
            "(11 posts)\n");
}

TEST_F(CommandsTest, JsonPrintsTheResponseMapping) {
  fake_.archive_response.set_year(2025);
  fake_.archive_response.set_month(1);
  v1::ArchiveCount* c = fake_.archive_response.add_counts();
  c->set_key(22);
  c->set_count(3);
  options_.json = true;
  const CommandResult r = Run({"archive", "2025-01"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  v1::GetArchiveResponse parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(r.out, &parsed).ok()) << r.out;
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed, fake_.archive_response)) << r.out;
}

TEST_F(CommandsTest, ArchiveSendsYearAndMonth) {
  fake_.archive_response.set_year(2025);
  EXPECT_EQ(Run({"archive", "2025-01"}).exit_code, 0);
  EXPECT_EQ(fake_.last_get_archive.year(), 2025);
  EXPECT_EQ(fake_.last_get_archive.month(), 1);
  const CommandResult year = Run({"archive", "2025"});
  EXPECT_EQ(year.exit_code, 0);
  EXPECT_EQ(fake_.last_get_archive.month(), 0);
  EXPECT_TRUE(absl::StrContains(year.out, "MONTH  POSTS")) << year.out;
  EXPECT_EQ(Run({"archive", "January"}).exit_code, 2);
  EXPECT_EQ(Run({"archive"}).exit_code, 2);
}

TEST_F(CommandsTest, CategoryTakesAnIdOrACategory) {
  fake_.category_posts_response.set_category("개발");
  options_.limit = 5;
  EXPECT_EQ(Run({"category", "post-3"}).exit_code, 0);
  EXPECT_EQ(fake_.last_list_category_posts.article_id(), "post-3");
  EXPECT_EQ(fake_.last_list_category_posts.limit(), 5u);
  EXPECT_EQ(Run({"category"}).exit_code, 2);
  options_.category = "개발/파이썬";
  const CommandResult r = Run({"category"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(fake_.last_list_category_posts.category(), "개발/파이썬");
  EXPECT_EQ(fake_.last_list_category_posts.article_id(), "");
  EXPECT_EQ(Run({"category", "post-3"}).exit_code, 2);  // both
}

TEST_F(CommandsTest, RelatedGetAndSites) {
  fake_.related_response.add_posts()->mutable_post()->set_title("관련 글");
  const CommandResult related = Run({"related", "post-3"});
  EXPECT_EQ(related.exit_code, 0) << related.err;
  EXPECT_EQ(fake_.last_get_related.article_id(), "post-3");
  EXPECT_TRUE(absl::StrContains(related.out, "관련 글")) << related.out;

  fake_.article.set_title("전체 글");
  fake_.article.set_body("본문");
  const CommandResult get = Run({"get", "post-3"});
  EXPECT_EQ(get.exit_code, 0) << get.err;
  EXPECT_EQ(fake_.last_get_article.id(), "post-3");
  EXPECT_TRUE(absl::EndsWith(get.out, "\n본문\n")) << get.out;

  fake_.sites_response.add_sites()->set_name("blog");
  options_.site.clear();  // sites needs no --site
  const CommandResult sites = Run({"sites"});
  EXPECT_EQ(sites.exit_code, 0) << sites.err;
  EXPECT_TRUE(absl::StrContains(sites.out, "\nblog ")) << sites.out;
  fake_.site_stats.set_name("other");
  const CommandResult stats = Run({"sites", "other"});
  EXPECT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_EQ(fake_.last_get_site_stats.site(), "other");
}

TEST_F(CommandsTest, SynonymsListSuggestAndAccept) {
  v1::EquivalentSet* set = fake_.site_stats.add_equivalents();
  set->add_words("우분투");
  set->add_words("Ubuntu");
  set->set_source(v1::EQUIVALENT_SOURCE_BUILTIN);
  v1::EquivalentSet* one_way = fake_.site_stats.add_equivalents();
  one_way->add_words("LLM");
  one_way->add_words("대형 언어 모델");
  one_way->set_one_way(true);
  one_way->set_source(v1::EQUIVALENT_SOURCE_SITE);
  fake_.site_stats.set_builtin_equivalents(true);
  fake_.site_stats.set_builtin_equivalent_sets(799);
  const CommandResult list = Run({"synonyms", "list"});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(fake_.last_get_site_stats.site(), "blog");
  EXPECT_TRUE(absl::StrContains(list.out, "우분투 = Ubuntu  built-in\n")) << list.out;
  EXPECT_TRUE(absl::StrContains(list.out, "LLM → 대형 언어 모델  site.json\n")) << list.out;
  EXPECT_TRUE(absl::StrContains(list.out, "built-in list on: 799 sets")) << list.out;

  v1::EquivalentCandidate* c = fake_.suggest_equivalents_response.add_candidates();
  c->set_hangul("테라폼");
  c->set_latin("Terraform");
  c->set_sound_similarity(1);
  c->set_both_posts(3);
  c->set_rule("테라폼, Terraform");
  c->add_examples()->set_title("테라폼(Terraform) 입문");
  options_.limit = 5;
  options_.max_posts = 1000;
  // The owner's tool: no call without the token file.
  const int calls = fake_.calls();
  EXPECT_EQ(Run({"synonyms", "suggest"}).exit_code, 2);
  EXPECT_EQ(fake_.calls(), calls);
  const ::chaja::testing::TempDir dir("commands_test_synonyms");
  options_.token_file = dir.path() + "/token";
  std::ofstream(options_.token_file) << "owner-token-0123456789\n";
  const CommandResult suggest = Run({"synonyms", "suggest"});
  EXPECT_EQ(suggest.exit_code, 0) << suggest.err;
  EXPECT_EQ(fake_.last_authorization, "Bearer owner-token-0123456789");
  EXPECT_EQ(fake_.last_suggest_equivalents.limit(), 5u);
  EXPECT_EQ(fake_.last_suggest_equivalents.max_posts(), 1000u);
  EXPECT_TRUE(absl::StrContains(suggest.out, "테라폼 = Terraform")) << suggest.out;
  EXPECT_TRUE(absl::StrContains(suggest.out, "테라폼(Terraform) 입문")) << suggest.out;
  EXPECT_TRUE(absl::StrContains(suggest.out, "chaja synonyms accept --data DATA --site blog '테라폼, Terraform'"))
      << suggest.out;

  // accept edits the site's file locally: it needs --data.
  const CommandResult no_data = Run({"synonyms", "accept", "테라폼, Terraform"});
  EXPECT_EQ(no_data.exit_code, 2);
  EXPECT_EQ(Run({"synonyms", "frobnicate"}).exit_code, 2);
}

TEST_F(CommandsTest, StatsQueriesSendsTheTokenAndPrintsATable) {
  const ::chaja::testing::TempDir dir("commands_test_stats");
  const std::string token_file = dir.path() + "/token";
  std::ofstream(token_file) << "owner-token-0123456789\n";
  v1::QueryStat* q = fake_.query_stats_response.add_queries();
  q->set_text("랭체인 설치");
  q->set_count(1234);
  q->set_zero_result_count(4);
  q->set_last_seen("2026-12-07");
  fake_.query_stats_response.set_tracked_queries(1);
  fake_.query_stats_response.set_max_tracked_queries(10000);

  // Owner data: no call without the token file.
  EXPECT_EQ(Run({"stats", "queries"}).exit_code, 2);
  EXPECT_EQ(fake_.calls(), 0);
  options_.token_file = token_file;
  options_.zero_results = true;
  options_.since = "7d";
  options_.limit = 5;
  const CommandResult r = Run({"stats", "queries"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(fake_.last_authorization, "Bearer owner-token-0123456789");
  EXPECT_EQ(fake_.last_query_stats.site(), "blog");
  EXPECT_TRUE(fake_.last_query_stats.zero_results_only());
  EXPECT_EQ(fake_.last_query_stats.since_days(), 7u);
  EXPECT_EQ(fake_.last_query_stats.limit(), 5u);
  EXPECT_EQ(r.out,
            "QUERY        SEARCHES  NO RESULTS  LAST SEEN\n"
            "랭체인 설치     1,234           4  2026-12-07\n"
            "(1 distinct queries kept, at most 10,000)\n");
  options_.since = "week";
  EXPECT_EQ(Run({"stats", "queries"}).exit_code, 2);
  EXPECT_EQ(Run({"stats", "frobnicate"}).exit_code, 2);
}

TEST_F(CommandsTest, UsageErrorsExitTwoWithoutCalling) {
  const std::vector<std::vector<std::string>> cases = {{},      {"bogus"},          {"related"}, {"related", "a", "b"},
                                                       {"get"}, {"sites", "a", "b"}};
  for (const auto& args : cases) {
    SCOPED_TRACE(Joined(args));
    const CommandResult r = Run(args);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(absl::StartsWith(r.err, "chaja: ")) << r.err;
    EXPECT_EQ(r.out, "");
  }
  options_.site.clear();
  const CommandResult r = Run({"get", "post-1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "--site")) << r.err;
  EXPECT_EQ(fake_.calls(), 0);
}

TEST_F(CommandsTest, ServerErrorsExitOneWithCodeAndMessage) {
  fake_.status = grpc::Status(grpc::StatusCode::NOT_FOUND, "unknown site \"blog\"");
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{{"search", "q"},
                                                                                    {"tags"},
                                                                                    {"related", "p"},
                                                                                    {"category", "p"},
                                                                                    {"archive", "2025"},
                                                                                    {"get", "p"},
                                                                                    {"sites"}}) {
    SCOPED_TRACE(Joined(args));
    const CommandResult r = Run(args);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, "chaja: NOT_FOUND: unknown site \"blog\"\n");
    EXPECT_EQ(r.out, "");
  }
}

}  // namespace
}  // namespace chaja::client
