// The in-memory ranker: answers a relevance-ordered text query of a big site
// from a MemoryPostings snapshot, the same way the Xapian path of searcher.cc
// does (shortlist, then BM25 of the whole query), without touching Xapian
// until the shown posts are loaded.
//
// 1. Shortlist: BM25 of the query's selective terms (the query built with
//    RankingParams::shortlist_share), summed per post in an accumulator
//    array, one posting list after another; the best shortlist_size posts
//    are kept. Required words, the query's tag:/category: filters and
//    excluded words are first turned into a bitmap of allowed posts (with
//    the request's tag, category and date filters); what is left to score must be
//    an OR of terms (an AND may be one alternative of an OR, as in GPT-4o),
//    where counting every operator as OR keeps to posts the query matches.
// 2. The whole query is evaluated on the shortlisted posts, in docid order,
//    skipping through its posting lists, with Xapian's BM25Weight formula and
//    operators (query_tree.h), so weights equal the Xapian path's up to the
//    order in which floating-point sums are added.
//
// Thread-compatible: one Scratch per thread.
#ifndef CHAJA_INDEX_MEMORY_RANKER_H_
#define CHAJA_INDEX_MEMORY_RANKER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <xapian.h>

#include "index/memory_postings.h"
#include "index/query_tree.h"
#include "index/ranking.h"

namespace chaja::index {

// Reusable per-thread buffers (an accumulator per post is allocated once).
struct MemoryRankerScratch {
  std::vector<float> scores;
  std::vector<Xapian::docid> touched;
};

struct MemoryHit {
  Xapian::docid docid = 0;
  double weight = 0;
};

struct MemoryRanking {
  // The page asked for, best first (ties by docid, as Xapian orders them).
  std::vector<MemoryHit> hits;
  // An estimate of how many posts match the whole query (Xapian's
  // independence estimate from term frequencies); at least the matches seen.
  uint64_t estimated_total = 0;
};

// Posts a search may return, one bit per docid (bit d of word d / 64).
using DocBitmap = std::vector<uint64_t>;

// Ranks `whole` through a shortlist made by `selective` (or by every term of
// `whole` when fewer than offset + limit posts have a selective one), among
// the posts set in `allowed` (all when nullptr). nullopt when this ranker
// cannot answer and the caller should ask Xapian: what is left after the
// required, filtered and excluded parts is not an OR of terms (see above), or
// the parameters use BM25's k2.
std::optional<MemoryRanking> RankInMemory(const MemoryPostings& postings, const QueryNode& whole,
                                          const QueryNode& selective, const RankingParams& params, uint32_t offset,
                                          uint32_t limit, MemoryRankerScratch* scratch,
                                          const DocBitmap* allowed = nullptr);

// Boolean filters over the in-memory lists, for request filters: every
// clause must hold; a clause holds for a post that has any of its terms. Posts
// with any of `excluded` are left out.
DocBitmap AllowedPosts(const MemoryPostings& postings, const std::vector<std::vector<std::string>>& clauses,
                       const std::vector<std::string>& excluded);

}  // namespace chaja::index

#endif  // CHAJA_INDEX_MEMORY_RANKER_H_
