// metrics_bench: what searchd's request metrics cost one request (issue 14):
// a RequestMetrics::Scope (in-flight gauge, clock reads, status-code
// counter, latency histogram), single-threaded and from 2 threads at once
// (shared counters), and a /metrics text render of the request families.
#include "benchmark/benchmark.h"
#include "searchd/metrics.h"

namespace {

chaja::searchd::RequestMetrics* Metrics() {
  static auto* metrics = new chaja::searchd::RequestMetrics();
  return metrics;
}

void BM_RequestScope(benchmark::State& state) {
  const absl::Status ok;
  for (auto _ : state) {
    chaja::searchd::RequestMetrics::Scope scope(Metrics(), chaja::searchd::Rpc::kSearch,
                                                chaja::searchd::Transport::kHttp);
    scope.Finish(ok);
  }
}
BENCHMARK(BM_RequestScope);
BENCHMARK(BM_RequestScope)->Threads(2);

void BM_RenderRequestFamilies(benchmark::State& state) {
  for (auto _ : state) {
    chaja::searchd::TextWriter writer;
    Metrics()->Write(&writer);
    benchmark::DoNotOptimize(writer.text().size());
  }
}
BENCHMARK(BM_RenderRequestFamilies);

}  // namespace

BENCHMARK_MAIN();
