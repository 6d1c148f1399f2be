#include "testing/searchd.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace chaja::testing {

searchd::ServerOptions LoopbackOptions(const std::string& data_dir) {
  searchd::ServerOptions options;
  options.data_dir = data_dir;
  options.listen = kLoopbackAnyPort;
  options.http_listen.clear();
  return options;
}

absl::StatusOr<std::unique_ptr<ServerUnderTest>> ServerUnderTest::Start(const searchd::ServerOptions& options) {
  absl::StatusOr<std::unique_ptr<searchd::Server>> server = searchd::Server::Start(options);
  if (!server.ok()) return server.status();
  return std::unique_ptr<ServerUnderTest>(new ServerUnderTest(*std::move(server)));
}

ServerUnderTest::ServerUnderTest(std::unique_ptr<searchd::Server> server)
    : server_(std::move(server)), address_(absl::StrCat("127.0.0.1:", server_->port())) {}

ServerUnderTest::~ServerUnderTest() { server_->Shutdown(); }

absl::StatusOr<std::unique_ptr<ServerUnderTest>> StartSearchd(const std::string& data_dir) {
  return ServerUnderTest::Start(LoopbackOptions(data_dir));
}

}  // namespace chaja::testing
