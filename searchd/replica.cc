#include "searchd/replica.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "searchd/service.h"

namespace chaja::searchd {

absl::Status ReplicaWriteError(const std::string& primary) {
  return absl::FailedPreconditionError(
      absl::StrCat("read-only replica; write to the primary at ", primary));
}

ReplicaStatus::ReplicaStatus(std::string primary, absl::Duration deadline)
    : primary_(std::move(primary)),
      deadline_(deadline),
      stub_(v1::SearchService::NewStub(grpc::CreateChannel(primary_, grpc::InsecureChannelCredentials()))) {}

std::unique_ptr<grpc::ClientContext> ReplicaStatus::Context() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + absl::ToChronoNanoseconds(deadline_));
  return context;
}

void ReplicaStatus::Fill(v1::SiteStats* stats) {
  stats->set_role("replica");
  stats->set_primary(primary_);
  v1::GetSiteStatsRequest request;
  request.set_site(stats->name());
  v1::SiteStats primary;
  const grpc::Status status = stub_->GetSiteStats(Context().get(), request, &primary);
  if (!status.ok()) return SetError(absl::StrCat("primary ", primary_, ": ", status.error_message()), stats);
  Compare(primary, stats);
}

void ReplicaStatus::FillAll(v1::ListSitesResponse* sites) {
  v1::ListSitesResponse primary;
  const grpc::Status status = stub_->ListSites(Context().get(), v1::ListSitesRequest(), &primary);
  std::map<std::string, const v1::SiteStats*> by_name;
  for (const v1::SiteStats& site : primary.sites()) by_name[site.name()] = &site;
  for (v1::SiteStats& mine : *sites->mutable_sites()) {
    mine.set_role("replica");
    mine.set_primary(primary_);
    if (!status.ok()) {
      SetError(absl::StrCat("primary ", primary_, ": ", status.error_message()), &mine);
      continue;
    }
    auto it = by_name.find(mine.name());
    if (it == by_name.end()) {
      SetError("the primary does not list this site", &mine);
      continue;
    }
    Compare(*it->second, &mine);
  }
}

void ReplicaStatus::Compare(const v1::SiteStats& primary, v1::SiteStats* mine) {
  mine->set_primary_revision(primary.revision());
  mine->set_primary_index_uuid(primary.index_uuid());
  // Another UUID: the primary's index was replaced (a bulk import) and this
  // node waits for a full copy; revisions of two databases do not compare.
  const bool same_index = primary.index_uuid() == mine->index_uuid();
  const bool caught_up = same_index && mine->revision() >= primary.revision();
  if (!same_index) {
    mine->set_replication_error("the primary has another index (full copy pending)");
    mine->set_revisions_behind(primary.revision());
  } else if (!caught_up) {
    mine->set_revisions_behind(primary.revision() - mine->revision());
  }
  AddCaughtUp(caught_up, mine);
}

void ReplicaStatus::SetError(const std::string& error, v1::SiteStats* mine) {
  mine->set_replication_error(error);
  AddCaughtUp(/*caught_up=*/false, mine);
}

void ReplicaStatus::AddCaughtUp(bool caught_up, v1::SiteStats* mine) {
  const absl::Time now = absl::Now();
  std::lock_guard<std::mutex> lock(mu_);
  if (caught_up) caught_up_at_[mine->name()] = now;
  auto it = caught_up_at_.find(mine->name());
  if (it == caught_up_at_.end()) return;  // not seen caught up since this searchd started
  const int64_t nanos = absl::ToUnixNanos(it->second);
  mine->mutable_caught_up_at()->set_seconds(nanos / 1000000000);
  mine->mutable_caught_up_at()->set_nanos(static_cast<int32_t>(nanos % 1000000000));
  if (!caught_up) mine->set_seconds_behind(absl::ToDoubleSeconds(now - it->second));
}

grpc::Status ReplicaIndexService::Upsert(grpc::ServerContext*, grpc::ServerReader<v1::UpsertRequest>*,
                                         v1::UpsertSummary*) {
  return ToGrpcStatus(ReplicaWriteError(primary_));
}

grpc::Status ReplicaIndexService::Delete(grpc::ServerContext*, const v1::DeleteRequest*, v1::DeleteResponse*) {
  return ToGrpcStatus(ReplicaWriteError(primary_));
}

}  // namespace chaja::searchd
