#include "testing/searchd.h"

#include <utility>

#include "absl/strings/ascii.h"
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

absl::StatusOr<std::unique_ptr<ServerUnderTest>> StartSearchdWithHttp(const std::string& data_dir) {
  searchd::ServerOptions options = LoopbackOptions(data_dir);
  options.http_listen = kLoopbackAnyPort;
  return ServerUnderTest::Start(options);
}

absl::StatusOr<std::unique_ptr<ServerUnderTest>> StartSearchd(const std::string& data_dir) {
  return ServerUnderTest::Start(LoopbackOptions(data_dir));
}

std::string UrlEncode(absl::string_view text) {
  std::string out;
  for (const char c : text) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(c);
    } else {
      static constexpr char kDigits[] = "0123456789ABCDEF";
      const unsigned char byte = static_cast<unsigned char>(c);
      out += {'%', kDigits[byte >> 4], kDigits[byte & 15]};
    }
  }
  return out;
}

}  // namespace chaja::testing
