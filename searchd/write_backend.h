// WriteBackend: live updates through searchd (IndexService), independent of
// the transport, like SearchBackend is for reads.
//
// When writes are enabled searchd holds the Xapian write lock of every site it
// serves, so it is the only writer: chaja-indexer opening a site directly then
// fails and tells the user to send through --server.
//
// Changes are committed when a site has kBatchSize pending changes, when an
// upsert stream ends (at most one commit per kMinCommitInterval: streams
// ending meanwhile share it), and by a flusher thread once a change has
// waited kMaxCommitDelay, so a trickle of single posts is searchable within
// about a second. A crash loses at most the uncommitted changes; commits are atomic.
//
// Thread-safe: each site's SiteWriter is guarded by its own mutex.
#ifndef CHAJA_SEARCHD_WRITE_BACKEND_H_
#define CHAJA_SEARCHD_WRITE_BACKEND_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "chaja/v1/index.pb.h"
#include "index/site_writer.h"
#include "searchd/metrics.h"
#include "searchd/revision_pins.h"

namespace chaja::searchd {

class WriteBackend {
 public:
  static constexpr size_t kBatchSize = 5000;
  static constexpr std::chrono::milliseconds kMaxCommitDelay{800};
  // Commits of one site are at least this far apart: streams that end
  // meanwhile wait and share the next commit. Xapian discards a revision
  // being read two commits later, so a stream of single-post writes (20 a
  // second in the soak) committed one by one made most searches fail.
  static constexpr std::chrono::milliseconds kMinCommitInterval{250};

  // After a commit, a change waits at most this long in all for the reads of
  // older revisions to end (revision_pins.h): the default search deadline
  // (a read past it has failed anyway unless it asked for more).
  static constexpr std::chrono::milliseconds kMaxWaitForReads{2000};

  // `pins` (nullable): the revisions this process's reads use.
  explicit WriteBackend(std::string data_dir, RevisionPins* pins = nullptr);
  // Commits everything pending and stops the flusher.
  ~WriteBackend();

  // Opens (and locks) every site already under the data folder. UNAVAILABLE,
  // naming the site, if another process is writing one of them.
  absl::Status OpenExistingSites();

  // Upserts one article of a stream. INVALID_ARGUMENT for a bad record (the
  // caller reports it and goes on); other codes are fatal for the stream.
  absl::Status Upsert(const std::string& site, const v1::Article& article,
                      index::SiteWriter::UpsertOutcome* outcome);
  // Commits `site` (within kMinCommitInterval, shared with the streams that
  // end meanwhile); returns its document count after the commit.
  absl::StatusOr<uint64_t> Commit(const std::string& site);
  absl::StatusOr<v1::DeleteResponse> Delete(const v1::DeleteRequest& request);
  // Commits every site with pending changes.
  absl::Status CommitAll();

  // For /metrics: commits so far by site (name order; the count is also the
  // number of sites open for writing, one Xapian database each), and how
  // long they took.
  std::vector<std::pair<std::string, uint64_t>> CommitCounts();
  const Histogram& commit_durations() const { return commit_durations_; }

 private:
  struct Site {
    std::string name;
    std::mutex mu;
    std::unique_ptr<index::SiteWriter> writer;
    std::chrono::steady_clock::time_point first_pending;
    std::atomic<uint64_t> commits{0};  // read by CommitCounts() without mu
    // Commits tried so far, the last one's time and status: a stream waiting
    // for a commit knows whether another thread made it, and how it went.
    uint64_t generation = 0;
    std::chrono::steady_clock::time_point last_commit;
    absl::Status last_status;
    std::condition_variable committed;
    // A commit was made since the last change: the next change first waits
    // for reads of older revisions. One stream waits for them, unlocked; the
    // streams that arrive meanwhile wait for it and then share its commit.
    bool reads_to_wait_for = false;
    bool waiting_for_reads = false;
    std::condition_variable reads_gone;
  };
  // The site's writer, opening (and creating) the site on first use.
  absl::StatusOr<Site*> GetSite(const std::string& site);
  // The site if it is open or its database exists (opening it), else null:
  // a site is created only by its first good article, so a mistyped name
  // leaves nothing behind.
  absl::StatusOr<Site*> ExistingSite(const std::string& site);
  absl::Status CommitLocked(Site* site);
  // Before changing `site`; `lock` holds its mutex (released while waiting).
  // Waits kMaxWaitForReads at most in all, however many commits land meanwhile.
  void WaitForOlderReads(Site* site, std::unique_lock<std::mutex>* lock);
  void FlushLoop();

  const std::string data_dir_;
  RevisionPins* const pins_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<Site>> sites_;
  Histogram commit_durations_;
  std::mutex flusher_mu_;
  std::condition_variable flusher_cv_;
  bool stopping_ = false;
  std::thread flusher_;
};

}  // namespace chaja::searchd

#endif  // CHAJA_SEARCHD_WRITE_BACKEND_H_
