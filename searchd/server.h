// Server: searchd's gRPC server — SearchService, the standard health service
// and server reflection — bound to one address, and optionally the HTTP/JSON
// API (http_server.h) on a second one, both over one SearchBackend.
//
// Thread-safe: Shutdown() may be called from any thread (a signal watcher).
#ifndef CHAJA_SEARCHD_SERVER_H_
#define CHAJA_SEARCHD_SERVER_H_

#include <atomic>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "searchd/http_server.h"
#include "searchd/index_service.h"
#include "searchd/replica.h"
#include "searchd/search_backend.h"
#include "searchd/write_backend.h"
#include "searchd/service.h"

namespace chaja::searchd {

inline constexpr absl::Duration kDefaultMaxReplicaLag = absl::Seconds(30);

struct ServerOptions {
  std::string data_dir;
  // host:port; port 0 picks a free port (see Server::port()).
  std::string listen = "127.0.0.1:7700";
  search::RankingParams ranking;
  // Bearer token for IndexService. Empty: live updates are off, searchd only
  // reads, and chaja-indexer may write the sites directly.
  std::string index_token;
  // PEM files for TLS; both empty: plaintext (for loopback use).
  std::string tls_cert_file;
  std::string tls_key_file;
  // host:port of the HTTP/JSON API (port 0 picks a free port, see
  // Server::http_port()); empty: no HTTP server.
  std::string http_listen;
  // Threads serving HTTP; each keep-alive connection holds one while open.
  int http_threads = kDefaultHttpThreads;
  // A request must arrive whole within this time, or its connection is
  // dropped (see http_server.h).
  absl::Duration http_request_timeout = kDefaultHttpRequestTimeout;
  // Open HTTP connections per client address; more are answered 503.
  int http_max_connections_per_address = kDefaultHttpMaxConnectionsPerAddress;
  // GET /metrics on the HTTP port (Prometheus text, docs/metrics.md).
  bool metrics = true;
  // How long a search may run (search_backend.h).
  DeadlinePolicy deadlines;
  // What readers search for, per site (query_stats.h); read with the index token.
  QueryStatsOptions query_stats;
  // host:port of the primary searchd: this node serves read-only replicas
  // (replica.h); writes are refused even with index_token (which then
  // guards the owner's reads only). Empty: not a replica.
  std::string primary;
  // On a replica: NOT_SERVING (health service for chaja.v1.SearchService,
  // /healthz) while its copies lag more than this (replica.h); zero: never.
  absl::Duration max_lag = kDefaultMaxReplicaLag;

  // Xapian readers all sites may hold open; the least recently used sites
  // are closed to stay within it (site_registry.h).
  int64_t max_open_readers = kMaxDefaultOpenReaders;
};

// A write token shorter than this is refused: it could be guessed.
inline constexpr size_t kMinTokenBytes = 16;

// Reads a token file: its first line, trimmed. NOT_FOUND if unreadable;
// INVALID_ARGUMENT if the token is shorter than kMinTokenBytes or the file
// can be read by other users (group or world bits set: chmod 600 it).
absl::StatusOr<std::string> ReadTokenFile(const std::string& path);

class Server {
 public:
  // Starts serving. NOT_FOUND if data_dir does not exist; UNAVAILABLE if the
  // address cannot be bound or (with an index token) another process is
  // writing one of the sites; INVALID_ARGUMENT for unreadable TLS files.
  static absl::StatusOr<std::unique_ptr<Server>> Start(const ServerOptions& options);
  ~Server();

  // The bound port.
  int port() const { return port_; }
  // The bound HTTP port; 0 without options.http_listen.
  int http_port() const { return http_server_ != nullptr ? http_server_->port() : 0; }
  // The HTTP server (its counters); nullptr without options.http_listen.
  const HttpServer* http_server() const { return http_server_.get(); }
  // Blocks until Shutdown().
  void Wait();
  // Stops accepting calls (gRPC and HTTP) and lets in-flight calls finish
  // (up to 5 s).
  void Shutdown();
  // The backend both front ends serve (tests read its counters).
  SearchBackend* backend() { return backend_.get(); }
  // Re-reads every site's site.json (SIGHUP); see SearchBackend::ReloadSettings.
  absl::Status ReloadSettings() { return backend_->ReloadSettings(); }

 private:
  Server() = default;
  // Start's steps, in order.
  absl::Status MakeBackends(const ServerOptions& options);
  absl::Status StartGrpc(const ServerOptions& options);
  void StartHealth(const ServerOptions& options);
  absl::Status StartHttp(const ServerOptions& options);
  // Shared by the backends below (declared first: it outlives them).
  RevisionPins pins_;
  std::unique_ptr<SearchBackend> backend_;
  std::unique_ptr<SearchServiceImpl> search_service_;
  std::unique_ptr<WriteBackend> write_backend_;
  std::unique_ptr<IndexServiceImpl> index_service_;
  std::unique_ptr<ReplicaStatus> replica_;
  std::unique_ptr<ReplicaIndexService> replica_index_service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<HttpServer> http_server_;
  // http_server_ for /metrics, set once it is assigned (a scrape may come first).
  std::atomic<const HttpServer*> http_for_metrics_{nullptr};
  int port_ = 0;
};

}  // namespace chaja::searchd

#endif  // CHAJA_SEARCHD_SERVER_H_
