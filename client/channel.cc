#include "client/channel.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace chaja::client {

absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(const ConnectionOptions& options) {
  if (options.tls_ca_file.empty()) {
    return grpc::CreateChannel(options.address, grpc::InsecureChannelCredentials());
  }
  std::ifstream in(options.tls_ca_file);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("cannot read TLS CA file ", options.tls_ca_file));
  std::stringstream pem;
  pem << in.rdbuf();
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = pem.str();
  grpc::ChannelArguments args;
  if (!options.tls_server_name.empty()) args.SetSslTargetNameOverride(options.tls_server_name);
  return grpc::CreateCustomChannel(options.address, grpc::SslCredentials(ssl), args);
}

void SetSiteHeader(grpc::ClientContext* context, const std::string& site) {
  const bool valid = !site.empty() && site.size() <= 64 && std::all_of(site.begin(), site.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
  if (valid) context->AddMetadata(kSiteHeader, site);
}

absl::Status FromGrpcStatus(const grpc::Status& status, const std::string& address, absl::string_view rpc_name) {
  if (status.ok()) return absl::OkStatus();
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    return absl::UnavailableError(absl::StrCat("cannot reach chaja-searchd at ", address,
                                               " (is it running? start it with chaja-searchd --data DIR): ",
                                               status.error_message()));
  }
  if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED) {
    std::string message = absl::StrCat("chaja-searchd at ", address, " does not implement ", rpc_name,
                                       " (an older chaja-searchd, or one started without --index_token_file?)");
    if (!status.error_message().empty()) absl::StrAppend(&message, ": ", status.error_message());
    return absl::UnimplementedError(message);
  }
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

absl::StatusOr<std::string> ReadToken(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read token file ", path));
  std::string line;
  std::getline(in, line);
  const std::string token(absl::StripAsciiWhitespace(line));
  if (token.empty()) return absl::InvalidArgumentError(absl::StrCat("token file ", path, " is empty"));
  return token;
}

}  // namespace chaja::client
