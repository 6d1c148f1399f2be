// SiteColumns: an in-memory snapshot of the value slots that facets, the
// archive calendar and related posts read for many documents per request.
//
// Reading a Xapian value costs a value-stream seek per document; facets over
// 100k matches would spend most of a request there. A snapshot is built once
// per database revision (a sequential pass over each value stream) and then
// answers by array lookup: docid → tag ids, category id, published time.
//
// Immutable once built, so one snapshot is shared by every request thread
// (hold it by std::shared_ptr<const SiteColumns>). The columns are kept in
// chunks of kChunkDocs docids; a revision shares the chunks (and the tag and
// category names) that came out the same as the previous revision's, so a
// commit costs the chunks it changed, not a copy of the site.
#ifndef CHAJA_INDEX_SITE_COLUMNS_H_
#define CHAJA_INDEX_SITE_COLUMNS_H_

#include <array>
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
  // Docids per chunk: 16 KiB of columns plus the chunk's tags. A commit of a
  // few posts changes a few chunks; a site of 100k posts has about a hundred.
  static constexpr Xapian::docid kChunkDocs = 1024;

  // Reads the snapshot of `db` at its current revision. Its tag and category
  // names, and each chunk of columns, are `previous`'s (nullable) when they
  // came out the same: the snapshots of consecutive revisions, alive together
  // while older reads end, hold one copy of what did not change.
  // UNAVAILABLE/DATA_LOSS/INTERNAL on Xapian errors (ABORTED if modified meanwhile).
  static absl::StatusOr<std::shared_ptr<const SiteColumns>> Load(const Xapian::Database& db,
                                                                 const SiteColumns* previous = nullptr);

  ~SiteColumns() {
    live_.fetch_sub(1);
    live_bytes_.fetch_sub(own_bytes_.load());
  }
  // Snapshots alive in the process: one is made per revision, so a holder
  // that kept old ones would grow with the commits (issue 14's tests).
  static int64_t live_count() { return live_.load(); }
  // Their bytes together, names and chunks shared by several counted once
  // (/metrics: what the per-commit snapshots cost).
  static int64_t live_bytes() {
    return live_bytes_.load() + Names::live_bytes_.load() + Chunk::live_bytes_.load();
  }
  // Bytes this snapshot keeps alive, its chunks included (not its names).
  int64_t memory_bytes() const { return own_bytes_.load() + chunk_bytes_; }
  // Whether chunk `i` (docids i * kChunkDocs ...) is the one `other` holds.
  bool SharesChunkWith(const SiteColumns& other, size_t i) const {
    return i < chunks_.size() && i < other.chunks_.size() && chunks_[i] == other.chunks_[i];
  }
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
  uint32_t category(Xapian::docid did) const {
    return did <= last_docid_ ? ChunkOf(did).category[did % kChunkDocs] : kNone;
  }
  // Published time (seconds since the epoch); NaN for a docid without a document.
  double published(Xapian::docid did) const;
  // The highest docid, and whether a docid holds a post: walking 1..last_docid()
  // visits every post without building by_published().
  Xapian::docid last_docid() const { return last_docid_; }
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
  // The columns of docids [first, first + kChunkDocs). Tags in CSR form: the
  // tags of the i-th docid are tag_ids[tag_end[i - 1] .. tag_end[i]) (from 0 for i = 0).
  struct Chunk {
    std::array<double, kChunkDocs> published;  // NaN: no post
    std::array<uint32_t, kChunkDocs> category;
    std::array<uint32_t, kChunkDocs> tag_end;
    std::vector<uint32_t> tag_ids;
    int64_t bytes = 0;  // set by Freeze()
    ~Chunk() { live_bytes_.fetch_sub(bytes); }
    void Clear();
    bool SameAs(const Chunk& other) const;
    void Freeze();
    static inline std::atomic<int64_t> live_bytes_{0};
  };
  class ChunkReader;
  SiteColumns() { live_.fetch_add(1); }
  const Chunk& ChunkOf(Xapian::docid did) const { return *chunks_[did / kChunkDocs]; }
  void ReadChunks(const Xapian::Database& db, const SiteColumns* previous, NamesBuilder* tags,
                  NamesBuilder* categories);

  static inline std::atomic<int64_t> live_{0};
  static inline std::atomic<int64_t> live_bytes_{0};
  // The chunk table and the time order (which grows when first built);
  // chunks count themselves, since later snapshots may share them.
  mutable std::atomic<int64_t> own_bytes_{0};
  int64_t chunk_bytes_ = 0;
  IndexVersion version_;
  Xapian::docid last_docid_ = 0;
  std::vector<std::shared_ptr<const Chunk>> chunks_;  // covering docids 0 .. last_docid_
  mutable std::once_flag by_published_once_;
  mutable std::vector<std::pair<double, Xapian::docid>> by_published_;
  std::shared_ptr<const Names> tags_, categories_;
};

}  // namespace chaja::index

#endif  // CHAJA_INDEX_SITE_COLUMNS_H_
