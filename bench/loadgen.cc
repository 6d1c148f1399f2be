// chaja-loadgen: Search load on chaja-searchd over gRPC, with the callback
// client API, so one process keeps N calls in flight without N threads.
//
//   chaja-loadgen --server ADDR --site NAME --queries queries.jsonl --mode single
//   chaja-loadgen --server ADDR --site NAME --queries queries.jsonl --mode closed
//                 --concurrency 8 --duration 15s [--warmup 2s]
//   chaja-loadgen ... --typing [--cut_last_word]      typing-mode Search
//   chaja-loadgen ... --rpc suggest                   Suggest with prefixes of the queries
//
// Modes:
//  - single: one call in flight. A warm-up pass runs every query once
//    (--warmup_pass), then every query is sent once, in file order. The
//    figures are comparable with the single-threaded table of
//    ../shared/eval/README.md (p50/p95/p99 over the 3,000 queries), except that
//    ours include the loopback gRPC round trip.
//  - closed: a closed loop of --concurrency slots. Each slot sends the next
//    query (round robin over the file) as soon as its previous call returns,
//    for --warmup (not counted) and then --duration. QPS is the calls counted
//    divided by the counted time (from the end of the warm-up to the last
//    counted completion).
//
// Every request is a natural-mode (any word) Search with --limit hits and no
// facets. With --eval_preprocess (the default) each query is prepared as in
// ../shared/eval: lower-cased, every character that is not a letter or digit
// becomes a space; queries left empty are skipped and counted.
//
// Typing (issue 12): --typing sets SearchRequest.typing (a search box that
// searches as the reader types); --cut_last_word also replaces each query's
// last word by a state the IME shows while it is typed (패권 → 패ㄱ or 패궈;
// drawn with --seed), and --mistype_share sends that share of the queries as
// typed with the keyboard in English mode (패권 → vornjs). --rpc suggest
// calls Suggest instead of Search: each query gives one prefix, its first
// word cut at a random syllable or jamo (the same IME states, same seed),
// with --suggest_limit suggestions; Suggest has no server `took`, so only the
// client latency is reported. A searchd without the Suggest rpc answers
// UNIMPLEMENTED: the tool says so and exits 3 before measuring.
//
// Latency is measured in the client around each call (client_ms); the
// server's own `took` is reported beside it (server_ms). Latencies and QPS
// count successful calls only; failed calls are counted in `errors`. Prints a table and one
// JSON line (also to --json_out); exits 1 if any call failed, 2 on bad flags, 3 when
// searchd does not implement Suggest.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>
#include <sys/resource.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "bench/eval_protocol.h"
#include "bench/typed_text.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "chaja/v1/search.grpc.pb.h"

ABSL_FLAG(std::string, server, "127.0.0.1:7700", "chaja-searchd address (host:port).");
ABSL_FLAG(std::string, site, "", "Site to search.");
ABSL_FLAG(std::string, queries, "", "JSONL file with a \"query\" field per line (e.g. ../shared/eval sets).");
ABSL_FLAG(std::string, mode, "single", "single (each query once, one in flight) or closed (closed loop).");
ABSL_FLAG(int, concurrency, 1, "closed: calls kept in flight.");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(15), "closed: how long to count calls.");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(2), "closed: how long to run before counting.");
ABSL_FLAG(bool, warmup_pass, true, "single: run every query once before timing.");
ABSL_FLAG(int, channels, 1, "closed: gRPC channels (TCP connections) the slots are spread over.");
ABSL_FLAG(uint32_t, limit, 10, "Hits per query.");
ABSL_FLAG(bool, facets, false, "Ask for the tag and category facets too (as the widget does).");
ABSL_FLAG(bool, eval_preprocess, true,
          "Lower-case queries and turn every non letter/digit into a space, as ../shared/eval did.");
ABSL_FLAG(int, timeout_ms, 10000, "Deadline of each call.");
ABSL_FLAG(std::string, json_out, "", "Also write the JSON result line to this file.");
ABSL_FLAG(std::string, label, "", "Free text copied into the JSON result (e.g. the set name).");
ABSL_FLAG(std::string, rpc, "search", "search, or suggest (prefixes made from the queries' first words).");
ABSL_FLAG(bool, typing, false, "search: set SearchRequest.typing (the query is being typed).");
ABSL_FLAG(bool, cut_last_word, false,
          "search: replace each query's last word by a random state of it being typed (패권 → 패ㄱ, 패궈).");
ABSL_FLAG(double, mistype_share, 0,
          "Share (0..1) of the queries or prefixes sent as typed in English mode (패권 → vornjs).");
ABSL_FLAG(uint32_t, suggest_limit, 0, "suggest: suggestions per call (0: the server's default, 8).");
ABSL_FLAG(uint64_t, seed, 20261206, "Seed of the random cuts and mistypes (the same inputs every run).");

namespace {

using chaja::bench::SearchBoxText;
using chaja::bench::Percentile;

using Clock = std::chrono::steady_clock;

struct Summary {
  double p50 = 0, p90 = 0, p95 = 0, p99 = 0, p999 = 0, max = 0, mean = 0;
};

Summary Summarize(std::vector<double> v) {
  Summary s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  s.p50 = Percentile(v, 0.50);
  s.p90 = Percentile(v, 0.90);
  s.p95 = Percentile(v, 0.95);
  s.p99 = Percentile(v, 0.99);
  s.p999 = Percentile(v, 0.999);
  s.max = v.back();
  double sum = 0;
  for (double x : v) sum += x;
  s.mean = sum / v.size();
  return s;
}

std::string SummaryJson(const Summary& s) {
  return absl::StrFormat(
      "{\"p50\": %.3f, \"p90\": %.3f, \"p95\": %.3f, \"p99\": %.3f, \"p99.9\": %.3f, \"max\": %.3f, \"mean\": %.3f}",
      s.p50, s.p90, s.p95, s.p99, s.p999, s.max, s.mean);
}

// What one slot measured. Each slot's calls run one after another (the next
// is sent from the previous one's callback), so a slot needs no lock.
struct SlotResult {
  std::vector<double> client_ms;
  std::vector<double> server_ms;
  size_t errors = 0;
  std::string first_error;
  Clock::time_point last_done{};
  // Calls made before counting started (closed mode's warm-up).
  size_t warmup_calls = 0;
};

// One closed-loop slot: sends a call, and from its callback the next one,
// until `stop_at`; then tells the driver it is done.
class Slot {
 public:
  struct Shared {
    // Exactly one of the two is set: the calls are Search or Suggest calls.
    const std::vector<chaja::v1::SearchRequest>* requests = nullptr;
    const std::vector<chaja::v1::SuggestRequest>* suggest_requests = nullptr;
    std::atomic<size_t> next{0};
    // Calls that *start* in [count_from, stop_at) are counted.
    Clock::time_point count_from, stop_at;
    std::chrono::milliseconds timeout{10000};
    // Single mode: send each request once, in order, then stop.
    bool once = false;
    std::string site;
    std::mutex mu;
    std::condition_variable cv;
    int running = 0;
  };

  Slot(chaja::v1::SearchService::Stub* stub, Shared* shared) : stub_(stub), shared_(shared) {}

  void Start() { Send(); }
  SlotResult& result() { return result_; }

 private:
  void Send() {
    const Clock::time_point now = Clock::now();
    const size_t count =
        shared_->suggest_requests != nullptr ? shared_->suggest_requests->size() : shared_->requests->size();
    size_t index = 0;
    if (shared_->once) {
      index = shared_->next.fetch_add(1);
      if (index >= count) return Finish();
    } else {
      if (now >= shared_->stop_at) return Finish();
      index = shared_->next.fetch_add(1) % count;
    }
    context_ = std::make_unique<grpc::ClientContext>();
    context_->set_deadline(std::chrono::system_clock::now() + shared_->timeout);
    // What a proxy in front of several searchd routes by (client/channel.h's kSiteHeader).
    context_->AddMetadata("x-chaja-site", shared_->site);
    start_ = now;
    if (shared_->suggest_requests != nullptr) {
      suggest_response_.Clear();
      stub_->async()->Suggest(context_.get(), &(*shared_->suggest_requests)[index], &suggest_response_,
                              [this](grpc::Status status) { Done(status); });
      return;
    }
    response_.Clear();
    stub_->async()->Search(context_.get(), &(*shared_->requests)[index], &response_,
                           [this](grpc::Status status) { Done(status); });
  }

  void Done(const grpc::Status& status) {
    const Clock::time_point end = Clock::now();
    if (shared_->once || start_ >= shared_->count_from) {
      result_.last_done = end;
      if (status.ok()) {
        result_.client_ms.push_back(std::chrono::duration<double, std::milli>(end - start_).count());
        if (shared_->suggest_requests == nullptr) {  // SuggestResponse has no `took`
          result_.server_ms.push_back(response_.took().seconds() * 1e3 + response_.took().nanos() / 1e6);
        }
      } else {
        if (result_.errors++ == 0) {
          result_.first_error = absl::StrCat(status.error_code(), ": ", status.error_message());
        }
      }
    } else {
      ++result_.warmup_calls;
    }
    Send();
  }

  void Finish() {
    std::lock_guard<std::mutex> lock(shared_->mu);
    if (--shared_->running == 0) shared_->cv.notify_all();
  }

  chaja::v1::SearchService::Stub* stub_;
  Shared* shared_;
  std::unique_ptr<grpc::ClientContext> context_;
  chaja::v1::SearchResponse response_;
  chaja::v1::SuggestResponse suggest_response_;
  Clock::time_point start_;
  SlotResult result_;
};

// Runs `slots` slots over `stubs` until they are all done; returns their results.
std::vector<SlotResult> RunSlots(const std::vector<std::unique_ptr<chaja::v1::SearchService::Stub>>& stubs, int slots,
                                 Slot::Shared* shared) {
  std::vector<std::unique_ptr<Slot>> all;
  for (int i = 0; i < slots; ++i) all.push_back(std::make_unique<Slot>(stubs[i % stubs.size()].get(), shared));
  {
    std::lock_guard<std::mutex> lock(shared->mu);
    shared->running = slots;
  }
  for (auto& slot : all) slot->Start();
  {
    std::unique_lock<std::mutex> lock(shared->mu);
    shared->cv.wait(lock, [&] { return shared->running == 0; });
  }
  std::vector<SlotResult> results;
  for (auto& slot : all) results.push_back(std::move(slot->result()));
  return results;
}

// User + system CPU seconds of this process so far.
double CpuSeconds() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// The words of `text`, split at spaces.
std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> words;
  for (size_t i = 0; i < text.size();) {
    const size_t end = std::min(text.find(' ', i), text.size());
    if (end > i) words.push_back(text.substr(i, end - i));
    i = end + 1;
  }
  return words;
}

// One of the states the search box shows while `word` is typed, drawn with `rng`.
std::string RandomTypedState(const std::string& word, std::mt19937_64& rng) {
  const std::vector<std::string> states = chaja::bench::TypedPrefixes(word);
  return states.empty() ? word : states[rng() % states.size()];
}

// True with probability `share` (the same on every standard library).
bool Draw(double share, std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53 < share; }

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one;
  if (!(in >> one)) return "?";
  return one;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string mode = absl::GetFlag(FLAGS_mode);
  const int concurrency = mode == "single" ? 1 : absl::GetFlag(FLAGS_concurrency);
  if ((mode != "single" && mode != "closed") || concurrency < 1 || absl::GetFlag(FLAGS_site).empty() ||
      absl::GetFlag(FLAGS_channels) < 1) {
    std::fprintf(stderr, "chaja-loadgen: need --site, --mode single|closed, --concurrency >= 1, --channels >= 1\n");
    return 2;
  }
  std::ifstream in(absl::GetFlag(FLAGS_queries));
  if (!in) {
    std::fprintf(stderr, "chaja-loadgen: cannot read --queries %s\n", absl::GetFlag(FLAGS_queries).c_str());
    return 2;
  }
  const std::string rpc = absl::GetFlag(FLAGS_rpc);
  const bool suggest = rpc == "suggest";
  const double mistype_share = absl::GetFlag(FLAGS_mistype_share);
  if ((rpc != "search" && !suggest) || !(mistype_share >= 0 && mistype_share <= 1)) {
    std::fprintf(stderr, "chaja-loadgen: need --rpc search|suggest and --mistype_share in 0..1\n");
    return 2;
  }
  if (suggest && (absl::GetFlag(FLAGS_typing) || absl::GetFlag(FLAGS_cut_last_word) || absl::GetFlag(FLAGS_facets))) {
    std::fprintf(stderr, "chaja-loadgen: --typing, --cut_last_word and --facets are Search flags, not --rpc suggest\n");
    return 2;
  }
  std::mt19937_64 rng(absl::GetFlag(FLAGS_seed));
  std::vector<chaja::v1::SearchRequest> requests;
  std::vector<chaja::v1::SuggestRequest> suggest_requests;
  size_t lines = 0, skipped = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    ++lines;
    google::protobuf::Struct q;
    if (!google::protobuf::util::JsonStringToMessage(line, &q).ok()) {
      std::fprintf(stderr, "chaja-loadgen: %s:%zu: not JSON\n", absl::GetFlag(FLAGS_queries).c_str(), lines);
      return 2;
    }
    const auto it = q.fields().find("query");
    std::string text = it == q.fields().end() ? "" : it->second.string_value();
    if (absl::GetFlag(FLAGS_eval_preprocess)) text = SearchBoxText(text);
    std::vector<std::string> words = Words(text);
    if (words.empty()) {
      ++skipped;
      continue;
    }
    if (suggest) {
      std::string prefix = RandomTypedState(words.front(), rng);
      if (Draw(mistype_share, rng)) prefix = chaja::bench::KeysOf(prefix);
      chaja::v1::SuggestRequest& request = suggest_requests.emplace_back();
      request.set_site(absl::GetFlag(FLAGS_site));
      request.set_prefix(prefix);
      request.set_limit(absl::GetFlag(FLAGS_suggest_limit));
      continue;
    }
    if (absl::GetFlag(FLAGS_cut_last_word)) {
      words.back() = RandomTypedState(words.back(), rng);
      text.clear();
      for (const std::string& word : words) text += (text.empty() ? "" : " ") + word;
    }
    if (Draw(mistype_share, rng)) text = chaja::bench::KeysOf(text);
    chaja::v1::SearchRequest& request = requests.emplace_back();
    request.set_site(absl::GetFlag(FLAGS_site));
    request.set_query(text);
    request.set_limit(absl::GetFlag(FLAGS_limit));
    if (absl::GetFlag(FLAGS_facets)) {
      request.add_facets()->set_field(chaja::v1::FACET_FIELD_TAG);
      request.add_facets()->set_field(chaja::v1::FACET_FIELD_CATEGORY);
    }
    request.set_match_mode(chaja::v1::MATCH_MODE_ANY);
    request.set_typing(absl::GetFlag(FLAGS_typing));
  }
  if (requests.empty() && suggest_requests.empty()) {
    std::fprintf(stderr, "chaja-loadgen: no queries in %s\n", absl::GetFlag(FLAGS_queries).c_str());
    return 2;
  }

  std::vector<std::unique_ptr<chaja::v1::SearchService::Stub>> stubs;
  for (int i = 0; i < absl::GetFlag(FLAGS_channels); ++i) {
    grpc::ChannelArguments args;
    // Distinct arguments and a local subchannel pool: one TCP connection per channel.
    args.SetInt("chaja.loadgen.channel", i);
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    stubs.push_back(chaja::v1::SearchService::NewStub(
        grpc::CreateCustomChannel(absl::GetFlag(FLAGS_server), grpc::InsecureChannelCredentials(), args)));
  }

  if (suggest) {
    // One call first: a searchd built before the Suggest rpc answers UNIMPLEMENTED to every call.
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(absl::GetFlag(FLAGS_timeout_ms)));
    context.AddMetadata("x-chaja-site", absl::GetFlag(FLAGS_site));
    chaja::v1::SuggestResponse response;
    const grpc::Status status = stubs.front()->Suggest(&context, suggest_requests.front(), &response);
    if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED) {
      std::fprintf(stderr,
                   "chaja-loadgen: the chaja-searchd at %s does not implement the Suggest rpc yet (it answered "
                   "UNIMPLEMENTED%s%s); nothing measured. Suggest is issue 12's new rpc: run a searchd built with it.\n",
                   absl::GetFlag(FLAGS_server).c_str(), status.error_message().empty() ? "" : ": ",
                   status.error_message().c_str());
      return 3;
    }
  }
  if (suggest || absl::GetFlag(FLAGS_cut_last_word) || mistype_share > 0) {  // show what is sent
    std::fprintf(stderr, "chaja-loadgen: %zu %s, e.g.", suggest ? suggest_requests.size() : requests.size(),
                 suggest ? "prefixes" : "queries");
    for (size_t i = 0; i < 5; ++i) {
      if (i < suggest_requests.size()) std::fprintf(stderr, " \"%s\"", suggest_requests[i].prefix().c_str());
      if (i < requests.size()) std::fprintf(stderr, " \"%s\"", requests[i].query().c_str());
    }
    std::fprintf(stderr, "\n");
  }

  const std::string load_before = LoadAverage();
  const double cpu_before = CpuSeconds();
  Slot::Shared shared;
  if (suggest) {
    shared.suggest_requests = &suggest_requests;
  } else {
    shared.requests = &requests;
  }
  shared.timeout = std::chrono::milliseconds(absl::GetFlag(FLAGS_timeout_ms));
  shared.site = absl::GetFlag(FLAGS_site);
  std::vector<SlotResult> results;
  size_t warmup_calls = 0;
  Clock::time_point counted_from;
  if (mode == "single") {
    shared.once = true;
    if (absl::GetFlag(FLAGS_warmup_pass)) {
      for (const SlotResult& r : RunSlots(stubs, 1, &shared)) warmup_calls += r.client_ms.size() + r.errors;
    }
    shared.next = 0;
    counted_from = Clock::now();
    results = RunSlots(stubs, 1, &shared);
  } else {
    const Clock::time_point start = Clock::now();
    shared.count_from = start + absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_warmup));
    shared.stop_at = shared.count_from + absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_duration));
    counted_from = shared.count_from;
    results = RunSlots(stubs, concurrency, &shared);
  }
  const Clock::time_point end = Clock::now();
  // The client's own CPU (warm-up included): on a 2-core machine it competes with searchd.
  const double client_cpu_s = CpuSeconds() - cpu_before;

  std::vector<double> client_ms, server_ms;
  size_t errors = 0;
  std::string first_error;
  Clock::time_point last_done = counted_from;
  for (SlotResult& r : results) {
    client_ms.insert(client_ms.end(), r.client_ms.begin(), r.client_ms.end());
    server_ms.insert(server_ms.end(), r.server_ms.begin(), r.server_ms.end());
    if (r.errors > 0 && errors == 0) first_error = r.first_error;
    errors += r.errors;
    last_done = std::max(last_done, r.last_done);
    warmup_calls += r.warmup_calls;
  }
  if (mode == "single") last_done = end;
  const double seconds = std::chrono::duration<double>(last_done - counted_from).count();
  const double qps = seconds > 0 ? client_ms.size() / seconds : 0;  // successful calls per second
  const Summary client = Summarize(client_ms), server = Summarize(server_ms);

  std::printf("%-8s %-6s %-9s %-7s %-9s | %-8s %-8s %-8s %-8s %-8s %-8s (client ms)\n", "mode", "conc", "calls",
              "errors", "qps", "p50", "p90", "p95", "p99", "p99.9", "max");
  std::printf("%-8s %-6d %-9zu %-7zu %-9.1f | %-8.2f %-8.2f %-8.2f %-8.2f %-8.2f %-8.2f\n", mode.c_str(), concurrency,
              client_ms.size() + errors, errors, qps, client.p50, client.p90, client.p95, client.p99, client.p999,
              client.max);
  if (!suggest) {
    std::printf("%-8s %-6s %-9s %-7s %-9s | %-8.2f %-8.2f %-8.2f %-8.2f %-8.2f %-8.2f (server took)\n", "", "", "", "",
                "", server.p50, server.p90, server.p95, server.p99, server.p999, server.max);
  }
  if (errors > 0) std::fprintf(stderr, "chaja-loadgen: %zu calls failed; first: %s\n", errors, first_error.c_str());

  std::string first_error_json;
  for (char c : first_error) {
    if (c == '"' || c == '\\') first_error_json += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) first_error_json += c;
  }
  const std::string json = absl::StrFormat(
      "{\"tool\": \"chaja-loadgen\", \"label\": \"%s\", \"rpc\": \"%s\", \"typing\": %s, \"cut_last_word\": %s, "
      "\"mistype_share\": %.3f, \"mode\": \"%s\", \"concurrency\": %d, \"channels\": %d, "
      "\"queries\": %zu, \"skipped_empty\": %zu, \"calls\": %zu, \"warmup_calls\": %zu, \"errors\": %zu, "
      "\"first_error\": \"%s\", "
      "\"seconds\": %.3f, \"qps\": %.2f, \"client_ms\": %s, \"server_ms\": %s, \"client_cpu_s\": %.3f, "
      "\"load_before\": \"%s\", \"load_after\": \"%s\"}",
      absl::GetFlag(FLAGS_label), rpc, absl::GetFlag(FLAGS_typing) ? "true" : "false",
      absl::GetFlag(FLAGS_cut_last_word) ? "true" : "false", mistype_share, mode, concurrency,
      absl::GetFlag(FLAGS_channels), suggest ? suggest_requests.size() : requests.size(), skipped,
      client_ms.size() + errors, warmup_calls, errors, first_error_json, seconds, qps, SummaryJson(client),
      suggest ? std::string("null") : SummaryJson(server), client_cpu_s, load_before, LoadAverage());
  std::printf("%s\n", json.c_str());
  if (const std::string path = absl::GetFlag(FLAGS_json_out); !path.empty()) {
    std::ofstream(path) << json << '\n';
  }
  return errors == 0 ? 0 : 1;
}
