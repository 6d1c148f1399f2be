// Google Benchmark: analyzer throughput on Korean text (bytes/s).
//
//   analyzer_bench [--benchmark_filter=...]
//   CHAJA_BENCH_TEXT=docs.txt analyzer_bench     also BM_AnalyzeDocs on real documents
//
// BM_Analyze / BM_ForEachToken: one long mixed Hangul/Latin/digit blog text.
// BM_AnalyzeDocs (only with CHAJA_BENCH_TEXT, a file with one document per
// line, as scripts/bench writes from the NSMC reviews): each line analyzed on
// its own with ForEachToken, as the indexer does per article, so the cost per
// call of short documents counts too. BM_Snippet: cutting a highlighted snippet.
// BM_SoundSimilarity: comparing the built-in loanword pairs (items/s = pairs/s).
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "analyzer/analyzer.h"
#include "analyzer/highlighter.h"
#include "analyzer/loanword.h"
#include "benchmark/benchmark.h"

namespace {

std::string KoreanText() {
  std::string text;
  for (int i = 0; i < 50; ++i) {
    text +=
        "OpenAI가 GPT-4o를 공개하면서 LLM 시장의 패권을 둘러싼 경쟁이 다시 뜨거워졌다. 국가적 전략으로 AI기술을 "
        "키우려는 움직임도 빨라지고 있다. 우분투 24.04에서 Docker로 Stable Diffusion을 돌려 본 경험을 정리한다.\n\n";
  }
  return text;
}

void BM_Analyze(benchmark::State& state) {
  const std::string text = KoreanText();
  const chaja::analyzer::Analyzer analyzer;
  for (auto _ : state) benchmark::DoNotOptimize(analyzer.Analyze(text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_Analyze);

void BM_ForEachToken(benchmark::State& state) {
  const std::string text = KoreanText();
  const chaja::analyzer::Analyzer analyzer;
  for (auto _ : state) {
    size_t n = 0;
    analyzer.ForEachToken(text, 0, [&](const chaja::analyzer::Token& t) { n += t.term.size(); });
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ForEachToken);

void BM_Snippet(benchmark::State& state) {
  const std::string text = KoreanText();
  const chaja::analyzer::Highlighter highlighter({"패권", "전략", "gpt"});
  for (auto _ : state) benchmark::DoNotOptimize(highlighter.Snippet(text, 160));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_Snippet);

// How alike a Latin and a Hangul word sound (synonym discovery compares
// thousands of pairs): one iteration compares every pair of the built-in list.
void BM_SoundSimilarity(benchmark::State& state) {
  const std::vector<chaja::analyzer::LoanwordPair>& pairs = chaja::analyzer::BuiltinLoanwords();
  for (auto _ : state) {
    double sum = 0;
    for (const chaja::analyzer::LoanwordPair& p : pairs) sum += chaja::analyzer::SoundSimilarity(p.latin, p.hangul);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * pairs.size()));
}
BENCHMARK(BM_SoundSimilarity);

// One iteration analyzes every document of the file once.
void BM_AnalyzeDocs(benchmark::State& state, const std::vector<std::string>* docs, int64_t bytes) {
  const chaja::analyzer::Analyzer analyzer;
  for (auto _ : state) {
    size_t n = 0;
    for (const std::string& doc : *docs) {
      analyzer.ForEachToken(doc, 0, [&](const chaja::analyzer::Token& t) { n += t.term.size(); });
    }
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(state.iterations() * bytes);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(docs->size()));
}

}  // namespace

int main(int argc, char** argv) {
  static std::vector<std::string> docs;
  int64_t bytes = 0;
  if (const char* path = std::getenv("CHAJA_BENCH_TEXT"); path != nullptr && *path != '\0') {
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
      if (line.empty()) continue;
      bytes += static_cast<int64_t>(line.size());
      docs.push_back(std::move(line));
    }
    if (!docs.empty()) benchmark::RegisterBenchmark("BM_AnalyzeDocs", BM_AnalyzeDocs, &docs, bytes);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
