// chaja::testing::ServerUnderTest: chaja-searchd's Server (searchd/server.h)
// started in process on 127.0.0.1, gRPC on a free port and, if asked, the
// HTTP/JSON API on another, stopped when the ServerUnderTest is destroyed.
//
//   chaja::testing::TempDir dir("my_test");
//   ASSERT_TRUE(chaja::testing::WriteSite(dir.path(), "blog", articles).ok());  // testing/sites.h
//   absl::StatusOr<std::unique_ptr<chaja::testing::ServerUnderTest>> server =
//       chaja::testing::StartSearchd(dir.path());
//   ASSERT_TRUE(server.ok()) << server.status();
//   auto channel = grpc::CreateChannel((*server)->address(), grpc::InsecureChannelCredentials());
//
// For an index token, TLS, ranking or HTTP, change LoopbackOptions() and call
// ServerUnderTest::Start. Declare the TempDir before the server so that the
// server stops before its folder is removed.
// Part of chaja_testing_searchd (testing/CMakeLists.txt), which links searchd/.
#ifndef CHAJA_TESTING_SEARCHD_H_
#define CHAJA_TESTING_SEARCHD_H_

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "searchd/server.h"

namespace chaja::testing {

// host:port for a listener on a free loopback port.
inline constexpr char kLoopbackAnyPort[] = "127.0.0.1:0";

// searchd::ServerOptions over `data_dir`: gRPC on kLoopbackAnyPort, no HTTP
// (set http_listen = kLoopbackAnyPort for the HTTP/JSON API), no index token,
// plaintext, default ranking.
searchd::ServerOptions LoopbackOptions(const std::string& data_dir);

class ServerUnderTest {
 public:
  // searchd::Server::Start(options), with its errors (NOT_FOUND for a missing
  // data folder, UNAVAILABLE for an address in use, …).
  static absl::StatusOr<std::unique_ptr<ServerUnderTest>> Start(const searchd::ServerOptions& options);
  // Shutdown(), which waits for calls in flight and the serving threads.
  ~ServerUnderTest();

  // "127.0.0.1:PORT" of the gRPC server, for grpc::CreateChannel and SearchClient.
  const std::string& address() const { return address_; }
  // The bound gRPC port, and the HTTP port (0 without options.http_listen).
  int port() const { return server_->port(); }
  int http_port() const { return server_->http_port(); }
  // Stops gRPC and HTTP (see searchd::Server::Shutdown); calling it again is harmless.
  void Shutdown() { server_->Shutdown(); }
  // Re-reads every site's site.json, as SIGHUP does.
  absl::Status ReloadSettings() { return server_->ReloadSettings(); }
  searchd::Server& server() { return *server_; }

 private:
  explicit ServerUnderTest(std::unique_ptr<searchd::Server> server);
  std::unique_ptr<searchd::Server> server_;
  std::string address_;
};

// ServerUnderTest::Start(LoopbackOptions(data_dir)): gRPC only, read-only.
absl::StatusOr<std::unique_ptr<ServerUnderTest>> StartSearchd(const std::string& data_dir);
// The same with the HTTP/JSON API on another free loopback port.
absl::StatusOr<std::unique_ptr<ServerUnderTest>> StartSearchdWithHttp(const std::string& data_dir);

// grpc.health.v1.Health/Check for `service` ("" for the whole server) at
// `address`: the status code, and *serving whether the answer was SERVING.
// (grpc.health.v1 is not generated here: the messages are hand-encoded.)
grpc::StatusCode CheckHealth(const std::string& address, const std::string& service, bool* serving);

// Percent-encodes every byte but RFC 3986's unreserved ones, as a browser's
// encodeURIComponent does: query text for the HTTP API's URLs.
std::string UrlEncode(absl::string_view text);

}  // namespace chaja::testing

#endif  // CHAJA_TESTING_SEARCHD_H_
