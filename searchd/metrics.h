// Metrics: searchd's counters, gauges and histograms, and a writer of the
// Prometheus text exposition format 0.0.4 that GET /metrics answers with
// (docs/metrics.md lists every metric).
//
// A small writer rather than Debian's prometheus-cpp-dev: its pull side
// serves from its own embedded HTTP server (civetweb) on another port, where
// searchd already has one, and the request path needs only relaxed atomic
// increments on fixed label sets (docs/metrics.md says more).
//
// Request metrics are counted where gRPC and HTTP meet, CallBackend()'s
// observed form (backend_call.h); gauges (sites, databases) are read at
// scrape time, so they cost requests nothing.
//
// Thread-safe: increments are relaxed atomics, never a lock.
#ifndef CHAJA_SEARCHD_METRICS_H_
#define CHAJA_SEARCHD_METRICS_H_

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace chaja::searchd {

class Counter {
 public:
  void Add(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

// Seconds, in fixed buckets from 0.5 ms to 10 s (a search takes ~1-50 ms; a
// commit up to seconds).
class Histogram {
 public:
  static constexpr std::array<double, 14> kBounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                     0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  void Observe(std::chrono::nanoseconds duration);
  // Cumulative counts, one per bound and a last one for +Inf (= the count).
  std::array<uint64_t, kBounds.size() + 1> Cumulative() const;
  double sum_seconds() const { return static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) * 1e-9; }

 private:
  // Per bucket, not cumulative: one increment per observation.
  std::array<std::atomic<uint64_t>, kBounds.size() + 1> buckets_{};
  std::atomic<uint64_t> sum_ns_{0};
};

// Label name and value; values are escaped by the writer.
using Labels = std::vector<std::pair<absl::string_view, std::string>>;

// Builds a text exposition: a family's HELP and TYPE, then its samples.
class TextWriter {
 public:
  // type: "counter", "gauge" or "histogram".
  void Family(absl::string_view name, absl::string_view type, absl::string_view help);
  void Sample(absl::string_view name, const Labels& labels, double value);
  // name_bucket{…,le="…"}, name_sum and name_count.
  void HistogramSamples(absl::string_view name, const Labels& labels, const Histogram& histogram);
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

// A label value escaped as the format wants: \\, \" and \n.
std::string EscapeLabelValue(absl::string_view value);
// A sample value: whole numbers without a fraction, +Inf, -Inf, NaN.
std::string FormatValue(double value);

// The rpcs counted by rpc label (SearchService's).
enum class Rpc {
  kSearch,
  kGetArticle,
  kListCategoryPosts,
  kGetArchive,
  kSuggest,
  kSuggestEquivalents,
  kGetRelated,
  kGetSiteStats,
  kListSites,
  kQueryStats,
  kUpsert,  // IndexService's: one per stream
  kDelete,
  kCount
};
enum class Transport { kGrpc, kHttp, kCount };
// HTTP requests refused before they reach an rpc (a malformed path or query,
// no such route, a method the route does not take), or a POST search that
// is not JSON (also counted as the Search rpc's INVALID_ARGUMENT).
enum class RejectReason { kInvalidRequest, kNoRoute, kMethodNotAllowed, kUnsupportedMediaType, kCount };

const char* RpcName(Rpc rpc);
const char* TransportName(Transport transport);
const char* RejectReasonName(RejectReason reason);

// Request counts, latencies and in-flight gauges by rpc; refusals by reason.
class RequestMetrics {
 public:
  // Marks a request started; Finish() ends it. Cheap: two relaxed atomics
  // and a clock read on each side.
  class Scope {
   public:
    Scope(RequestMetrics* metrics, Rpc rpc, Transport transport);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    // Counts the request with its result; once (later calls do nothing).
    void Finish(const absl::Status& status);

   private:
    RequestMetrics* const metrics_;
    const Rpc rpc_;
    const Transport transport_;
    const std::chrono::steady_clock::time_point start_;
    bool finished_ = false;
  };

  void Reject(RejectReason reason) { rejected_[static_cast<size_t>(reason)].Add(); }
  uint64_t rejected(RejectReason reason) const { return rejected_[static_cast<size_t>(reason)].value(); }
  // Appends requests_total, request_duration_seconds, requests_in_flight.
  void Write(TextWriter* writer) const;
  // Appends rejected_requests_total; `extra` adds reasons counted elsewhere
  // (the HTTP server's connection limit and request timeout).
  void WriteRejected(TextWriter* writer, const std::vector<std::pair<absl::string_view, uint64_t>>& extra) const;

 private:
  static constexpr size_t kRpcs = static_cast<size_t>(Rpc::kCount);
  static constexpr size_t kTransports = static_cast<size_t>(Transport::kCount);
  static constexpr size_t kCodes = 17;  // absl::StatusCode 0..16
  std::array<std::array<std::array<Counter, kCodes>, kTransports>, kRpcs> requests_;
  std::array<Histogram, kRpcs> durations_;
  std::array<std::atomic<int64_t>, kRpcs> in_flight_{};
  std::array<Counter, static_cast<size_t>(RejectReason::kCount)> rejected_;
};

// Writes a structured "request_rejected" line to stderr, at most one a
// second (an attack must not flood the log; the counters keep the totals;
// the line says how many were left out). `fields` is "key=value …", already
// formatted; `message` is quoted and escaped (it may hold user text).
void LogRejected(const std::string& fields, absl::string_view message);

// LogRejected() for a backend answer that refuses the request (invalid
// argument, out of range, failed precondition, resource exhausted, deadline
// exceeded); nothing for other codes.
void LogIfRejected(Rpc rpc, Transport transport, const absl::Status& status);

// The process's resident memory in bytes (/proc/self/statm); 0 if unreadable.
uint64_t ResidentMemoryBytes();

}  // namespace chaja::searchd

#endif  // CHAJA_SEARCHD_METRICS_H_
