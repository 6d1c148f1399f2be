#include "index/bulk_builder.h"

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>

#include <xapian.h>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "index/schema.h"
#include "index/site.h"
#include "index/status.h"

namespace chaja::index {
namespace {

// Articles travel to a shard in batches, so the queue lock is taken once per
// batch; the queue holds a few batches so the reader can run ahead a little.
constexpr size_t kBatchArticles = 256;
constexpr size_t kMaxQueuedBatches = 8;
// Xapian's in-memory batch per shard writer: each shard commits every this many
// documents (cheap: DB_NO_SYNC). Measured on the NSMC reviews: bigger batches
// cost more CPU per article (larger maps to merge), smaller ones more flushes
// (bench/README.md). Committed explicitly rather than through
// XAPIAN_FLUSH_THRESHOLD, which Xapian reads only from the environment, and
// a library must not change the process's environment.
constexpr size_t kShardCommitDocuments = 10000;

struct QueuedArticle {
  v1::Article article;
  bool seen_before = false;  // an earlier record had this id: replace it
};

}  // namespace

class BulkBuilder::Shard {
 public:
  static absl::StatusOr<std::unique_ptr<Shard>> Open(const std::string& path) {
    try {
      // A temporary database: no fsync per flush; the merged result is synced.
      Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC);
      auto shard = std::unique_ptr<Shard>(new Shard(std::move(db), path));
      shard->thread_ = std::thread([s = shard.get()] { s->Run(); });
      return shard;
    } catch (const Xapian::Error& e) {
      return XapianErrorToStatus(e, absl::StrCat("creating the bulk shard ", path));
    }
  }

  ~Shard() { (void)Close(); }

  void Add(QueuedArticle article) {
    pending_.push_back(std::move(article));
    if (pending_.size() >= kBatchArticles) Hand();
  }

  // The status of the shard's thread so far.
  absl::Status status() {
    std::lock_guard<std::mutex> lock(mu_);
    return status_;
  }

  // Writes what is queued, commits and closes the shard.
  absl::Status Close() {
    if (!thread_.joinable()) return status();
    Hand();
    {
      std::lock_guard<std::mutex> lock(mu_);
      closing_ = true;
    }
    ready_.notify_all();
    thread_.join();
    std::lock_guard<std::mutex> lock(mu_);
    return status_;
  }

  const std::string& path() const { return path_; }

 private:
  Shard(Xapian::WritableDatabase db, std::string path) : db_(std::move(db)), path_(std::move(path)) {}

  void Hand() {
    if (pending_.empty()) return;
    std::unique_lock<std::mutex> lock(mu_);
    space_.wait(lock, [&] { return queue_.size() < kMaxQueuedBatches || !status_.ok(); });
    queue_.push_back(std::move(pending_));
    pending_.clear();
    ready_.notify_one();
  }

  void Run() {
    DocumentBuilder builder;
    for (;;) {
      std::vector<QueuedArticle> batch;
      {
        std::unique_lock<std::mutex> lock(mu_);
        ready_.wait(lock, [&] { return !queue_.empty() || closing_; });
        if (queue_.empty()) break;
        batch = std::move(queue_.front());
        queue_.pop_front();
        space_.notify_one();
      }
      absl::Status s = Write(builder, batch);
      if (!s.ok()) {
        std::lock_guard<std::mutex> lock(mu_);
        status_ = s;
        queue_.clear();
        space_.notify_all();
        return;
      }
    }
    absl::Status s;
    try {
      db_.commit();
      db_.close();
    } catch (const Xapian::Error& e) {
      s = XapianErrorToStatus(e, absl::StrCat("committing the bulk shard ", path_));
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (status_.ok()) status_ = s;
  }

  absl::Status Write(const DocumentBuilder& builder, const std::vector<QueuedArticle>& batch) {
    try {
      for (const QueuedArticle& a : batch) {
        Xapian::Document doc = builder.Build(a.article);
        // A new id needs no lookup: the set of ids lives in BulkBuilder.
        if (a.seen_before) {
          db_.replace_document(IdTerm(a.article.id()), doc);
        } else {
          db_.add_document(doc);
        }
        if (++uncommitted_ >= kShardCommitDocuments) {
          db_.commit();
          uncommitted_ = 0;
        }
      }
      return absl::OkStatus();
    } catch (const Xapian::Error& e) {
      return XapianErrorToStatus(e, absl::StrCat("writing the bulk shard ", path_));
    }
  }

  Xapian::WritableDatabase db_;
  const std::string path_;
  size_t uncommitted_ = 0;  // documents written since the last commit (shard thread only)
  std::vector<QueuedArticle> pending_;  // filled by Add() on the caller's thread
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable ready_, space_;
  std::deque<std::vector<QueuedArticle>> queue_;
  bool closing_ = false;
  absl::Status status_;
};

BulkBuilder::BulkBuilder(std::string site_path, std::string work_dir, SiteWriter* writer, ArticleLimits limits)
    : site_path_(std::move(site_path)), work_dir_(std::move(work_dir)), writer_(writer), limits_(limits) {}

BulkBuilder::~BulkBuilder() {
  for (auto& shard : shards_) (void)shard->Close();
  std::error_code ec;
  std::filesystem::remove_all(work_dir_, ec);
}

absl::StatusOr<std::unique_ptr<BulkBuilder>> BulkBuilder::Start(const std::string& data_dir, const std::string& site,
                                                                int shards, SiteWriter* writer,
                                                                const ArticleLimits& limits) {
  if (writer->doc_count() != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("site \"", site, "\" already has articles; a bulk build only fills an empty site"));
  }
  absl::StatusOr<std::string> path = SiteDatabasePath(data_dir, site);
  if (!path.ok()) return path.status();
  const std::string work_dir = (std::filesystem::path(*path).parent_path() / kBulkWorkDirName).string();
  std::error_code ec;
  std::filesystem::remove_all(work_dir, ec);  // what a killed bulk import left
  if (ec) return absl::InternalError(absl::StrCat("cannot remove ", work_dir, ": ", ec.message()));
  std::filesystem::create_directories(work_dir, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot create ", work_dir, ": ", ec.message()));

  std::unique_ptr<BulkBuilder> builder(new BulkBuilder(*path, work_dir, writer, limits));
  for (int i = 0; i < std::max(1, shards); ++i) {
    absl::StatusOr<std::unique_ptr<Shard>> shard = Shard::Open(absl::StrCat(work_dir, "/shard-", i));
    if (!shard.ok()) return shard.status();
    builder->shards_.push_back(*std::move(shard));
  }
  return builder;
}

absl::Status BulkBuilder::Add(v1::Article article, SiteWriter::UpsertOutcome* outcome) {
  if (finished_) return absl::FailedPreconditionError("the bulk build is finished");
  CHAJA_RETURN_IF_ERROR(ValidateArticle(article, limits_));
  const bool seen_before = !ids_.insert(article.id()).second;
  Shard& shard = *shards_[absl::Hash<std::string>()(article.id()) % shards_.size()];
  CHAJA_RETURN_IF_ERROR(shard.status());
  shard.Add({std::move(article), seen_before});
  if (outcome != nullptr) {
    *outcome = seen_before ? SiteWriter::UpsertOutcome::kReplaced : SiteWriter::UpsertOutcome::kAdded;
  }
  return absl::OkStatus();
}

std::vector<std::string> BulkBuilder::Ids() const { return std::vector<std::string>(ids_.begin(), ids_.end()); }

absl::Status BulkBuilder::Finish() {
  if (finished_) return absl::OkStatus();
  finished_ = true;
  absl::Status closed;
  for (auto& shard : shards_) {
    const absl::Status s = shard->Close();
    if (closed.ok()) closed = s;
  }
  CHAJA_RETURN_IF_ERROR(closed);
  if (ids_.empty()) return absl::OkStatus();
  const std::string merged = work_dir_ + "/merged";
  try {
    Xapian::Database all;
    for (const auto& shard : shards_) all.add_database(Xapian::Database(shard->path()));
    // Full compaction: blocks filled to the brim, the smallest index Xapian
    // can write; document ids are renumbered shard after shard.
    all.compact(merged, Xapian::DBCOMPACT_MULTIPASS);
  } catch (const Xapian::Error& e) {
    return XapianErrorToStatus(e, "merging the bulk shards");
  }
  return writer_->AdoptDatabase(merged);
}

}  // namespace chaja::index
