// SiteRegistry: the sites searchd serves, one ServedSite each, made when a
// site is asked for. The registry's lock guards only the map and its order of
// use; each site's state has its own locks (served_site.h).
//
// A node serves thousands of sites but can hold only so many databases open:
// each open reader costs file descriptors (kFdsPerReader) and memory (Xapian's
// block caches, the site's column snapshot). So the registry keeps the sites'
// readers within a budget: before a site is opened, and whenever the readers
// open exceed the budget, it closes the least recently used sites that no
// request holds (a site held by a request is never closed under it), dropping
// their ServedSite whole, so a cold site costs nothing until asked again
// (issue 16). Sites with in-memory lists are kept: --memory_postings_max_mb
// bounds them.
//
// Thread-safe.
#ifndef CHAJA_SEARCHD_SITE_REGISTRY_H_
#define CHAJA_SEARCHD_SITE_REGISTRY_H_

#include <atomic>
#include <chrono>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "search/counting_pool.h"
#include "searchd/revision_pins.h"
#include "searchd/served_site.h"

namespace chaja::searchd {

// File descriptors one open reader of a site's glass database holds: one
// per table file, and a site has three (postlist, termlist, docdata: Chaja
// stores no positions, spelling or synonyms in Xapian), measured in
// site_registry_test.
inline constexpr int64_t kFdsPerReader = 3;
// Readers searchd holds open at most when --max_open_readers is not set and
// the file limit allows more: memory, not descriptors, bounds them then (an
// open small site takes about 77 KiB resident, bench/cold_sites.sh: 150 MiB
// for 2,000), and reopening a closed site costs about a millisecond.
inline constexpr int64_t kMaxDefaultOpenReaders = 2000;
// The reader budget for a process allowed `fd_limit` open files: a quarter
// of them (at least 128) kept for sockets, files and writers.
int64_t DefaultMaxOpenReaders(uint64_t fd_limit);

class SiteRegistry {
 public:
  // `pins` (nullable): where reads pin their revisions for this process's
  // writer. `max_open_readers`: the readers all sites may hold open (at
  // least 1; requests beyond it still get a reader when every open one is
  // in use).
  SiteRegistry(std::string data_dir, search::RankingParams ranking, RevisionPins* pins = nullptr,
               int64_t max_open_readers = kMaxDefaultOpenReaders);

  // The served site `name`: INVALID_ARGUMENT for a bad name, NOT_FOUND when
  // nothing has been indexed for it, UNAVAILABLE/DATA_LOSS for a database
  // that cannot be opened. Marks it the most recently used.
  absl::StatusOr<std::shared_ptr<ServedSite>> Get(const std::string& name);
  // The same site for one look (listing every site): one already open, or a
  // new ServedSite that is not kept (`*open` false), so a scan of all sites
  // does not close the sites readers use.
  absl::StatusOr<std::shared_ptr<ServedSite>> GetForScan(const std::string& name, bool* open);

  // Re-reads every site's site.json. An open site whose file is bad keeps its
  // previous settings (a closed one gets the defaults when opened again, with
  // a log line); the status names every such file (INVALID_ARGUMENT).
  absl::Status ReloadSettings();
  // Changes whenever ReloadSettings() runs.
  uint64_t settings_generation() const { return settings_generation_.load(); }

  // The site's settings as searchd uses them (defaults when there is no
  // site.json, or it is bad).
  std::shared_ptr<const index::SiteSettings> LoadSettings(const std::string& name) const;

  const std::string& data_dir() const { return data_dir_; }
  // The sites open now, in name order.
  std::vector<std::shared_ptr<ServedSite>> Sites();

  // Readers open now (all sites), the budget, and the sites closed to keep
  // within it since the start.
  int64_t open_readers() const { return readers_.value(); }
  int64_t max_open_readers() const { return max_open_readers_; }
  uint64_t sites_closed() const { return sites_closed_.load(); }

 private:
  struct Entry {
    std::shared_ptr<ServedSite> site;
    std::list<std::string>::iterator use;  // its place in uses_
  };
  // A new ServedSite for `name`, with a reader opened.
  absl::StatusOr<std::shared_ptr<ServedSite>> Open(const std::string& name);
  // Closes least recently used sites until `room` more readers fit the
  // budget, or no site can be closed; never `keep`.
  void CloseColdSites(int64_t room, const std::string& keep);
  // The sites to close (taken out of the map), under mu_.
  std::vector<std::shared_ptr<ServedSite>> TakeColdSitesLocked(int64_t room, const std::string& keep);
  // A line on the first closing, then at most one a minute.
  void LogClosed(size_t closed);

  const std::string data_dir_;
  const search::RankingParams ranking_;
  MemoryBudget budget_;
  // Counts facets beside the in-memory ranker: one thread fewer than the cores.
  search::CountingPool counting_;
  RevisionPins* const pins_;
  std::atomic<uint64_t> settings_generation_{0};
  const int64_t max_open_readers_;
  ReaderCount readers_;
  std::atomic<uint64_t> sites_closed_{0};
  std::mutex mu_;  // guards sites_, uses_ and the log's state
  // Each site's last good settings, closed sites' too: a site.json broken
  // while its site was closed must not give it the defaults when it opens.
  mutable std::mutex good_mu_;
  mutable std::map<std::string, std::shared_ptr<const index::SiteSettings>> last_good_settings_;
  std::map<std::string, Entry> sites_;
  // Site names, the most recently used first.
  std::list<std::string> uses_;
  uint64_t closed_since_log_ = 0;
  std::chrono::steady_clock::time_point last_log_;
};

}  // namespace chaja::searchd

#endif  // CHAJA_SEARCHD_SITE_REGISTRY_H_
