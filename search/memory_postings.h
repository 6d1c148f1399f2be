// MemoryPostings: the posting lists of a big site's searchable terms, copied
// into memory once per database revision, so the in-memory ranker
// (memory_ranker.h) can rank a query without Xapian's per-block pread()s.
//
// Why: on a 712k-post site, Xapian's glass backend reads every posting-list
// block through a pread() system call and keeps no block cache of its own;
// a ranked sentence query spent about a third of its time in those calls and
// the rest walking long lists. Here a list is varint-coded docid gaps with a
// skip entry every 64 postings: 12.6M postings take about 30 MB (see
// bench/README.md), loading takes about a second, and a walk is a few
// nanoseconds per posting.
//
// What is kept: every term except the unique article-id terms (Q…), each
// post's length, and the statistics BM25 needs (document count, average
// length), all as of one revision. Immutable once built, so one snapshot is
// shared by every request thread.
#ifndef CHAJA_SEARCH_MEMORY_POSTINGS_H_
#define CHAJA_SEARCH_MEMORY_POSTINGS_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <xapian.h>

#include "absl/status/statusor.h"
#include "index/index_version.h"
#include "absl/strings/string_view.h"

namespace chaja::search {

class MemoryPostings {
 public:
  // Postings per skip entry.
  static constexpr uint32_t kSkipEvery = 64;

  // Copies the lists of `db` as of its current revision. `cancelled`, if
  // given, is polled now and then: CANCELLED when it returns true.
  // RESOURCE_EXHAUSTED, before copying, if the lists would take more than
  // `max_bytes` (estimated from the dictionary). ABORTED if a commit recycled
  // blocks meanwhile (try again); UNAVAILABLE/DATA_LOSS on other Xapian errors.
  // `extra_bytes_per_post` is what the caller will hold beside the lists for
  // each post (the rankers' scratch buffers), counted against max_bytes too.
  static absl::StatusOr<std::shared_ptr<const MemoryPostings>> Load(const Xapian::Database& db,
                                                                    const std::function<bool()>& cancelled = nullptr,
                                                                    uint64_t max_bytes = UINT64_MAX,
                                                                    uint64_t extra_bytes_per_post = 0);
  // Load() from the database at `path`, opened for this load alone.
  static absl::StatusOr<std::shared_ptr<const MemoryPostings>> LoadFrom(const std::string& path,
                                                                        const std::function<bool()>& cancelled,
                                                                        uint64_t max_bytes,
                                                                        uint64_t extra_bytes_per_post);

  ~MemoryPostings() { live_.fetch_sub(1); }
  // Lists alive in the process: loaded again after commits, so a holder
  // that kept old ones would grow with the commits (issue 14's tests).
  static int64_t live_count() { return live_.load(); }

  Xapian::rev revision() const { return version_.revision; }
  // Whether these are the lists of `db` as it is now (index_version.h).
  bool IsOf(const Xapian::Database& db) const { return version_ == index::IndexVersion::Of(db); }
  const index::IndexVersion& version() const { return version_; }
  Xapian::doccount doc_count() const { return doc_count_; }
  Xapian::docid last_docid() const { return static_cast<Xapian::docid>(doc_lengths_.size()) - 1; }
  double average_length() const { return average_length_; }
  // The length (sum of wdf) of a post; 0 for a docid without one.
  Xapian::termcount doc_length(Xapian::docid did) const {
    return did < doc_lengths_.size() ? doc_lengths_[did] : 0;
  }
  // How many posts hold `term`; 0 if none does.
  Xapian::doccount term_freq(absl::string_view term) const;
  size_t term_count() const { return term_freqs_.size(); }
  size_t posting_count() const { return posting_count_; }
  // Bytes held, for logs and benchmarks.
  size_t memory_bytes() const;

  // A walk over one term's postings, docids ascending.
  class Cursor {
   public:
    Cursor() = default;  // at end
    bool at_end() const { return at_end_; }
    Xapian::docid docid() const { return docid_; }
    Xapian::termcount wdf() const { return wdf_; }
    void Next();
    // Moves to the first posting whose docid is >= target; never backwards.
    void SkipTo(Xapian::docid target);

   private:
    friend class MemoryPostings;
    const uint8_t* begin_ = nullptr;  // the list's first byte
    const uint8_t* p_ = nullptr;
    const uint8_t* end_ = nullptr;
    const uint32_t* skip_ = nullptr;  // pairs (docid before the block, byte offset of the block)
    const uint32_t* skip_end_ = nullptr;
    Xapian::docid docid_ = 0;
    Xapian::termcount wdf_ = 0;
    bool at_end_ = true;
  };
  // A cursor on the first posting of `term` (at end if no post holds it).
  Cursor Open(absl::string_view term) const;

 private:
  struct SizeEstimate;
  MemoryPostings() { live_.fetch_add(1); }
  // Reserves the buffers for lists of about `estimate`'s size, so they do
  // not double their way up and briefly hold twice the memory.
  void Reserve(const SizeEstimate& estimate);
  // Appends every searchable term's list of `db`; CANCELLED when `cancelled`
  // says so. Xapian errors propagate.
  absl::Status CopyLists(const Xapian::Database& db, const std::function<bool()>& cancelled);
  // Appends `term`'s list: varint docid gaps (wdf folded in), a skip entry
  // every kSkipEvery postings.
  void AppendList(const Xapian::Database& db, const std::string& term);
  // Index of `term` in the sorted dictionary, or -1.
  int64_t Find(absl::string_view term) const;
  absl::string_view TermAt(size_t i) const {
    return absl::string_view(term_bytes_).substr(term_starts_[i], term_starts_[i + 1] - term_starts_[i]);
  }

  static inline std::atomic<int64_t> live_{0};
  index::IndexVersion version_;
  Xapian::doccount doc_count_ = 0;
  double average_length_ = 0;
  size_t posting_count_ = 0;
  std::vector<uint32_t> doc_lengths_;
  // The dictionary, sorted bytewise (Xapian's order): term i is
  // term_bytes_[term_starts_[i], term_starts_[i + 1]).
  std::string term_bytes_;
  std::vector<uint32_t> term_starts_;
  std::vector<uint32_t> term_freqs_;
  // Term i's list is postings_[list_starts_[i], list_starts_[i + 1]); its skip
  // pairs are skips_[skip_starts_[i], skip_starts_[i + 1]) (two words each).
  std::vector<uint8_t> postings_;
  std::vector<uint64_t> list_starts_;
  std::vector<uint32_t> skips_;
  std::vector<uint32_t> skip_starts_;
};

}  // namespace chaja::search

#endif  // CHAJA_SEARCH_MEMORY_POSTINGS_H_
