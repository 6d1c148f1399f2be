// The gRPC face of live updates: chaja.v1.IndexService over a WriteBackend,
// guarded by a bearer token ("authorization: Bearer <token>" metadata).
//
// Thread-safe (gRPC calls handlers from its thread pool).
#ifndef CHAJA_SEARCHD_INDEX_SERVICE_H_
#define CHAJA_SEARCHD_INDEX_SERVICE_H_

#include <atomic>
#include <cstdint>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "chaja/v1/index.grpc.pb.h"
#include "searchd/write_backend.h"

namespace chaja::searchd {

// OK if `context` carries "authorization: Bearer <token>" with the right
// token; UNAUTHENTICATED without one, PERMISSION_DENIED for a wrong one.
absl::Status CheckBearerToken(const grpc::ServerContext& context, const std::string& token);

class IndexServiceImpl final : public v1::IndexService::Service {
 public:
  IndexServiceImpl(WriteBackend* backend, std::string token) : backend_(backend), token_(std::move(token)) {}

  grpc::Status Upsert(grpc::ServerContext* context, grpc::ServerReader<v1::UpsertRequest>* reader,
                      v1::UpsertSummary* summary) override;
  grpc::Status Delete(grpc::ServerContext* context, const v1::DeleteRequest* request,
                      v1::DeleteResponse* response) override;

  // Calls refused for a wrong or missing token (for /metrics).
  uint64_t auth_failures() const { return failures_.load(); }

 private:
  // CheckBearerToken, and for a failure a log line (at most one a second)
  // and a pause, so guessing tokens runs at a few tries a second per
  // connection, not thousands.
  absl::Status Authorize(const grpc::ServerContext& context, const char* rpc);

  WriteBackend* backend_;  // not owned
  const std::string token_;
  std::atomic<int64_t> last_log_second_{0};
  std::atomic<uint64_t> failures_{0};
};

}  // namespace chaja::searchd

#endif  // CHAJA_SEARCHD_INDEX_SERVICE_H_
