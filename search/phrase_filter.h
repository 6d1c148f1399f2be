// PhraseFilter: keeps the posts whose stored text satisfies a query's
// PhraseChecks (search/query_plan.h). The index keeps no positions, so the
// matcher finds posts holding a phrase's terms anywhere and this filter checks
// that they are next to each other (or, for an excluded phrase, that they are
// not). It only sees candidates the matcher already narrowed down.
//
// Thread-compatible: one PhraseFilter per Enquire.
#ifndef CHAJA_SEARCH_PHRASE_FILTER_H_
#define CHAJA_SEARCH_PHRASE_FILTER_H_

#include <vector>

#include <xapian.h>

#include "analyzer/analyzer.h"
#include "index/schema.h"
#include "search/query_plan.h"

namespace chaja::search {

// A phrase is looked for in the title and the first this many bytes of the
// body: the check reads and analyses the stored text, and a post's size must
// not set a search's cost. A phrase only further into a longer post is not
// found by a phrase query (its words still match unquoted). It is the stored
// head (index/schema.h), the part of a long post a search can read alone.
inline constexpr size_t kPhraseWindowBytes = index::kStoredHeadBodyBytes;

class PhraseFilter : public Xapian::MatchDecider {
 public:
  explicit PhraseFilter(std::vector<PhraseCheck> checks) : checks_(std::move(checks)) {}

  // True when the post contains every required phrase and no excluded one.
  // A post whose data does not parse is kept (the hit itself reports it).
  bool operator()(const Xapian::Document& doc) const override;

 private:
  bool Contains(const v1::Article& article, const std::vector<std::string>& terms, bool title_only) const;

  std::vector<PhraseCheck> checks_;
  analyzer::Analyzer analyzer_;
};

}  // namespace chaja::search

#endif  // CHAJA_SEARCH_PHRASE_FILTER_H_
