// Issue 14, observability: the Prometheus text writer (escaping, histogram
// lines), and GET /metrics of a running searchd after searches over HTTP and
// gRPC, bad requests, a write with a wrong token and an upsert with a
// commit: every line is valid text format 0.0.4 and the counts match what
// was sent.
#include "searchd/metrics.h"

#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include <grpcpp/grpcpp.h>
#include <httplib.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "chaja/v1/index.grpc.pb.h"
#include "chaja/v1/search.grpc.pb.h"
#include "gtest/gtest-spi.h"
#include "gtest/gtest.h"
#include "testing/searchd.h"
#include "testing/sites.h"
#include "testing/temp_dir.h"

namespace chaja {
namespace {

constexpr char kToken[] = "metrics-test-token-0123456789";

TEST(MetricsWriterTest, EscapesLabelValuesAndFormatsValues) {
  EXPECT_EQ(searchd::EscapeLabelValue("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  EXPECT_EQ(searchd::FormatValue(3), "3");
  EXPECT_EQ(searchd::FormatValue(0.0005), "0.0005");
  EXPECT_EQ(searchd::FormatValue(1796601600.25), "1796601600.25");
  searchd::TextWriter writer;
  writer.Family("x_total", "counter", "Line one\nline two \\ end.");
  writer.Sample("x_total", {{"site", "a\"b"}}, 2);
  EXPECT_EQ(writer.text(),
            "# HELP x_total Line one\\nline two \\\\ end.\n# TYPE x_total counter\nx_total{site=\"a\\\"b\"} 2\n");
}

TEST(MetricsWriterTest, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  searchd::Histogram histogram;
  histogram.Observe(std::chrono::microseconds(200));  // <= 0.0005
  histogram.Observe(std::chrono::milliseconds(3));    // <= 0.005
  histogram.Observe(std::chrono::seconds(60));        // +Inf only
  searchd::TextWriter writer;
  writer.HistogramSamples("d_seconds", {{"rpc", "Search"}}, histogram);
  const std::string& text = writer.text();
  EXPECT_TRUE(absl::StrContains(text, "d_seconds_bucket{rpc=\"Search\",le=\"0.0005\"} 1\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "d_seconds_bucket{rpc=\"Search\",le=\"0.0025\"} 1\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "d_seconds_bucket{rpc=\"Search\",le=\"0.005\"} 2\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "d_seconds_bucket{rpc=\"Search\",le=\"10\"} 2\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "d_seconds_bucket{rpc=\"Search\",le=\"+Inf\"} 3\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "d_seconds_sum{rpc=\"Search\"} 60.0032\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "d_seconds_count{rpc=\"Search\"} 3\n")) << text;
}

// A scraped page: each sample by its series as written (name{labels}).
struct Scrape {
  std::map<std::string, double> samples;
  std::map<std::string, std::string> types;  // family -> type
  std::string text;
  double at(const std::string& series) const {
    auto it = samples.find(series);
    return it == samples.end() ? -1 : it->second;
  }
};

// The family a sample belongs to: histograms' _bucket, _sum, _count lines
// belong to the histogram.
std::string FamilyOf(const std::string& name, const std::map<std::string, std::string>& types) {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    if (absl::EndsWith(name, suffix)) {
      const std::string base = name.substr(0, name.size() - std::string(suffix).size());
      auto it = types.find(base);
      if (it != types.end() && it->second == "histogram") return base;
    }
  }
  return name;
}

// Length of the metric (or, with `label`, label) name at the start of `s`; 0 if none.
size_t NameLength(absl::string_view s, bool label) {
  auto first = [&](char c) { return absl::ascii_isalpha(c) || c == '_' || (!label && c == ':'); };
  if (s.empty() || !first(s[0])) return 0;
  size_t n = 1;
  while (n < s.size() && (first(s[n]) || absl::ascii_isdigit(s[n]))) ++n;
  return n;
}

// Consumes `{name="value",...}` from the front of `s`; false if malformed.
// Values may hold \\, \" and \n escapes only.
bool ConsumeLabels(absl::string_view* s) {
  if (!absl::ConsumePrefix(s, "{")) return true;  // no labels
  for (bool first = true;; first = false) {
    if (absl::ConsumePrefix(s, "}")) return !first;
    if (!first && !absl::ConsumePrefix(s, ",")) return false;
    const size_t name = NameLength(*s, /*label=*/true);
    if (name == 0) return false;
    s->remove_prefix(name);
    if (!absl::ConsumePrefix(s, "=\"")) return false;
    while (!s->empty() && s->front() != '"') {
      if (s->front() == '\n') return false;
      if (s->front() == '\\') {
        if (s->size() < 2 || (s->at(1) != '\\' && s->at(1) != '"' && s->at(1) != 'n')) return false;
        s->remove_prefix(1);
      }
      s->remove_prefix(1);
    }
    if (!absl::ConsumePrefix(s, "\"")) return false;
  }
}

// A sample line: its name, its series (name and labels as written) and value.
struct Sample {
  std::string name;
  std::string series;
  std::string value;
};
std::optional<Sample> ParseSample(absl::string_view line) {
  const size_t name = NameLength(line, /*label=*/false);
  if (name == 0) return std::nullopt;
  absl::string_view rest = line.substr(name);
  if (!ConsumeLabels(&rest) || !absl::ConsumePrefix(&rest, " ") || rest.empty() ||
      absl::StrContains(rest, ' ')) {
    return std::nullopt;
  }
  return Sample{std::string(line.substr(0, name)), std::string(line.substr(0, line.size() - rest.size() - 1)),
                std::string(rest)};
}

// "# TYPE name type" and "# HELP name text": the name (and type), or nullopt.
std::optional<std::pair<std::string, std::string>> ParseComment(absl::string_view line, absl::string_view kind) {
  if (!absl::ConsumePrefix(&line, kind)) return std::nullopt;
  const size_t name = NameLength(line, /*label=*/false);
  if (name == 0 || line.size() < name + 2 || line[name] != ' ') return std::nullopt;
  return std::make_pair(std::string(line.substr(0, name)), std::string(line.substr(name + 1)));
}

// Parses text format 0.0.4, failing the test on any line that is not valid.
Scrape Parse(const std::string& text) {
  const std::set<std::string> kTypes = {"counter", "gauge", "histogram", "summary", "untyped"};
  Scrape scrape;
  scrape.text = text;
  EXPECT_TRUE(absl::EndsWith(text, "\n"));
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    if (auto type = ParseComment(line, "# TYPE "); type && kTypes.count(type->second) > 0) {
      EXPECT_EQ(scrape.types.count(type->first), 0u) << "TYPE twice: " << line;
      scrape.types[type->first] = type->second;
    } else if (ParseComment(line, "# HELP ")) {
      continue;
    } else if (std::optional<Sample> sample = ParseSample(line)) {
      EXPECT_EQ(scrape.types.count(FamilyOf(sample->name, scrape.types)), 1u) << "no TYPE before: " << line;
      EXPECT_TRUE(absl::StartsWith(sample->name, "chaja_") || absl::StartsWith(sample->name, "process_")) << line;
      char* end = nullptr;
      const double value = std::strtod(sample->value.c_str(), &end);
      EXPECT_EQ(*end, '\0') << "bad value: " << line;
      EXPECT_EQ(scrape.samples.count(sample->series), 0u) << "sample twice: " << line;
      scrape.samples[sample->series] = value;
    } else {
      ADD_FAILURE() << "not text format 0.0.4: " << line;
    }
  }
  return scrape;
}

// The scrape test's format check must be able to fail: the parser takes
// valid lines (escaped label values too) and refuses broken ones.
TEST(MetricsFormatCheckTest, TakesValidLinesAndRefusesBrokenOnes) {
  const Scrape ok = Parse(
      "# HELP chaja_x_total Things.\n# TYPE chaja_x_total counter\n"
      "chaja_x_total{site=\"a\\\"b\\\\c\\nd\",code=\"OK\"} 3\n");
  EXPECT_EQ(ok.samples.size(), 1u);
  for (const char* broken : {"chaja_x_total{site=\"a} 3\n", "chaja_x_total{site=\"a\"} \n",
                             "chaja_x_total{=\"a\"} 3\n", "chaja_x_total{site=\"a\\q\"} 3\n",
                             "chaja_x_total 3 4\n"}) {
    SCOPED_TRACE(broken);
    EXPECT_NONFATAL_FAILURE(Parse(std::string("# TYPE chaja_x_total counter\n") + broken), "not text format");
  }
}

v1::Article MakeArticle(const std::string& id, const std::string& body) {
  v1::Article a;
  a.set_id(id);
  a.set_title(id);
  a.set_body(body);
  a.mutable_published()->set_seconds(1737417600);
  return a;
}

class MetricsEndpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(testing::WriteSite(dir_.path(), "blog", {MakeArticle("old-1", "우분투 설치 이야기")}).ok());
    searchd::ServerOptions options = testing::LoopbackOptions(dir_.path());
    options.http_listen = testing::kLoopbackAnyPort;
    options.index_token = kToken;
    absl::StatusOr<std::unique_ptr<testing::ServerUnderTest>> server = testing::ServerUnderTest::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    auto channel = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
    search_ = v1::SearchService::NewStub(channel);
    index_ = v1::IndexService::NewStub(channel);
    http_ = std::make_unique<httplib::Client>("127.0.0.1", server_->http_port());
    http_->set_read_timeout(std::chrono::seconds(10));
  }

  grpc::Status GrpcSearch(const std::string& site) {
    v1::SearchRequest request;
    request.set_site(site);
    request.set_query("우분투");
    v1::SearchResponse response;
    grpc::ClientContext context;
    return search_->Search(&context, request, &response);
  }

  grpc::Status Upsert(const std::string& token, const v1::Article& article) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
    v1::UpsertSummary summary;
    auto writer = index_->Upsert(&context, &summary);
    v1::UpsertRequest request;
    request.set_site("blog");
    *request.mutable_article() = article;
    writer->Write(request);
    writer->WritesDone();
    return writer->Finish();
  }

  testing::TempDir dir_{"metrics_test"};
  std::unique_ptr<testing::ServerUnderTest> server_;  // stopped before dir_ is removed
  std::unique_ptr<v1::SearchService::Stub> search_;
  std::unique_ptr<v1::IndexService::Stub> index_;
  std::unique_ptr<httplib::Client> http_;
};

TEST_F(MetricsEndpointTest, ScrapeCountsRequestsErrorsWritesAndSites) {
  const std::string search = "/v1/sites/blog/search?q=" + testing::UrlEncode("우분투");
  for (int i = 0; i < 2; ++i) {
    auto res = http_->Get(search.c_str());
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
  }
  auto bad = http_->Get("/v1/sites/blog/search?q=a&limit=many");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  auto not_json = http_->Post("/v1/sites/blog/search", "{}", "text/plain");
  ASSERT_TRUE(not_json);
  EXPECT_EQ(not_json->status, 415);
  EXPECT_TRUE(GrpcSearch("blog").ok());
  EXPECT_EQ(GrpcSearch("Not a site!").error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Upsert("wrong-token-0123456789", MakeArticle("x", "무시")).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const grpc::Status upserted = Upsert(kToken, MakeArticle("new-1", "새 글 트랜스포머"));
  ASSERT_TRUE(upserted.ok()) << upserted.error_message();

  auto res = http_->Get("/metrics");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const Scrape m = Parse(res->body);
  const std::string s = "chaja_requests_total{rpc=\"Search\",transport=";
  EXPECT_EQ(m.at(s + "\"http\",code=\"OK\"}"), 2) << m.text;
  EXPECT_EQ(m.at(s + "\"http\",code=\"INVALID_ARGUMENT\"}"), 2) << m.text;  // limit=many, text/plain
  EXPECT_EQ(m.at(s + "\"grpc\",code=\"OK\"}"), 1) << m.text;
  EXPECT_EQ(m.at(s + "\"grpc\",code=\"INVALID_ARGUMENT\"}"), 1) << m.text;
  EXPECT_EQ(m.at("chaja_request_duration_seconds_count{rpc=\"Search\"}"), 6);
  EXPECT_EQ(m.at("chaja_request_duration_seconds_bucket{rpc=\"Search\",le=\"+Inf\"}"), 6);
  EXPECT_EQ(m.at("chaja_requests_in_flight{rpc=\"Search\"}"), 0);
  EXPECT_EQ(m.at("chaja_rejected_requests_total{reason=\"unsupported_media_type\"}"), 1);
  EXPECT_EQ(m.at("chaja_rejected_requests_total{reason=\"connection_limit\"}"), 0);
  EXPECT_EQ(m.at("chaja_write_auth_failures_total"), 1);
  // IndexService's calls, counted with the search rpcs'.
  const std::string u = "chaja_requests_total{rpc=\"Upsert\",transport=\"grpc\",code=";
  EXPECT_EQ(m.at(u + "\"OK\"}"), 1) << m.text;
  EXPECT_EQ(m.at(u + "\"PERMISSION_DENIED\"}"), 1) << m.text;
  EXPECT_EQ(m.at("chaja_requests_in_flight{rpc=\"Upsert\"}"), 0);
  EXPECT_GE(m.at("chaja_commits_total{site=\"blog\"}"), 1);
  EXPECT_GE(m.at("chaja_commit_duration_seconds_count"), 1);
  EXPECT_EQ(m.at("chaja_site_documents{site=\"blog\"}"), 2);
  EXPECT_GT(m.at("chaja_site_revision{site=\"blog\"}"), 0);
  EXPECT_GE(m.at("chaja_site_memory_list_bytes{site=\"blog\"}"), 0);
  EXPECT_EQ(m.at("chaja_open_databases{mode=\"write\"}"), 1);
  EXPECT_GE(m.at("chaja_open_databases{mode=\"read\"}"), 1);
  EXPECT_GE(m.at("chaja_column_snapshots"), 1);  // the searches' snapshot, kept for the next ones
  EXPECT_GT(m.at("chaja_column_snapshot_bytes"), 0);

  // The reader budget (issue 16): the blog's reader is counted, nothing closed.
  EXPECT_GE(m.at("chaja_open_readers"), 1);
  EXPECT_LE(m.at("chaja_open_readers"), m.at("chaja_open_databases{mode=\"read\"}"));
  EXPECT_EQ(m.at("chaja_max_open_readers"), searchd::kMaxDefaultOpenReaders);
  EXPECT_EQ(m.at("chaja_sites_closed_total"), 0);
  EXPECT_GT(m.at("process_open_fds"), 0);
  EXPECT_GE(m.at("process_max_fds"), m.at("process_open_fds"));
  EXPECT_GT(m.at("process_resident_memory_bytes"), 0);
  EXPECT_GT(m.at("process_start_time_seconds"), 0);
  EXPECT_EQ(m.types.at("chaja_request_duration_seconds"), "histogram");
}

TEST_F(MetricsEndpointTest, MetricsOnlyAnswersGet) {
  auto res = http_->Post("/metrics", "", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 405);
}

}  // namespace
}  // namespace chaja
