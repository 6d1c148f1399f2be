#include "index/backup.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "index/site.h"
#include "index/site_config.h"
#include "index/site_writer.h"
#include "index/status.h"

namespace chaja::index {
namespace {

namespace fs = std::filesystem;

constexpr char kFormatLine[] = "chaja-backup 1";
constexpr char kDatabaseDir[] = "xapian";
// A writer reuses a revision's freed blocks only after later commits, so a
// retry on the newest revision almost always succeeds; a few are plenty.
constexpr int kCompactAttempts = 5;

std::string DatabaseIn(const std::string& backup_dir) { return (fs::path(backup_dir) / kDatabaseDir).string(); }

std::string ManifestText(const BackupManifest& m) {
  return absl::StrCat("format: ", kFormatLine, "\nsite: ", m.site, "\nrevision: ", m.revision, "\nuuid: ", m.uuid,
                      "\ndocuments: ", m.documents, "\ncreated: ", m.created, "\nchaja_version: ", m.chaja_version,
                      "\n");
}

absl::StatusOr<BackupManifest> ParseManifest(const std::string& text, const std::string& file) {
  auto damaged = [&](absl::string_view why) {
    return absl::DataLossError(absl::StrCat("backup manifest ", file, " is damaged: ", why));
  };
  BackupManifest m;
  std::string format, revision, documents;
  std::vector<std::pair<std::string, std::string*>> fields = {
      {"format", &format},   {"site", &m.site},       {"revision", &revision},           {"uuid", &m.uuid},
      {"documents", &documents}, {"created", &m.created}, {"chaja_version", &m.chaja_version}};
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    std::pair<std::string, std::string> kv = absl::StrSplit(line, absl::MaxSplits(": ", 1));
    for (auto& [key, value] : fields) {
      if (key == kv.first) *value = kv.second;
    }
  }
  if (format != kFormatLine) return damaged(absl::StrCat("it does not start with \"format: ", kFormatLine, "\""));
  if (!absl::SimpleAtoi(revision, &m.revision)) return damaged(absl::StrCat("revision \"", revision, "\""));
  if (!absl::SimpleAtoi(documents, &m.documents)) return damaged(absl::StrCat("documents \"", documents, "\""));
  if (!ValidateSiteName(m.site).ok()) return damaged(absl::StrCat("site \"", m.site, "\""));
  return m;
}

absl::Status WriteFile(const std::string& path, const std::string& text) {
  // Written beside and renamed: a manifest is there only once it is whole.
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) return absl::InternalError(absl::StrCat("cannot write ", tmp));
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot rename ", tmp, " to ", path, ": ", ec.message()));
  return absl::OkStatus();
}

// Creates `dir`, or accepts it when it is an empty folder: a backup never
// mixes with other files or overwrites an older backup.
absl::Status PrepareEmptyDir(const std::string& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) return absl::FailedPreconditionError(absl::StrCat(dir, " is not a folder"));
    if (!fs::is_empty(dir, ec)) {
      return absl::FailedPreconditionError(
          absl::StrCat("backup folder ", dir, " is not empty; give a new or empty folder"));
    }
    return absl::OkStatus();
  }
  fs::create_directories(dir, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot create ", dir, ": ", ec.message()));
  return absl::OkStatus();
}

// Compacts the revision `db` reads into `out`, keeping document ids; moves to
// the newest revision and starts over when a writer recycled the old one.
absl::StatusOr<BackupManifest> CompactRevision(Xapian::Database& db, const std::string& out) {
  for (int attempt = 1;; ++attempt) {
    try {
      BackupManifest m;
      m.revision = db.get_revision();
      m.uuid = db.get_uuid();
      m.documents = db.get_doccount();
      db.compact(out, Xapian::DBCOMPACT_NO_RENUMBER);
      return m;
    } catch (const Xapian::DatabaseModifiedError& e) {
      std::error_code ec;
      fs::remove_all(out, ec);
      if (attempt == kCompactAttempts) {
        return absl::AbortedError(absl::StrCat("writers overwrote the revision being copied in each of ",
                                               kCompactAttempts, " attempts; try again: ", e.get_description()));
      }
      db.reopen();
    }
  }
}

absl::StatusOr<std::string> ExistingSiteDatabase(const std::string& data_dir, const std::string& site) {
  absl::StatusOr<std::string> path = SiteDatabasePath(data_dir, site);
  if (!path.ok()) return path.status();
  std::error_code ec;
  if (!fs::exists(fs::path(*path) / "iamglass", ec)) {
    return absl::NotFoundError(absl::StrCat("site \"", site, "\" has no database in ", data_dir, " (", *path, ")"));
  }
  return path;
}

// Brings the copy at `staging` up to `revision`. AdoptDatabase then needs one
// commit, not one synced commit per revision the site moved on since the
// backup (it keeps revisions rising so readers never mistake one database for
// the other); these may skip fsync because the adoption's commit syncs.
absl::Status RaiseRevision(const std::string& staging, Xapian::rev revision) {
  try {
    Xapian::WritableDatabase db(staging, Xapian::DB_OPEN | Xapian::DB_NO_SYNC);
    for (int bump = 1; db.get_revision() < revision; ++bump) {
      db.set_metadata("chaja.restored", absl::StrCat(bump));
      db.commit();
    }
    db.close();
    return absl::OkStatus();
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, absl::StrCat("raising the revision of ", staging));
  }
}

// Copies the backup's database next to the site database at `site_path`, at
// a revision no lower than the site's, and returns the copy's path. A copy,
// not the backup itself: the backup stays usable, and the swap is a rename
// within one file system.
absl::StatusOr<std::string> CopyBeside(const std::string& backup_dir, const std::string& site_path) {
  const std::string staging = (fs::path(site_path).parent_path() / "restore.tmp").string();
  std::error_code ec;
  fs::remove_all(staging, ec);  // what a killed restore left
  Xapian::rev site_revision = 0;
  try {
    site_revision = Xapian::Database(site_path).get_revision();
    Xapian::Database(DatabaseIn(backup_dir)).compact(staging, Xapian::DBCOMPACT_NO_RENUMBER);
  } catch (const Xapian::Error& e) {
    fs::remove_all(staging, ec);
    return XapianErrorToStatus(e, absl::StrCat("copying the backup in ", backup_dir));
  }
  if (absl::Status raised = RaiseRevision(staging, site_revision); !raised.ok()) {
    fs::remove_all(staging, ec);
    return raised;
  }
  return staging;
}

// The database and then the manifest into `backup_dir` (BackupDatabase).
absl::StatusOr<BackupManifest> WriteBackup(Xapian::Database& db, const std::string& site,
                                           const std::string& backup_dir) {
  absl::StatusOr<BackupManifest> manifest;
  try {
    manifest = CompactRevision(db, DatabaseIn(backup_dir));
  } catch (const Xapian::Error& e) {
    manifest = XapianErrorToStatus(e, absl::StrCat("copying site \"", site, "\""));
  }
  if (!manifest.ok()) {
    std::error_code ec;
    fs::remove_all(DatabaseIn(backup_dir), ec);  // so that a re-run may use the folder
    return manifest.status();
  }
  manifest->site = site;
  manifest->created = absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(), absl::UTCTimeZone());
  manifest->chaja_version = CHAJA_VERSION;
  CHAJA_RETURN_IF_ERROR(WriteFile((fs::path(backup_dir) / kBackupManifestName).string(), ManifestText(*manifest)));
  return manifest;
}

// Copies `from`/site.json to `to`/ when there is one: the site's settings
// (time zone, synonyms, …) belong with its articles.
absl::Status CopySettings(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  const fs::path settings = from / kSiteConfigFileName;
  if (!fs::exists(settings, ec)) return absl::OkStatus();
  fs::copy_file(settings, to / kSiteConfigFileName, fs::copy_options::overwrite_existing, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot copy ", settings.string(), ": ", ec.message()));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<BackupManifest> BackupSite(const std::string& data_dir, const std::string& site,
                                          const std::string& backup_dir) {
  absl::StatusOr<std::string> path = ExistingSiteDatabase(data_dir, site);
  if (!path.ok()) return path.status();
  try {
    Xapian::Database db(*path);
    CHAJA_RETURN_IF_ERROR(PrepareEmptyDir(backup_dir));
    CHAJA_RETURN_IF_ERROR(CopySettings(fs::path(*path).parent_path(), backup_dir));
    return WriteBackup(db, site, backup_dir);
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, absl::StrCat("opening site \"", site, "\""));
  }
}

absl::StatusOr<BackupManifest> BackupDatabase(Xapian::Database& db, const std::string& site,
                                              const std::string& backup_dir) {
  CHAJA_RETURN_IF_ERROR(PrepareEmptyDir(backup_dir));
  return WriteBackup(db, site, backup_dir);
}

absl::StatusOr<BackupManifest> VerifyBackup(const std::string& backup_dir) {
  const std::string file = (fs::path(backup_dir) / kBackupManifestName).string();
  std::ifstream in(file, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("no backup in ", backup_dir, ": cannot read ", file));
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<BackupManifest> manifest = ParseManifest(text.str(), file);
  if (!manifest.ok()) return manifest.status();
  try {
    const Xapian::Database db(DatabaseIn(backup_dir));
    if (db.get_doccount() != manifest->documents) {
      return absl::DataLossError(absl::StrCat("the backup in ", backup_dir, " holds ", db.get_doccount(),
                                              " documents; its manifest says ", manifest->documents));
    }
  } catch (const Xapian::Error& e) {
    return absl::DataLossError(absl::StrCat("the database of the backup in ", backup_dir,
                                            " does not open: ", e.get_description()));
  }
  return manifest;
}

absl::StatusOr<BackupManifest> RestoreSite(const std::string& backup_dir, const std::string& data_dir,
                                           const std::string& site, bool force) {
  absl::StatusOr<BackupManifest> manifest = VerifyBackup(backup_dir);
  if (!manifest.ok()) return manifest.status();
  absl::StatusOr<std::unique_ptr<SiteWriter>> writer = SiteWriter::Open(data_dir, site);
  if (writer.status().code() == absl::StatusCode::kUnavailable) {
    // SiteWriter's message suggests --server, which cannot restore.
    return absl::UnavailableError(absl::StrCat(
        "site \"", site, "\" is locked by another writer (chaja-searchd with --index_token_file, or a running ",
        "chaja-indexer); a restore needs the write lock: stop that writer, restore, and start it again"));
  }
  if (!writer.ok()) return writer.status();
  if ((*writer)->doc_count() > 0 && !force) {
    return absl::FailedPreconditionError(absl::StrCat("site \"", site, "\" has ", (*writer)->doc_count(),
                                                      " articles; give --force to replace them with the backup"));
  }
  absl::StatusOr<std::string> staging = CopyBeside(backup_dir, *SiteDatabasePath(data_dir, site));
  if (!staging.ok()) return staging.status();
  absl::Status adopted = (*writer)->AdoptDatabase(*staging);
  std::error_code ec;
  fs::remove_all(*staging, ec);
  if (!adopted.ok()) return adopted;
  CHAJA_RETURN_IF_ERROR(CopySettings(backup_dir, fs::path(*staging).parent_path()));
  return manifest;
}

}  // namespace chaja::index
