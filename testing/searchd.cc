#include "testing/searchd.h"

#include <chrono>
#include <future>
#include <utility>
#include <vector>

#include <grpcpp/generic/generic_stub.h>

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

grpc::StatusCode CheckHealth(const std::string& address, const std::string& service, bool* serving) {
  *serving = false;
  grpc::GenericStub stub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  // HealthCheckRequest{service}: field 1, length-delimited (names are short).
  std::string encoded;
  if (!service.empty()) encoded = absl::StrCat("\x0a", std::string(1, static_cast<char>(service.size())), service);
  grpc::Slice slice(encoded.data(), encoded.size());
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer reply;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &reply,
                 [&done](grpc::Status status) { done.set_value(status); });
  const grpc::Status status = done.get_future().get();
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (status.ok() && reply.Dump(&slices).ok()) {
    for (const grpc::Slice& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  // HealthCheckResponse{status: SERVING (1)}: field 1, varint 1.
  *serving = bytes == std::string("\x08\x01", 2);
  return status.error_code();
}

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
