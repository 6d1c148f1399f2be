// ServedSite: one site as searchd serves it. It owns, each under its own
// lock, what the site's requests share: a pool of SiteReaders (a Xapian
// database handle serves one request at a time), the site's settings, the
// column snapshot of the newest revision, and the in-memory posting lists of
// big sites with the thread that loads them and the scratch buffers their
// ranker uses. A request borrows a refreshed reader and gets a SiteView of
// that reader's revision: the read side never calls back into searchd.
//
// Nothing here is shared with another site, so one site's reload (a new
// column snapshot, a load of its lists) never blocks another site's requests.
//
// Thread-safe.
#ifndef CHAJA_SEARCHD_SERVED_SITE_H_
#define CHAJA_SEARCHD_SERVED_SITE_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "chaja/v1/search.pb.h"
#include "index/site_config.h"
#include "search/memory_postings.h"
#include "search/memory_ranker.h"
#include "search/ranking.h"
#include "search/site_reader.h"
#include "searchd/revision_pins.h"

namespace chaja::searchd {

// The bytes of in-memory lists (and their rankers' scratch buffers) all sites
// may hold together: RankingParams::memory_postings_max_bytes.
class MemoryBudget {
 public:
  explicit MemoryBudget(uint64_t max_bytes) : max_bytes_(max_bytes) {}
  // Bytes not yet charged.
  uint64_t Left() const;
  void Charge(uint64_t bytes) { used_.fetch_add(bytes); }
  void Refund(uint64_t bytes) { used_.fetch_sub(bytes); }

 private:
  const uint64_t max_bytes_;
  std::atomic<uint64_t> used_{0};
};

// The Xapian readers all of a registry's sites hold open, idle or lent to a
// request: each costs file descriptors (kFdsPerReader), so the registry
// keeps their number under a budget (site_registry.h).
class ReaderCount {
 public:
  void Add(int64_t n) { open_.fetch_add(n, std::memory_order_relaxed); }
  int64_t value() const { return open_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> open_{0};
};

class ServedSite {
 public:
  using ReadFn = std::function<absl::Status(search::SiteReader&, const search::SiteView&)>;

  // `first` is an open reader of the site's database at `path`; `budget`,
  // `counting`, `readers` (nullable: not counted) and `pins` (nullable: no
  // writer in this process) are shared with the other sites.
  ServedSite(std::string name, std::string path, std::unique_ptr<search::SiteReader> first,
             std::shared_ptr<const index::SiteSettings> settings, const search::RankingParams& ranking,
             MemoryBudget* budget, search::CountingPool* counting, RevisionPins* pins = nullptr,
             ReaderCount* readers = nullptr);
  // Stops a load of the lists early and waits for it; closes the idle
  // readers (a site is destroyed only when no request holds it, so all are).
  ~ServedSite();
  ServedSite(const ServedSite&) = delete;
  ServedSite& operator=(const ServedSite&) = delete;

  // Runs `fn` with a refreshed reader and a view of its revision, again with
  // a new view when it fails with ABORTED (the database changed under it),
  // while `deadline` allows (search::RetryWhenModified).
  // Reads that need only the database (an article, the stats, the HTTP ETag
  // check before every request) pass `shared_parts` false: their view has the
  // settings alone, so they never build a column snapshot or start a load.
  template <typename T>
  absl::StatusOr<T> Read(const std::function<absl::StatusOr<T>(search::SiteReader&, const search::SiteView&)>& fn,
                         bool shared_parts = true, const search::Deadline& deadline = search::Deadline());

  const std::string& name() const { return name_; }
  const std::string& path() const { return path_; }
  std::shared_ptr<const index::SiteSettings> settings() const;
  void set_settings(std::shared_ptr<const index::SiteSettings> settings);
  // The in-memory lists' size and revision, if any are loaded.
  void AddMemoryStats(v1::SiteStats* stats) const;
  // The site's readers open now (idle or lent) and when the site was opened.
  void AddOpenStats(v1::SiteStats* stats) const;
  int64_t open_readers() const { return open_readers_.load(std::memory_order_relaxed); }
  // Whether the site holds in-memory lists or is loading them: closing it
  // would throw away seconds of loading (their number is bounded by
  // --memory_postings_max_mb, not by the reader budget).
  bool HoldsMemoryLists() const;
  // Holds the column snapshot's lock, as a rebuild does (for tests).
  std::unique_lock<std::mutex> HoldColumnsLockForTest() { return std::unique_lock<std::mutex>(columns_mu_); }

 private:
  class ScratchLease;
  // The plumbing of Read(): `fn` returns the status of its result.
  absl::Status Run(const ReadFn& fn, bool shared_parts, const search::Deadline& deadline);
  absl::StatusOr<std::unique_ptr<search::SiteReader>> Borrow();
  void Return(std::unique_ptr<search::SiteReader> reader);
  // Counts readers opened (n > 0) or closed (n < 0), here and node-wide.
  void CountReaders(int64_t n);
  absl::StatusOr<search::SiteView> ViewOf(const search::SiteReader& reader, bool shared_parts, ScratchLease* scratch);
  absl::StatusOr<std::shared_ptr<const index::SiteColumns>> Columns(const search::SiteReader& reader,
                                                                   const index::IndexVersion& version);
  // The tags of `columns` merged under `settings`: made once per pair.
  std::shared_ptr<const search::TagGroups> TagGroupsOf(const std::shared_ptr<const index::SiteColumns>& columns,
                                                       const std::shared_ptr<const index::SiteSettings>& settings);
  // The lists of `version`, or nullptr; a big site whose lists are missing
  // or stale gets a background load, at most one at a time and, after the
  // first, no sooner than ten load times after the last, and only once its
  // revision has held for a load time: a load outlived by a commit is wasted
  // (its lists are of an old revision, or the commit discards what it reads),
  // so a site under a stream of commits is answered by Xapian and spends
  // neither a core nor the lists' memory on loads that cannot serve.
  std::shared_ptr<const search::MemoryPostings> Postings(const index::IndexVersion& version, uint64_t doc_count);
  void LoadPostings();
  std::unique_ptr<search::MemoryRankerScratch> TakeScratch();
  void GiveScratch(std::unique_ptr<search::MemoryRankerScratch> scratch);

  const std::string name_;
  const std::string path_;
  const search::RankingParams ranking_;
  MemoryBudget* const budget_;
  search::CountingPool* const counting_;
  RevisionPins* const pins_;
  ReaderCount* const node_readers_;
  std::atomic<int64_t> open_readers_{0};
  const std::chrono::system_clock::time_point opened_at_ = std::chrono::system_clock::now();

  std::mutex readers_mu_;
  std::vector<std::unique_ptr<search::SiteReader>> idle_readers_;

  mutable std::mutex settings_mu_;
  std::shared_ptr<const index::SiteSettings> settings_;

  // One build per revision: concurrent requests wait for it rather than repeat it.
  std::mutex columns_mu_;
  std::shared_ptr<const index::SiteColumns> columns_;

  std::mutex tag_groups_mu_;
  std::shared_ptr<const search::TagGroups> tag_groups_;
  // What tag_groups_ was made of.
  std::shared_ptr<const index::SiteColumns> tag_groups_columns_;
  std::shared_ptr<const index::SiteSettings> tag_groups_settings_;

  mutable std::mutex postings_mu_;
  std::shared_ptr<const search::MemoryPostings> postings_;
  uint64_t charged_bytes_ = 0;  // lists + scratch buffers, charged to budget_
  bool loading_ = false;
  std::chrono::steady_clock::time_point next_load_;
  // The newest revision requests have read and since when; the last load's time.
  uint64_t newest_revision_ = 0;
  std::chrono::steady_clock::time_point newest_revision_since_;
  std::chrono::steady_clock::duration last_load_time_{0};
  std::thread loader_;
  std::vector<std::unique_ptr<search::MemoryRankerScratch>> idle_scratch_;
  uint32_t scratch_count_ = 0;
  std::atomic<bool> stopping_{false};
};

template <typename T>
absl::StatusOr<T> ServedSite::Read(
    const std::function<absl::StatusOr<T>(search::SiteReader&, const search::SiteView&)>& fn, bool shared_parts,
    const search::Deadline& deadline) {
  absl::StatusOr<T> result = absl::UnknownError("not run");
  const absl::Status status = Run(
      [&](search::SiteReader& reader, const search::SiteView& view) {
        result = fn(reader, view);
        return result.status();
      },
      shared_parts, deadline);
  if (!status.ok()) return status;
  return result;
}

}  // namespace chaja::searchd

#endif  // CHAJA_SEARCHD_SERVED_SITE_H_
