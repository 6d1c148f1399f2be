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
#include "absl/status/statusor.h"
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

// What the flags ask for, checked.
struct Config {
  std::string mode, rpc, site, queries;
  int concurrency = 1;
  double mistype_share = 0;
  bool suggest = false;
};

// The flags as a Config, or an error to print (exit 2).
absl::StatusOr<Config> ConfigFromFlags() {
  Config c;
  c.mode = absl::GetFlag(FLAGS_mode);
  c.concurrency = c.mode == "single" ? 1 : absl::GetFlag(FLAGS_concurrency);
  c.site = absl::GetFlag(FLAGS_site);
  c.queries = absl::GetFlag(FLAGS_queries);
  c.rpc = absl::GetFlag(FLAGS_rpc);
  c.suggest = c.rpc == "suggest";
  c.mistype_share = absl::GetFlag(FLAGS_mistype_share);
  if ((c.mode != "single" && c.mode != "closed") || c.concurrency < 1 || c.site.empty() ||
      absl::GetFlag(FLAGS_channels) < 1) {
    return absl::InvalidArgumentError("need --site, --mode single|closed, --concurrency >= 1, --channels >= 1");
  }
  if ((c.rpc != "search" && !c.suggest) || !(c.mistype_share >= 0 && c.mistype_share <= 1)) {
    return absl::InvalidArgumentError("need --rpc search|suggest and --mistype_share in 0..1");
  }
  if (c.suggest && (absl::GetFlag(FLAGS_typing) || absl::GetFlag(FLAGS_cut_last_word) || absl::GetFlag(FLAGS_facets))) {
    return absl::InvalidArgumentError("--typing, --cut_last_word and --facets are Search flags, not --rpc suggest");
  }
  return c;
}

// The calls to make, one per query line with words.
struct Calls {
  std::vector<chaja::v1::SearchRequest> search;
  std::vector<chaja::v1::SuggestRequest> suggest;
  size_t skipped = 0;  // lines without words
  size_t size() const { return search.size() + suggest.size(); }
};

chaja::v1::SuggestRequest SuggestCall(const Config& c, const std::vector<std::string>& words, std::mt19937_64& rng) {
  std::string prefix = RandomTypedState(words.front(), rng);
  if (Draw(c.mistype_share, rng)) prefix = chaja::bench::KeysOf(prefix);
  chaja::v1::SuggestRequest request;
  request.set_site(c.site);
  request.set_prefix(prefix);
  request.set_limit(absl::GetFlag(FLAGS_suggest_limit));
  return request;
}

chaja::v1::SearchRequest SearchCall(const Config& c, std::string text, std::vector<std::string> words,
                                    std::mt19937_64& rng) {
  if (absl::GetFlag(FLAGS_cut_last_word)) {
    words.back() = RandomTypedState(words.back(), rng);
    text.clear();
    for (const std::string& word : words) text += (text.empty() ? "" : " ") + word;
  }
  if (Draw(c.mistype_share, rng)) text = chaja::bench::KeysOf(text);
  chaja::v1::SearchRequest request;
  request.set_site(c.site);
  request.set_query(text);
  request.set_limit(absl::GetFlag(FLAGS_limit));
  if (absl::GetFlag(FLAGS_facets)) {
    request.add_facets()->set_field(chaja::v1::FACET_FIELD_TAG);
    request.add_facets()->set_field(chaja::v1::FACET_FIELD_CATEGORY);
  }
  request.set_match_mode(chaja::v1::MATCH_MODE_ANY);
  request.set_typing(absl::GetFlag(FLAGS_typing));
  return request;
}

// The calls made from --queries (JSON lines with a "query").
absl::StatusOr<Calls> ReadCalls(const Config& c) {
  std::ifstream in(c.queries);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read --queries ", c.queries));
  std::mt19937_64 rng(absl::GetFlag(FLAGS_seed));
  Calls calls;
  size_t lines = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    ++lines;
    google::protobuf::Struct q;
    if (!google::protobuf::util::JsonStringToMessage(line, &q).ok()) {
      return absl::InvalidArgumentError(absl::StrCat(c.queries, ":", lines, ": not JSON"));
    }
    const auto it = q.fields().find("query");
    std::string text = it == q.fields().end() ? "" : it->second.string_value();
    if (absl::GetFlag(FLAGS_eval_preprocess)) text = SearchBoxText(text);
    std::vector<std::string> words = Words(text);
    if (words.empty()) {
      ++calls.skipped;
    } else if (c.suggest) {
      calls.suggest.push_back(SuggestCall(c, words, rng));
    } else {
      calls.search.push_back(SearchCall(c, std::move(text), std::move(words), rng));
    }
  }
  if (calls.size() == 0) return absl::InvalidArgumentError(absl::StrCat("no queries in ", c.queries));
  return calls;
}

using Stubs = std::vector<std::unique_ptr<chaja::v1::SearchService::Stub>>;

Stubs MakeStubs() {
  Stubs stubs;
  for (int i = 0; i < absl::GetFlag(FLAGS_channels); ++i) {
    grpc::ChannelArguments args;
    // Distinct arguments and a local subchannel pool: one TCP connection per channel.
    args.SetInt("chaja.loadgen.channel", i);
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    stubs.push_back(chaja::v1::SearchService::NewStub(
        grpc::CreateCustomChannel(absl::GetFlag(FLAGS_server), grpc::InsecureChannelCredentials(), args)));
  }
  return stubs;
}

// One call first: a searchd built before the Suggest rpc answers UNIMPLEMENTED to every call.
bool SuggestImplemented(chaja::v1::SearchService::Stub* stub, const Config& c, const chaja::v1::SuggestRequest& first) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(absl::GetFlag(FLAGS_timeout_ms)));
  context.AddMetadata("x-chaja-site", c.site);
  chaja::v1::SuggestResponse response;
  const grpc::Status status = stub->Suggest(&context, first, &response);
  if (status.error_code() != grpc::StatusCode::UNIMPLEMENTED) return true;
  std::fprintf(stderr,
               "chaja-loadgen: the chaja-searchd at %s does not implement the Suggest rpc yet (it answered "
               "UNIMPLEMENTED%s%s); nothing measured. Suggest is issue 12's new rpc: run a searchd built with it.\n",
               absl::GetFlag(FLAGS_server).c_str(), status.error_message().empty() ? "" : ": ",
               status.error_message().c_str());
  return false;
}

// Shows what is sent when it differs from the query lines.
void ShowCalls(const Config& c, const Calls& calls) {
  if (!c.suggest && !absl::GetFlag(FLAGS_cut_last_word) && c.mistype_share == 0) return;
  std::fprintf(stderr, "chaja-loadgen: %zu %s, e.g.", calls.size(), c.suggest ? "prefixes" : "queries");
  for (size_t i = 0; i < 5; ++i) {
    if (i < calls.suggest.size()) std::fprintf(stderr, " \"%s\"", calls.suggest[i].prefix().c_str());
    if (i < calls.search.size()) std::fprintf(stderr, " \"%s\"", calls.search[i].query().c_str());
  }
  std::fprintf(stderr, "\n");
}

// What a run measured.
struct Measured {
  std::vector<double> client_ms, server_ms;
  size_t errors = 0, warmup_calls = 0;
  std::string first_error;
  double seconds = 0;       // from the first counted call to the last one done
  double client_cpu_s = 0;  // this process's, warm-up included
  std::string load_before, load_after;
};

// Merges the slots' results of a run counted from `counted_from`.
void AddResults(std::vector<SlotResult> results, Clock::time_point counted_from, Clock::time_point end, bool single,
                Measured* m) {
  Clock::time_point last_done = counted_from;
  for (SlotResult& r : results) {
    m->client_ms.insert(m->client_ms.end(), r.client_ms.begin(), r.client_ms.end());
    m->server_ms.insert(m->server_ms.end(), r.server_ms.begin(), r.server_ms.end());
    if (r.errors > 0 && m->errors == 0) m->first_error = r.first_error;
    m->errors += r.errors;
    last_done = std::max(last_done, r.last_done);
    m->warmup_calls += r.warmup_calls;
  }
  if (single) last_done = end;
  m->seconds = std::chrono::duration<double>(last_done - counted_from).count();
}

// Single mode: each call once, in order (after an uncounted pass with
// --warmup_pass); closed mode: `concurrency` slots for warm-up + duration.
Measured RunLoad(const Config& c, const Calls& calls, const Stubs& stubs) {
  Measured m;
  m.load_before = LoadAverage();
  const double cpu_before = CpuSeconds();
  Slot::Shared shared;
  if (c.suggest) {
    shared.suggest_requests = &calls.suggest;
  } else {
    shared.requests = &calls.search;
  }
  shared.timeout = std::chrono::milliseconds(absl::GetFlag(FLAGS_timeout_ms));
  shared.site = c.site;
  std::vector<SlotResult> results;
  Clock::time_point counted_from;
  if (c.mode == "single") {
    shared.once = true;
    if (absl::GetFlag(FLAGS_warmup_pass)) {
      for (const SlotResult& r : RunSlots(stubs, 1, &shared)) m.warmup_calls += r.client_ms.size() + r.errors;
    }
    shared.next = 0;
    counted_from = Clock::now();
    results = RunSlots(stubs, 1, &shared);
  } else {
    shared.count_from = Clock::now() + absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_warmup));
    shared.stop_at = shared.count_from + absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_duration));
    counted_from = shared.count_from;
    results = RunSlots(stubs, c.concurrency, &shared);
  }
  const Clock::time_point end = Clock::now();
  // The client's own CPU: on a 2-core machine it competes with searchd.
  m.client_cpu_s = CpuSeconds() - cpu_before;
  AddResults(std::move(results), counted_from, end, c.mode == "single", &m);
  m.load_after = LoadAverage();
  return m;
}

// The table on standard output.
void PrintTable(const Config& c, const Measured& m, double qps, const Summary& client, const Summary& server) {
  std::printf("%-8s %-6s %-9s %-7s %-9s | %-8s %-8s %-8s %-8s %-8s %-8s (client ms)\n", "mode", "conc", "calls",
              "errors", "qps", "p50", "p90", "p95", "p99", "p99.9", "max");
  std::printf("%-8s %-6d %-9zu %-7zu %-9.1f | %-8.2f %-8.2f %-8.2f %-8.2f %-8.2f %-8.2f\n", c.mode.c_str(),
              c.concurrency, m.client_ms.size() + m.errors, m.errors, qps, client.p50, client.p90, client.p95,
              client.p99, client.p999, client.max);
  if (!c.suggest) {
    std::printf("%-8s %-6s %-9s %-7s %-9s | %-8.2f %-8.2f %-8.2f %-8.2f %-8.2f %-8.2f (server took)\n", "", "", "", "",
                "", server.p50, server.p90, server.p95, server.p99, server.p999, server.max);
  }
  if (m.errors > 0) {
    std::fprintf(stderr, "chaja-loadgen: %zu calls failed; first: %s\n", m.errors, m.first_error.c_str());
  }
}

// The one-line JSON report (also to --json_out).
std::string ReportJson(const Config& c, const Calls& calls, const Measured& m, double qps, const Summary& client,
                       const Summary& server) {
  std::string first_error_json;
  for (char ch : m.first_error) {
    if (ch == '"' || ch == '\\') first_error_json += '\\';
    if (static_cast<unsigned char>(ch) >= 0x20) first_error_json += ch;
  }
  return absl::StrFormat(
      "{\"tool\": \"chaja-loadgen\", \"label\": \"%s\", \"rpc\": \"%s\", \"typing\": %s, \"cut_last_word\": %s, "
      "\"mistype_share\": %.3f, \"mode\": \"%s\", \"concurrency\": %d, \"channels\": %d, "
      "\"queries\": %zu, \"skipped_empty\": %zu, \"calls\": %zu, \"warmup_calls\": %zu, \"errors\": %zu, "
      "\"first_error\": \"%s\", "
      "\"seconds\": %.3f, \"qps\": %.2f, \"client_ms\": %s, \"server_ms\": %s, \"client_cpu_s\": %.3f, "
      "\"load_before\": \"%s\", \"load_after\": \"%s\"}",
      absl::GetFlag(FLAGS_label), c.rpc, absl::GetFlag(FLAGS_typing) ? "true" : "false",
      absl::GetFlag(FLAGS_cut_last_word) ? "true" : "false", c.mistype_share, c.mode, c.concurrency,
      absl::GetFlag(FLAGS_channels), calls.size(), calls.skipped, m.client_ms.size() + m.errors, m.warmup_calls,
      m.errors, first_error_json, m.seconds, qps, SummaryJson(client),
      c.suggest ? std::string("null") : SummaryJson(server), m.client_cpu_s, m.load_before, m.load_after);
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  absl::StatusOr<Config> config = ConfigFromFlags();
  absl::StatusOr<Calls> calls = config.ok() ? ReadCalls(*config) : absl::StatusOr<Calls>(config.status());
  if (!calls.ok()) {
    std::fprintf(stderr, "chaja-loadgen: %s\n", std::string(calls.status().message()).c_str());
    return 2;
  }
  const Stubs stubs = MakeStubs();
  if (config->suggest && !SuggestImplemented(stubs.front().get(), *config, calls->suggest.front())) return 3;
  ShowCalls(*config, *calls);

  const Measured m = RunLoad(*config, *calls, stubs);
  const double qps = m.seconds > 0 ? m.client_ms.size() / m.seconds : 0;  // successful calls per second
  const Summary client = Summarize(m.client_ms), server = Summarize(m.server_ms);
  PrintTable(*config, m, qps, client, server);
  const std::string json = ReportJson(*config, *calls, m, qps, client, server);
  std::printf("%s\n", json.c_str());
  if (const std::string path = absl::GetFlag(FLAGS_json_out); !path.empty()) {
    std::ofstream(path) << json << '\n';
  }
  return m.errors == 0 ? 0 : 1;
}
