#include "searchd/index_service.h"

#include <exception>
#include <optional>

#include "absl/strings/str_cat.h"
#include "index/site.h"
#include "index/status.h"
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

template <typename Call>
grpc::Status IndexServiceImpl::Serve(Rpc rpc, Call&& call) {
  std::optional<RequestMetrics::Scope> scope;
  if (metrics_ != nullptr) scope.emplace(metrics_, rpc, Transport::kGrpc);
  absl::Status status;
  try {
    status = call();
  } catch (const std::exception& e) {
    status = absl::InternalError(e.what());
  }
  if (scope) scope->Finish(status);
  return ToGrpcStatus(status);
}

grpc::Status IndexServiceImpl::Upsert(grpc::ServerContext* context, grpc::ServerReader<v1::UpsertRequest>* reader,
                                      v1::UpsertSummary* summary) {
  return Serve(Rpc::kUpsert, [&] { return UpsertStream(*context, reader, summary); });
}

absl::Status IndexServiceImpl::UpsertStream(const grpc::ServerContext& context,
                                            grpc::ServerReader<v1::UpsertRequest>* reader,
                                            v1::UpsertSummary* summary) {
  CHAJA_RETURN_IF_ERROR(Authorize(context, "Upsert"));
  std::string site;
  v1::UpsertRequest request;
  while (reader->Read(&request)) {
    summary->set_received(summary->received() + 1);
    if (site.empty()) {
      if (request.site().empty()) {
        return absl::InvalidArgumentError("the first UpsertRequest must name the site");
      }
      site = request.site();
      CHAJA_RETURN_IF_ERROR(index::ValidateSiteName(site));
    } else if (!request.site().empty() && request.site() != site) {
      return absl::InvalidArgumentError(
          absl::StrCat("one stream writes one site: got \"", request.site(), "\" after \"", site, "\""));
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
    if (!s.ok()) return s;
    switch (outcome) {
      case index::SiteWriter::UpsertOutcome::kAdded: summary->set_added(summary->added() + 1); break;
      case index::SiteWriter::UpsertOutcome::kReplaced: summary->set_replaced(summary->replaced() + 1); break;
      case index::SiteWriter::UpsertOutcome::kUnchanged: summary->set_unchanged(summary->unchanged() + 1); break;
    }
  }
  if (site.empty()) return absl::OkStatus();  // an empty stream changes nothing
  absl::StatusOr<uint64_t> count = backend_->Commit(site);
  if (!count.ok()) return count.status();
  summary->set_document_count(*count);
  return absl::OkStatus();
}

grpc::Status IndexServiceImpl::Delete(grpc::ServerContext* context, const v1::DeleteRequest* request,
                                      v1::DeleteResponse* response) {
  return Serve(Rpc::kDelete, [&]() -> absl::Status {
    CHAJA_RETURN_IF_ERROR(Authorize(*context, "Delete"));
    absl::StatusOr<v1::DeleteResponse> result = backend_->Delete(*request);
    if (result.ok()) *response = *std::move(result);
    return result.status();
  });
}

}  // namespace chaja::searchd
