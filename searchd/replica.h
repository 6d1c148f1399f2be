// A searchd started with --primary HOST:PORT serves a replica: its sites are
// copies that xapian-replicate keeps in step with the primary's
// (docs/replication.md). It takes no writes, and its site stats say how far
// behind the primary each site is. Its health (gRPC health service and
// /healthz) says NOT_SERVING while its copies lag more than --max_lag_seconds,
// judged from chaja-replicate's status file, so that the proxy takes it out of
// rotation and brings it back once it has caught up.
//
// Thread-safe.
#ifndef CHAJA_SEARCHD_REPLICA_H_
#define CHAJA_SEARCHD_REPLICA_H_

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "chaja/v1/index.grpc.pb.h"
#include "chaja/v1/search.grpc.pb.h"

namespace chaja::searchd {

// The answer to every write on a replica.
absl::Status ReplicaWriteError(const std::string& primary);

// The file chaja-replicate rewrites after every round, in the replica's data
// folder (docs/replication.md): "round_at T", "primary ok|unreachable", and
// "site NAME T" per site, T being the time (Unix seconds) since which the
// copy has everything the primary had.
inline constexpr char kReplicationStatusFile[] = ".chaja-replicate/status";

// Whether a replica is fresh enough to take reads.
struct ReplicationHealth {
  bool serving = true;
  double lag_seconds = 0;  // the worst site's; 0 while unknown
  std::string message;     // why not serving, or what is unknown
};

// Judges `status` (the file's text; nullopt if there is none yet) at `now`,
// for a searchd started at `started`. A stale file (no round for max_lag: the
// driver is down or stuck) or a site behind by more than max_lag is not
// serving. A round in which the primary did not answer is: the copies are
// then the freshest data there is, and reads must go on without the primary.
ReplicationHealth JudgeReplication(const std::optional<std::string>& status, absl::Time now, absl::Time started,
                                   absl::Duration max_lag);

class ReplicaStatus {
 public:
  // `primary`: the primary searchd's gRPC address (plaintext).
  explicit ReplicaStatus(std::string primary, absl::Duration deadline = absl::Seconds(1));

  const std::string& primary() const { return primary_; }
  // Asks the primary for `stats`' site and sets the replication fields.
  void Fill(v1::SiteStats* stats);
  // Asks the primary for all its sites at once (one call) and sets each
  // listed site's fields.
  void FillAll(v1::ListSitesResponse* sites);

  // Judges `data_dir`'s status file every `every` from now on, calling
  // `on_change(serving)` when the verdict changes (and once at first);
  // health() answers from the last verdict, so health checks cost no call
  // to the primary. StopWatching() (or destruction) ends it.
  void WatchHealth(const std::string& data_dir, absl::Duration max_lag, absl::Duration every,
                   std::function<void(bool serving)> on_change);
  void StopWatching();
  ~ReplicaStatus() { StopWatching(); }
  ReplicationHealth health() const;

 private:
  void JudgeNow(const std::string& status_path, absl::Duration max_lag, absl::Time started,
                const std::function<void(bool)>& on_change);
  // Sets `mine`'s fields from the primary's stats of the same site.
  void Compare(const v1::SiteStats& primary, v1::SiteStats* mine);
  void SetError(const std::string& error, v1::SiteStats* mine);
  // Records `caught_up` and sets caught_up_at and seconds_behind.
  void AddCaughtUp(bool caught_up, v1::SiteStats* mine);
  std::unique_ptr<grpc::ClientContext> Context() const;

  const std::string primary_;
  const absl::Duration deadline_;
  std::unique_ptr<v1::SearchService::Stub> stub_;
  mutable std::mutex mu_;
  // Per site, when this node was last seen caught up.
  std::map<std::string, absl::Time> caught_up_at_;
  ReplicationHealth health_;  // guarded by mu_
  bool judged_ = false;       // guarded by mu_
  bool watching_ = false;     // guarded by mu_
  std::condition_variable stop_;
  std::thread watcher_;
};

// IndexService on a replica: every write is refused with ReplicaWriteError,
// so a writer pointed at the wrong node learns where the primary is.
class ReplicaIndexService final : public v1::IndexService::Service {
 public:
  explicit ReplicaIndexService(std::string primary) : primary_(std::move(primary)) {}
  grpc::Status Upsert(grpc::ServerContext* context, grpc::ServerReader<v1::UpsertRequest>* reader,
                      v1::UpsertSummary* summary) override;
  grpc::Status Delete(grpc::ServerContext* context, const v1::DeleteRequest* request,
                      v1::DeleteResponse* response) override;

 private:
  const std::string primary_;
};

}  // namespace chaja::searchd

#endif  // CHAJA_SEARCHD_REPLICA_H_
