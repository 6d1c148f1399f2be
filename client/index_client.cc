#include "client/index_client.h"

#include "absl/strings/str_cat.h"
#include "client/channel.h"

namespace chaja::client {

IndexClient::IndexClient(std::shared_ptr<grpc::Channel> channel, std::string token, std::string address)
    : stub_(v1::IndexService::NewStub(std::move(channel))), token_(std::move(token)), address_(std::move(address)) {}

std::unique_ptr<IndexClient::UpsertStream> IndexClient::StartUpsert(const std::string& site) const {
  std::unique_ptr<UpsertStream> stream(new UpsertStream());
  stream->site_ = site;
  if (!token_.empty()) stream->context_.AddMetadata("authorization", absl::StrCat("Bearer ", token_));
  SetSiteHeader(&stream->context_, site);  // for a proxy (docs/cluster.md)
  stream->writer_ = stub_->Upsert(&stream->context_, &stream->summary_);
  return stream;
}

absl::Status IndexClient::UpsertStream::Write(const v1::Article& article) {
  if (broken_) return absl::UnavailableError("the stream is closed");
  v1::UpsertRequest request;
  if (first_) request.set_site(site_);
  first_ = false;
  *request.mutable_article() = article;
  if (!writer_->Write(request)) {
    broken_ = true;
    return absl::UnavailableError("the server closed the stream");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::UpsertSummary> IndexClient::UpsertStream::Finish() {
  if (!broken_) writer_->WritesDone();
  const grpc::Status status = writer_->Finish();
  if (!status.ok()) return FromGrpcStatus(status, context_.peer(), "IndexService.Upsert");
  return summary_;
}

absl::StatusOr<v1::DeleteResponse> IndexClient::Delete(const v1::DeleteRequest& request,
                                                       std::chrono::milliseconds timeout) const {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  if (!token_.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", token_));
  SetSiteHeader(&context, request.site());
  v1::DeleteResponse response;
  const grpc::Status status = stub_->Delete(&context, request, &response);
  if (!status.ok()) return FromGrpcStatus(status, address_, "IndexService.Delete");
  return response;
}

}  // namespace chaja::client
