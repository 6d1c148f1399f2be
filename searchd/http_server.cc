#include "searchd/http_server.h"

#include <signal.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>

#include <httplib.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

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

// cpp-httplib 0.11.4 listens with a backlog of 5: a burst of new connections
// (a browser opens six, a load test eight) overflows the accept queue and the
// extra SYNs wait for TCP's 1 s retransmission. listen() again on the bound
// socket raises the backlog (Linux updates it in place).
class DeepBacklogServer : public httplib::Server {
 public:
  bool RaiseBacklog() { return ::listen(svr_sock_, SOMAXCONN) == 0; }
};

HttpRequest FromLibrary(const httplib::Request& req) {
  HttpRequest request;
  request.method = req.method;
  // Not req.path and req.params: those are decoded already (so "%2F" would
  // split a segment) and params would mix in a form-encoded body.
  request.target = req.target;
  request.body = req.body;
  request.origin = req.get_header_value("Origin");
  request.if_none_match = req.get_header_value("If-None-Match");
  return request;
}

}  // namespace

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(const std::string& listen, int threads,
                                                              SearchBackend* backend) {
  const size_t colon = listen.rfind(':');
  int port = -1;
  if (colon == std::string::npos || !absl::SimpleAtoi(listen.substr(colon + 1), &port) || port < 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("--http ", listen, ": want HOST:PORT (PORT 0 picks a free port)"));
  }
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (threads < 1) return absl::InvalidArgumentError(absl::StrCat("--http_threads ", threads, ": want 1 or more"));

  // Debian builds cpp-httplib with plain send(), which raises SIGPIPE when a
  // client hangs up mid-answer; that must not end the daemon.
  signal(SIGPIPE, SIG_IGN);

  std::unique_ptr<HttpServer> server(new HttpServer());
  server->api_ = std::make_unique<HttpApi>(backend);
  auto owned = std::make_unique<DeepBacklogServer>();
  DeepBacklogServer& http = *owned;
  server->server_ = std::move(owned);
  http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
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

void HttpServer::Shutdown() {
  std::lock_guard<std::mutex> lock(shutdown_mu_);
  if (!thread_.joinable()) return;
  server_->stop();
  thread_.join();
}

}  // namespace chaja::searchd
