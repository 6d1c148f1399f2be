// A searchd started with --primary HOST:PORT serves a replica: its sites are
// copies that xapian-replicate keeps in step with the primary's
// (docs/replication.md). It takes no writes, and its site stats say how far
// behind the primary each site is.
//
// Thread-safe.
#ifndef CHAJA_SEARCHD_REPLICA_H_
#define CHAJA_SEARCHD_REPLICA_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "chaja/v1/index.grpc.pb.h"
#include "chaja/v1/search.grpc.pb.h"

namespace chaja::searchd {

// The answer to every write on a replica.
absl::Status ReplicaWriteError(const std::string& primary);

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

 private:
  // Sets `mine`'s fields from the primary's stats of the same site.
  void Compare(const v1::SiteStats& primary, v1::SiteStats* mine);
  void SetError(const std::string& error, v1::SiteStats* mine);
  // Records `caught_up` and sets caught_up_at and seconds_behind.
  void AddCaughtUp(bool caught_up, v1::SiteStats* mine);
  std::unique_ptr<grpc::ClientContext> Context() const;

  const std::string primary_;
  const absl::Duration deadline_;
  std::unique_ptr<v1::SearchService::Stub> stub_;
  std::mutex mu_;
  // Per site, when this node was last seen caught up.
  std::map<std::string, absl::Time> caught_up_at_;
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
