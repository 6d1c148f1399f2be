// chaja-searchd: serves every site under --data over gRPC and, with --http,
// over HTTP/JSON.
//
//   chaja-searchd --data DIR --listen 127.0.0.1:PORT [--http 127.0.0.1:PORT]
#include <malloc.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "index/site.h"
#include "client/cli_flags.h"
#include "searchd/file_limit.h"
#include "searchd/server.h"

ABSL_FLAG(std::string, data, "", "Data folder with one database per site.");
ABSL_FLAG(double, bm25_k1, chaja::search::RankingParams().k1, "BM25 k1: how fast repeated terms saturate.");
ABSL_FLAG(double, bm25_b, chaja::search::RankingParams().b, "BM25 b: document length normalization (0..1).");
ABSL_FLAG(uint32_t, shortlist_min_docs, chaja::search::RankingParams().shortlist_min_docs,
          "Sites with at least this many posts rank sentences through a shortlist (0: never).");
ABSL_FLAG(double, shortlist_share, chaja::search::RankingParams().shortlist_share,
          "Grams held by at most this share of the posts choose the shortlist.");
ABSL_FLAG(bool, memory_postings, chaja::search::RankingParams().memory_postings,
          "Keep the posting lists of shortlisting sites in memory and rank from them (loaded in the background).");
ABSL_FLAG(uint64_t, memory_postings_max_mb, chaja::search::RankingParams().memory_postings_max_bytes >> 20,
          "MiB of in-memory posting lists for all sites together; a site that does not fit is ranked by Xapian.");
ABSL_FLAG(uint32_t, shortlist_size, chaja::search::RankingParams().shortlist_size,
          "Posts in the shortlist that the whole query ranks.");
ABSL_FLAG(std::string, index_token_file, "",
          "File holding the bearer token that IndexService (live updates) requires. Without it "
          "searchd only reads and chaja-indexer may write the sites directly; with it searchd is their only writer.");
ABSL_FLAG(std::string, tls_cert, "", "PEM certificate file: serve over TLS (with --tls_key).");
ABSL_FLAG(std::string, tls_key, "", "PEM private key file for --tls_cert.");
ABSL_FLAG(bool, malloc_fixed_thresholds, true,
          "Fix glibc's mmap and trim thresholds (1 MiB, 4 MiB) so that per-revision snapshots return their "
          "memory when freed (issue 14); false keeps glibc's growing thresholds.");
ABSL_FLAG(int, malloc_arenas, 2,
          "glibc malloc arenas (0: glibc's default, 8 per core). Each arena keeps its own free memory; with "
          "fixed thresholds a soak held 150 MiB with the default and about 65 MiB with 2 (issue 14).");
ABSL_FLAG(std::string, listen, "127.0.0.1:7700", "Address to serve gRPC on (host:port; port 0 picks one).");
ABSL_FLAG(std::string, http, "",
          "Address to serve the HTTP/JSON API, the search widget and the demo page on (host:port; port 0 "
          "picks one). Empty: no HTTP server.");
ABSL_FLAG(int, http_threads, chaja::searchd::kDefaultHttpThreads,
          "HTTP server threads. Each open keep-alive connection holds one, so keep it above the number of "
          "concurrent HTTP clients.");

ABSL_FLAG(absl::Duration, http_request_timeout, chaja::searchd::kDefaultHttpRequestTimeout,
          "Time a client has to send a whole HTTP request (line, headers and body), counted from the "
          "connection's accept or, for a later keep-alive request, from its first byte; slower clients are "
          "dropped.");
ABSL_FLAG(int, http_max_connections_per_address, chaja::searchd::kDefaultHttpMaxConnectionsPerAddress,
          "Open HTTP connections one client address may hold; more are answered 503 and closed.");
ABSL_FLAG(bool, metrics, true,
          "Serve Prometheus metrics at GET /metrics on the --http port (docs/metrics.md); "
          "--nometrics turns it off.");
ABSL_FLAG(absl::Duration, search_timeout, chaja::searchd::kDefaultSearchTimeout,
          "Time a search may run when its client sets no deadline (HTTP clients never do); past it the "
          "search stops and answers DEADLINE_EXCEEDED (HTTP 504).");
ABSL_FLAG(absl::Duration, max_search_timeout, chaja::searchd::kDefaultMaxSearchTimeout,
          "Longest time a search may run, whatever deadline its gRPC client sets.");
ABSL_FLAG(bool, query_stats, true,
          "Keep per-site query statistics (what readers search for: normalized query text, count, zero-result "
          "count, last day; no addresses or user ids) in DATA/<site>/query_stats.tsv, for the owner to read with "
          "the write token (chaja stats queries). --query_stats=false counts nothing.");
ABSL_FLAG(uint32_t, query_stats_max, chaja::searchd::kDefaultMaxQueriesPerSite,
          "Distinct queries kept per site; a new one replaces the least searched, least recently seen one.");
ABSL_FLAG(int64_t, max_open_readers, 0,
          "Xapian readers all sites may hold open (each holds 3 files); the least recently used sites are "
          "closed to stay within it and opened again by their next request. 0: from the open-file limit, "
          "3/4 of it (after raising the soft limit to the hard one) over 3 files a reader, at most 2000.");

ABSL_FLAG(std::string, primary, "",
          "host:port of the primary searchd (gRPC): serve this data folder as a read-only replica kept by "
          "scripts/chaja-replicate (docs/replication.md); writes are refused, site stats say how far behind.");
ABSL_FLAG(double, max_lag_seconds, absl::ToDoubleSeconds(chaja::searchd::kDefaultMaxReplicaLag),
          "On a replica: answer NOT_SERVING (gRPC health of chaja.v1.SearchService, /healthz 503) while a site's "
          "copy is more than this behind the primary, or chaja-replicate has not finished a round for this long, "
          "so that the proxy takes the node out of rotation (docs/replication.md); 0: never.");
ABSL_FLAG(int, keep_changesets, 0,
          "On a primary with replicas: keep this many Xapian changesets per site (XAPIAN_MAX_CHANGESETS) so that "
          "replicas copy each commit, not the whole database; 0 leaves the environment as it is.");

namespace {

// SIGTERM stops searchd within this time (docs/serving.md promises 5 s):
// gRPC cancels the calls still running at its own 5 s deadline, but a
// handler busy in a long computation would keep the process alive.
constexpr auto kStopGrace = std::chrono::milliseconds(4800);

// Ends the process if an orderly stop has not finished by then. Writes are
// safe: every acknowledged one was committed, and Xapian survives a stop
// at any point (the crash tests kill searchd mid-commit).
void ExitIfStillRunningAfter(std::chrono::milliseconds grace) {
  std::thread([grace] {
    std::this_thread::sleep_for(grace);
    std::fprintf(stderr, "chaja-searchd: requests still running after %lld ms; exiting\n",
                 static_cast<long long>(grace.count()));
    std::fflush(stderr);
    std::_Exit(0);
  }).detach();
}

// Every commit makes new per-revision snapshots (the column snapshot, the
// in-memory lists: megabytes each), freed by whichever request thread drops
// the last reference. glibc raises its mmap threshold to the largest block
// freed (up to 32 MiB) and its trim threshold to twice that, so after the
// first lists are replaced such blocks come from per-thread arenas that keep
// up to 64 MiB free each: RSS climbed with the commits, and the threads,
// until every arena was that big (issue 14). Fixed thresholds keep big
// blocks in mmap, returned to the system when freed.
void FixMallocThresholds() {
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  mallopt(M_TRIM_THRESHOLD, 4 << 20);
}

// Fewer arenas: less free memory kept per thread that once allocated.
void LimitMallocArenas(int arenas) {
  if (arenas > 0) mallopt(M_ARENA_MAX, arenas);
}

// The sites for the start line: all of them, or the first few and how
// many, so that a node with thousands of sites logs one short line.
std::string SitesForLog(const std::vector<std::string>& sites) {
  constexpr size_t kNamed = 10;
  if (sites.empty()) return "(no sites yet)";
  if (sites.size() <= kNamed) return absl::StrJoin(sites, ", ");
  const std::vector<std::string> first(sites.begin(), sites.begin() + kNamed);
  return absl::StrCat(sites.size(), " sites (", absl::StrJoin(first, ", "), ", …)");
}


// searchd's settings from its flags; INVALID_ARGUMENT (exit 2) for a bad one.
absl::StatusOr<chaja::searchd::ServerOptions> OptionsFromFlags(const chaja::searchd::FileLimits& file_limits) {
  chaja::searchd::ServerOptions options;
  options.data_dir = absl::GetFlag(FLAGS_data);
  options.listen = absl::GetFlag(FLAGS_listen);
  options.ranking.k1 = absl::GetFlag(FLAGS_bm25_k1);
  options.ranking.b = absl::GetFlag(FLAGS_bm25_b);
  options.ranking.shortlist_min_docs = absl::GetFlag(FLAGS_shortlist_min_docs);
  if (options.ranking.shortlist_min_docs == 0) options.ranking.shortlist_min_docs = UINT32_MAX;
  options.ranking.shortlist_share = absl::GetFlag(FLAGS_shortlist_share);
  options.ranking.shortlist_size = absl::GetFlag(FLAGS_shortlist_size);
  options.ranking.memory_postings = absl::GetFlag(FLAGS_memory_postings);
  options.ranking.memory_postings_max_bytes = absl::GetFlag(FLAGS_memory_postings_max_mb) << 20;
  options.tls_cert_file = absl::GetFlag(FLAGS_tls_cert);
  options.tls_key_file = absl::GetFlag(FLAGS_tls_key);
  options.http_listen = absl::GetFlag(FLAGS_http);
  options.http_threads = absl::GetFlag(FLAGS_http_threads);
  options.http_request_timeout = absl::GetFlag(FLAGS_http_request_timeout);
  options.http_max_connections_per_address = absl::GetFlag(FLAGS_http_max_connections_per_address);
  options.metrics = absl::GetFlag(FLAGS_metrics);
  options.deadlines.default_timeout = absl::GetFlag(FLAGS_search_timeout);
  options.deadlines.max_timeout = absl::GetFlag(FLAGS_max_search_timeout);
  options.query_stats.enabled = absl::GetFlag(FLAGS_query_stats);
  options.query_stats.max_queries_per_site = absl::GetFlag(FLAGS_query_stats_max);
  options.primary = absl::GetFlag(FLAGS_primary);
  options.max_lag = absl::Seconds(std::max(0.0, absl::GetFlag(FLAGS_max_lag_seconds)));
  options.max_open_readers = absl::GetFlag(FLAGS_max_open_readers);
  if (options.max_open_readers <= 0) options.max_open_readers = chaja::searchd::DefaultMaxOpenReaders(file_limits.soft);
  if (const std::string token_file = absl::GetFlag(FLAGS_index_token_file); !token_file.empty()) {
    absl::StatusOr<std::string> token = chaja::searchd::ReadTokenFile(token_file);
    if (!token.ok()) return token.status();
    options.index_token = *token;
  }
  if (options.data_dir.empty()) return absl::InvalidArgumentError("--data DIR is required");
  if (options.query_stats.max_queries_per_site == 0) {
    return absl::InvalidArgumentError("--query_stats_max must be at least 1 (--query_stats=false turns counting off)");
  }
  if (options.deadlines.default_timeout <= absl::ZeroDuration() ||
      options.deadlines.max_timeout < options.deadlines.default_timeout) {
    return absl::InvalidArgumentError("--search_timeout must be positive and at most --max_search_timeout");
  }
  return options;
}

// The start-up lines: the file limits, a token without TLS off loopback.
void LogSettings(const chaja::searchd::ServerOptions& options, const chaja::searchd::FileLimits& file_limits) {
  std::fprintf(stderr, "chaja-searchd: %s; at most %lld open readers%s\n",
               chaja::searchd::DescribeFileLimits(file_limits).c_str(),
               static_cast<long long>(options.max_open_readers),
               absl::GetFlag(FLAGS_max_open_readers) > 0 ? " (--max_open_readers)" : "");
  const std::string host = options.listen.substr(0, options.listen.rfind(':'));
  if (!options.index_token.empty() && options.tls_cert_file.empty() && host != "127.0.0.1" && host != "localhost" &&
      host != "[::1]") {
    std::fprintf(stderr,
                 "chaja-searchd: warning: live updates take a write token on %s without TLS: the token and the "
                 "articles cross the network in clear (use --tls_cert and --tls_key, or a loopback address)\n",
                 options.listen.c_str());
  }
}

// The lines tests and operators wait for: what is served, where.
void LogServing(const chaja::searchd::ServerOptions& options, const chaja::searchd::Server& server) {
  absl::StatusOr<std::vector<std::string>> sites = chaja::index::ListSites(options.data_dir);
  const std::string host = options.listen.substr(0, options.listen.rfind(':'));
  std::fprintf(stderr, "chaja-searchd: serving %s from %s on %s:%d%s%s\n",
               sites.ok() ? SitesForLog(*sites).c_str() : "(no sites yet)",
               options.data_dir.c_str(), host.c_str(), server.port(), options.tls_cert_file.empty() ? "" : " (TLS)",
               !options.primary.empty()       ? ("; read-only replica of " + options.primary).c_str()
               : options.index_token.empty() ? ""
                                             : "; live updates on (IndexService)");
  if (!options.http_listen.empty()) {
    const std::string http_host = options.http_listen.substr(0, options.http_listen.rfind(':'));
    std::fprintf(stderr, "chaja-searchd: http on %s:%d\n", http_host.c_str(), server.http_port());
  }
}

// Waits for the stop signals (blocked in every thread): SIGHUP reloads the
// sites' settings, SIGTERM/SIGINT shut the server down.
void WatchSignals(const sigset_t& stop_signals, chaja::searchd::Server* server) {
  for (;;) {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    if (signal_number == SIGHUP) {
      const absl::Status reloaded = server->ReloadSettings();
      std::fprintf(stderr, "chaja-searchd: SIGHUP, site settings %s\n",
                   reloaded.ok() ? "reloaded" : std::string(reloaded.message()).c_str());
      continue;
    }
    std::fprintf(stderr, "chaja-searchd: %s, shutting down\n", signal_number == SIGTERM ? "SIGTERM" : "SIGINT");
    ExitIfStillRunningAfter(kStopGrace);
    server->Shutdown();
    return;
  }
}

}  // namespace

int main(int argc, char** argv) {
  chaja::cli::ParseFlagsOrExit(argc, argv, "chaja-searchd",
                               "Serves Chaja search over gRPC (and HTTP/JSON with --http).\n"
                               "  chaja-searchd --data DIR --listen 127.0.0.1:PORT [--http 127.0.0.1:PORT]",
                               "chaja-searchd --data DIR --listen 127.0.0.1:PORT; chaja-searchd --help lists the flags");

  // Block the stop signals in every thread; one thread waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  const chaja::searchd::FileLimits file_limits = chaja::searchd::RaiseFileLimit();
  if (absl::GetFlag(FLAGS_malloc_fixed_thresholds)) FixMallocThresholds();
  LimitMallocArenas(absl::GetFlag(FLAGS_malloc_arenas));
  absl::StatusOr<chaja::searchd::ServerOptions> options = OptionsFromFlags(file_limits);
  if (!options.ok()) {
    std::fprintf(stderr, "chaja-searchd: %s\n", std::string(options.status().message()).c_str());
    return 2;
  }
  if (const int keep = absl::GetFlag(FLAGS_keep_changesets); keep > 0) {
    // Read by Xapian at each commit of this process's writers.
    setenv("XAPIAN_MAX_CHANGESETS", std::to_string(keep).c_str(), 1);
  }
  LogSettings(*options, file_limits);
  absl::StatusOr<std::unique_ptr<chaja::searchd::Server>> server = chaja::searchd::Server::Start(*options);
  if (!server.ok()) {
    std::fprintf(stderr, "chaja-searchd: %s\n", std::string(server.status().message()).c_str());
    return 1;
  }
  LogServing(*options, **server);
  std::thread watcher([&] { WatchSignals(stop_signals, server->get()); });
  (*server)->Wait();
  watcher.join();
  std::fprintf(stderr, "chaja-searchd: stopped\n");
  return 0;
}
