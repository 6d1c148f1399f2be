// chaja-eval-run: runs a judged query set against chaja-searchd over gRPC and
// writes the TSV run file ../shared/eval/score.py scores, plus latencies.
//
//   chaja-eval-run --server ADDR --site NAME --queries queries.jsonl --run run.tsv
//                  [--typing] [--eval_preprocess=false] [--details details.tsv]
//
// --typing sends every query as a search box searching as the reader types
// (SearchRequest.typing). Queries are prepared as in ../shared/eval (lower-
// cased, every non letter/digit a space) unless --eval_preprocess=false: a
// query typed in the wrong keyboard mode needs its capitals (R is ㄲ, r is ㄱ),
// so bench/typing sends the variant queries as written. --details writes one
// TSV line per query with what the server made of it (interpreted_query,
// suggested_query, hits, total_hits, ranker, server ms, error).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

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
ABSL_FLAG(bool, typing, false, "Send every query with SearchRequest.typing set (searching as the reader types).");
ABSL_FLAG(bool, eval_preprocess, true,
          "Lower-case queries and turn every non letter/digit into a space, as ../shared/eval did.");
ABSL_FLAG(std::string, details, "",
          "Also write per query: qid, query sent, interpreted_query, suggested_query, hits, total_hits, ranker, "
          "server ms, error (TSV with a header line).");

namespace {

// A field of the details TSV: tabs and line breaks would break the row.
std::string TsvField(std::string text) {
  for (char& c : text) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::ifstream in(absl::GetFlag(FLAGS_queries));
  if (!in) {
    std::fprintf(stderr, "chaja-eval-run: cannot read --queries\n");
    return 2;
  }
  const bool preprocess = absl::GetFlag(FLAGS_eval_preprocess);
  std::vector<std::pair<std::string, std::string>> queries;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    google::protobuf::Struct q;
    if (!google::protobuf::util::JsonStringToMessage(line, &q).ok()) continue;
    const std::string& text = q.fields().at("query").string_value();
    queries.emplace_back(q.fields().at("qid").string_value(), preprocess ? SearchBoxText(text) : text);
  }
  const chaja::client::SearchClient client(absl::GetFlag(FLAGS_server), std::chrono::seconds(60));
  auto run_query = [&](const std::string& text) {
    chaja::v1::SearchRequest request;
    request.set_site(absl::GetFlag(FLAGS_site));
    request.set_query(text);
    request.set_limit(absl::GetFlag(FLAGS_k));
    request.set_typing(absl::GetFlag(FLAGS_typing));
    return client.Search(request);
  };
  if (absl::GetFlag(FLAGS_warmup)) {
    for (const auto& [qid, text] : queries) {
      if (text.find_first_not_of(' ') != std::string::npos) (void)run_query(text);
    }
  }
  std::ofstream out(absl::GetFlag(FLAGS_run));
  std::ofstream details;
  if (const std::string path = absl::GetFlag(FLAGS_details); !path.empty()) {
    details.open(path);
    if (!details) {
      std::fprintf(stderr, "chaja-eval-run: cannot write --details %s\n", path.c_str());
      return 2;
    }
    details << "qid\tquery\tinterpreted_query\tsuggested_query\thits\ttotal_hits\tranker\tserver_ms\terror\n";
  }
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
      if (details.is_open()) {
        details << TsvField(qid) << '\t' << TsvField(text) << "\t\t\t0\t0\t\t\t"
                << TsvField(response.status().ToString()) << '\n';
      }
      continue;
    }
    const double took_ms = response->took().seconds() * 1e3 + response->took().nanos() / 1e6;
    server_ms.push_back(took_ms);
    int rank = 0;
    for (const auto& hit : response->hits()) out << qid << '\t' << ++rank << '\t' << hit.id() << '\t' << hit.score() << '\n';
    if (details.is_open()) {
      char took[32];
      std::snprintf(took, sizeof took, "%.3f", took_ms);
      details << TsvField(qid) << '\t' << TsvField(text) << '\t' << TsvField(response->interpreted_query()) << '\t'
              << TsvField(response->suggested_query()) << '\t' << response->hits_size() << '\t'
              << response->total_hits() << '\t' << response->ranker() << '\t' << took << "\t\n";
    }
  }
  auto pct = [](std::vector<double> v, double p) {
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
  };
  std::printf("{\"queries\": %zu, \"errors\": %zu, \"typing\": %s, \"client_ms\": {\"p50\": %.2f, \"p95\": %.2f, "
              "\"p99\": %.2f}, \"server_ms\": {\"p50\": %.2f, \"p95\": %.2f, \"p99\": %.2f}}\n",
              queries.size(), errors, absl::GetFlag(FLAGS_typing) ? "true" : "false", pct(client_ms, 0.5),
              pct(client_ms, 0.95), pct(client_ms, 0.99), pct(server_ms, 0.5), pct(server_ms, 0.95),
              pct(server_ms, 0.99));
  return errors == 0 ? 0 : 1;
}
