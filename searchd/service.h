// The gRPC face of searchd: chaja.v1.SearchService over a SearchBackend.
// Handlers never throw; each ends in one ToGrpcStatus() of the backend's status.
//
// Thread-safe (gRPC calls handlers from its thread pool).
#ifndef CHAJA_SEARCHD_SERVICE_H_
#define CHAJA_SEARCHD_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "chaja/v1/search.grpc.pb.h"
#include "searchd/search_backend.h"

namespace chaja::searchd {

// absl and gRPC share status codes (absl/status/status.h says so code by code),
// so the conversion copies code and message.
grpc::Status ToGrpcStatus(const absl::Status& status);

class SearchServiceImpl final : public v1::SearchService::Service {
 public:
  explicit SearchServiceImpl(SearchBackend* backend) : backend_(backend) {}

  grpc::Status Search(grpc::ServerContext* context, const v1::SearchRequest* request,
                      v1::SearchResponse* response) override;

 private:
  SearchBackend* backend_;  // not owned
};

}  // namespace chaja::searchd

#endif  // CHAJA_SEARCHD_SERVICE_H_
