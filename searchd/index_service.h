// The gRPC face of live updates: chaja.v1.IndexService over a WriteBackend,
// guarded by a bearer token ("authorization: Bearer <token>" metadata).
//
// Thread-safe (gRPC calls handlers from its thread pool).
#ifndef CHAJA_SEARCHD_INDEX_SERVICE_H_
#define CHAJA_SEARCHD_INDEX_SERVICE_H_

#include <cstdint>
#include <optional>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "chaja/v1/index.grpc.pb.h"
#include "searchd/metrics.h"
#include "searchd/write_backend.h"
#include "searchd/write_token.h"

namespace chaja::searchd {

// The "authorization" metadata of a call; nullopt when it has none.
std::optional<std::string> AuthorizationOf(const grpc::ServerContext& context);

class IndexServiceImpl final : public v1::IndexService::Service {
 public:
  // `token` (not owned) must be configured; `metrics` (nullable, not owned)
  // counts the calls with the search rpcs'.
  IndexServiceImpl(WriteBackend* backend, WriteToken* token, RequestMetrics* metrics = nullptr)
      : backend_(backend), token_(token), metrics_(metrics) {}

  grpc::Status Upsert(grpc::ServerContext* context, grpc::ServerReader<v1::UpsertRequest>* reader,
                      v1::UpsertSummary* summary) override;
  grpc::Status Delete(grpc::ServerContext* context, const v1::DeleteRequest* request,
                      v1::DeleteResponse* response) override;

 private:
  absl::Status Authorize(const grpc::ServerContext& context, const char* rpc);
  absl::Status UpsertStream(const grpc::ServerContext& context, grpc::ServerReader<v1::UpsertRequest>* reader,
                            v1::UpsertSummary* summary);
  // Runs `call` as `rpc`: counted, exceptions answered INTERNAL.
  template <typename Call>
  grpc::Status Serve(Rpc rpc, Call&& call);

  WriteBackend* backend_;  // not owned
  WriteToken* token_;      // not owned
  RequestMetrics* metrics_;  // not owned, nullable
};

}  // namespace chaja::searchd

#endif  // CHAJA_SEARCHD_INDEX_SERVICE_H_
