// Google Benchmark: analyzer throughput on Korean blog text (bytes/s).
#include <string>

#include "analyzer/analyzer.h"
#include "analyzer/highlighter.h"
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

void BM_Snippet(benchmark::State& state) {
  const std::string text = KoreanText();
  const chaja::analyzer::Highlighter highlighter({"패권", "전략", "gpt"});
  for (auto _ : state) benchmark::DoNotOptimize(highlighter.Snippet(text, 160));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_Snippet);

}  // namespace

BENCHMARK_MAIN();
