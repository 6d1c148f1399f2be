#include "searchd/service.h"

#include <exception>

namespace chaja::searchd {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

grpc::Status SearchServiceImpl::Search(grpc::ServerContext* context, const v1::SearchRequest* request,
                                       v1::SearchResponse* response) {
  try {
    absl::StatusOr<v1::SearchResponse> result = backend_->Search(*request);
    if (result.ok()) *response = *std::move(result);
    return ToGrpcStatus(result.status());
  } catch (const std::exception& e) {
    // A bug, not user input; keep the daemon up and say so.
    return grpc::Status(grpc::StatusCode::INTERNAL, e.what());
  }
}

}  // namespace chaja::searchd
