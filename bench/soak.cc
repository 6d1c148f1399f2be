// chaja-soak: mixed reads and live writes against one searchd for minutes to
// hours (issue 14), checking that memory stays flat and no acknowledged write
// is lost. scripts/soak starts searchd and runs it; see bench/README.md.
//
//   chaja-soak --server ADDR --site NAME --token_file F --jsonl site100k.jsonl
//              --searchd_pid PID [--minutes 60] [--readers 16] [--writes_per_second 20]
//              [--queries a.jsonl] [--json_out F] [--md_out F]
//
// Readers send a query mix (words, sentences, facets, pages 2-3, phrases,
// article lookups) back to back. Writers send one article per Upsert stream
// (searchd commits when a stream ends, as for a live post), half new articles
// ("soak-W-N") and half updates of the first --templates articles or of
// earlier new ones, paced together at --writes_per_second. Each writer owns
// its ids, so the last acknowledged title of an id is the one searchd must hold.
//
// At the end every acknowledged id (or a --verify_sample of them) is looked
// up with GetArticle and its title compared, and the document count is
// compared with the count at the start plus the new ids acknowledged. An
// upsert that failed without an answer (a deadline, a lost connection) may
// have been applied: its title is accepted too, and its new id may count.
// Exits 1 on any non-OK call, any lost write, or RSS not flat (a sample of
// the second half more than --rss_tolerance from the sample at the midpoint);
// 2 on bad flags.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/eval_protocol.h"
#include "chaja/v1/index.grpc.pb.h"
#include "chaja/v1/search.grpc.pb.h"

ABSL_FLAG(std::string, server, "127.0.0.1:7700", "chaja-searchd address.");
ABSL_FLAG(std::string, site, "site100k", "Site to read and write.");
ABSL_FLAG(std::string, token_file, "", "File with searchd's write token (--index_token_file).");
ABSL_FLAG(std::string, jsonl, "", "The site's articles (site100k.jsonl): templates of the writes.");
ABSL_FLAG(int, templates, 5000, "Articles of --jsonl read as templates (and updated in place).");
ABSL_FLAG(std::vector<std::string>, queries, {}, "JSONL files with a \"query\" field (sentence queries).");
ABSL_FLAG(double, minutes, 60, "How long to run.");
ABSL_FLAG(int, readers, 16, "Reader threads (one call in flight each).");
ABSL_FLAG(double, writes_per_second, 20, "Upserts a second, all writers together.");
ABSL_FLAG(int, writers, 4, "Writer threads sharing the write schedule.");
ABSL_FLAG(int, searchd_pid, 0, "searchd's pid, for its RSS (/proc/PID/status).");
ABSL_FLAG(int, rss_every_s, 30, "Seconds between RSS samples.");
ABSL_FLAG(double, rss_tolerance, 0.10, "Allowed relative RSS change in the second half, from the midpoint.");
ABSL_FLAG(int, verify_sample, 0, "Acknowledged ids to look up at the end (0: all).");
ABSL_FLAG(int, timeout_ms, 10000, "Deadline of each call.");
ABSL_FLAG(uint32_t, seed, 1, "Seed of the random choices.");
ABSL_FLAG(std::string, json_out, "", "Write the JSON report here.");
ABSL_FLAG(std::string, md_out, "", "Write the markdown report here.");

namespace {

using Clock = std::chrono::steady_clock;
using chaja::v1::Article;

const char* const kWords[] = {
    "대통령", "청와대", "부동산",   "아파트", "일자리", "최저임금", "교육",   "어린이집", "학교폭력", "미세먼지",
    "난민",   "검찰",   "음주운전", "처벌",   "연금",   "병원",     "영화",   "배우",     "연기",     "감독",
    "스토리", "반전",   "감동",     "눈물",   "액션",   "공포",     "코미디", "로맨스",   "결말",     "음악",
    "주인공", "명작",   "지루",     "가족",   "사랑",   "전쟁",     "역사",   "실화",     "원작",
};
const char* const kPhrases[] = {"\"부동산 정책\"", "\"최저임금 인상\"", "\"음주운전 처벌\"", "\"영화 결말\"",
                                "\"배우 연기\"",   "\"가족 영화\"",     "\"공포 영화\""};

// What one phase (reads or writes) measured, per minute and per gRPC code.
struct Tally {
  std::mutex mu;
  std::vector<std::vector<double>> ms_by_minute;
  std::map<std::string, uint64_t> errors;  // gRPC code name -> count
  std::map<std::string, std::string> first_message;  // gRPC code name -> its first message
  uint64_t aborted_facets = 0;             // ABORTED on a facet search (issue 14's known race)

  void Add(int minute, double ms, const grpc::Status& status, bool facets) {
    std::lock_guard<std::mutex> lock(mu);
    if (!status.ok()) {
      const std::string code = CodeName(status.error_code());
      if (++errors[code] == 1) first_message[code] = status.error_message();
      if (facets && status.error_code() == grpc::StatusCode::ABORTED) ++aborted_facets;
      return;
    }
    if (static_cast<size_t>(minute) >= ms_by_minute.size()) ms_by_minute.resize(minute + 1);
    ms_by_minute[minute].push_back(ms);
  }
  static std::string CodeName(grpc::StatusCode code) {
    static const char* const kNames[] = {"OK",      "CANCELLED",         "UNKNOWN",           "INVALID_ARGUMENT",
                                         "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED",
                                         "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
                                         "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};
    const int i = static_cast<int>(code);
    return i >= 0 && i < 17 ? kNames[i] : absl::StrCat("CODE_", i);
  }
};

struct RssSample {
  double minute;
  double mib;
};

struct Shared {
  Clock::time_point start;
  Clock::time_point end;
  std::atomic<bool> stop{false};
  Tally reads, writes;
  std::vector<Article> templates;
  std::vector<std::string> sentences;
  std::string token;
  std::atomic<uint64_t> write_slot{0};  // the write schedule's next slot
  std::mutex acked_mu;
  std::map<std::string, std::string> acked;  // id -> title of its last acknowledged upsert
  // id -> titles of its upserts since the last acknowledged one that failed
  // without saying whether they were applied (a deadline, a lost connection):
  // searchd may hold any of them.
  std::map<std::string, std::vector<std::string>> unsure;
  std::atomic<uint64_t> new_acked{0};
  std::atomic<uint64_t> rejected{0};
};

int MinuteOf(const Shared& s, Clock::time_point t) {
  return static_cast<int>(std::chrono::duration<double>(t - s.start).count() / 60);
}

double MsSince(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

void SetDeadline(grpc::ClientContext* ctx) {
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(absl::GetFlag(FLAGS_timeout_ms)));
}

std::vector<Article> ReadTemplates(const std::string& path, int n) {
  std::vector<Article> out;
  std::ifstream in(path);
  std::string line;
  while (static_cast<int>(out.size()) < n && std::getline(in, line)) {
    Article a;
    if (google::protobuf::util::JsonStringToMessage(line, &a).ok()) out.push_back(std::move(a));
  }
  return out;
}

std::vector<std::string> ReadSentences(const std::vector<std::string>& files) {
  std::vector<std::string> out;
  for (const std::string& file : files) {
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
      google::protobuf::Struct row;
      if (!google::protobuf::util::JsonStringToMessage(line, &row).ok()) continue;
      auto it = row.fields().find("query");
      if (it != row.fields().end()) out.push_back(chaja::bench::SearchBoxText(it->second.string_value()));
    }
  }
  return out;
}

// One request of the readers' mix; `facets` says whether it asked for facets.
grpc::Status OneRead(chaja::v1::SearchService::Stub* stub, const Shared& s, std::mt19937* rng, bool* facets) {
  grpc::ClientContext ctx;
  SetDeadline(&ctx);
  const int kind = std::uniform_int_distribution<int>(0, 99)(*rng);
  *facets = false;
  if (kind < 5 && !s.templates.empty()) {
    chaja::v1::GetArticleRequest req;
    req.set_site(absl::GetFlag(FLAGS_site));
    req.set_id(s.templates[(*rng)() % s.templates.size()].id());
    Article reply;
    return stub->GetArticle(&ctx, req, &reply);
  }
  chaja::v1::SearchRequest req;
  req.set_site(absl::GetFlag(FLAGS_site));
  req.set_limit(10);
  const size_t nwords = sizeof(kWords) / sizeof(kWords[0]);
  req.set_query(kWords[(*rng)() % nwords]);
  if (kind < 20 && !s.sentences.empty()) req.set_query(s.sentences[(*rng)() % s.sentences.size()]);
  if (kind >= 20 && kind < 30) req.set_query(kPhrases[(*rng)() % (sizeof(kPhrases) / sizeof(kPhrases[0]))]);
  if (kind >= 30 && kind < 40) req.set_offset(10 * (1 + (*rng)() % 2));
  if (kind >= 40 && kind < 45) req.set_sort(chaja::v1::SORT_ORDER_NEWEST);
  if (kind >= 45 && kind < 50) req.set_match_mode(chaja::v1::MATCH_MODE_ALL);
  if (kind >= 50 && kind < 65) {
    *facets = true;
    req.add_facets()->set_field(chaja::v1::FACET_FIELD_TAG);
    req.add_facets()->set_field(chaja::v1::FACET_FIELD_CATEGORY);
  }
  chaja::v1::SearchResponse reply;
  return stub->Search(&ctx, req, &reply);
}

void ReaderLoop(std::shared_ptr<grpc::Channel> channel, Shared* s, uint32_t seed) {
  auto stub = chaja::v1::SearchService::NewStub(channel);
  std::mt19937 rng(seed);
  while (!s->stop.load()) {
    const Clock::time_point t0 = Clock::now();
    bool facets = false;
    const grpc::Status status = OneRead(stub.get(), *s, &rng, &facets);
    s->reads.Add(MinuteOf(*s, t0), MsSince(t0), status, facets);
  }
}

// The article writer `w` sends as its `n`-th write: new or an update of one of its ids.
Article NextWrite(const Shared& s, int w, int writers, uint64_t n, std::vector<std::string>* own_new,
                  std::mt19937* rng) {
  const Article& base = s.templates[(n * writers + w) % s.templates.size()];
  Article a = base;
  if (n % 2 == 0) {
    a.set_id(absl::StrCat("soak-", w, "-", n));
    own_new->push_back(a.id());
  } else if (!own_new->empty() && (*rng)() % 2 == 0) {
    a.set_id((*own_new)[(*rng)() % own_new->size()]);
  } else {
    // Template i is owned by writer i % writers, so no two writers update one id.
    const size_t owned = s.templates.size() / writers;
    a = s.templates[((*rng)() % owned) * writers + w];
  }
  a.set_title(absl::StrCat(base.title(), " (soak ", w, "-", n, ")"));
  a.mutable_published()->set_seconds(std::chrono::duration_cast<std::chrono::seconds>(
                                         std::chrono::system_clock::now().time_since_epoch())
                                         .count());
  return a;
}

grpc::Status OneWrite(chaja::v1::IndexService::Stub* stub, const Shared& s, const Article& a,
                      chaja::v1::UpsertSummary* summary) {
  grpc::ClientContext ctx;
  SetDeadline(&ctx);
  ctx.AddMetadata("authorization", "Bearer " + s.token);
  auto writer = stub->Upsert(&ctx, summary);
  chaja::v1::UpsertRequest req;
  req.set_site(absl::GetFlag(FLAGS_site));
  *req.mutable_article() = a;
  writer->Write(req);
  writer->WritesDone();
  return writer->Finish();
}

void RecordAck(Shared* s, const Article& a, const chaja::v1::UpsertSummary& summary) {
  if (summary.rejected() > 0) {
    s->rejected.fetch_add(1);
    return;
  }
  if (summary.added() > 0 && a.id().rfind("soak-", 0) == 0) s->new_acked.fetch_add(1);
  std::lock_guard<std::mutex> lock(s->acked_mu);
  s->acked[a.id()] = a.title();
  s->unsure.erase(a.id());
}

// A failed upsert that may still have been applied.
void RecordUnsure(Shared* s, const Article& a, const grpc::Status& status) {
  const grpc::StatusCode code = status.error_code();
  if (code != grpc::StatusCode::DEADLINE_EXCEEDED && code != grpc::StatusCode::UNAVAILABLE &&
      code != grpc::StatusCode::CANCELLED && code != grpc::StatusCode::UNKNOWN) {
    return;
  }
  std::lock_guard<std::mutex> lock(s->acked_mu);
  s->unsure[a.id()].push_back(a.title());
}

void WriterLoop(std::shared_ptr<grpc::Channel> channel, Shared* s, int w, int writers) {
  auto stub = chaja::v1::IndexService::NewStub(channel);
  std::mt19937 rng(absl::GetFlag(FLAGS_seed) * 7919 + w);
  const double per_second = absl::GetFlag(FLAGS_writes_per_second);
  std::vector<std::string> own_new;
  for (uint64_t n = 0; !s->stop.load(); ++n) {
    const uint64_t slot = s->write_slot.fetch_add(1);
    const auto due = s->start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(slot / per_second));
    std::this_thread::sleep_until(std::min(due, s->end));
    if (Clock::now() >= s->end) break;
    const Article a = NextWrite(*s, w, writers, n, &own_new, &rng);
    chaja::v1::UpsertSummary summary;
    const Clock::time_point t0 = Clock::now();
    const grpc::Status status = OneWrite(stub.get(), *s, a, &summary);
    s->writes.Add(MinuteOf(*s, t0), MsSince(t0), status, false);
    if (status.ok()) {
      RecordAck(s, a, summary);
    } else {
      RecordUnsure(s, a, status);
    }
  }
}

double RssMib(int pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
  }
  return -1;
}

std::vector<RssSample> SampleRss(Shared* s, int pid) {
  std::vector<RssSample> out;
  const auto every = std::chrono::seconds(absl::GetFlag(FLAGS_rss_every_s));
  for (Clock::time_point t = s->start; t <= s->end; t += every) {
    std::this_thread::sleep_until(t);
    out.push_back({std::chrono::duration<double>(Clock::now() - s->start).count() / 60, RssMib(pid)});
    std::fprintf(stderr, "chaja-soak: minute %.1f: searchd RSS %.1f MiB\n", out.back().minute, out.back().mib);
  }
  return out;
}

absl::StatusOr<uint64_t> DocCount(chaja::v1::SearchService::Stub* stub) {
  grpc::ClientContext ctx;
  SetDeadline(&ctx);
  chaja::v1::GetSiteStatsRequest req;
  req.set_site(absl::GetFlag(FLAGS_site));
  chaja::v1::SiteStats stats;
  const grpc::Status status = stub->GetSiteStats(&ctx, req, &stats);
  if (!status.ok()) return absl::UnavailableError(status.error_message());
  return stats.document_count();
}

struct Verdict {
  uint64_t checked = 0;
  uint64_t missing = 0;  // NOT_FOUND or another error
  uint64_t stale = 0;    // found with another title than the last acknowledged one
  uint64_t unsure_applied = 0;  // found with the title of a later upsert whose outcome was unknown
  std::vector<std::string> examples;
};

bool IsUnsureTitle(const Shared& s, const std::string& id, const std::string& title) {
  auto it = s.unsure.find(id);
  return it != s.unsure.end() && std::find(it->second.begin(), it->second.end(), title) != it->second.end();
}

// New ids never acknowledged whose upsert may have been applied: the
// document count may exceed the acknowledged one by at most these.
uint64_t UnsureNewIds(const Shared& s) {
  uint64_t n = 0;
  for (const auto& [id, titles] : s.unsure) {
    if (id.rfind("soak-", 0) == 0 && s.acked.count(id) == 0) ++n;
  }
  return n;
}

Verdict VerifyAcked(chaja::v1::SearchService::Stub* stub, const Shared& s) {
  std::vector<std::pair<std::string, std::string>> all(s.acked.begin(), s.acked.end());
  const size_t sample = absl::GetFlag(FLAGS_verify_sample);
  if (sample > 0 && sample < all.size()) {
    std::mt19937 rng(absl::GetFlag(FLAGS_seed));
    std::shuffle(all.begin(), all.end(), rng);
    all.resize(sample);
  }
  Verdict v;
  for (const auto& [id, title] : all) {
    grpc::ClientContext ctx;
    SetDeadline(&ctx);
    chaja::v1::GetArticleRequest req;
    req.set_site(absl::GetFlag(FLAGS_site));
    req.set_id(id);
    Article got;
    const grpc::Status status = stub->GetArticle(&ctx, req, &got);
    ++v.checked;
    if (!status.ok()) ++v.missing;
    bool expected = status.ok() && got.title() == title;
    if (status.ok() && !expected && IsUnsureTitle(s, id, got.title())) {
      ++v.unsure_applied;
      expected = true;
    }
    if (status.ok() && !expected) ++v.stale;
    if (!expected && v.examples.size() < 10) v.examples.push_back(id);
  }
  return v;
}

struct Row {
  size_t n = 0;
  double p50 = 0, p99 = 0;
};

Row RowOf(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  return {ms.size(), chaja::bench::Percentile(ms, 0.50), chaja::bench::Percentile(ms, 0.99)};
}

std::string ErrorsJson(const Tally& t) {
  std::string out = "{";
  for (const auto& [code, n] : t.errors) absl::StrAppend(&out, out.size() > 1 ? ", " : "", "\"", code, "\": ", n);
  return out + "}";
}

// Whether every sample of the second half is within tolerance of the midpoint's.
bool RssFlat(const std::vector<RssSample>& rss, double minutes, double* mid_mib, double* worst) {
  *mid_mib = 0;
  *worst = 0;
  if (rss.empty()) return false;
  const RssSample* mid = &rss[0];
  for (const RssSample& r : rss) {
    if (std::abs(r.minute - minutes / 2) < std::abs(mid->minute - minutes / 2)) mid = &r;
  }
  *mid_mib = mid->mib;
  for (const RssSample& r : rss) {
    if (r.minute + 1e-9 >= mid->minute) *worst = std::max(*worst, std::abs(r.mib / mid->mib - 1));
  }
  return mid->mib > 0 && *worst <= absl::GetFlag(FLAGS_rss_tolerance);
}

struct Result {
  std::vector<RssSample> rss;
  uint64_t count_before = 0, count_after = 0;
  Verdict verdict;
  bool flat = false;
  double mid_mib = 0, worst = 0;
  bool ok = false;
};

std::string MinutesJson(Shared& s, int minutes) {
  std::string out = "[";
  for (int m = 0; m < minutes; ++m) {
    const Row r = RowOf(m < static_cast<int>(s.reads.ms_by_minute.size()) ? s.reads.ms_by_minute[m] : std::vector<double>{});
    const Row w =
        RowOf(m < static_cast<int>(s.writes.ms_by_minute.size()) ? s.writes.ms_by_minute[m] : std::vector<double>{});
    absl::StrAppendFormat(&out,
                          "%s{\"minute\": %d, \"reads\": %zu, \"read_p50_ms\": %.2f, \"read_p99_ms\": %.2f, "
                          "\"writes\": %zu, \"write_p50_ms\": %.2f, \"write_p99_ms\": %.2f}",
                          m ? ", " : "", m, r.n, r.p50, r.p99, w.n, w.p50, w.p99);
  }
  return out + "]";
}

std::string ReportJson(Shared& s, const Result& res, int minutes) {
  std::string rss = "[";
  for (const RssSample& r : res.rss) absl::StrAppendFormat(&rss, "%s[%.2f, %.1f]", rss.size() > 1 ? ", " : "", r.minute, r.mib);
  rss += "]";
  return absl::StrFormat(
      "{\"minutes\": %d, \"readers\": %d, \"writes_per_second\": %.1f, \"per_minute\": %s, \"read_errors\": %s, "
      "\"write_errors\": %s, \"aborted_facet_searches\": %u, \"rejected_writes\": %u, \"rss_mib\": %s, "
      "\"rss_mid_mib\": %.1f, \"rss_worst_change\": %.3f, \"rss_flat\": %s, \"acknowledged_ids\": %zu, "
      "\"new_ids_acknowledged\": %u, \"doc_count_before\": %u, \"doc_count_after\": %u, \"verified\": %u, "
      "\"missing\": %u, \"stale\": %u, \"unsure_applied\": %u, \"unsure_new_ids\": %u, \"ok\": %s}",
      minutes, absl::GetFlag(FLAGS_readers), absl::GetFlag(FLAGS_writes_per_second), MinutesJson(s, minutes),
      ErrorsJson(s.reads), ErrorsJson(s.writes), s.reads.aborted_facets, s.rejected.load(), rss, res.mid_mib,
      res.worst, res.flat ? "true" : "false", s.acked.size(), s.new_acked.load(), res.count_before, res.count_after,
      res.verdict.checked, res.verdict.missing, res.verdict.stale, res.verdict.unsure_applied, UnsureNewIds(s),
      res.ok ? "true" : "false");
}

std::string ReportMd(Shared& s, const Result& res, int minutes) {
  std::string out = absl::StrFormat(
      "# Soak: %d min, %d readers, %.0f writes/s — %s\n\n| minute | reads | read p50 ms | read p99 ms | writes | "
      "write p50 ms | write p99 ms |\n|---:|---:|---:|---:|---:|---:|---:|\n",
      minutes, absl::GetFlag(FLAGS_readers), absl::GetFlag(FLAGS_writes_per_second), res.ok ? "PASS" : "FAIL");
  for (int m = 0; m < minutes; ++m) {
    const Row r = RowOf(m < static_cast<int>(s.reads.ms_by_minute.size()) ? s.reads.ms_by_minute[m] : std::vector<double>{});
    const Row w =
        RowOf(m < static_cast<int>(s.writes.ms_by_minute.size()) ? s.writes.ms_by_minute[m] : std::vector<double>{});
    absl::StrAppendFormat(&out, "| %d | %zu | %.1f | %.1f | %zu | %.1f | %.1f |\n", m, r.n, r.p50, r.p99, w.n, w.p50,
                          w.p99);
  }
  out += "\n| minute | searchd RSS MiB |\n|---:|---:|\n";
  for (const RssSample& r : res.rss) absl::StrAppendFormat(&out, "| %.1f | %.1f |\n", r.minute, r.mib);
  absl::StrAppendFormat(&out,
                        "\nRSS at midpoint %.1f MiB, worst change after it %.1f%% (%s). Read errors %s, write errors "
                        "%s, aborted facet searches %u, rejected writes %u.\n"
                        "Acknowledged ids %zu (%u new); documents %u -> %u (expected %u, or up to %u more: new "
                        "ids whose upsert failed without an answer); verified %u by GetArticle: %u missing, %u stale "
                        "(%u hold a later upsert that failed without an answer).\n",
                        res.mid_mib, 100 * res.worst, res.flat ? "flat" : "NOT flat", ErrorsJson(s.reads),
                        ErrorsJson(s.writes), s.reads.aborted_facets, s.rejected.load(), s.acked.size(),
                        s.new_acked.load(), res.count_before, res.count_after, res.count_before + s.new_acked.load(),
                        UnsureNewIds(s), res.verdict.checked, res.verdict.missing, res.verdict.stale,
                        res.verdict.unsure_applied);
  return out;
}

void WriteFile(const std::string& path, const std::string& text) {
  if (path.empty()) return;
  std::ofstream(path) << text << "\n";
}

bool ReadToken(Shared* s) {
  std::ifstream in(absl::GetFlag(FLAGS_token_file));
  if (!std::getline(in, s->token) || s->token.empty()) return false;
  while (!s->token.empty() && std::isspace(static_cast<unsigned char>(s->token.back()))) s->token.pop_back();
  return true;
}

// Runs readers, writers and the RSS sampler until the end; returns the samples.
std::vector<RssSample> RunLoad(std::shared_ptr<grpc::Channel> channel, Shared* s) {
  std::vector<std::thread> threads;
  for (int i = 0; i < absl::GetFlag(FLAGS_readers); ++i) {
    threads.emplace_back(ReaderLoop, channel, s, absl::GetFlag(FLAGS_seed) * 1000 + i);
  }
  const int writers = std::max(1, absl::GetFlag(FLAGS_writers));
  for (int w = 0; w < writers; ++w) threads.emplace_back(WriterLoop, channel, s, w, writers);
  std::vector<RssSample> rss = SampleRss(s, absl::GetFlag(FLAGS_searchd_pid));
  std::this_thread::sleep_until(s->end);
  s->stop = true;
  for (std::thread& t : threads) t.join();
  return rss;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  Shared s;
  s.templates = ReadTemplates(absl::GetFlag(FLAGS_jsonl), absl::GetFlag(FLAGS_templates));
  s.sentences = ReadSentences(absl::GetFlag(FLAGS_queries));
  const int writers = std::max(1, absl::GetFlag(FLAGS_writers));
  if (!ReadToken(&s) || static_cast<int>(s.templates.size()) < 2 * writers || absl::GetFlag(FLAGS_searchd_pid) <= 0) {
    std::fprintf(stderr, "chaja-soak: needs --token_file, --jsonl with articles and --searchd_pid\n");
    return 2;
  }
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  auto channel = grpc::CreateCustomChannel(absl::GetFlag(FLAGS_server), grpc::InsecureChannelCredentials(), args);
  auto stub = chaja::v1::SearchService::NewStub(channel);
  Result res;
  absl::StatusOr<uint64_t> before = DocCount(stub.get());
  if (!before.ok()) {
    std::fprintf(stderr, "chaja-soak: GetSiteStats: %s\n", std::string(before.status().message()).c_str());
    return 1;
  }
  res.count_before = *before;
  const double minutes = absl::GetFlag(FLAGS_minutes);
  s.start = Clock::now();
  s.end = s.start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(minutes * 60));
  res.rss = RunLoad(channel, &s);
  res.count_after = DocCount(stub.get()).value_or(0);
  res.verdict = VerifyAcked(stub.get(), s);
  res.flat = RssFlat(res.rss, minutes, &res.mid_mib, &res.worst);
  const bool no_errors = s.reads.errors.empty() && s.writes.errors.empty() && s.rejected.load() == 0;
  const uint64_t least = res.count_before + s.new_acked.load();
  const bool no_loss = res.verdict.missing == 0 && res.verdict.stale == 0 && res.count_after >= least &&
                       res.count_after <= least + UnsureNewIds(s);
  res.ok = no_errors && no_loss && res.flat;
  const int whole = static_cast<int>(std::ceil(minutes));
  WriteFile(absl::GetFlag(FLAGS_json_out), ReportJson(s, res, whole));
  WriteFile(absl::GetFlag(FLAGS_md_out), ReportMd(s, res, whole));
  std::printf("%s", ReportMd(s, res, whole).c_str());
  for (const std::string& id : res.verdict.examples) std::printf("lost or stale: %s\n", id.c_str());
  for (const Tally* t : {&s.reads, &s.writes}) {
    for (const auto& [code, message] : t->first_message) std::printf("first %s: %s\n", code.c_str(), message.c_str());
  }
  return res.ok ? 0 : 1;
}
