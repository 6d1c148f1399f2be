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
#include <cstdint>
#include <memory>
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

  // Reads the snapshot of `db` at its current revision.
  // UNAVAILABLE/DATA_LOSS/INTERNAL on Xapian errors (ABORTED if modified meanwhile).
  static absl::StatusOr<std::shared_ptr<const SiteColumns>> Load(const Xapian::Database& db);

  ~SiteColumns() {
    live_.fetch_sub(1);
    live_bytes_.fetch_sub(memory_bytes_);
  }
  // Snapshots alive in the process: one is made per revision, so a holder
  // that kept old ones would grow with the commits (issue 14's tests).
  static int64_t live_count() { return live_.load(); }
  // Their bytes together (/metrics: what the per-commit snapshots cost).
  static int64_t live_bytes() { return live_bytes_.load(); }
  // Bytes this snapshot holds (its arrays and strings, roughly its maps).
  int64_t memory_bytes() const { return memory_bytes_; }

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

  size_t tag_count() const { return tag_keys_.size(); }
  const std::string& tag_key(uint32_t id) const { return tag_keys_[id]; }
  const std::string& tag_display(uint32_t id) const { return tag_displays_[id]; }

  size_t category_count() const { return category_keys_.size(); }
  const std::string& category_key(uint32_t id) const { return category_keys_[id]; }
  const std::string& category_display(uint32_t id) const { return category_displays_[id]; }

  // Every document as (published, docid), ascending: ranges by time are a
  // binary search away.
  const std::vector<std::pair<double, Xapian::docid>>& by_published() const { return by_published_; }

 private:
  SiteColumns() { live_.fetch_add(1); }
  uint32_t Intern(const std::string& key, const std::string& display, std::vector<std::string>* keys,
                  std::vector<std::string>* displays, absl::flat_hash_map<std::string, uint32_t>* ids);

  int64_t CountBytes() const;

  static inline std::atomic<int64_t> live_{0};
  static inline std::atomic<int64_t> live_bytes_{0};
  int64_t memory_bytes_ = 0;
  IndexVersion version_;
  // Tags in CSR form: tags of docid d are tag_ids_[tag_offsets_[d] .. tag_offsets_[d + 1]).
  std::vector<uint32_t> tag_offsets_;
  std::vector<uint32_t> tag_ids_;
  std::vector<uint32_t> category_;
  std::vector<double> published_;
  std::vector<std::pair<double, Xapian::docid>> by_published_;
  std::vector<std::string> tag_keys_, tag_displays_, category_keys_, category_displays_;
  absl::flat_hash_map<std::string, uint32_t> tag_ids_by_key_, category_ids_by_key_;
};

}  // namespace chaja::index

#endif  // CHAJA_INDEX_SITE_COLUMNS_H_
