#include "searchd/metrics.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace chaja::searchd {

void Histogram::Observe(std::chrono::nanoseconds duration) {
  const double seconds = std::chrono::duration<double>(duration).count();
  size_t i = 0;
  while (i < kBounds.size() && seconds > kBounds[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<uint64_t>(duration.count() > 0 ? duration.count() : 0), std::memory_order_relaxed);
}

std::array<uint64_t, Histogram::kBounds.size() + 1> Histogram::Cumulative() const {
  std::array<uint64_t, kBounds.size() + 1> counts{};
  uint64_t total = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    total += buckets_[i].load(std::memory_order_relaxed);
    counts[i] = total;
  }
  return counts;
}

std::string EscapeLabelValue(absl::string_view value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) return absl::StrCat(static_cast<int64_t>(value));
  return absl::StrFormat("%.15g", value);
}

namespace {

std::string LabelText(const Labels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    absl::StrAppend(&out, i == 0 ? "" : ",", labels[i].first, "=\"", EscapeLabelValue(labels[i].second), "\"");
  }
  return out + "}";
}

// HELP text escapes only \\ and \n.
std::string EscapeHelp(absl::string_view help) {
  std::string out;
  for (const char c : help) out += c == '\\' ? "\\\\" : c == '\n' ? "\\n" : std::string(1, c);
  return out;
}

}  // namespace

void TextWriter::Family(absl::string_view name, absl::string_view type, absl::string_view help) {
  absl::StrAppend(&text_, "# HELP ", name, " ", EscapeHelp(help), "\n# TYPE ", name, " ", type, "\n");
}

void TextWriter::Sample(absl::string_view name, const Labels& labels, double value) {
  absl::StrAppend(&text_, name, LabelText(labels), " ", FormatValue(value), "\n");
}

void TextWriter::HistogramSamples(absl::string_view name, const Labels& labels, const Histogram& histogram) {
  const auto counts = histogram.Cumulative();
  Labels with_le = labels;
  with_le.emplace_back("le", "");
  for (size_t i = 0; i < counts.size(); ++i) {
    with_le.back().second = i < Histogram::kBounds.size() ? FormatValue(Histogram::kBounds[i]) : "+Inf";
    Sample(absl::StrCat(name, "_bucket"), with_le, static_cast<double>(counts[i]));
  }
  Sample(absl::StrCat(name, "_sum"), labels, histogram.sum_seconds());
  Sample(absl::StrCat(name, "_count"), labels, static_cast<double>(counts.back()));
}

const char* RpcName(Rpc rpc) {
  static constexpr const char* kNames[] = {"Search",  "GetArticle",         "ListCategoryPosts",
                                           "GetArchive", "Suggest",         "SuggestEquivalents",
                                           "GetRelated", "GetSiteStats",    "ListSites",
                                           "QueryStats", "Upsert",          "Delete"};
  static_assert(sizeof(kNames) / sizeof(kNames[0]) == static_cast<size_t>(Rpc::kCount));
  return kNames[static_cast<size_t>(rpc)];
}

const char* TransportName(Transport transport) { return transport == Transport::kGrpc ? "grpc" : "http"; }

const char* RejectReasonName(RejectReason reason) {
  switch (reason) {
    case RejectReason::kInvalidRequest:
      return "invalid_request";
    case RejectReason::kNoRoute:
      return "no_route";
    case RejectReason::kMethodNotAllowed:
      return "method_not_allowed";
    default:
      return "unsupported_media_type";
  }
}

RequestMetrics::Scope::Scope(RequestMetrics* metrics, Rpc rpc, Transport transport)
    : metrics_(metrics), rpc_(rpc), transport_(transport), start_(std::chrono::steady_clock::now()) {
  metrics_->in_flight_[static_cast<size_t>(rpc_)].fetch_add(1, std::memory_order_relaxed);
}

RequestMetrics::Scope::~Scope() {
  // A scope left without Finish() (an exception escaped) still ends.
  Finish(absl::InternalError("not finished"));
}

void RequestMetrics::Scope::Finish(const absl::Status& status) {
  if (finished_) return;
  finished_ = true;
  const size_t rpc = static_cast<size_t>(rpc_);
  size_t code = static_cast<size_t>(status.code());
  if (code >= kCodes) code = static_cast<size_t>(absl::StatusCode::kUnknown);
  metrics_->requests_[rpc][static_cast<size_t>(transport_)][code].Add();
  metrics_->durations_[rpc].Observe(std::chrono::steady_clock::now() - start_);
  metrics_->in_flight_[rpc].fetch_sub(1, std::memory_order_relaxed);
}

void RequestMetrics::Write(TextWriter* writer) const {
  writer->Family("chaja_requests_total", "counter",
                 "Search requests answered, by rpc, transport and canonical status code.");
  for (size_t rpc = 0; rpc < kRpcs; ++rpc) {
    for (size_t transport = 0; transport < kTransports; ++transport) {
      for (size_t code = 0; code < kCodes; ++code) {
        const uint64_t n = requests_[rpc][transport][code].value();
        if (n == 0) continue;  // unseen combinations stay out (17 codes x 2 x 9)
        writer->Sample("chaja_requests_total",
                       {{"rpc", RpcName(static_cast<Rpc>(rpc))},
                        {"transport", TransportName(static_cast<Transport>(transport))},
                        {"code", absl::StatusCodeToString(static_cast<absl::StatusCode>(code))}},
                       static_cast<double>(n));
      }
    }
  }
  writer->Family("chaja_request_duration_seconds", "histogram", "Time to answer a search request, by rpc.");
  for (size_t rpc = 0; rpc < kRpcs; ++rpc) {
    writer->HistogramSamples("chaja_request_duration_seconds", {{"rpc", RpcName(static_cast<Rpc>(rpc))}},
                             durations_[rpc]);
  }
  writer->Family("chaja_requests_in_flight", "gauge", "Search requests being answered now, by rpc.");
  for (size_t rpc = 0; rpc < kRpcs; ++rpc) {
    writer->Sample("chaja_requests_in_flight", {{"rpc", RpcName(static_cast<Rpc>(rpc))}},
                   static_cast<double>(in_flight_[rpc].load(std::memory_order_relaxed)));
  }
}

void RequestMetrics::WriteRejected(TextWriter* writer,
                                   const std::vector<std::pair<absl::string_view, uint64_t>>& extra) const {
  writer->Family("chaja_rejected_requests_total", "counter",
                 "HTTP requests and connections refused before any search ran, by reason.");
  for (size_t i = 0; i < rejected_.size(); ++i) {
    writer->Sample("chaja_rejected_requests_total", {{"reason", RejectReasonName(static_cast<RejectReason>(i))}},
                   static_cast<double>(rejected_[i].value()));
  }
  for (const auto& [reason, count] : extra) {
    writer->Sample("chaja_rejected_requests_total", {{"reason", std::string(reason)}}, static_cast<double>(count));
  }
}

void LogRejected(const std::string& fields, absl::string_view message) {
  static std::atomic<int64_t> last_log_ms{-1000000};
  static std::atomic<uint64_t> left_out{0};
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now().time_since_epoch())
                             .count();
  int64_t last = last_log_ms.load();
  if (now_ms - last < 1000 || !last_log_ms.compare_exchange_strong(last, now_ms)) {
    left_out.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  // Escaped (control bytes, quotes) so user text cannot forge a log line;
  // UTF-8 stays readable.
  constexpr size_t kMaxMessage = 300;
  const std::string quoted = absl::Utf8SafeCHexEscape(message.substr(0, kMaxMessage));
  std::fprintf(stderr, "chaja-searchd: request_rejected %s message=\"%s\" left_out=%llu\n", fields.c_str(),
               quoted.c_str(), static_cast<unsigned long long>(left_out.exchange(0)));
}

void LogIfRejected(Rpc rpc, Transport transport, const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kDeadlineExceeded:
      break;
    default:
      return;
  }
  LogRejected(absl::StrCat("reason=", absl::AsciiStrToLower(absl::StatusCodeToString(status.code())),
                           " transport=", TransportName(transport), " rpc=", RpcName(rpc)),
              status.message());
}

uint64_t ResidentMemoryBytes() {
  std::ifstream statm("/proc/self/statm");
  uint64_t size = 0, resident = 0;
  if (!(statm >> size >> resident)) return 0;
  return resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace chaja::searchd
