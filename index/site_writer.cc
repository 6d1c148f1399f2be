#include "index/site_writer.h"

#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "index/schema.h"
#include "index/site.h"
#include "index/status.h"

namespace chaja::index {

absl::StatusOr<std::unique_ptr<SiteWriter>> SiteWriter::Open(const std::string& data_dir, const std::string& site) {
  absl::StatusOr<std::string> path = SiteDatabasePath(data_dir, site);
  if (!path.ok()) return path.status();
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(*path).parent_path(), ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot create ", *path, ": ", ec.message()));
  // Xapian also commits on its own every XAPIAN_FLUSH_THRESHOLD changes
  // (10,000 unless the environment says otherwise). The library leaves the
  // environment alone: a program whose batches are larger sets it in main()
  // (chaja-indexer does; searchd's batches are smaller).
  try {
    Xapian::WritableDatabase db(*path, Xapian::DB_CREATE_OR_OPEN);
    // With the site's write lock held no bulk build runs, so a bulk.tmp is
    // what one killed after its swap left (a site's size of disk): remove it.
    std::filesystem::remove_all(std::filesystem::path(*path).parent_path() / kBulkWorkDirName, ec);
    return std::unique_ptr<SiteWriter>(new SiteWriter(std::move(db), *path));
  } catch (const Xapian::DatabaseLockError& e) {
    return absl::UnavailableError(absl::StrCat(
        "site \"", site, "\" is locked by another writer (a running chaja-searchd or chaja-indexer); ",
        "stop it, or send the articles through it with --server: ", e.get_description()));
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, absl::StrCat("opening site \"", site, "\" for writing"));
  }
}

absl::Status SiteWriter::Upsert(const v1::Article& article, UpsertOutcome* outcome) {
  CHAJA_RETURN_IF_ERROR(ValidateArticle(article, limits_));
  try {
    const std::string id_term = IdTerm(article.id());
    // The hash first: an unchanged article (every article of a re-run import)
    // is never analysed.
    StoredArticle stored = StoreArticle(article);
    UpsertOutcome result = UpsertOutcome::kAdded;
    Xapian::PostingIterator existing = db_.postlist_begin(id_term);
    if (existing != db_.postlist_end(id_term)) {
      result = UpsertOutcome::kReplaced;
      if (db_.get_document(*existing).get_value(kSlotContentHash) == stored.content_hash) {
        result = UpsertOutcome::kUnchanged;
      }
    }
    if (result != UpsertOutcome::kUnchanged) {
      const Xapian::Document doc = builder_.Build(article, std::move(stored));
      ++documents_built_;
      // By docid, or added: the id term was looked up once above already.
      if (result == UpsertOutcome::kReplaced) {
        db_.replace_document(*existing, doc);
      } else {
        db_.add_document(doc);
      }
      ++pending_;
    }
    if (outcome != nullptr) *outcome = result;
    return absl::OkStatus();
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, absl::StrCat("indexing article \"", article.id(), "\""));
  }
}

absl::Status SiteWriter::Delete(const std::string& id) {
  try {
    const std::string term = IdTerm(id);
    if (!db_.term_exists(term)) return absl::NotFoundError(absl::StrCat("no article with id \"", id, "\""));
    db_.delete_document(term);
    ++pending_;
    return absl::OkStatus();
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, absl::StrCat("deleting article \"", id, "\""));
  }
}

absl::StatusOr<std::vector<std::string>> SiteWriter::AllIds() const {
  try {
    std::vector<std::string> ids;
    for (Xapian::TermIterator it = db_.allterms_begin(std::string(kPrefixId)); it != db_.allterms_end(std::string(kPrefixId));
         ++it) {
      // Long ids are stored hashed in the term; the document data has the real one.
      Xapian::PostingIterator doc = db_.postlist_begin(*it);
      absl::StatusOr<v1::Article> article = ArticleFromDocument(db_.get_document(*doc));
      if (!article.ok()) return article.status();
      ids.push_back(article->id());
    }
    return ids;
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, "listing article ids");
  }
}

absl::Status SiteWriter::AdoptDatabase(const std::string& built_path) {
  namespace fs = std::filesystem;
  const std::string old_path = path_ + ".old";
  // Only the error_code overloads of std::filesystem: this function reports
  // failures as a Status and must not throw.
  std::error_code ec;
  try {
    const Xapian::rev old_revision = db_.get_revision();
    fs::remove_all(old_path, ec);
    if (ec) return absl::InternalError(absl::StrCat("cannot remove ", old_path, ": ", ec.message()));
    // The lock file moves with the old folder, so the site stays locked
    // until the new database is open for writing.
    fs::rename(path_, old_path, ec);
    if (ec) return absl::InternalError(absl::StrCat("cannot move ", path_, " aside: ", ec.message()));
    fs::rename(built_path, path_, ec);
    if (ec) {
      const std::string error = absl::StrCat("cannot move ", built_path, " to ", path_, ": ", ec.message());
      std::error_code back;
      fs::rename(old_path, path_, back);
      if (back) {
        return absl::InternalError(absl::StrCat(error, "; moving the old database back failed too (", back.message(),
                                                "): it is in ", old_path, ", move it to ", path_, " by hand"));
      }
      return absl::InternalError(error);
    }
    db_.close();
    db_ = Xapian::WritableDatabase(path_, Xapian::DB_OPEN);
    for (int bump = 1; db_.get_revision() <= old_revision; ++bump) {
      db_.set_metadata("chaja.adopted", absl::StrCat(bump));
      db_.commit();
    }
    pending_ = 0;
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, absl::StrCat("opening the merged database ", path_));
  }
  fs::remove_all(old_path, ec);  // only space is lost if this fails; the next adoption retries it
  return absl::OkStatus();
}

absl::Status SiteWriter::Commit() {
  try {
    db_.commit();
    pending_ = 0;
    return absl::OkStatus();
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, "committing");
  }
}

}  // namespace chaja::index
