// IndexClient: live updates through chaja-searchd's IndexService. Callers
// never see grpc:: statuses: every method returns absl::Status(Or) with the
// server's code and message (UNAUTHENTICATED / PERMISSION_DENIED for a
// missing or wrong token, UNAVAILABLE when searchd cannot be reached).
//
// Thread-safe for separate calls; one UpsertStream is used by one thread.
#ifndef CHAJA_CLIENT_INDEX_CLIENT_H_
#define CHAJA_CLIENT_INDEX_CLIENT_H_

#include <chrono>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "chaja/v1/index.grpc.pb.h"

namespace chaja::client {

class IndexClient {
 public:
  // An open Upsert stream for one site.
  class UpsertStream {
   public:
    // Sends one article. A failed write means the stream broke; Finish() says why.
    absl::Status Write(const v1::Article& article);
    // Ends the stream and returns the server's summary (after its commit).
    absl::StatusOr<v1::UpsertSummary> Finish();

   private:
    friend class IndexClient;
    UpsertStream() = default;
    grpc::ClientContext context_;
    v1::UpsertSummary summary_;
    std::unique_ptr<grpc::ClientWriter<v1::UpsertRequest>> writer_;
    std::string site_;
    bool first_ = true;
    bool broken_ = false;
  };

  IndexClient(std::shared_ptr<grpc::Channel> channel, std::string token, std::string address);

  // Opens a stream to `site`; the first write names the site.
  std::unique_ptr<UpsertStream> StartUpsert(const std::string& site) const;
  absl::StatusOr<v1::DeleteResponse> Delete(const v1::DeleteRequest& request,
                                            std::chrono::milliseconds timeout = std::chrono::seconds(60)) const;

 private:
  std::unique_ptr<v1::IndexService::Stub> stub_;
  std::string token_;
  std::string address_;
};

}  // namespace chaja::client

#endif  // CHAJA_CLIENT_INDEX_CLIENT_H_
