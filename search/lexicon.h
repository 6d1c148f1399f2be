// Lexicon: the site's vocabulary as the search box's readings need it — how
// many posts hold a term, and which terms lie in a range. Query readings
// (query_reading.h) decide with it whether a word is the site's own (a
// mistype's conversion, a correction, a completion), and Suggest lists from
// it.
//
// The Xapian form reads the database's term list: a term frequency is one
// B-tree lookup, a range one cursor walk. Thread-compatible, like the
// database handle it reads.
#ifndef CHAJA_SEARCH_LEXICON_H_
#define CHAJA_SEARCH_LEXICON_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

#include "absl/status/status.h"
#include "search/query_tree.h"

namespace chaja::search {

class Lexicon {
 public:
  virtual ~Lexicon() = default;
  // Posts holding `term` (a full index term, prefix included); 0 if none.
  virtual uint64_t Frequency(const std::string& term) const = 0;
  // Posts of the site.
  virtual uint64_t DocCount() const = 0;
  // Calls `fn(term, frequency)` for the terms in [from, to] in byte order
  // until it returns false.
  virtual void ForEachInRange(const std::string& from, const std::string& to,
                              const std::function<bool(const std::string&, uint64_t)>& fn) const = 0;
  // Whether some post holds every one of `terms`.
  virtual bool CoOccur(const std::vector<std::string>& terms) const = 0;
  // Whether some post matches `query`.
  virtual bool AnyMatch(const QueryNode& query) const = 0;
  // The same over several ranges, sorted and disjoint, in one walk (a 초성
  // pair is hundreds of small ranges).
  virtual void ForEachInRanges(const std::vector<std::pair<std::string, std::string>>& ranges,
                               const std::function<bool(const std::string&, uint64_t)>& fn) const = 0;
};

class XapianLexicon : public Lexicon {
 public:
  explicit XapianLexicon(const Xapian::Database* db) : db_(db) {}

  uint64_t Frequency(const std::string& term) const override;
  uint64_t DocCount() const override;
  void ForEachInRange(const std::string& from, const std::string& to,
                      const std::function<bool(const std::string&, uint64_t)>& fn) const override;
  void ForEachInRanges(const std::vector<std::pair<std::string, std::string>>& ranges,
                       const std::function<bool(const std::string&, uint64_t)>& fn) const override;
  bool CoOccur(const std::vector<std::string>& terms) const override;
  bool AnyMatch(const QueryNode& query) const override;

  // The first Xapian error a lookup met (lookups then answer 0 / nothing),
  // mapped like every read error: ABORTED when the database changed.
  absl::Status status() const { return status_; }

 private:
  void Fail(const Xapian::Error& e) const;

  const Xapian::Database* db_;
  mutable absl::Status status_;
};

}  // namespace chaja::search

#endif  // CHAJA_SEARCH_LEXICON_H_
