// The in-memory ranker: answers a relevance-ordered text query of a big site
// from a MemoryPostings snapshot, the same way the Xapian ranker does
// (shortlist, then BM25 of the whole query), without touching Xapian until
// the shown posts are loaded; and the in-memory match bitmap that counts
// facets from the same snapshot.
//
// 1. Shortlist: BM25 of the query's selective terms (SelectiveTree), summed
//    per post in an accumulator array, one posting list after another; the
//    best shortlist_size posts are kept. Required words and every filter of
//    the plan (the query's tag:/category:, the request's tags, category,
//    dates and excluded tags, excluded words) are first turned into a bitmap
//    of allowed posts; what is left to score must be an OR of terms (an AND
//    may be one alternative of an OR, as in GPT-4o), where counting every
//    operator as OR keeps to posts the query matches.
// 2. The whole query is evaluated on the shortlisted posts, in docid order,
//    skipping through its posting lists, with Xapian's BM25Weight formula and
//    operators (query_tree.h), so weights equal the Xapian ranker's up to the
//    order in which floating-point sums are added.
//
// Thread-compatible: one Scratch per thread.
#ifndef CHAJA_SEARCH_MEMORY_RANKER_H_
#define CHAJA_SEARCH_MEMORY_RANKER_H_

#include <cstdint>
#include <optional>
#include <vector>

#include <xapian.h>

#include "index/site_columns.h"
#include "search/counting_pool.h"
#include "search/deadline.h"
#include "search/memory_postings.h"
#include "search/query_tree.h"
#include "search/ranker.h"
#include "search/ranking.h"

namespace chaja::search {

// Reusable per-thread buffers: an accumulator per post, allocated once.
struct MemoryRankerScratch {
  std::vector<float> scores;
  std::vector<Xapian::docid> touched;

  // What a scratch takes per post of the site (what searchd's memory budget
  // charges for each beside the lists): an accumulator and a touched entry.
  static constexpr uint64_t kBytesPerPost = sizeof(float) + sizeof(Xapian::docid);
  static uint64_t BytesFor(Xapian::docid last_docid) { return (uint64_t{last_docid} + 1) * kBytesPerPost; }
};

// Posts, one bit per docid (bit d of word d / 64).
using DocBitmap = std::vector<uint64_t>;

// Ranks `whole` through a shortlist made by `selective` (or by every term of
// `whole`, which is exact, when `selective` is empty, when the page ends past
// half the shortlist, or when fewer than offset + limit posts have a
// selective term): the
// page asked for, best first (ties by docid, as Xapian orders them), and
// Xapian's kind of estimate of the matches (from term frequencies, at least
// the matches seen; never exact). `columns`
// answers date ranges (nullptr: a plan with one is declined). nullopt when
// this ranker cannot answer and the caller should ask Xapian: what is left
// after the required, filtered and excluded parts is not an OR of terms (see
// above), or the parameters use BM25's k2. Throws WorkStopped once
// `deadline` (checked per term) has passed.
std::optional<RankedPage> RankInMemory(const MemoryPostings& postings, const index::SiteColumns* columns,
                                       const QueryNode& whole, const QueryNode& selective, const RankingParams& params,
                                       uint32_t offset, uint32_t limit, MemoryRankerScratch* scratch,
                                       const Deadline* deadline = nullptr);

// The posts matching `tree` (any operator; date ranges from `columns`), or
// nullopt if it holds what the lists cannot answer (a range without columns).
std::optional<DocBitmap> MatchingPosts(const MemoryPostings& postings, const index::SiteColumns* columns,
                                       const QueryNode& tree);

// Pages ending past this are ranked by Xapian: the in-memory ranker weighs
// each post of the page again, and deeper pages are rare.
inline constexpr uint64_t kMaxMemoryRankedPageEnd = 10000;

// The Ranker over one MemoryPostings snapshot: relevance-ordered text queries
// of sites big enough to shortlist, with no phrase to check against the
// stored text. Facets are counted from the match bitmap of the same plan, on
// a thread of `counting` while this one ranks when one is idle.
class MemoryRanker : public Ranker {
 public:
  // All pointers are borrowed for the ranker's life; `columns` and
  // `counting` may be nullptr.
  MemoryRanker(const MemoryPostings* postings, const index::SiteColumns* columns, const RankingParams* params,
               MemoryRankerScratch* scratch, CountingPool* counting = nullptr)
      : postings_(postings), columns_(columns), params_(params), scratch_(scratch), counting_(counting) {}

  const char* name() const override { return "memory"; }
  absl::StatusOr<std::optional<RankedPage>> Rank(const RankQuery& query) override;

 private:
  bool Takes(const RankQuery& query) const;
  // No posts asked for (facets alone): the matches counted, none ranked.
  std::optional<RankedPage> CountOnly(const RankQuery& query) const;

  const MemoryPostings* postings_;
  const index::SiteColumns* columns_;
  const RankingParams* params_;
  MemoryRankerScratch* scratch_;
  CountingPool* counting_;
};

}  // namespace chaja::search

#endif  // CHAJA_SEARCH_MEMORY_RANKER_H_
