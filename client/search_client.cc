#include "client/search_client.h"

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"

namespace chaja::client {
namespace {

absl::Status FromGrpcStatus(const grpc::Status& status, const std::string& address) {
  if (status.ok()) return absl::OkStatus();
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    return absl::UnavailableError(absl::StrCat("cannot reach chaja-searchd at ", address,
                                               " (is it running? start it with chaja-searchd --data DIR): ",
                                               status.error_message()));
  }
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

}  // namespace

SearchClient::SearchClient(const std::string& address, std::chrono::milliseconds timeout)
    : address_(address),
      stub_(v1::SearchService::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()))),
      timeout_(timeout) {}

absl::StatusOr<v1::SearchResponse> SearchClient::Search(const v1::SearchRequest& request) const {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + timeout_);
  v1::SearchResponse response;
  const grpc::Status status = stub_->Search(&context, request, &response);
  if (!status.ok()) return FromGrpcStatus(status, address_);
  return response;
}

}  // namespace chaja::client
