// RevisionPins: the revisions of each site that searchd's own reads are
// using, so that its writer does not overwrite them.
//
// Xapian (glass) frees the blocks a revision no longer needs when the next
// revision is committed, and the changes made after that commit may reuse
// them. A reader of revision R is therefore safe while the writer makes R+1,
// and loses its revision (DatabaseModifiedError, or DATA_LOSS when it reads a
// block in the middle of being reused) once the writer changes the database
// after committing R+1. Reads retry on a new revision, but under a steady
// stream of commits a long read (facets over a big site) could lose several
// in a row; the soak saw 1 read in 450 fail so.
//
// So each read pins the newest committed revision before it opens (or
// refreshes) its reader, which then sees that revision or a newer one; after
// each commit, the writer waits until no read pins an older revision before it
// changes the site again. The wait is bounded (a read runs at most its
// deadline): a read older than that may still lose its revision, and retries.
//
// Thread-safe.
#ifndef CHAJA_SEARCHD_REVISION_PINS_H_
#define CHAJA_SEARCHD_REVISION_PINS_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>

namespace chaja::searchd {

class RevisionPins {
 public:
  // One read's pin on a site's revision; released when destroyed.
  class Pin {
   public:
    Pin() = default;
    Pin(Pin&& other) noexcept;
    Pin& operator=(Pin&& other) noexcept;
    ~Pin() { Release(); }
    // Pins the newest committed revision instead (before a retry refreshes
    // the reader).
    void Renew();

   private:
    friend class RevisionPins;
    void Release();
    RevisionPins* pins_ = nullptr;
    std::string site_;
    std::multiset<uint64_t>::iterator entry_;
  };

  // Pins the newest revision the writer has committed (0 before its first).
  Pin PinNewest(const std::string& site);
  // The writer committed `revision` of `site`.
  void Committed(const std::string& site, uint64_t revision);
  // The writer, before it changes `site` after a commit: waits until no read
  // pins a revision older than the newest committed one, or `max_wait` has
  // passed. Returns whether the reads were gone.
  bool WaitForOlderReads(const std::string& site, std::chrono::milliseconds max_wait);
  // Reads pinning `site` now, and changes waiting for some of them (for
  // tests and metrics).
  size_t PinnedReads(const std::string& site);
  size_t WaitingChanges(const std::string& site);

 private:
  struct SitePins {
    uint64_t newest = 0;
    std::multiset<uint64_t> in_use;
    size_t waiting = 0;
  };
  SitePins& SiteLocked(const std::string& site) { return sites_[site]; }

  std::mutex mu_;
  std::condition_variable released_;
  std::map<std::string, SitePins> sites_;
};

}  // namespace chaja::searchd

#endif  // CHAJA_SEARCHD_REVISION_PINS_H_
