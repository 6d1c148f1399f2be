// SearchClient: a typed gRPC client for chaja-searchd. Callers never see grpc::
// types; gRPC statuses come back as absl::Status with the same code and message.
//
// Thread-safe: gRPC stubs may be shared between threads.
#ifndef CHAJA_CLIENT_SEARCH_CLIENT_H_
#define CHAJA_CLIENT_SEARCH_CLIENT_H_

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "chaja/v1/search.grpc.pb.h"

namespace chaja::client {

class SearchClient {
 public:
  // Connects lazily to `address` (host:port) without TLS.
  explicit SearchClient(const std::string& address,
                        std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));

  // The server's answer, or its error (INVALID_ARGUMENT, NOT_FOUND, …);
  // UNAVAILABLE when searchd cannot be reached, DEADLINE_EXCEEDED on timeout.
  absl::StatusOr<v1::SearchResponse> Search(const v1::SearchRequest& request) const;

 private:
  std::string address_;
  std::unique_ptr<v1::SearchService::Stub> stub_;
  std::chrono::milliseconds timeout_;
};

}  // namespace chaja::client

#endif  // CHAJA_CLIENT_SEARCH_CLIENT_H_
