// Issue 14, HTTP hardening: slow clients are dropped at the request deadline
// and cannot starve the pool (/healthz and searches still answer), one client
// address holds a bounded number of connections, a POST search needs a JSON
// Content-Type (no "simple" cross-origin POST), and the embedded pages carry
// a Content-Security-Policy and X-Frame-Options. Raw sockets play the slow
// and greedy clients; cpp-httplib's client the well-behaved ones.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "searchd/server.h"
#include "testing/searchd.h"
#include "testing/sites.h"
#include "testing/temp_dir.h"

namespace chaja {
namespace {

using Clock = std::chrono::steady_clock;

// A connected TCP socket to 127.0.0.1:port, closed on destruction.
class RawConnection {
 public:
  explicit RawConnection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~RawConnection() { ::close(fd_); }

  bool connected() const { return connected_; }
  bool Send(const std::string& bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
  }
  // Reads until the server closes the connection or `wait` passes; true if it closed.
  bool ReadUntilClosed(std::chrono::milliseconds wait, std::string* received) {
    const Clock::time_point end = Clock::now() + wait;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now());
      if (left.count() <= 0) return false;
      pollfd pfd{fd_, POLLIN, 0};
      if (::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) continue;
      char buffer[4096];
      const ssize_t n = ::recv(fd_, buffer, sizeof(buffer), 0);
      if (n <= 0) return true;
      received->append(buffer, static_cast<size_t>(n));
    }
  }

 private:
  int fd_;
  bool connected_ = false;
};

class HttpHardeningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::vector<v1::Article>> written =
        testing::WriteSiteFromJsonl(dir_.path(), "blog", testing::SampleBlogPath());
    ASSERT_TRUE(written.ok()) << written.status();
  }

  // searchd with HTTP, `threads` workers, a short request deadline.
  void Start(int threads, absl::Duration request_timeout, int max_per_address) {
    searchd::ServerOptions options = testing::LoopbackOptions(dir_.path());
    options.http_listen = testing::kLoopbackAnyPort;
    options.http_threads = threads;
    options.http_request_timeout = request_timeout;
    options.http_max_connections_per_address = max_per_address;
    absl::StatusOr<std::unique_ptr<testing::ServerUnderTest>> server = testing::ServerUnderTest::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  std::unique_ptr<httplib::Client> Client() const {
    auto client = std::make_unique<httplib::Client>("127.0.0.1", server_->http_port());
    client->set_connection_timeout(std::chrono::seconds(4));
    client->set_read_timeout(std::chrono::seconds(4));
    return client;
  }

  testing::TempDir dir_{"http_hardening_test"};
  std::unique_ptr<testing::ServerUnderTest> server_;
};

// Twice as many slow-loris clients as worker threads, each sending a header
// byte every 300 ms (well inside the 5 s per-recv timeout): with a 1 s request
// deadline they are dropped and /healthz and a search answer in seconds.
TEST_F(HttpHardeningTest, SlowClientsDoNotStarveThePool) {
  ASSERT_NO_FATAL_FAILURE(Start(/*threads=*/4, absl::Seconds(1), /*max_per_address=*/64));
  std::vector<std::unique_ptr<RawConnection>> slow;
  for (int i = 0; i < 8; ++i) {
    slow.push_back(std::make_unique<RawConnection>(server_->http_port()));
    ASSERT_TRUE(slow.back()->connected());
    ASSERT_TRUE(slow.back()->Send("GET /healthz HTTP/1.1\r\n"));
  }
  std::atomic<bool> done{false};
  std::thread trickle([&] {
    while (!done) {
      for (auto& connection : slow) connection->Send("X");
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the slow ones hold every thread now

  const Clock::time_point start = Clock::now();
  auto client = Client();
  const httplib::Result health = client->Get("/healthz");
  const httplib::Result search = client->Get("/v1/sites/blog/search?q=%EB%AA%A8%EB%8D%B8");
  const auto took = Clock::now() - start;
  done = true;
  trickle.join();
  ASSERT_TRUE(health) << httplib::to_string(health.error());
  EXPECT_EQ(health->status, 200);
  ASSERT_TRUE(search) << httplib::to_string(search.error());
  EXPECT_EQ(search->status, 200) << search->body;
  EXPECT_LT(took, std::chrono::seconds(3));
}

// A client that never finishes its headers is disconnected at the deadline,
// not held for as long as it keeps trickling.
TEST_F(HttpHardeningTest, SlowClientIsDroppedAtTheDeadline) {
  ASSERT_NO_FATAL_FAILURE(Start(/*threads=*/4, absl::Seconds(1), /*max_per_address=*/16));
  RawConnection slow(server_->http_port());
  ASSERT_TRUE(slow.connected());
  const Clock::time_point start = Clock::now();
  ASSERT_TRUE(slow.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n"));
  std::atomic<bool> done{false};
  std::thread trickle([&] {
    while (!done) {
      slow.Send("X");
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  });
  std::string received;
  const bool closed = slow.ReadUntilClosed(std::chrono::seconds(4), &received);
  const auto took = Clock::now() - start;
  done = true;
  trickle.join();
  EXPECT_TRUE(closed) << "a trickling client kept its connection for 4 s";
  EXPECT_GE(took, std::chrono::milliseconds(900));
  EXPECT_LT(took, std::chrono::milliseconds(2500));
  EXPECT_FALSE(absl::StrContains(received, "200 OK")) << received;
  EXPECT_EQ(server_->server().http_server()->slow_clients_dropped(), 1);
}

// Keep-alive clients that send whole requests promptly are not affected by the
// deadline, however long the connection lives.
TEST_F(HttpHardeningTest, KeepAliveOutlivesTheDeadline) {
  ASSERT_NO_FATAL_FAILURE(Start(/*threads=*/4, absl::Milliseconds(500), /*max_per_address=*/16));
  auto client = Client();
  client->set_keep_alive(true);
  for (int i = 0; i < 4; ++i) {
    const httplib::Result health = client->Get("/healthz");
    ASSERT_TRUE(health) << i << ": " << httplib::to_string(health.error());
    EXPECT_EQ(health->status, 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
}

// One address may hold max_per_address connections; the next is answered 503
// at once, and a connection slot frees when one closes.
TEST_F(HttpHardeningTest, ConnectionsPerAddressAreLimited) {
  ASSERT_NO_FATAL_FAILURE(Start(/*threads=*/8, absl::Seconds(5), /*max_per_address=*/2));
  auto first = std::make_unique<RawConnection>(server_->http_port());
  RawConnection second(server_->http_port());
  ASSERT_TRUE(first->connected() && second.connected());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // both are being served

  RawConnection third(server_->http_port());
  ASSERT_TRUE(third.connected());
  std::string received;
  const Clock::time_point start = Clock::now();
  EXPECT_TRUE(third.ReadUntilClosed(std::chrono::seconds(2), &received));
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(1000));
  EXPECT_TRUE(absl::StartsWith(received, "HTTP/1.1 503 ")) << received;
  EXPECT_TRUE(absl::StrContains(received, "too many open connections")) << received;
  EXPECT_EQ(server_->server().http_server()->connections_refused(), 1);

  RawConnection eager(server_->http_port());
  ASSERT_TRUE(eager.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  received.clear();
  EXPECT_TRUE(eager.ReadUntilClosed(std::chrono::seconds(2), &received));
  EXPECT_TRUE(absl::StartsWith(received, "HTTP/1.1 503 ")) << received;

  first.reset();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const httplib::Result health = Client()->Get("/healthz");
  ASSERT_TRUE(health) << httplib::to_string(health.error());
  EXPECT_EQ(health->status, 200);
}

// A POST search must say its body is JSON: text/plain and form bodies are what
// a page on another origin may send without a CORS preflight.
TEST_F(HttpHardeningTest, PostSearchNeedsJsonContentType) {
  ASSERT_NO_FATAL_FAILURE(Start(/*threads=*/4, absl::Seconds(5), /*max_per_address=*/16));
  auto client = Client();
  const std::string body = R"({"query":"모델"})";
  for (const char* type : {"text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded"}) {
    const httplib::Result refused = client->Post("/v1/sites/blog/search", body, type);
    ASSERT_TRUE(refused) << type;
    EXPECT_EQ(refused->status, 415) << type;
    EXPECT_TRUE(absl::StrContains(refused->body, "application/json")) << refused->body;
  }
  // cpp-httplib refuses a multipart body that does not parse (400) before
  // the handler would (415); refused either way.
  const httplib::Result multipart = client->Post("/v1/sites/blog/search", body, "multipart/form-data; boundary=x");
  ASSERT_TRUE(multipart);
  EXPECT_TRUE(multipart->status == 400 || multipart->status == 415) << multipart->status;
  const httplib::Result untyped = client->Post("/v1/sites/blog/search", body, "");
  ASSERT_TRUE(untyped);
  EXPECT_EQ(untyped->status, 415);
  for (const char* type : {"application/json", "application/json; charset=utf-8", "Application/JSON"}) {
    const httplib::Result accepted = client->Post("/v1/sites/blog/search", body, type);
    ASSERT_TRUE(accepted) << type;
    EXPECT_EQ(accepted->status, 200) << type << ": " << accepted->body;
  }
}

// The demo page and the widget's files may not be framed (clickjacking) and
// run only same-origin scripts.
TEST_F(HttpHardeningTest, PagesCarrySecurityHeaders) {
  ASSERT_NO_FATAL_FAILURE(Start(/*threads=*/4, absl::Seconds(5), /*max_per_address=*/16));
  auto client = Client();
  for (const char* path : {"/", "/widget.js", "/demo.js", "/demo.css"}) {
    const httplib::Result page = client->Get(path);
    ASSERT_TRUE(page) << path;
    EXPECT_EQ(page->status, 200) << path;
    const std::string csp = page->get_header_value("Content-Security-Policy");
    EXPECT_TRUE(absl::StrContains(csp, "script-src 'self'")) << path << ": " << csp;
    EXPECT_TRUE(absl::StrContains(csp, "frame-ancestors 'none'")) << path << ": " << csp;
    EXPECT_TRUE(absl::StrContains(csp, "object-src 'none'")) << path << ": " << csp;
    EXPECT_EQ(page->get_header_value("X-Frame-Options"), "DENY") << path;
    EXPECT_EQ(page->get_header_value("X-Content-Type-Options"), "nosniff") << path;
  }
}

}  // namespace
}  // namespace chaja
