#include "search/memory_postings.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "index/schema.h"
#include "index/status.h"

namespace chaja::search {
namespace {

void PutVarint(uint64_t v, std::vector<uint8_t>* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<uint8_t>(v) | 0x80);
    v >>= 7;
  }
  out->push_back(static_cast<uint8_t>(v));
}

int VarintBytes(uint64_t v) {
  int n = 1;
  while (v >= 0x80) v >>= 7, ++n;
  return n;
}

inline uint64_t GetVarint(const uint8_t** p) {
  uint64_t v = 0;
  int shift = 0;
  for (;;) {
    const uint8_t byte = *(*p)++;
    v |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (byte < 0x80) return v;
    shift += 7;
  }
}

// Calls `fn(term, iterator)` for every term but the article ids (one per
// post, never searched by text, most of the dictionary: stepped over).
template <typename Fn>
void ForEachSearchableTerm(const Xapian::Database& db, const Fn& fn) {
  const std::string id_prefix(index::kPrefixId);
  std::string after_ids = id_prefix;
  ++after_ids.back();
  for (Xapian::TermIterator t = db.allterms_begin(); t != db.allterms_end();) {
    const std::string term = *t;
    if (term.compare(0, id_prefix.size(), id_prefix) == 0) {
      t.skip_to(after_ids);
      continue;
    }
    if (!fn(term, t)) return;
    ++t;
  }
}

}  // namespace

// What the lists should take: a varint per posting, sized by the term's mean
// docid gap (an overestimate: smaller gaps are likelier).
struct MemoryPostings::SizeEstimate {
  double list_bytes = 0;
  size_t terms = 0, term_bytes = 0, postings = 0;

  static SizeEstimate Of(const Xapian::Database& db) {
    SizeEstimate e;
    const double span = std::max<Xapian::docid>(db.get_lastdocid(), 1);
    ForEachSearchableTerm(db, [&](const std::string& term, const Xapian::TermIterator& t) {
      const double df = t.get_termfreq();
      e.list_bytes += df * VarintBytes(static_cast<uint64_t>(2 * span / std::max(df, 1.0)));
      e.postings += static_cast<size_t>(df);
      e.term_bytes += term.size();
      ++e.terms;
      return true;
    });
    return e;
  }

  // Everything held, with `extra_per_post` bytes beside each post's length.
  uint64_t Total(Xapian::docid last_docid, uint64_t extra_per_post) const {
    return static_cast<uint64_t>(list_bytes) + postings / 16 + term_bytes + terms * 20 +
           (4 + extra_per_post) * (uint64_t{last_docid} + 1);
  }
};

absl::StatusOr<std::shared_ptr<const MemoryPostings>> MemoryPostings::Load(const Xapian::Database& db,
                                                                          const std::function<bool()>& cancelled,
                                                                          uint64_t max_bytes,
                                                                          uint64_t extra_bytes_per_post) {
  std::shared_ptr<MemoryPostings> m(new MemoryPostings());
  try {
    m->version_ = index::IndexVersion::Of(db);
    m->doc_count_ = db.get_doccount();
    m->average_length_ = db.get_avlength();
    const SizeEstimate estimate = SizeEstimate::Of(db);
    const uint64_t expected_total = estimate.Total(db.get_lastdocid(), extra_bytes_per_post);
    if (expected_total > max_bytes) {
      return absl::ResourceExhaustedError(absl::StrCat("the posting lists would take about ", expected_total >> 20,
                                                       " MiB, over the ", max_bytes >> 20, " MiB they may use"));
    }
    m->doc_lengths_.assign(db.get_lastdocid() + 1, 0);
    for (Xapian::PostingIterator p = db.postlist_begin(""); p != db.postlist_end(""); ++p) {
      m->doc_lengths_[*p] = p.get_doclength();
    }
    m->Reserve(estimate);
    CHAJA_RETURN_IF_ERROR(m->CopyLists(db, cancelled));
  } catch (const Xapian::Error& e) {
    return index::XapianErrorToStatus(e, "loading the in-memory posting lists");
  }
  // Shrinking copies, so only when the estimate was far off.
  if (m->postings_.capacity() > m->postings_.size() + m->postings_.size() / 4) m->postings_.shrink_to_fit();
  if (m->skips_.capacity() > m->skips_.size() + m->skips_.size() / 4) m->skips_.shrink_to_fit();
  return std::shared_ptr<const MemoryPostings>(std::move(m));
}

void MemoryPostings::Reserve(const SizeEstimate& estimate) {
  postings_.reserve(static_cast<size_t>(estimate.list_bytes) + estimate.postings / 16);
  skips_.reserve(2 * (estimate.postings / kSkipEvery + 1));
  term_bytes_.reserve(estimate.term_bytes);
  term_starts_.reserve(estimate.terms + 1);
  term_freqs_.reserve(estimate.terms);
  list_starts_.reserve(estimate.terms + 1);
  skip_starts_.reserve(estimate.terms + 1);
}

absl::Status MemoryPostings::CopyLists(const Xapian::Database& db, const std::function<bool()>& cancelled) {
  term_starts_.push_back(0);
  skip_starts_.push_back(0);
  list_starts_.push_back(0);
  size_t terms_seen = 0;
  bool stopped = false;
  ForEachSearchableTerm(db, [&](const std::string& term, const Xapian::TermIterator&) {
    if (cancelled && ++terms_seen % 4096 == 0 && cancelled()) {
      stopped = true;
      return false;
    }
    AppendList(db, term);
    return true;
  });
  if (stopped) return absl::CancelledError("loading the in-memory posting lists was cancelled");
  return absl::OkStatus();
}

void MemoryPostings::AppendList(const Xapian::Database& db, const std::string& term) {
  const size_t list_start = postings_.size();
  Xapian::docid previous = 0;
  uint32_t n = 0;
  for (Xapian::PostingIterator p = db.postlist_begin(term); p != db.postlist_end(term); ++p, ++n) {
    const Xapian::docid did = *p;
    if (n > 0 && n % kSkipEvery == 0) {
      skips_.push_back(previous);
      skips_.push_back(static_cast<uint32_t>(postings_.size() - list_start));
    }
    const Xapian::termcount wdf = p.get_wdf();
    PutVarint((static_cast<uint64_t>(did - previous) << 1) | (wdf != 1 ? 1 : 0), &postings_);
    if (wdf != 1) PutVarint(wdf, &postings_);
    previous = did;
  }
  term_bytes_ += term;
  term_starts_.push_back(static_cast<uint32_t>(term_bytes_.size()));
  term_freqs_.push_back(n);
  list_starts_.push_back(postings_.size());
  skip_starts_.push_back(static_cast<uint32_t>(skips_.size()));
  posting_count_ += n;
}

int64_t MemoryPostings::Find(absl::string_view term) const {
  size_t lo = 0, hi = term_freqs_.size();
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (TermAt(mid) < term) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo < term_freqs_.size() && TermAt(lo) == term ? static_cast<int64_t>(lo) : -1;
}

Xapian::doccount MemoryPostings::term_freq(absl::string_view term) const {
  const int64_t i = Find(term);
  return i < 0 ? 0 : term_freqs_[i];
}

size_t MemoryPostings::memory_bytes() const {
  return doc_lengths_.capacity() * sizeof(uint32_t) + term_bytes_.capacity() +
         term_starts_.capacity() * sizeof(uint32_t) + term_freqs_.capacity() * sizeof(uint32_t) +
         postings_.capacity() + list_starts_.capacity() * sizeof(uint64_t) + skips_.capacity() * sizeof(uint32_t) +
         skip_starts_.capacity() * sizeof(uint32_t);
}

MemoryPostings::Cursor MemoryPostings::Open(absl::string_view term) const {
  Cursor c;
  const int64_t i = Find(term);
  if (i < 0) return c;
  c.begin_ = postings_.data() + list_starts_[i];
  c.p_ = c.begin_;
  c.end_ = postings_.data() + list_starts_[i + 1];
  c.skip_ = skips_.data() + skip_starts_[i];
  c.skip_end_ = skips_.data() + skip_starts_[i + 1];
  c.at_end_ = false;
  c.Next();
  return c;
}

void MemoryPostings::Cursor::Next() {
  if (p_ == end_) {
    at_end_ = true;
    return;
  }
  const uint64_t v = GetVarint(&p_);
  docid_ += static_cast<Xapian::docid>(v >> 1);
  wdf_ = (v & 1) ? static_cast<Xapian::termcount>(GetVarint(&p_)) : 1;
}

void MemoryPostings::Cursor::SkipTo(Xapian::docid target) {
  if (at_end_ || docid_ >= target) return;
  // The last block that starts after a docid below the target: decoding
  // resumes there instead of walking every posting before it.
  size_t lo = 0, hi = static_cast<size_t>(skip_end_ - skip_) / 2;
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (skip_[2 * mid] < target) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo > 0 && skip_[2 * (lo - 1)] > docid_) {
    docid_ = skip_[2 * (lo - 1)];
    p_ = begin_ + skip_[2 * (lo - 1) + 1];
    skip_ += 2 * lo;
  }
  do {
    Next();
  } while (!at_end_ && docid_ < target);
}

absl::StatusOr<std::shared_ptr<const MemoryPostings>> MemoryPostings::LoadFrom(const std::string& path,
                                                                              const std::function<bool()>& cancelled,
                                                                              uint64_t max_bytes,
                                                                              uint64_t extra_bytes_per_post) {
  try {
    // Its own handle: a Database must not be shared between threads.
    const Xapian::Database db(path);
    return Load(db, cancelled, max_bytes, extra_bytes_per_post);
  } catch (const Xapian::Error& e) {
    return index::XapianErrorToStatus(e, "opening the database to load posting lists");
  }
}

}  // namespace chaja::search
