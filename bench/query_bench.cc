// Google Benchmark: query planning, from the search-box text to the query
// tree searchd runs (search::PlanQuery: ParseQuery, the same Analyzer as the
// indexer, the ranked tree), and the variants compiled from a plan without
// analysing again. Reports queries/s (items) and bytes/s
// of query text. No database is opened: this is the per-request CPU cost
// before the matcher starts.
#include <string>
#include <vector>

#include "analyzer/query_parser.h"
#include "benchmark/benchmark.h"
#include "search/query_plan.h"

namespace {

// Sentences like the 3,000 KLUE-NLI hypotheses of the nsmc sets, already in
// the eval's search-box form (lower-cased, punctuation turned into spaces).
const std::vector<std::string>& Sentences() {
  static const std::vector<std::string> kSentences = {
      "어떤 방에서도 흡연은 금지됩니다 ",
      "10명이 함께 사용하기 불편함이 많았다 ",
      "건물사람들은 수영장과 썬베드를 이용할 수 있습니다 ",
      "이 영화는 배우들의 연기가 정말 훌륭했다 ",
      "12 삭망월과 1태양년의 차이를 보정하기 위해 윤달을 둔다 ",
      "gpt 4o를 공개하면서 llm 시장의 패권을 둘러싼 경쟁이 다시 뜨거워졌다 ",
  };
  return kSentences;
}

// Words and word pairs typed into a blog's search box.
const std::vector<std::string>& Words() {
  static const std::vector<std::string> kWords = {"영화",        "배우 연기", "패권",   "GPT-4o",
                                                  "부동산 정책", "우분투",    "docker", "최저임금 인상"};
  return kWords;
}

// Search-box syntax: phrases, exclusions, OR, field clauses.
const std::vector<std::string>& Syntax() {
  static const std::vector<std::string> kSyntax = {"\"국가적 전략\" 패권", "도커 -쿠버네티스", "우분투 OR ubuntu -도커",
                                                   "+도커 tag:Docker 설치", "category:리눅스 title:우분투"};
  return kSyntax;
}

void Run(benchmark::State& state, const std::vector<std::string>& queries, const chaja::search::PlanOptions& options) {
  int64_t bytes = 0;
  size_t i = 0;
  for (auto _ : state) {
    const std::string& q = queries[i++ % queries.size()];
    auto plan = chaja::search::PlanQuery(q, options);
    if (!plan.ok()) {
      state.SkipWithError(std::string(plan.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(plan->tree);
    bytes += static_cast<int64_t>(q.size());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(bytes);
}

void BM_BuildQuerySentence(benchmark::State& state) { Run(state, Sentences(), {}); }
BENCHMARK(BM_BuildQuerySentence);

void BM_BuildQueryWords(benchmark::State& state) { Run(state, Words(), {}); }
BENCHMARK(BM_BuildQueryWords);

void BM_BuildQuerySyntax(benchmark::State& state) { Run(state, Syntax(), {}); }
BENCHMARK(BM_BuildQuerySyntax);

// The counting variant (unweighted, so Xapian can flatten the ORs), compiled
// from a plan made once: what a facet count costs beyond the plan.
void BM_CountingTreeSentence(benchmark::State& state) {
  std::vector<chaja::search::QueryPlan> plans;
  for (const std::string& q : Sentences()) plans.push_back(*chaja::search::PlanQuery(q, {}));
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(chaja::search::CountingTree(plans[i++ % plans.size()]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CountingTreeSentence);

// With a title boost (SiteSettings), every text term is also searched in titles.
void BM_BuildQuerySentenceTitleBoost(benchmark::State& state) {
  chaja::search::PlanOptions options;
  options.title_boost = 2;
  Run(state, Sentences(), options);
}
BENCHMARK(BM_BuildQuerySentenceTitleBoost);

// Parsing alone (no analysis), to see its share of the build.
void BM_ParseQuerySentence(benchmark::State& state) {
  const std::vector<std::string>& queries = Sentences();
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(chaja::analyzer::ParseQuery(queries[i++ % queries.size()]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseQuerySentence);

}  // namespace

BENCHMARK_MAIN();
