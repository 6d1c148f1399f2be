// How clients reach chaja-searchd: address, optional TLS, optional bearer
// token. Shared by the search and index clients, the CLI and the indexer.
#ifndef CHAJA_CLIENT_CHANNEL_H_
#define CHAJA_CLIENT_CHANNEL_H_

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace chaja::client {

struct ConnectionOptions {
  // host:port
  std::string address = "127.0.0.1:7700";
  // PEM file of the CA (or the self-signed certificate) to trust: use TLS.
  // Empty: plaintext.
  std::string tls_ca_file;
  // Name to check the server certificate against, if not the address's host.
  std::string tls_server_name;
};

// The metadata header a proxy in front of several searchd routes gRPC calls
// by (docs/cluster.md); its value is the call's site.
inline constexpr char kSiteHeader[] = "x-chaja-site";

// Adds kSiteHeader: `site` to a call. Skipped for an empty site and for one
// that is not a valid site name (the server rejects it; gRPC would refuse the
// header value first, with a less useful message).
void SetSiteHeader(grpc::ClientContext* context, const std::string& site);

// A channel for `options`. INVALID_ARGUMENT if the CA file cannot be read.
absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(const ConnectionOptions& options);

// grpc::Status → absl::Status with the same code and message (the codes are
// the same numbers), with a hint when searchd cannot be reached.
// UNIMPLEMENTED says which rpc an older server lacks.
absl::Status FromGrpcStatus(const grpc::Status& status, const std::string& address, absl::string_view rpc_name);

// The token in a token file (first line, trimmed). NOT_FOUND if unreadable,
// INVALID_ARGUMENT if empty.
absl::StatusOr<std::string> ReadToken(const std::string& path);

}  // namespace chaja::client

#endif  // CHAJA_CLIENT_CHANNEL_H_
