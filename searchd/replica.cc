#include "searchd/replica.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "searchd/service.h"

namespace chaja::searchd {

absl::Status ReplicaWriteError(const std::string& primary) {
  return absl::FailedPreconditionError(
      absl::StrCat("read-only replica; write to the primary at ", primary));
}

namespace {

// The status file's fields; nullopt if it does not parse.
struct DriverStatus {
  absl::Time round_at;
  bool primary_answered = false;
  std::map<std::string, absl::Time> caught_up_at;
};

std::optional<absl::Time> ParseTime(absl::string_view text) {
  double seconds = 0;
  if (!absl::SimpleAtod(text, &seconds) || seconds <= 0) return std::nullopt;
  return absl::FromUnixNanos(static_cast<int64_t>(seconds * 1e9));
}

std::optional<DriverStatus> ParseDriverStatus(const std::string& text) {
  DriverStatus status;
  bool has_round = false;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    const std::vector<absl::string_view> f = absl::StrSplit(line, ' ', absl::SkipEmpty());
    std::optional<absl::Time> at = f.empty() ? std::nullopt : ParseTime(f.back());
    if (f.size() == 2 && f[0] == "round_at" && at) {
      status.round_at = *at;
      has_round = true;
    } else if (f.size() == 2 && f[0] == "primary") {
      status.primary_answered = f[1] == "ok";
    } else if (f.size() == 3 && f[0] == "site" && at) {
      status.caught_up_at[std::string(f[1])] = *at;
    } else {
      return std::nullopt;
    }
  }
  if (!has_round) return std::nullopt;
  return status;
}

ReplicationHealth NotServing(double lag_seconds, std::string message) {
  return {false, lag_seconds, std::move(message)};
}

std::optional<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

ReplicationHealth JudgeReplication(const std::optional<std::string>& text, absl::Time now, absl::Time started,
                                   absl::Duration max_lag) {
  const std::optional<DriverStatus> status = text ? ParseDriverStatus(*text) : std::nullopt;
  const double limit = absl::ToDoubleSeconds(max_lag);
  // A round from before this searchd started (both restarted) gets the same
  // grace as no round: the new driver's first round is on its way.
  const bool from_before = status && status->round_at < started;
  if (!status || from_before) {
    // A driver gets max_lag from searchd's start to finish its first round.
    const double waited = absl::ToDoubleSeconds(now - started);
    std::string why = from_before ? "no round of chaja-replicate since searchd started"
                      : text      ? "chaja-replicate's status file does not parse"
                                  : "no round of chaja-replicate yet";
    if (waited <= limit) return {true, 0, why};
    return NotServing(waited, absl::StrFormat("%s after %.1f s (is chaja-replicate running? docs/replication.md)",
                                              why, waited));
  }
  const double round_age = absl::ToDoubleSeconds(now - status->round_at);
  if (round_age > limit) {
    return NotServing(round_age, absl::StrFormat("chaja-replicate's last round ended %.1f s ago (max_lag_seconds %g)",
                                                 round_age, limit));
  }
  if (!status->primary_answered) {
    return {true, 0, "the primary did not answer chaja-replicate's last round: serving the copies as they are"};
  }
  ReplicationHealth health;
  for (const auto& [site, at] : status->caught_up_at) {
    const double lag = std::max(0.0, absl::ToDoubleSeconds(now - at));
    if (lag <= health.lag_seconds) continue;
    health.lag_seconds = lag;
    if (lag > limit) {
      health = NotServing(lag, absl::StrFormat("site %s is %.1f s behind the primary (max_lag_seconds %g)", site,
                                               lag, limit));
    }
  }
  return health;
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

void ReplicaStatus::WatchHealth(const std::string& data_dir, absl::Duration max_lag, absl::Duration every,
                                std::function<void(bool serving)> on_change) {
  StopWatching();
  std::lock_guard<std::mutex> lock(mu_);
  watching_ = true;
  watcher_ = std::thread([this, path = data_dir + "/" + kReplicationStatusFile, max_lag, every,
                          on_change = std::move(on_change), started = absl::Now()] {
    std::unique_lock<std::mutex> lock(mu_);
    while (watching_) {
      lock.unlock();
      JudgeNow(path, max_lag, started, on_change);
      lock.lock();
      stop_.wait_for(lock, absl::ToChronoNanoseconds(every), [this] { return !watching_; });
    }
  });
}

void ReplicaStatus::JudgeNow(const std::string& status_path, absl::Duration max_lag, absl::Time started,
                             const std::function<void(bool)>& on_change) {
  ReplicationHealth now = JudgeReplication(ReadWhole(status_path), absl::Now(), started, max_lag);
  const bool serving = now.serving;
  bool changed = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    changed = !judged_ || serving != health_.serving;
    judged_ = true;
    health_ = now;
  }
  if (!changed) return;
  std::fprintf(stderr, "chaja-searchd: replica %s%s%s\n", serving ? "SERVING" : "NOT_SERVING",
               now.message.empty() ? "" : ": ", now.message.c_str());
  if (on_change) on_change(serving);
}

void ReplicaStatus::StopWatching() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    watching_ = false;
  }
  stop_.notify_all();
  if (watcher_.joinable()) watcher_.join();
}

ReplicationHealth ReplicaStatus::health() const {
  std::lock_guard<std::mutex> lock(mu_);
  return health_;
}

grpc::Status ReplicaIndexService::Upsert(grpc::ServerContext*, grpc::ServerReader<v1::UpsertRequest>*,
                                         v1::UpsertSummary*) {
  return ToGrpcStatus(ReplicaWriteError(primary_));
}

grpc::Status ReplicaIndexService::Delete(grpc::ServerContext*, const v1::DeleteRequest*, v1::DeleteResponse*) {
  return ToGrpcStatus(ReplicaWriteError(primary_));
}

}  // namespace chaja::searchd
