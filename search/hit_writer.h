// HitWriter: turns a ranked post into the SearchHit the reader sees: title
// and snippet with the query's terms highlighted, and the post's fields.
//
// Thread-compatible: one writer per request.
#ifndef CHAJA_SEARCH_HIT_WRITER_H_
#define CHAJA_SEARCH_HIT_WRITER_H_

#include <cstddef>

#include <xapian.h>

#include "absl/status/status.h"
#include "analyzer/highlighter.h"
#include "chaja/v1/search.pb.h"
#include "index/schema.h"
#include "search/query_plan.h"

namespace chaja::search {

inline constexpr size_t kSnippetChars = 160;
// The snippet is cut from the start of the body up to this many bytes, so a
// post's size does not set a search's cost (a 15 MB post cost every search
// that showed it ~0.6 s); a long post's best passage beyond it is not looked for.
inline constexpr size_t kSnippetWindowBytes = index::kStoredHeadBodyBytes;

class HitWriter {
 public:
  explicit HitWriter(const QueryPlan& plan)
      : highlighter_(plan.highlight_terms), has_text_(plan.has_text), equivalent_uses_(plan.equivalent_uses) {}

  // Appends the hit of `doc` (ranked with `weight`) to `response`; the
  // error of a post whose stored data does not parse.
  absl::Status Add(const Xapian::Document& doc, double weight, v1::SearchResponse* response) const;

 private:
  // SearchHit.equivalents: the uses whose other spelling `doc` has and whose
  // written word it lacks.
  void AddEquivalents(const Xapian::Document& doc, v1::SearchHit* hit) const;

  const analyzer::Highlighter highlighter_;
  const bool has_text_;
  const std::vector<EquivalentUse>& equivalent_uses_;
};

}  // namespace chaja::search

#endif  // CHAJA_SEARCH_HIT_WRITER_H_
