// chaja-load: latency of the blog-page rpcs, one client over gRPC.
//
//   chaja-load --server ADDR --site NAME --ids site100k.ids.tsv [--queries a.jsonl,b.jsonl]
//              [--iterations 1000] [--warmup 100] [--json_out FILE]
//
// After a warm-up, each iteration calls every benchmark once, one after the
// other (so the rpcs see the same server state): Search with tag and category
// facets for a word and for a sentence, the tag cloud (empty query with
// facets), GetRelated and ListCategoryPosts for a random article, GetArchive
// for the month and the year of a random article. Calls are sequential: one
// client, one call in flight. Latency is measured in the client around each
// call, so it includes the loopback gRPC round trip.
//
// Prints a table of p50/p95/p99/max per benchmark and one JSON line; exits 1
// if any call failed.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "bench/eval_protocol.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "client/search_client.h"
#include "client/table.h"

ABSL_FLAG(std::string, server, "127.0.0.1:7700", "chaja-searchd address.");
ABSL_FLAG(std::string, site, "site100k", "Site to load.");
ABSL_FLAG(std::string, ids, "", "TSV of article ids and their month (id<TAB>YYYY-MM), from make_site100k.py.");
ABSL_FLAG(std::vector<std::string>, queries, {},
          "Sentence queries: JSONL files with a \"query\" field (e.g. ../shared/eval/klue_nli/queries.jsonl).");
ABSL_FLAG(int, iterations, 1000, "Timed calls per benchmark.");
ABSL_FLAG(int, warmup, 100, "Untimed calls per benchmark first.");
ABSL_FLAG(uint32_t, facet_limit, 0, "Values per facet (0: the server's default, 20).");
ABSL_FLAG(uint32_t, seed, 1, "Seed of the random choices.");
ABSL_FLAG(std::string, json_out, "", "Also write the JSON result to this file.");
ABSL_FLAG(int, timeout_ms, 10000, "Deadline of each call.");

namespace {

using chaja::bench::Percentile;

using chaja::client::SearchClient;

// Search-box words and pairs a visitor of a petition-and-movie blog would type.
const char* const kWords[] = {
    "대통령",      "청와대",         "부동산",         "아파트",        "일자리",      "최저임금",
    "교육",        "어린이집",       "학교폭력",       "미세먼지",      "난민",        "국회의원",
    "검찰",        "경찰",           "음주운전",       "처벌",          "연금",        "세금",
    "병원",        "동물학대",       "영화",           "배우",          "연기",        "감독",
    "스토리",      "반전",           "감동",           "눈물",          "액션",        "공포",
    "코미디",      "로맨스",         "애니메이션",     "결말",          "음악",        "OST",
    "주인공",      "시나리오",       "명작",           "지루",          "가족",        "사랑",
    "전쟁",        "역사",           "실화",           "속편",          "CG",          "원작",
    "부동산 정책", "최저임금 인상",  "음주운전 처벌",  "영화 결말",     "배우 연기력", "가족 영화",
    "공포 영화",   "학교 폭력 처벌", "국민 연금 개혁", "미세먼지 대책",
};

struct Article {
  std::string id;
  int year = 0;
  int month = 0;
};

struct Benchmark {
  Benchmark(std::string name, std::function<absl::Status(std::mt19937&)> call)
      : name(std::move(name)), call(std::move(call)) {}
  std::string name;
  std::function<absl::Status(std::mt19937&)> call;
  std::vector<double> ms;
  size_t errors = 0;
  std::string first_error;
};

bool ReadIds(const std::string& path, std::vector<Article>* out) {
  std::ifstream in(path);
  if (!in) return false;
  for (std::string line; std::getline(in, line);) {
    const std::vector<std::string> parts = absl::StrSplit(line, '\t');
    if (parts.size() != 2) continue;
    Article a;
    a.id = parts[0];
    const std::vector<std::string> ym = absl::StrSplit(parts[1], '-');
    if (ym.size() != 2 || !absl::SimpleAtoi(ym[0], &a.year) || !absl::SimpleAtoi(ym[1], &a.month)) continue;
    out->push_back(std::move(a));
  }
  return !out->empty();
}

bool ReadQueries(const std::string& path, std::vector<std::string>* out) {
  std::ifstream in(path);
  if (!in) return false;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    google::protobuf::Struct q;
    if (!google::protobuf::util::JsonStringToMessage(line, &q).ok()) continue;
    const auto it = q.fields().find("query");
    if (it != q.fields().end() && !it->second.string_value().empty()) out->push_back(it->second.string_value());
  }
  return true;
}

// The 1-minute load average (Linux), to say how busy the machine was.
std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one;
  if (!(in >> one)) return "?";
  return one;
}

template <typename T>
const T& Pick(const std::vector<T>& v, std::mt19937& rng) {
  return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string site = absl::GetFlag(FLAGS_site);
  std::vector<Article> articles;
  if (!ReadIds(absl::GetFlag(FLAGS_ids), &articles)) {
    std::fprintf(stderr, "chaja-load: cannot read --ids (id<TAB>YYYY-MM lines)\n");
    return 2;
  }
  std::vector<std::string> sentences;
  for (const std::string& path : absl::GetFlag(FLAGS_queries)) {
    if (!ReadQueries(path, &sentences)) {
      std::fprintf(stderr, "chaja-load: cannot read --queries %s\n", path.c_str());
      return 2;
    }
  }
  const std::vector<std::string> words(std::begin(kWords), std::end(kWords));
  const SearchClient client(absl::GetFlag(FLAGS_server), std::chrono::milliseconds(absl::GetFlag(FLAGS_timeout_ms)));
  const uint32_t facet_limit = absl::GetFlag(FLAGS_facet_limit);

  auto search = [&](const std::string& query) {
    chaja::v1::SearchRequest request;
    request.set_site(site);
    request.set_query(query);
    for (chaja::v1::FacetField field : {chaja::v1::FACET_FIELD_TAG, chaja::v1::FACET_FIELD_CATEGORY}) {
      chaja::v1::FacetRequest* facet = request.add_facets();
      facet->set_field(field);
      facet->set_limit(facet_limit);
    }
    return client.Search(request).status();
  };
  std::vector<Benchmark> benchmarks;
  benchmarks.emplace_back("Search word +facets", [&](std::mt19937& rng) { return search(Pick(words, rng)); });
  if (!sentences.empty()) {
    benchmarks.emplace_back("Search sentence +facets", [&](std::mt19937& rng) { return search(Pick(sentences, rng)); });
  }
  benchmarks.emplace_back("Search empty (tag cloud) +facets", [&](std::mt19937&) { return search(""); });
  benchmarks.emplace_back("GetRelated", [&](std::mt19937& rng) {
    chaja::v1::GetRelatedRequest request;
    request.set_site(site);
    request.set_article_id(Pick(articles, rng).id);
    return client.GetRelated(request).status();
  });
  benchmarks.emplace_back("ListCategoryPosts", [&](std::mt19937& rng) {
    chaja::v1::ListCategoryPostsRequest request;
    request.set_site(site);
    request.set_article_id(Pick(articles, rng).id);
    return client.ListCategoryPosts(request).status();
  });
  // A random article's month: months weigh by their posts, as visitors' clicks do.
  benchmarks.emplace_back("GetArchive month", [&](std::mt19937& rng) {
    const Article& a = Pick(articles, rng);
    chaja::v1::GetArchiveRequest request;
    request.set_site(site);
    request.set_year(a.year);
    request.set_month(a.month);
    return client.GetArchive(request).status();
  });
  benchmarks.emplace_back("GetArchive year", [&](std::mt19937& rng) {
    chaja::v1::GetArchiveRequest request;
    request.set_site(site);
    request.set_year(Pick(articles, rng).year);
    return client.GetArchive(request).status();
  });

  const std::string load_before = LoadAverage();
  std::mt19937 rng(absl::GetFlag(FLAGS_seed));
  for (int i = 0; i < absl::GetFlag(FLAGS_warmup); ++i) {
    for (Benchmark& b : benchmarks) (void)b.call(rng);
  }
  const int iterations = absl::GetFlag(FLAGS_iterations);
  for (int i = 0; i < iterations; ++i) {
    for (Benchmark& b : benchmarks) {
      const auto start = std::chrono::steady_clock::now();
      const absl::Status status = b.call(rng);
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      if (!status.ok()) {
        if (b.errors++ == 0) b.first_error = status.ToString();
        continue;
      }
      b.ms.push_back(ms);
    }
  }

  chaja::client::Table table({{"rpc"},
                              {"calls", chaja::client::Align::kRight},
                              {"errors", chaja::client::Align::kRight},
                              {"p50 ms", chaja::client::Align::kRight},
                              {"p95 ms", chaja::client::Align::kRight},
                              {"p99 ms", chaja::client::Align::kRight},
                              {"max ms", chaja::client::Align::kRight}});
  std::vector<std::string> json_rows;
  size_t errors = 0;
  for (Benchmark& b : benchmarks) {
    std::sort(b.ms.begin(), b.ms.end());
    errors += b.errors;
    const double p50 = Percentile(b.ms, 0.50), p95 = Percentile(b.ms, 0.95), p99 = Percentile(b.ms, 0.99);
    const double max = b.ms.empty() ? 0 : b.ms.back();
    table.AddRow({b.name, absl::StrCat(b.ms.size() + b.errors), absl::StrCat(b.errors), absl::StrFormat("%.2f", p50),
                  absl::StrFormat("%.2f", p95), absl::StrFormat("%.2f", p99), absl::StrFormat("%.2f", max)});
    json_rows.push_back(absl::StrFormat(
        "{\"rpc\": \"%s\", \"calls\": %d, \"errors\": %d, \"p50_ms\": %.3f, \"p95_ms\": %.3f, \"p99_ms\": %.3f, "
        "\"max_ms\": %.3f}",
        b.name, b.ms.size() + b.errors, b.errors, p50, p95, p99, max));
    if (b.errors > 0)
      std::fprintf(stderr, "chaja-load: %s: %zu errors, first: %s\n", b.name.c_str(), b.errors, b.first_error.c_str());
  }
  const std::string load_after = LoadAverage();
  std::printf(
      "site %s: %zu articles in the id list, %zu sentence queries, %d iterations after %d warm-up; "
      "load average %s before, %s after\n\n%s",
      site.c_str(), articles.size(), sentences.size(), iterations, absl::GetFlag(FLAGS_warmup), load_before.c_str(),
      load_after.c_str(), table.Render().c_str());
  const std::string json = absl::StrCat("{\"site\": \"", site, "\", \"iterations\": ", iterations,
                                        ", \"loadavg_before\": \"", load_before, "\", \"loadavg_after\": \"",
                                        load_after, "\", \"results\": [", absl::StrJoin(json_rows, ", "), "]}\n");
  std::printf("\n%s", json.c_str());
  if (!absl::GetFlag(FLAGS_json_out).empty()) {
    std::ofstream(absl::GetFlag(FLAGS_json_out)) << json;
  }
  return errors == 0 ? 0 : 1;
}
