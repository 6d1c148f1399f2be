// chaja-eval-run: runs a judged query set against chaja-searchd over gRPC and
// writes the TSV run file ../shared/eval/score.py scores, plus latencies.
//
//   chaja-eval-run --server ADDR --site NAME --queries queries.jsonl --run run.tsv
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include "bench/eval_protocol.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "client/search_client.h"

using chaja::bench::SearchBoxText;

ABSL_FLAG(std::string, server, "127.0.0.1:7700", "chaja-searchd address.");
ABSL_FLAG(std::string, site, "", "Site holding the set's corpus.");
ABSL_FLAG(std::string, queries, "", "queries.jsonl ({qid, query, relevant}).");
ABSL_FLAG(std::string, run, "", "Run file to write (qid, rank, docid, score).");
ABSL_FLAG(int, k, 10, "Hits per query.");
ABSL_FLAG(bool, warmup, true, "Run every query once before timing.");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::ifstream in(absl::GetFlag(FLAGS_queries));
  if (!in) {
    std::fprintf(stderr, "chaja-eval-run: cannot read --queries\n");
    return 2;
  }
  std::vector<std::pair<std::string, std::string>> queries;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    google::protobuf::Struct q;
    if (!google::protobuf::util::JsonStringToMessage(line, &q).ok()) continue;
    queries.emplace_back(q.fields().at("qid").string_value(), SearchBoxText(q.fields().at("query").string_value()));
  }
  const chaja::client::SearchClient client(absl::GetFlag(FLAGS_server), std::chrono::seconds(60));
  auto run_query = [&](const std::string& text) {
    chaja::v1::SearchRequest request;
    request.set_site(absl::GetFlag(FLAGS_site));
    request.set_query(text);
    request.set_limit(absl::GetFlag(FLAGS_k));
    return client.Search(request);
  };
  if (absl::GetFlag(FLAGS_warmup)) {
    for (const auto& [qid, text] : queries) {
      if (text.find_first_not_of(' ') != std::string::npos) (void)run_query(text);
    }
  }
  std::ofstream out(absl::GetFlag(FLAGS_run));
  std::vector<double> client_ms, server_ms;
  size_t errors = 0;
  for (const auto& [qid, text] : queries) {
    if (text.find_first_not_of(' ') == std::string::npos) continue;  // nothing left to search
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<chaja::v1::SearchResponse> response = run_query(text);
    client_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    if (!response.ok()) {
      ++errors;
      std::fprintf(stderr, "%s: %s\n", qid.c_str(), response.status().ToString().c_str());
      continue;
    }
    server_ms.push_back(response->took().seconds() * 1e3 + response->took().nanos() / 1e6);
    int rank = 0;
    for (const auto& hit : response->hits()) out << qid << '\t' << ++rank << '\t' << hit.id() << '\t' << hit.score() << '\n';
  }
  auto pct = [](std::vector<double> v, double p) {
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
  };
  std::printf("{\"queries\": %zu, \"errors\": %zu, \"client_ms\": {\"p50\": %.2f, \"p95\": %.2f, \"p99\": %.2f}, "
              "\"server_ms\": {\"p50\": %.2f, \"p95\": %.2f, \"p99\": %.2f}}\n",
              queries.size(), errors, pct(client_ms, 0.5), pct(client_ms, 0.95), pct(client_ms, 0.99),
              pct(server_ms, 0.5), pct(server_ms, 0.95), pct(server_ms, 0.99));
  return errors == 0 ? 0 : 1;
}
