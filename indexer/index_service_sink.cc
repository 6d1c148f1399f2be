#include "indexer/index_service_sink.h"

#include "absl/strings/str_cat.h"

namespace chaja::indexer {

IndexServiceSink::IndexServiceSink(client::IndexClient* client, std::string site, index::ArticleLimits limits,
                                   std::function<void(const std::string&)> on_server_error)
    : client_(client), site_(std::move(site)), limits_(limits), on_server_error_(std::move(on_server_error)) {}

absl::Status IndexServiceSink::Upsert(const v1::Article& article, UpsertOutcome* outcome) {
  if (absl::Status s = index::ValidateArticle(article, limits_); !s.ok()) return s;
  if (stream_ == nullptr) {
    stream_ = client_->StartUpsert(site_);
    stream_ids_.clear();
  }
  if (absl::Status s = stream_->Write(article); !s.ok()) {
    // The server ended the stream (auth, a bad site, a crash): Finish says why.
    absl::StatusOr<v1::UpsertSummary> finished = stream_->Finish();
    stream_.reset();
    return finished.ok() ? s : finished.status();
  }
  stream_ids_.push_back(article.id());
  ++pending_;
  if (outcome != nullptr) *outcome = UpsertOutcome::kAdded;
  return absl::OkStatus();
}

absl::Status IndexServiceSink::Commit() {
  if (stream_ == nullptr) return absl::OkStatus();
  absl::StatusOr<v1::UpsertSummary> summary = stream_->Finish();
  stream_.reset();
  pending_ = 0;
  if (!summary.ok()) return summary.status();
  totals_.set_received(totals_.received() + summary->received());
  totals_.set_added(totals_.added() + summary->added());
  totals_.set_replaced(totals_.replaced() + summary->replaced());
  totals_.set_unchanged(totals_.unchanged() + summary->unchanged());
  totals_.set_rejected(totals_.rejected() + summary->rejected());
  totals_.set_document_count(summary->document_count());
  for (const v1::RecordError& error : summary->errors()) {
    if (on_server_error_) on_server_error_(absl::StrCat("searchd rejected \"", error.id(), "\": ", error.message()));
  }
  return absl::OkStatus();
}

absl::Status IndexServiceSink::Delete(const std::string& id) {
  v1::DeleteRequest request;
  request.set_site(site_);
  request.add_ids(id);
  absl::StatusOr<v1::DeleteResponse> response = client_->Delete(request);
  if (!response.ok()) return response.status();
  if (response->not_found_size() > 0) return absl::NotFoundError(absl::StrCat("no article with id \"", id, "\""));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> IndexServiceSink::AllIds() {
  return absl::FailedPreconditionError(
      "--prune needs the site's full id list: run it without --server (with chaja-searchd stopped, or started "
      "without --index_token_file)");
}

}  // namespace chaja::indexer
