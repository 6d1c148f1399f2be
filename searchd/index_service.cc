#include "searchd/index_service.h"

#include <chrono>
#include <cstdio>
#include <exception>
#include <thread>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "index/site.h"
#include "searchd/service.h"

namespace chaja::searchd {
namespace {

constexpr size_t kMaxReportedErrors = 1000;
// How long a call with a wrong or missing write token waits before its answer.
constexpr auto kFailedAuthPause = std::chrono::milliseconds(250);

// Compares without an early exit, so timing does not reveal the token's bytes.
bool SameToken(absl::string_view given, absl::string_view expected) {
  if (given.size() != expected.size() || expected.empty()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < given.size(); ++i) diff |= static_cast<unsigned char>(given[i] ^ expected[i]);
  return diff == 0;
}

}  // namespace

absl::Status CheckBearerToken(const grpc::ServerContext& context, const std::string& token) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) {
    return absl::UnauthenticatedError("IndexService needs \"authorization: Bearer <token>\" metadata");
  }
  absl::string_view value(it->second.data(), it->second.size());
  if (!absl::ConsumePrefix(&value, "Bearer ")) {
    return absl::UnauthenticatedError("authorization metadata must be \"Bearer <token>\"");
  }
  if (!SameToken(value, token)) return absl::PermissionDeniedError("wrong index token");
  return absl::OkStatus();
}

absl::Status IndexServiceImpl::Authorize(const grpc::ServerContext& context, const char* rpc) {
  absl::Status status = CheckBearerToken(context, token_);
  if (status.ok()) return status;
  const uint64_t failures = failures_.fetch_add(1) + 1;
  const int64_t now = absl::ToUnixSeconds(absl::Now());
  int64_t last = last_log_second_.load();
  if (now != last && last_log_second_.compare_exchange_strong(last, now)) {
    std::fprintf(stderr, "chaja-searchd: auth_failed rpc=%s peer=%s reason=\"%s\" failures_total=%llu\n", rpc,
                 context.peer().c_str(), std::string(status.message()).c_str(),
                 static_cast<unsigned long long>(failures));
  }
  std::this_thread::sleep_for(kFailedAuthPause);
  return status;
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
