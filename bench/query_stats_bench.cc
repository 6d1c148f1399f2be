// query_stats_bench: what counting a reader's search in the query statistics
// costs the search (issue 15): normalizing the query text (ICU NFKC + case
// fold), then the O(1) update of the site's table under its mutex, for a
// query already kept, a new query that evicts one from a full table, and
// from 2 threads at once on one site (one mutex per site).
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "benchmark/benchmark.h"
#include "searchd/query_stats.h"

namespace {

using chaja::searchd::NormalizeQueryText;
using chaja::searchd::SiteQueryStats;

const absl::CivilDay kDay(2026, 12, 7);
constexpr size_t kMax = chaja::searchd::kDefaultMaxQueriesPerSite;

// A full table of kMax queries, shared by the threads of a run.
SiteQueryStats* FullTable() {
  static SiteQueryStats* stats = [] {
    auto* s = new SiteQueryStats(kMax);
    for (size_t i = 0; i < kMax; ++i) s->Record(absl::StrCat("도커 설치 ", i), false, kDay);
    return s;
  }();
  return stats;
}

void BM_NormalizeQueryText(benchmark::State& state) {
  const std::string query = "  Docker Desktop 없이 WSL2에서 도커 쓰기 ";
  for (auto _ : state) benchmark::DoNotOptimize(NormalizeQueryText(query));
}
BENCHMARK(BM_NormalizeQueryText);

void BM_RecordKeptQuery(benchmark::State& state) {
  SiteQueryStats* stats = FullTable();
  size_t i = state.thread_index() * 7919;
  std::vector<std::string> texts;
  for (size_t k = 0; k < 1000; ++k) texts.push_back(absl::StrCat("도커 설치 ", (k * 37) % kMax));
  for (auto _ : state) stats->Record(texts[i++ % texts.size()], false, kDay);
}
BENCHMARK(BM_RecordKeptQuery);
BENCHMARK(BM_RecordKeptQuery)->Threads(2);

void BM_RecordNewQueryEvicting(benchmark::State& state) {
  SiteQueryStats* stats = FullTable();
  std::vector<std::string> texts;
  for (size_t k = 0; k < 100000; ++k) texts.push_back(absl::StrCat("새 검색어 ", state.thread_index(), " ", k));
  size_t i = 0;
  for (auto _ : state) stats->Record(texts[i++ % texts.size()], true, kDay);
}
BENCHMARK(BM_RecordNewQueryEvicting);

void BM_NormalizeAndRecord(benchmark::State& state) {
  SiteQueryStats* stats = FullTable();
  const std::string query = "  Docker Desktop 없이 WSL2에서 도커 쓰기 ";
  for (auto _ : state) stats->Record(NormalizeQueryText(query), false, kDay);
}
BENCHMARK(BM_NormalizeAndRecord);
BENCHMARK(BM_NormalizeAndRecord)->Threads(2);

}  // namespace

BENCHMARK_MAIN();
