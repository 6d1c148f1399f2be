// SiteColumns: an in-memory snapshot of the value slots that facets, the
// archive calendar and related posts read for many documents per request.
//
// Reading a Xapian value costs a value-stream seek per document; facets over
// 100k matches would spend most of a request there. A snapshot is built once
// per database revision (a sequential pass over each value stream) and then
// answers by array lookup: docid → tag ids, category id, published time.
//
// Immutable once built, so one snapshot is shared by every request thread
// (hold it by std::shared_ptr<const SiteColumns>).
#ifndef CHAJA_INDEX_SITE_COLUMNS_H_
#define CHAJA_INDEX_SITE_COLUMNS_H_

#include <atomic>
#include <cmath>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "index/index_version.h"
#include "absl/types/span.h"

namespace chaja::index {

class SiteColumns {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  // Reads the snapshot of `db` at its current revision. Its tag and category
  // names are `previous`'s (nullable) when they came out the same, so that
  // the snapshots of consecutive revisions, alive together while older reads
  // end, hold one copy of them (a third of a snapshot on the soak's site).
  // UNAVAILABLE/DATA_LOSS/INTERNAL on Xapian errors (ABORTED if modified meanwhile).
  static absl::StatusOr<std::shared_ptr<const SiteColumns>> Load(const Xapian::Database& db,
                                                                 const SiteColumns* previous = nullptr);

  ~SiteColumns() {
    live_.fetch_sub(1);
    live_bytes_.fetch_sub(memory_bytes_.load());
  }
  // Snapshots alive in the process: one is made per revision, so a holder
  // that kept old ones would grow with the commits (issue 14's tests).
  static int64_t live_count() { return live_.load(); }
  // Their bytes together, names shared by several counted once (/metrics:
  // what the per-commit snapshots cost).
  static int64_t live_bytes() { return live_bytes_.load() + Names::live_bytes_.load(); }
  // Bytes of this snapshot's own arrays (not its names).
  int64_t memory_bytes() const { return memory_bytes_.load(); }
  // Whether this snapshot's tag and category names are those of `other`.
  bool SharesNamesWith(const SiteColumns& other) const {
    return tags_ == other.tags_ && categories_ == other.categories_;
  }

  Xapian::rev revision() const { return version_.revision; }
  // Whether this is the snapshot of `db` as it is now (index_version.h).
  bool IsOf(const Xapian::Database& db) const { return version_ == IndexVersion::Of(db); }
  const IndexVersion& version() const { return version_; }

  // Tag ids of a document (ids index tag_key()/tag_display()).
  absl::Span<const uint32_t> tags(Xapian::docid did) const;
  // Category id of a document, or kNone.
  uint32_t category(Xapian::docid did) const { return did < category_.size() ? category_[did] : kNone; }
  // Published time (seconds since the epoch); NaN for a docid without a document.
  double published(Xapian::docid did) const;
  // The highest docid, and whether a docid holds a post: walking 1..last_docid()
  // visits every post without building by_published().
  Xapian::docid last_docid() const { return static_cast<Xapian::docid>(published_.size()) - 1; }
  bool has_post(Xapian::docid did) const { return !std::isnan(published(did)); }

  size_t tag_count() const { return tags_->keys.size(); }
  const std::string& tag_key(uint32_t id) const { return tags_->keys[id]; }
  const std::string& tag_display(uint32_t id) const { return tags_->displays[id]; }

  size_t category_count() const { return categories_->keys.size(); }
  const std::string& category_key(uint32_t id) const { return categories_->keys[id]; }
  const std::string& category_display(uint32_t id) const { return categories_->displays[id]; }

  // Every document as (published, docid), ascending: ranges by time are a
  // binary search away. Built on first use: under live updates a snapshot is
  // made per revision, and searches without a date range never need it
  // (a third of the snapshot).
  const std::vector<std::pair<double, Xapian::docid>>& by_published() const;

 private:
  // Keys and display names of tags (or categories), ids in order of first
  // use by docid: equal for two revisions unless a name came or went.
  struct Names {
    std::vector<std::string> keys, displays;
    absl::flat_hash_map<std::string, uint32_t> ids;
    int64_t bytes = 0;  // set by Freeze()
    ~Names() { live_bytes_.fetch_sub(bytes); }
    uint32_t Intern(const std::string& key, const std::string& display);
    void Freeze();
    static inline std::atomic<int64_t> live_bytes_{0};
  };
  class NamesBuilder;
  SiteColumns() { live_.fetch_add(1); }
  void ReadPublished(const Xapian::Database& db);
  void ReadCategories(const Xapian::Database& db, NamesBuilder* names);
  void ReadTags(const Xapian::Database& db, NamesBuilder* names);
  int64_t CountBytes() const;

  static inline std::atomic<int64_t> live_{0};
  static inline std::atomic<int64_t> live_bytes_{0};
  mutable std::atomic<int64_t> memory_bytes_{0};  // grows when by_published() is first built
  IndexVersion version_;
  // Tags in CSR form: tags of docid d are tag_ids_[tag_offsets_[d] .. tag_offsets_[d + 1]).
  std::vector<uint32_t> tag_offsets_;
  std::vector<uint32_t> tag_ids_;
  std::vector<uint32_t> category_;
  std::vector<double> published_;
  mutable std::once_flag by_published_once_;
  mutable std::vector<std::pair<double, Xapian::docid>> by_published_;
  std::shared_ptr<const Names> tags_, categories_;
};

}  // namespace chaja::index

#endif  // CHAJA_INDEX_SITE_COLUMNS_H_
