// HttpServer: serves HttpApi (http_api.h) over HTTP/1.1 with cpp-httplib
// (Debian's libcpp-httplib-dev), on its own port beside the gRPC server.
//
// cpp-httplib gives every connection a thread of a fixed pool for as long as
// the connection is kept alive, so the pool must be at least as large as the
// number of concurrent keep-alive clients or later connections wait; a
// connection is closed after 100 requests or 5 idle seconds, so a waiting one
// gets its turn. Connections are served through http_connection.h's
// DeadlineStream and ConnectionLimiter instead of cpp-httplib's own stream.
//
// Slow and greedy clients (issue 14): a request's line, headers and body must
// arrive within HttpServerOptions::request_timeout, or the connection is
// dropped; one client address may hold at most max_connections_per_address
// connections, and a connection past that is answered 503 and closed at once.
//
// Thread-safe: Shutdown() may be called from any thread.
#ifndef CHAJA_SEARCHD_HTTP_SERVER_H_
#define CHAJA_SEARCHD_HTTP_SERVER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "searchd/http_api.h"
#include "searchd/search_backend.h"

namespace chaja::searchd {

// Threads of the HTTP server by default: well above a browser's 6
// connections per host and a load test's 8, and idle threads cost only memory.
inline constexpr int kDefaultHttpThreads = 32;
// A request must arrive whole (line, headers, body) within this time of the
// connection's accept, or for a later keep-alive request of its first byte.
inline constexpr absl::Duration kDefaultHttpRequestTimeout = absl::Seconds(10);
// Open connections per client address: half the default pool, so that one
// address cannot take every thread (a browser opens 6 per host).
inline constexpr int kDefaultHttpMaxConnectionsPerAddress = 16;

struct HttpServerOptions {
  int threads = kDefaultHttpThreads;
  absl::Duration request_timeout = kDefaultHttpRequestTimeout;
  int max_connections_per_address = kDefaultHttpMaxConnectionsPerAddress;
  // The body of GET /metrics (Prometheus text); unset: no /metrics route.
  std::function<std::string()> metrics_page;
};

class HttpServer {
 public:
  // Binds `listen` (host:port, [v6]:port; port 0 picks a free port) and
  // starts serving. `backend` is not owned and must outlive the server.
  // UNAVAILABLE if the address cannot be bound, INVALID_ARGUMENT for a
  // malformed address or option.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(const std::string& listen,
                                                           const HttpServerOptions& options,
                                                           SearchBackend* backend);
  ~HttpServer();

  // The bound port.
  int port() const { return port_; }
  // Connections dropped because a request was not complete in time, and
  // connections refused because their address had too many open.
  int64_t slow_clients_dropped() const;
  int64_t connections_refused() const;
  // Stops accepting connections and waits for the serving threads: requests
  // in flight finish, an idle keep-alive connection lets go within 0.1 s,
  // and one still sending its first request is read until its 5 s read
  // timeout at most.
  void Shutdown();

 private:
  HttpServer() = default;
  std::unique_ptr<HttpApi> api_;
  class GuardedServer;
  std::unique_ptr<GuardedServer> server_;
  std::mutex shutdown_mu_;
  std::thread thread_;  // runs the accept loop; joined by Shutdown()
  int port_ = 0;
};

}  // namespace chaja::searchd

#endif  // CHAJA_SEARCHD_HTTP_SERVER_H_
