// RankingParams: how searches are ranked (BM25 and the shortlist of big
// sites), shared by the Xapian ranker and the in-memory ranker (ranker.h).
#ifndef CHAJA_SEARCH_RANKING_H_
#define CHAJA_SEARCH_RANKING_H_

#include <cstdint>

namespace chaja::search {

// BM25 parameters, tuned on ../shared/eval (see bench/README.md): a lower k1
// than Lucene's 1.2 because bigrams repeat more than words do.
struct RankingParams {
  double k1 = 0.9;
  double k2 = 0.0;
  double k3 = 1.0;
  double b = 0.75;
  double min_normlen = 0.5;
  // Sites with at least this many posts rank relevance-ordered text queries
  // through a shortlist of posts matching the query's rarer grams
  // (xapian_ranker.cc explains; tests lower it to exercise the path).
  uint32_t shortlist_min_docs = 50000;
  // Grams held by at most this share of the posts make the shortlist query,
  // which keeps this many posts. Tuned on nsmc_reviews (712k posts, 3,000
  // queries, bench/README.md): share 0.5% and 150 posts give MRR@10 0.695
  // (0.691 ranking whole) at p50/p99 3.6/6.4 ms instead of 3.9/15 ms; 0.2%
  // drops MRR@10 to 0.64, and 50 posts to 0.683.
  double shortlist_share = 0.005;
  uint32_t shortlist_size = 150;
  // Shortlisting sites keep their posting lists in memory (memory_postings.h)
  // and rank from them once loaded: single-client p50 over gRPC on 712k
  // reviews went from 3.95 to 1.02 ms (bench/README.md, issue 6).
  bool memory_postings = true;
  // At most this many bytes of in-memory lists for all sites together; a site
  // whose lists would not fit is ranked by Xapian (a site of long posts
  // takes far more per post than the 48 bytes of a short review).
  uint64_t memory_postings_max_bytes = uint64_t{512} << 20;
};

}  // namespace chaja::search

#endif  // CHAJA_SEARCH_RANKING_H_
