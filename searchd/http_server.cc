#include "searchd/http_server.h"

#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>

#include <httplib.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "searchd/http_connection.h"

namespace chaja::searchd {
namespace {

// The largest request body accepted (a JSON SearchRequest is well under 1 KiB).
constexpr size_t kMaxBody = 1 << 20;
// Requests per keep-alive connection before it is closed, so that a client
// waiting for a pool thread gets one (see the header).
constexpr size_t kKeepAliveMaxRequests = 100;

// The JSON error body for an error cpp-httplib answers itself (a malformed
// request line, a body over the limit, …).
std::string LibraryErrorBody(int status) {
  const absl::StatusCode code = status == 404   ? absl::StatusCode::kNotFound
                                : status == 413 ? absl::StatusCode::kResourceExhausted
                                : status < 500  ? absl::StatusCode::kInvalidArgument
                                                : absl::StatusCode::kInternal;
  return ErrorResponse(absl::Status(code, absl::StrCat("the HTTP request was refused (HTTP status ", status, ")"))).body;
}

// The connection this pool thread is serving (httplib's handler is not told),
// so that a search can stop when its client hangs up.
thread_local int serving_socket = -1;

HttpRequest FromLibrary(const httplib::Request& req) {
  HttpRequest request;
  request.method = req.method;
  // Not req.path and req.params: those are decoded already (so "%2F" would
  // split a segment) and params would mix in a form-encoded body.
  request.target = req.target;
  request.body = req.body;
  request.origin = req.get_header_value("Origin");
  request.if_none_match = req.get_header_value("If-None-Match");
  request.content_type = req.get_header_value("Content-Type");
  if (req.has_header("Authorization")) request.authorization = req.get_header_value("Authorization");
  request.peer = absl::StrCat(req.remote_addr, ":", req.remote_port);
  if (serving_socket >= 0) request.client_gone = [fd = serving_socket] { return PeerClosed(fd); };
  return request;
}

// When the connection a pool thread is about to serve was accepted, so that
// time spent waiting for a free thread counts against the request deadline.
thread_local std::chrono::steady_clock::time_point accepted_at;

// httplib's thread pool, stamping each connection with its accept time (the
// listener enqueues a connection right after accept()).
class StampingThreadPool : public httplib::TaskQueue {
 public:
  explicit StampingThreadPool(size_t threads) : pool_(threads) {}
  void enqueue(std::function<void()> fn) override {
    pool_.enqueue([fn = std::move(fn), accepted = std::chrono::steady_clock::now()] {
      accepted_at = accepted;
      fn();
    });
  }
  void shutdown() override { pool_.shutdown(); }

 private:
  httplib::ThreadPool pool_;
};

// The answer to a connection over the per-address limit, sent without
// reading its request.
std::string BusyAnswer() {
  const std::string body =
      ErrorResponse(absl::UnavailableError("too many open connections from this address; retry later")).body;
  return absl::StrCat("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n",
                      "Content-Length: ", body.size(), "\r\nRetry-After: 1\r\nConnection: close\r\n\r\n", body);
}

// At most one log line a second per kind: an attack must not flood stderr
// (the counters keep the totals). True if this event may be logged.
bool LogDue(std::atomic<int64_t>& last_log_ms) {
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now().time_since_epoch())
                             .count();
  int64_t last = last_log_ms.load();
  return now_ms - last >= 1000 && last_log_ms.compare_exchange_strong(last, now_ms);
}

}  // namespace

// cpp-httplib's server with its connections served through DeadlineStream and
// ConnectionLimiter (http_connection.h) instead of its own socket stream.
class HttpServer::GuardedServer : public httplib::Server {
 public:
  explicit GuardedServer(const HttpServerOptions& options)
      : request_timeout_(absl::ToChronoMilliseconds(options.request_timeout)),
        limiter_(options.max_connections_per_address) {}

  // cpp-httplib 0.11.4 listens with a backlog of 5: a burst of new connections
  // (a browser opens six, a load test eight) overflows the accept queue and the
  // extra SYNs wait for TCP's 1 s retransmission. listen() again on the bound
  // socket raises the backlog (Linux updates it in place).
  bool RaiseBacklog() { return ::listen(svr_sock_, SOMAXCONN) == 0; }

  std::atomic<int64_t> slow_clients_dropped{0};
  std::atomic<int64_t> connections_refused{0};

 private:
  // Called by httplib on a pool thread for every accepted connection.
  bool process_and_close_socket(socket_t sock) override {
    std::string ip;
    int port = 0;
    PeerAddress(sock, &ip, &port);
    bool served = false;
    if (limiter_.TryAcquire(ip)) {
      served = Serve(sock, ip, port);
      serving_socket = -1;
      limiter_.Release(ip);
    } else {
      Refuse(sock, ip);
    }
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return served;
  }

  // httplib's keep-alive loop over a DeadlineStream: each request gets
  // request_timeout_ to arrive, the first from the accept, later ones from
  // their first byte.
  bool Serve(socket_t sock, const std::string& ip, int port) {
    serving_socket = sock;
    DeadlineStream stream(sock, std::chrono::seconds(read_timeout_sec_));
    stream.set_deadline(accepted_at + request_timeout_);
    bool ok = false;
    for (size_t left = keep_alive_max_count_; left > 0; --left) {
      if (left != keep_alive_max_count_) {
        if (!AwaitNextRequest(stream)) break;
        stream.set_deadline(std::chrono::steady_clock::now() + request_timeout_);
      }
      bool closed = false;
      ok = process_request(stream, /*close_connection=*/left == 1, closed, nullptr);
      if (stream.timed_out()) {
        const int64_t total = ++slow_clients_dropped;
        if (LogDue(last_drop_log_ms_)) {
          std::fprintf(stderr,
                       "chaja-searchd: request_rejected reason=request_timeout transport=http peer=%s:%d "
                       "timeout_ms=%lld dropped_total=%lld\n",
                       ip.c_str(), port, static_cast<long long>(request_timeout_.count()),
                       static_cast<long long>(total));
        }
        return false;
      }
      if (!ok || closed) break;
    }
    return ok;
  }

  // Waits up to the keep-alive timeout for another request, in short steps
  // so that stop() is seen promptly.
  bool AwaitNextRequest(const DeadlineStream& stream) const {
    constexpr std::chrono::milliseconds kStep(100);
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(keep_alive_timeout_sec_);
    while (svr_sock_ != INVALID_SOCKET && std::chrono::steady_clock::now() < end) {
      if (stream.ReadableWithin(kStep)) return true;
    }
    return false;
  }

  void Refuse(socket_t sock, const std::string& ip) {
    const int64_t total = ++connections_refused;
    static const std::string* const answer = new std::string(BusyAnswer());
    // MSG_DONTWAIT: the answer fits in an empty send buffer; never wait for this client.
    (void)::send(sock, answer->data(), answer->size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    // Closing with unread bytes sends a reset, which may destroy the answer
    // before the client reads it: discard what has arrived (not waiting).
    char discard[4096];
    for (int i = 0; i < 16 && ::recv(sock, discard, sizeof(discard), MSG_DONTWAIT) > 0; ++i) {
    }
    if (LogDue(last_refusal_log_ms_)) {
      std::fprintf(stderr,
                   "chaja-searchd: request_rejected reason=connection_limit transport=http peer=%s "
                   "refused_total=%lld\n",
                   ip.c_str(), static_cast<long long>(total));
    }
  }

  const std::chrono::milliseconds request_timeout_;
  ConnectionLimiter limiter_;
  // steady_clock milliseconds of the last log line of each kind (LogDue).
  std::atomic<int64_t> last_drop_log_ms_{-1000000};
  std::atomic<int64_t> last_refusal_log_ms_{-1000000};
};

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(const std::string& listen,
                                                              const HttpServerOptions& options,
                                                              SearchBackend* backend) {
  const size_t colon = listen.rfind(':');
  int port = -1;
  if (colon == std::string::npos || !absl::SimpleAtoi(listen.substr(colon + 1), &port) || port < 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("--http ", listen, ": want HOST:PORT (PORT 0 picks a free port)"));
  }
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const int threads = options.threads;
  if (threads < 1) return absl::InvalidArgumentError(absl::StrCat("--http_threads ", threads, ": want 1 or more"));
  if (options.request_timeout < absl::Milliseconds(1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--http_request_timeout ", absl::FormatDuration(options.request_timeout), ": want 1ms or more"));
  }
  if (options.max_connections_per_address < 1) {
    return absl::InvalidArgumentError(absl::StrCat("--http_max_connections_per_address ",
                                                   options.max_connections_per_address, ": want 1 or more"));
  }

  // Debian builds cpp-httplib with plain send(), which raises SIGPIPE when a
  // client hangs up mid-answer; that must not end the daemon.
  signal(SIGPIPE, SIG_IGN);

  std::unique_ptr<HttpServer> server(new HttpServer());
  server->api_ = std::make_unique<HttpApi>(backend, options.metrics_page);
  server->server_ = std::make_unique<GuardedServer>(options);
  GuardedServer& http = *server->server_;
  http.new_task_queue = [threads] { return new StampingThreadPool(static_cast<size_t>(threads)); };
  // Headers and body go out in separate writes; without TCP_NODELAY Nagle's
  // algorithm would hold the body back for the client's delayed ACK.
  http.set_tcp_nodelay(true);
  http.set_keep_alive_max_count(kKeepAliveMaxRequests);
  http.set_payload_max_length(kMaxBody);
  // cpp-httplib's default sets SO_REUSEPORT, which would let a second searchd
  // bind the same port and silently share its connections; SO_REUSEADDR alone
  // still allows a restart while old connections linger in TIME_WAIT.
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });

  // Every method and path goes to HttpApi, which routes on the raw target.
  const HttpApi* api = server->api_.get();
  const httplib::Server::Handler handler = [api](const httplib::Request& req, httplib::Response& res) {
    HttpResponse response = api->Handle(FromLibrary(req));
    res.status = response.status;
    for (auto& [name, value] : response.headers) res.set_header(name, value);
    if (!response.content_type.empty()) res.set_content(std::move(response.body), response.content_type);
  };
  // [\s\S]: '.' would not match a decoded newline (%0A) in the path.
  const std::string any = R"([\s\S]*)";
  http.Get(any, handler);
  http.Post(any, handler);
  http.Put(any, handler);
  http.Patch(any, handler);
  http.Delete(any, handler);
  http.Options(any, handler);
  http.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;  // ours already
        res.set_content(LibraryErrorBody(res.status), "application/json; charset=utf-8");
        return httplib::Server::HandlerResponse::Handled;
      }));

  if (port == 0) {
    port = http.bind_to_any_port(host);
  } else if (!http.bind_to_port(host, port)) {
    port = -1;
  }
  if (port <= 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen for HTTP on ", listen, " (address in use?)"));
  }
  if (!http.RaiseBacklog()) {
    return absl::UnavailableError(absl::StrCat("cannot listen for HTTP on ", listen, ": listen() failed"));
  }
  server->port_ = port;
  auto finished = std::make_shared<std::atomic<bool>>(false);
  server->thread_ = std::thread([raw = &http, finished] {
    raw->listen_after_bind();
    *finished = true;
  });
  // stop() is a no-op until the accept loop runs; wait for it so that a
  // Shutdown() right after Start() cannot be lost.
  while (!http.is_running() && !*finished) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return server;
}

HttpServer::~HttpServer() { Shutdown(); }

int64_t HttpServer::slow_clients_dropped() const { return server_->slow_clients_dropped; }
int64_t HttpServer::connections_refused() const { return server_->connections_refused; }

void HttpServer::Shutdown() {
  std::lock_guard<std::mutex> lock(shutdown_mu_);
  if (!thread_.joinable()) return;
  server_->stop();
  thread_.join();
}

}  // namespace chaja::searchd
