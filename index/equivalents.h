// Equivalents: words that stand for one another in a site's search and tags
// (우분투 and ubuntu, 파이썬 and Python), from the site's own list in
// site.json and Chaja's built-in loanword list (analyzer/loanword.h).
//
// Words are matched by NormalizeKey (NFKC, case folded), so "Ubuntu",
// "UBUNTU" and "ｕｂｕｎｔｕ" are one word. Two-way sets merge tags; one-way
// expansions (LLM => 대형 언어 모델) only widen searches for their first word.
// A word the site lists is taken out of every built-in set, so the site's
// list always wins.
//
// Immutable once made; share by shared_ptr. The built-in sets are built once
// per process and shared by every site.
#ifndef CHAJA_INDEX_EQUIVALENTS_H_
#define CHAJA_INDEX_EQUIVALENTS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chaja/v1/search.pb.h"

namespace chaja::index {

struct EquivalentSet {
  // As written in the rule (the site's) or the list (built-in).
  std::vector<std::string> words;
  // words[0] finds the others, not the reverse.
  bool one_way = false;
  v1::EquivalentSource source = v1::EQUIVALENT_SOURCE_SITE;
};

// The sets of the built-in list: its pairs joined where they share a word
// (윈도우 = Windows and 윈도 = Windows make one set).
const std::vector<EquivalentSet>& BuiltinEquivalentSets();

class Equivalents {
 public:
  static constexpr uint32_t kNoSet = UINT32_MAX;

  // The site's rules in Elasticsearch's synonym format ("a, b, c" or
  // "a => b, c"), with or without the built-in sets. INVALID_ARGUMENT naming
  // the rule for one that has fewer than two words, an empty word, or more
  // than one "=>".
  static absl::StatusOr<std::shared_ptr<const Equivalents>> Make(const std::vector<std::string>& site_rules,
                                                                 bool builtin);

  // Another spelling of a word and the rule it comes from.
  struct Alternative {
    std::string text;
    v1::EquivalentSource source;
  };
  // What `word` may also be written as: the other words of its two-way set
  // and the expansions of its one-way rules; empty when it has none.
  std::vector<Alternative> AlternativesOf(absl::string_view word) const;

  // Up to `limit` words with equivalents whose normalized key starts with
  // the normalized `prefix` (a word still being typed: 우분 → 우분투), in key
  // order.
  std::vector<std::string> WordsStartingWith(absl::string_view prefix, size_t limit) const;

  // The two-way set holding the normalized key `key` (a tag's), or kNoSet.
  uint32_t SetOfKey(const std::string& key) const;
  // A two-way set by id (SetOfKey).
  const EquivalentSet& set(uint32_t id) const;

  // The site's sets and expansions, in the order of site.json.
  const std::vector<EquivalentSet>& site_sets() const { return site_sets_; }
  // Whether built-in sets apply, and whether built-in set `id` (an index of
  // BuiltinEquivalentSets) does on this site (the site's list can take it out).
  bool builtin() const { return builtin_; }
  bool BuiltinSetActive(uint32_t id) const;

 private:
  Equivalents() = default;
  absl::Status AddRule(absl::string_view rule);

  std::vector<EquivalentSet> site_sets_;
  // Normalized word → index of site_sets_ (two-way sets only).
  absl::flat_hash_map<std::string, uint32_t> site_set_of_;
  // Every normalized word of the site's rules, sorted.
  std::vector<std::string> site_keys_;
  // Normalized first word of a one-way rule → indexes of site_sets_.
  absl::flat_hash_map<std::string, std::vector<uint32_t>> expansions_of_;
  bool builtin_ = true;
};

}  // namespace chaja::index

#endif  // CHAJA_INDEX_EQUIVALENTS_H_
