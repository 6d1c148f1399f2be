// Backups of a site: a compacted copy of one revision, and putting it back.
//
// BackupSite reads the site through a read-only Xapian::Database, which sees
// one revision however many commits a writer (chaja-searchd, chaja-indexer)
// makes meanwhile, and compacts from that handle: the copy is consistent and
// nobody is stopped. If the writer recycles the blocks of that revision before
// the compaction ends, Xapian reports it (DatabaseModifiedError) and the copy
// starts over on the newest revision.
//
// A backup folder holds:
//   xapian/        the compacted glass database (document ids kept)
//   site.json      the site's settings, when it has them
//   manifest.txt   "key: value" lines: format, site, revision, uuid,
//                  documents, created, chaja_version
//
// RestoreSite swaps the backup in the way a bulk import does
// (SiteWriter::AdoptDatabase): one rename, under the site's write lock, with a
// revision above the old one, so readers (chaja-searchd) open it on their next
// refresh.
#ifndef CHAJA_INDEX_BACKUP_H_
#define CHAJA_INDEX_BACKUP_H_

#include <cstdint>
#include <string>

#include <xapian.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace chaja::index {

inline constexpr char kBackupManifestName[] = "manifest.txt";

struct BackupManifest {
  std::string site;              // the site it was taken from
  Xapian::rev revision = 0;      // the site's revision that was copied
  std::string uuid;              // the site's database uuid then
  uint64_t documents = 0;        // articles in that revision
  std::string created;           // RFC 3339, UTC
  std::string chaja_version;     // the version that wrote it
};

// Writes a compacted copy of the site's current revision (and its site.json)
// to `backup_dir`, which must not exist or be empty (FAILED_PRECONDITION
// otherwise).
// NOT_FOUND if the site has no database; ABORTED if writers outran every retry.
absl::StatusOr<BackupManifest> BackupSite(const std::string& data_dir, const std::string& site,
                                          const std::string& backup_dir);

// BackupSite's work on a database the caller opened (read-only): the copy is
// of the revision `db` reads, unless a writer recycled it meanwhile; then `db`
// is reopened on the newest. Not for concurrent use of `db`.
absl::StatusOr<BackupManifest> BackupDatabase(Xapian::Database& db, const std::string& site,
                                              const std::string& backup_dir);

// Reads the manifest of `backup_dir` and checks that its database opens and
// holds the documents the manifest counts. NOT_FOUND without a manifest,
// DATA_LOSS for a manifest or database that is damaged or disagrees.
absl::StatusOr<BackupManifest> VerifyBackup(const std::string& backup_dir);

// Verifies `backup_dir` and makes it site `site` of `data_dir` (created if
// new; any site name, not only the one backed up), site.json included. A site that has articles is
// replaced only with `force` (FAILED_PRECONDITION otherwise); UNAVAILABLE if
// another process holds the site's write lock.
absl::StatusOr<BackupManifest> RestoreSite(const std::string& backup_dir, const std::string& data_dir,
                                           const std::string& site, bool force);

}  // namespace chaja::index

#endif  // CHAJA_INDEX_BACKUP_H_
