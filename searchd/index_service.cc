#include "searchd/index_service.h"

#include <exception>

#include "absl/strings/str_cat.h"
#include "index/site.h"
#include "searchd/service.h"

namespace chaja::searchd {
namespace {

constexpr size_t kMaxReportedErrors = 1000;

}  // namespace

std::optional<std::string> AuthorizationOf(const grpc::ServerContext& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) return std::nullopt;
  return std::string(it->second.data(), it->second.size());
}

absl::Status IndexServiceImpl::Authorize(const grpc::ServerContext& context, const char* rpc) {
  return token_->Check(AuthorizationOf(context), context.peer(), rpc);
}

grpc::Status IndexServiceImpl::Upsert(grpc::ServerContext* context, grpc::ServerReader<v1::UpsertRequest>* reader,
                                      v1::UpsertSummary* summary) {
  try {
    if (absl::Status s = Authorize(*context, "Upsert"); !s.ok()) return ToGrpcStatus(s);
    std::string site;
    v1::UpsertRequest request;
    while (reader->Read(&request)) {
      summary->set_received(summary->received() + 1);
      if (site.empty()) {
        if (request.site().empty()) {
          return ToGrpcStatus(absl::InvalidArgumentError("the first UpsertRequest must name the site"));
        }
        site = request.site();
        if (absl::Status s = index::ValidateSiteName(site); !s.ok()) return ToGrpcStatus(s);
      } else if (!request.site().empty() && request.site() != site) {
        return ToGrpcStatus(absl::InvalidArgumentError(
            absl::StrCat("one stream writes one site: got \"", request.site(), "\" after \"", site, "\"")));
      }
      index::SiteWriter::UpsertOutcome outcome;
      const absl::Status s = backend_->Upsert(site, request.article(), &outcome);
      if (s.code() == absl::StatusCode::kInvalidArgument) {
        summary->set_rejected(summary->rejected() + 1);
        if (static_cast<size_t>(summary->errors_size()) < kMaxReportedErrors) {
          v1::RecordError* error = summary->add_errors();
          error->set_index(summary->received());
          error->set_id(request.article().id());
          error->set_message(std::string(s.message()));
        }
        continue;
      }
      if (!s.ok()) return ToGrpcStatus(s);
      switch (outcome) {
        case index::SiteWriter::UpsertOutcome::kAdded: summary->set_added(summary->added() + 1); break;
        case index::SiteWriter::UpsertOutcome::kReplaced: summary->set_replaced(summary->replaced() + 1); break;
        case index::SiteWriter::UpsertOutcome::kUnchanged: summary->set_unchanged(summary->unchanged() + 1); break;
      }
    }
    if (site.empty()) return grpc::Status::OK;  // an empty stream changes nothing
    absl::StatusOr<uint64_t> count = backend_->Commit(site);
    if (!count.ok()) return ToGrpcStatus(count.status());
    summary->set_document_count(*count);
    return grpc::Status::OK;
  } catch (const std::exception& e) {
    return grpc::Status(grpc::StatusCode::INTERNAL, e.what());
  }
}

grpc::Status IndexServiceImpl::Delete(grpc::ServerContext* context, const v1::DeleteRequest* request,
                                      v1::DeleteResponse* response) {
  try {
    if (absl::Status s = Authorize(*context, "Delete"); !s.ok()) return ToGrpcStatus(s);
    absl::StatusOr<v1::DeleteResponse> result = backend_->Delete(*request);
    if (result.ok()) *response = *std::move(result);
    return ToGrpcStatus(result.status());
  } catch (const std::exception& e) {
    return grpc::Status(grpc::StatusCode::INTERNAL, e.what());
  }
}

}  // namespace chaja::searchd
