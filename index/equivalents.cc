#include "index/equivalents.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "analyzer/loanword.h"
#include "index/schema.h"

namespace chaja::index {
namespace {

struct BuiltinTable {
  std::vector<EquivalentSet> sets;
  absl::flat_hash_map<std::string, uint32_t> set_of;
  std::vector<std::string> keys;  // sorted
};

// Union-find over the list's words: pairs that share a word are one set.
uint32_t Root(std::vector<uint32_t>& parent, uint32_t i) {
  while (parent[i] != i) i = parent[i] = parent[parent[i]];
  return i;
}

BuiltinTable MakeBuiltinTable() {
  std::vector<std::string> words;
  absl::flat_hash_map<std::string, uint32_t> id_of;
  std::vector<uint32_t> parent;
  auto id = [&](absl::string_view word) {
    auto [it, inserted] = id_of.emplace(NormalizeKey(word), static_cast<uint32_t>(words.size()));
    if (inserted) {
      words.emplace_back(word);
      parent.push_back(it->second);
    }
    return it->second;
  };
  for (const analyzer::LoanwordPair& pair : analyzer::BuiltinLoanwords()) {
    const uint32_t a = Root(parent, id(pair.hangul)), b = Root(parent, id(pair.latin));
    if (a != b) parent[b] = a;
  }
  BuiltinTable table;
  absl::flat_hash_map<uint32_t, uint32_t> set_of_root;
  for (uint32_t i = 0; i < words.size(); ++i) {
    auto [it, inserted] = set_of_root.emplace(Root(parent, i), static_cast<uint32_t>(table.sets.size()));
    if (inserted) table.sets.push_back({{}, false, v1::EQUIVALENT_SOURCE_BUILTIN});
    table.sets[it->second].words.push_back(words[i]);
    table.set_of.emplace(NormalizeKey(words[i]), it->second);
    table.keys.push_back(NormalizeKey(words[i]));
  }
  std::sort(table.keys.begin(), table.keys.end());
  return table;
}

const BuiltinTable& Builtin() {
  static const BuiltinTable* const table = new BuiltinTable(MakeBuiltinTable());
  return *table;
}

// The words of a comma-separated list, trimmed; empty words are kept, so the
// caller can refuse them.
std::vector<std::string> Words(absl::string_view list) {
  std::vector<std::string> words;
  for (absl::string_view w : absl::StrSplit(list, ',')) words.emplace_back(absl::StripAsciiWhitespace(w));
  return words;
}

}  // namespace

const std::vector<EquivalentSet>& BuiltinEquivalentSets() { return Builtin().sets; }

absl::StatusOr<std::shared_ptr<const Equivalents>> Equivalents::Make(const std::vector<std::string>& site_rules,
                                                                    bool builtin) {
  std::shared_ptr<Equivalents> e(new Equivalents());
  e->builtin_ = builtin;
  for (const std::string& rule : site_rules) {
    if (absl::Status s = e->AddRule(rule); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("synonyms: \"", rule, "\": ", s.message()));
    }
  }
  for (const EquivalentSet& set : e->site_sets_) {
    for (const std::string& w : set.words) e->site_keys_.push_back(NormalizeKey(w));
  }
  std::sort(e->site_keys_.begin(), e->site_keys_.end());
  return std::shared_ptr<const Equivalents>(std::move(e));
}

absl::Status Equivalents::AddRule(absl::string_view rule) {
  std::vector<absl::string_view> sides = absl::StrSplit(rule, "=>");
  if (sides.size() > 2) return absl::InvalidArgumentError("more than one \"=>\"");
  EquivalentSet set;
  set.one_way = sides.size() == 2;
  if (set.one_way) {
    const std::vector<std::string> left = Words(sides[0]);
    if (left.size() != 1) return absl::InvalidArgumentError("write one word before \"=>\"");
    set.words = left;
  }
  for (std::string& w : Words(sides.back())) set.words.push_back(std::move(w));
  if (set.words.size() < 2) return absl::InvalidArgumentError("a rule needs two words or more");
  for (const std::string& w : set.words) {
    if (NormalizeKey(w).empty()) return absl::InvalidArgumentError("an empty word");
  }
  const uint32_t id = static_cast<uint32_t>(site_sets_.size());
  if (set.one_way) {
    expansions_of_[NormalizeKey(set.words.front())].push_back(id);
  } else {
    for (const std::string& w : set.words) site_set_of_.emplace(NormalizeKey(w), id);
  }
  site_sets_.push_back(std::move(set));
  return absl::OkStatus();
}

bool Equivalents::BuiltinSetActive(uint32_t id) const {
  if (!builtin_) return false;
  for (const std::string& w : Builtin().sets[id].words) {
    if (site_set_of_.contains(NormalizeKey(w))) return false;
  }
  return true;
}

uint32_t Equivalents::SetOfKey(const std::string& key) const {
  if (auto it = site_set_of_.find(key); it != site_set_of_.end()) return it->second;
  if (!builtin_) return kNoSet;
  const BuiltinTable& table = Builtin();
  auto it = table.set_of.find(key);
  if (it == table.set_of.end() || !BuiltinSetActive(it->second)) return kNoSet;
  return static_cast<uint32_t>(site_sets_.size()) + it->second;
}

const EquivalentSet& Equivalents::set(uint32_t id) const {
  if (id < site_sets_.size()) return site_sets_[id];
  return Builtin().sets[id - site_sets_.size()];
}

std::vector<std::string> Equivalents::WordsStartingWith(absl::string_view prefix, size_t limit) const {
  const std::string key = NormalizeKey(prefix);
  std::vector<std::string> out;
  auto collect = [&](const std::vector<std::string>& keys) {
    for (auto it = std::lower_bound(keys.begin(), keys.end(), key);
         it != keys.end() && out.size() < limit && absl::StartsWith(*it, key); ++it) {
      if (std::find(out.begin(), out.end(), *it) == out.end() && !AlternativesOf(*it).empty()) out.push_back(*it);
    }
  };
  if (key.empty()) return out;
  collect(site_keys_);
  if (builtin_) collect(Builtin().keys);
  return out;
}

std::vector<Equivalents::Alternative> Equivalents::AlternativesOf(absl::string_view word) const {
  const std::string key = NormalizeKey(word);
  std::vector<Alternative> out;
  absl::flat_hash_set<std::string> seen = {key};
  auto add = [&](const EquivalentSet& set, size_t from) {
    for (size_t i = from; i < set.words.size(); ++i) {
      if (seen.insert(NormalizeKey(set.words[i])).second) out.push_back({set.words[i], set.source});
    }
  };
  if (const uint32_t id = SetOfKey(key); id != kNoSet) add(set(id), 0);
  if (auto it = expansions_of_.find(key); it != expansions_of_.end()) {
    for (uint32_t id : it->second) add(site_sets_[id], 1);
  }
  return out;
}

}  // namespace chaja::index
