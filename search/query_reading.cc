#include "search/query_reading.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>

#include "absl/algorithm/container.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "analyzer/analyzer.h"
#include "analyzer/hangul.h"
#include "analyzer/jamo.h"
#include "analyzer/keyboard.h"
#include "analyzer/utf8.h"
#include "index/schema.h"

namespace chaja::search {
namespace {

using analyzer::IsHangulSyllable;

// Range walks stop after this many terms: a completion or a 초성 pair on a big
// site must cost a bounded time, and the most frequent terms of a range are
// almost always among its first few thousand.
constexpr size_t kMaxWalk = 20000;
// A word whose rarest gram more posts hold than this (a share of a big site,
// a count on a small one) is taken as the site's without a co-occurrence probe.
constexpr double kSlipGramShare = 0.002;
constexpr double kSlipGramPosts = 1000;
// The last character of a UTF-8 range bound: no term byte is 0xFF.
constexpr char kAfterAll = '\xff';

std::string Utf8(char32_t c) { return analyzer::ToUtf8(std::u32string(1, c)); }

std::string Gram(char32_t a, char32_t b) { return analyzer::ToUtf8(std::u32string{a, b}); }

// The `limit` most frequent of `terms`, most frequent first (ties by term).
std::vector<TermCount> Top(std::vector<TermCount> terms, size_t limit) {
  std::sort(terms.begin(), terms.end(), [](const TermCount& a, const TermCount& b) {
    return a.count != b.count ? a.count > b.count : a.term < b.term;
  });
  if (terms.size() > limit) terms.resize(limit);
  return terms;
}

// `ranges` sorted, overlapping ones merged: what ForEachInRanges walks.
std::vector<std::pair<std::string, std::string>> SortedDisjoint(std::vector<std::pair<std::string, std::string>> ranges) {
  std::sort(ranges.begin(), ranges.end());
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& range : ranges) {
    if (!out.empty() && range.first <= out.back().second) {
      out.back().second = std::max(out.back().second, range.second);
    } else {
      out.push_back(std::move(range));
    }
  }
  return out;
}

// Collects the terms of `ranges` that `keep` accepts, walking at most kMaxWalk.
std::vector<TermCount> Collect(const Lexicon& lexicon, const std::vector<std::pair<std::string, std::string>>& ranges,
                               const std::function<bool(const std::string&)>& keep) {
  std::vector<TermCount> out;
  size_t walked = 0;
  lexicon.ForEachInRanges(ranges, [&](const std::string& term, uint64_t count) {
    if (keep(term)) out.push_back({term, count});
    return ++walked < kMaxWalk;
  });
  return out;
}

size_t CodePoints(absl::string_view utf8) { return analyzer::DecodeUtf8(utf8).size(); }

// --- Keyboard mistypes -------------------------------------------------------

// How many posts hold every gram of a Hangul word (an upper bound: its
// rarest gram); 0 when a gram is missing or the text is not all syllables.
uint64_t HangulEvidence(const std::u32string& word, const Lexicon& lexicon) {
  if (word.empty()) return 0;
  for (char32_t c : word) {
    if (!IsHangulSyllable(c)) return 0;
  }
  if (word.size() == 1) return lexicon.Frequency(analyzer::ToUtf8(word));
  uint64_t least = UINT64_MAX;
  for (size_t i = 0; i + 1 < word.size(); ++i) least = std::min(least, lexicon.Frequency(Gram(word[i], word[i + 1])));
  return least;
}

// Syllables only; a word being typed may end with the initial consonant of
// the syllable being composed (vor → 패ㄱ).
bool IsReadableHangul(const std::u32string& word, bool incomplete) {
  if (word.empty()) return false;
  const size_t syllables = incomplete && analyzer::IsChoseongOnly(Utf8(word.back())) ? word.size() - 1 : word.size();
  if (syllables == 0) return false;
  return std::all_of(word.begin(), word.begin() + syllables, IsHangulSyllable);
}

bool IsAsciiLetters(absl::string_view word) {
  return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) { return absl::ascii_isalpha(c); });
}

bool IsHangulText(const std::u32string& word) {
  return !word.empty() && std::all_of(word.begin(), word.end(), [](char32_t c) {
    return IsHangulSyllable(c) || analyzer::IsCompatibilityJamo(c);
  });
}

// Whether the site has Latin `word`: as a term, or (the word being typed) as
// the start of one.
bool SiteHasLatin(const std::string& word, const Lexicon& lexicon, bool incomplete) {
  if (lexicon.Frequency(word) > 0) return true;
  return incomplete && word.size() >= 2 && !CompleteLatin(word, lexicon, "", 1).empty();
}

// Whether the site has the Hangul `word`, or (being typed) a completion of it.
bool SiteHasHangul(const std::u32string& word, const Lexicon& lexicon, bool incomplete) {
  if (HangulEvidence(word, lexicon) > 0) return true;
  return incomplete && !CompleteHangul(word, lexicon, "", 1).empty();
}

// The conversion of one word, or nullopt to keep it. `all_latin` says the
// reader typed the whole query in English mode, so an unknown ASCII word is
// converted too.
std::optional<std::string> ReadWord(absl::string_view word, const Lexicon& lexicon, bool incomplete,
                                    bool all_latin) {
  if (IsAsciiLetters(word)) {
    if (word.size() < 2 || word == "OR") return std::nullopt;
    const std::string hangul = analyzer::HangulFromKeys(word);
    if (!IsReadableHangul(analyzer::ToCodePoints(hangul), incomplete)) return std::nullopt;
    const std::string latin = absl::AsciiStrToLower(word);
    // In a query typed in English mode a short word the site also has in
    // Latin (sk, 나) is read as Hangul when that is the commoner reading.
    const bool commoner_as_hangul = all_latin && !incomplete && word.size() <= 3 &&
                                    HangulEvidence(analyzer::ToCodePoints(hangul), lexicon) > lexicon.Frequency(latin);
    if (SiteHasLatin(latin, lexicon, incomplete) && !commoner_as_hangul) return std::nullopt;
    if (all_latin || SiteHasHangul(analyzer::ToCodePoints(hangul), lexicon, incomplete)) return hangul;
    return std::nullopt;
  }
  const std::u32string chars = analyzer::ToCodePoints(word);
  if (!IsHangulText(chars) || analyzer::IsChoseongOnly(word)) return std::nullopt;
  const std::string keys = absl::AsciiStrToLower(analyzer::KeysFromHangul(word));
  if (!IsAsciiLetters(keys) || keys.size() < 2) return std::nullopt;
  if (SiteHasHangul(chars, lexicon, incomplete)) return std::nullopt;
  if (SiteHasLatin(keys, lexicon, incomplete)) return keys;
  return std::nullopt;
}

// A word of letters and other characters (1%dml, 2020년도에gks): each run of
// ASCII letters is read on its own; nullopt when none is converted.
std::optional<std::string> ReadMixedWord(absl::string_view word, const Lexicon& lexicon, bool incomplete,
                                         bool all_latin) {
  std::string out;
  bool converted = false;
  for (size_t i = 0; i < word.size();) {
    size_t j = i;
    while (j < word.size() && absl::ascii_isalpha(word[j])) ++j;
    if (j == i) {
      out.push_back(word[i++]);
      continue;
    }
    const std::optional<std::string> read =
        ReadWord(word.substr(i, j - i), lexicon, incomplete && j == word.size(), all_latin);
    converted = converted || read.has_value();
    absl::StrAppend(&out, read ? *read : word.substr(i, j - i));
    i = j;
  }
  if (!converted) return std::nullopt;
  return out;
}

// A whitespace-separated piece of the query: operators, quotes and
// punctuation around the word are kept apart, so only the word is converted.
struct QueryWord {
  std::string before, word, after;
  bool field = false;  // tag:…, category:…: values are names, not words
};

QueryWord SplitWord(absl::string_view piece) {
  QueryWord w;
  size_t b = 0, e = piece.size();
  while (b < e && std::strchr("-+\"(", piece[b]) != nullptr) ++b;
  while (e > b && std::strchr("\"),.:;!?", piece[e - 1]) != nullptr) --e;
  w.before = std::string(piece.substr(0, b));
  w.word = std::string(piece.substr(b, e - b));
  w.after = std::string(piece.substr(e));
  const size_t colon = w.word.find(':');
  if (colon != std::string::npos) {
    const std::string name = w.word.substr(0, colon);
    w.field = name == "tag" || name == "category" || name == "title";
  }
  return w;
}

// Whether some post holds every gram of the Hangul `word` (its grams can each
// be common while the word is no one's: 스타데이트).
bool SiteHasWord(const std::u32string& word, const Lexicon& lexicon, const std::string& prefix) {
  std::vector<std::string> grams;
  for (size_t i = 0; i + 1 < word.size(); ++i) grams.push_back(absl::StrCat(prefix, Gram(word[i], word[i + 1])));
  return lexicon.CoOccur(grams);
}

}  // namespace

std::string ReadKeyboardMistypes(absl::string_view query, const Lexicon& lexicon, bool typing) {
  // Pieces and the whitespace between them, so the query keeps its spacing.
  std::vector<std::string> pieces, gaps;
  size_t i = 0;
  while (i < query.size()) {
    size_t j = i;
    while (j < query.size() && !absl::ascii_isspace(query[j])) ++j;
    size_t k = j;
    while (k < query.size() && absl::ascii_isspace(query[k])) ++k;
    pieces.emplace_back(query.substr(i, j - i));
    gaps.emplace_back(query.substr(j, k - j));
    i = k;
  }
  const bool ends_in_word = !query.empty() && !absl::ascii_isspace(query.back());
  std::vector<QueryWord> words;
  // A quoted field value (tag:"a b") is a name up to its closing quote.
  bool in_quoted_field = false;
  for (const std::string& piece : pieces) {
    QueryWord word = SplitWord(piece);
    const bool opens = word.field && absl::StrContains(piece, ":\"") && !absl::EndsWith(piece, "\"");
    word.field = word.field || in_quoted_field;
    if (in_quoted_field && absl::StrContains(piece, "\"")) {
      in_quoted_field = false;
    } else if (opens) {
      in_quoted_field = true;
    }
    words.push_back(std::move(word));
  }
  // Two passes: once a word is known to be typed in English mode, the other
  // ASCII words of the query that the site does not have were too.
  bool any_converted = false;
  std::vector<std::optional<std::string>> readings(words.size());
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t w = 0; w < words.size(); ++w) {
      if (words[w].field || readings[w]) continue;
      const bool incomplete = typing && ends_in_word && w + 1 == words.size() && words[w].after.empty();
      readings[w] = IsAsciiLetters(words[w].word) || !absl::c_any_of(words[w].word, absl::ascii_isalpha)
                        ? ReadWord(words[w].word, lexicon, incomplete, /*all_latin=*/pass == 1)
                        : ReadMixedWord(words[w].word, lexicon, incomplete, /*all_latin=*/pass == 1);
      any_converted = any_converted || (readings[w] && IsAsciiLetters(words[w].word));
    }
    if (!any_converted) break;
  }
  std::string out;
  for (size_t w = 0; w < words.size(); ++w) {
    absl::StrAppend(&out, words[w].before, readings[w] ? *readings[w] : words[w].word, words[w].after, gaps[w]);
  }
  return out;
}

TypedText TypedOf(absl::string_view text) {
  std::u32string chars = analyzer::ToCodePoints(text);
  TypedText typed;
  if (!chars.empty() && (IsHangulSyllable(chars.back()) || analyzer::IsChoseongOnly(Utf8(chars.back())))) {
    typed.last = chars.back();
    chars.pop_back();
  }
  const std::string raw = analyzer::ToUtf8(chars);
  typed.stem = index::NormalizeKey(raw);
  // NormalizeKey trims: keep the space before the word being typed.
  if (!raw.empty() && absl::ascii_isspace(raw.back()) && !typed.stem.empty()) typed.stem += ' ';
  return typed;
}

bool StartsWithTyped(absl::string_view key, const TypedText& typed) {
  if (!absl::StartsWith(key, typed.stem)) return false;
  if (typed.last == 0) return true;
  const std::u32string rest = analyzer::ToCodePoints(key.substr(typed.stem.size()));
  if (rest.empty()) return false;
  for (const auto& [lo, hi] : analyzer::CompletionsOf(typed.last)) {
    if (rest.front() >= lo && rest.front() <= hi) return true;
  }
  return false;
}

std::vector<std::pair<std::string, std::string>> TypedRanges(absl::string_view prefix, const TypedText& typed) {
  const std::string stem = absl::StrCat(prefix, typed.stem);
  if (typed.last == 0) return {{stem, stem + kAfterAll}};
  std::vector<std::pair<std::string, std::string>> ranges;
  for (const auto& [lo, hi] : analyzer::CompletionsOf(typed.last)) {
    ranges.emplace_back(stem + Utf8(lo), absl::StrCat(stem, Utf8(hi), std::string(1, kAfterAll)));
  }
  return ranges;
}

std::vector<TermCount> TitlesStartingWith(absl::string_view text, bool incomplete, const Lexicon& lexicon,
                                          size_t limit) {
  if (!incomplete) {
    const std::string exact = index::TitleKeyTerm(text);
    const uint64_t count = lexicon.Frequency(exact);
    if (count == 0 || index::NormalizeKey(text).empty()) return {};
    return {{exact, count}};
  }
  const TypedText typed = TypedOf(text);
  if (typed.stem.empty() && typed.last == 0) return {};
  std::vector<TermCount> found;
  lexicon.ForEachInRanges(TypedRanges(index::kPrefixTitleKey, typed), [&](const std::string& term, uint64_t count) {
    found.push_back({term, count});
    return found.size() < limit;
  });
  return found;
}

std::vector<TermCount> CompleteHangul(const std::u32string& word, const Lexicon& lexicon, const std::string& prefix,
                                      size_t limit) {
  if (word.empty()) return {};
  const std::vector<analyzer::CodePointRange> ranges = analyzer::CompletionsOf(word.back());
  std::vector<std::pair<std::string, std::string>> bounds;
  const bool one_syllable = word.size() == 1;
  const std::string stem = one_syllable ? prefix : absl::StrCat(prefix, Utf8(word[word.size() - 2]));
  for (const auto& [lo, hi] : ranges) {
    // One syllable: every gram that starts with a completion; else the last
    // gram's second syllable is the completion.
    bounds.emplace_back(stem + Utf8(lo), one_syllable ? absl::StrCat(stem, Utf8(hi), std::string(1, kAfterAll))
                                                      : stem + Utf8(hi));
  }
  // 팩 may be 패 with the next syllable begun (패궈 on the way to 패권).
  if (const auto moved = analyzer::FinalMovesOn(word.back())) {
    for (const auto& [lo, hi] : analyzer::CompletionsOf(moved->second)) {
      bounds.emplace_back(prefix + Gram(moved->first, lo), prefix + Gram(moved->first, hi));
    }
  }
  const size_t gram_chars = CodePoints(prefix) + 2;
  return Top(Collect(lexicon, SortedDisjoint(std::move(bounds)), [&](const std::string& term) { return CodePoints(term) == gram_chars; }),
             limit);
}

std::vector<TermCount> CompleteLatin(absl::string_view word, const Lexicon& lexicon, const std::string& prefix,
                                     size_t limit) {
  if (word.size() < 2) return {};
  const std::string from = absl::StrCat(prefix, word);
  return Top(Collect(lexicon, {{from, from + kAfterAll}},
                     [&](const std::string& term) {
                       return std::all_of(term.begin() + prefix.size(), term.end(),
                                          [](char c) { return absl::ascii_islower(c) || absl::ascii_isdigit(c); });
                     }),
             limit);
}

std::vector<TermCount> ChoseongTerms(absl::string_view initials, const Lexicon& lexicon, size_t limit) {
  const std::string from = index::ChoseongTerm(initials, "");
  const std::string& exact = from;  // "XCH<initials> ": the words of exactly these initials
  const std::string start = from.substr(0, from.size() - 1);
  std::vector<TermCount> found =
      Top(Collect(lexicon, {{start, start + kAfterAll}}, [](const std::string&) { return true; }), kMaxWalk);
  // The words of exactly these initials first: 우분투 before 우분투를.
  std::stable_partition(found.begin(), found.end(),
                        [&](const TermCount& t) { return absl::StartsWith(t.term, exact); });
  if (found.size() > limit) found.resize(limit);
  return found;
}

std::vector<TermCount> ChoseongWords(absl::string_view initials, const Lexicon& lexicon, size_t limit) {
  const std::u32string cho = analyzer::ToCodePoints(initials);
  if (cho.size() < 2) return {};
  // Words so far, each with the count of its rarest gram.
  std::vector<std::pair<std::u32string, uint64_t>> words;
  const std::vector<analyzer::CodePointRange> first = analyzer::CompletionsOf(cho[0]);
  const std::vector<analyzer::CodePointRange> second = analyzer::CompletionsOf(cho[1]);
  if (first.empty() || second.empty()) return {};
  std::vector<std::pair<std::string, std::string>> bounds;
  for (char32_t s = first.front().first; s <= first.front().second; ++s) {
    bounds.emplace_back(Gram(s, second.front().first), Gram(s, second.front().second));
  }
  constexpr size_t kBeam = 12;
  for (TermCount& t : Top(Collect(lexicon, bounds, [](const std::string&) { return true; }), kBeam)) {
    words.emplace_back(analyzer::ToCodePoints(t.term), t.count);
  }
  for (size_t k = 2; k < cho.size() && !words.empty(); ++k) {
    const std::vector<analyzer::CodePointRange> next = analyzer::CompletionsOf(cho[k]);
    if (next.empty()) return {};
    std::vector<std::pair<std::u32string, uint64_t>> longer;
    for (const auto& [word, count] : words) {
      const char32_t last = word.back();
      for (const TermCount& t : Top(Collect(lexicon, {{Gram(last, next.front().first), Gram(last, next.front().second)}},
                                            [](const std::string&) { return true; }),
                                    3)) {
        longer.emplace_back(word + analyzer::ToCodePoints(t.term).substr(1), std::min(count, t.count));
      }
    }
    std::sort(longer.begin(), longer.end(),
              [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
    if (longer.size() > kBeam) longer.resize(kBeam);
    words = std::move(longer);
  }
  std::vector<TermCount> out;
  for (const auto& [word, count] : words) out.push_back({analyzer::ToUtf8(word), count});
  return Top(std::move(out), limit);
}

std::optional<std::string> CorrectHangulWord(const std::u32string& word, const Lexicon& lexicon,
                                             const std::string& prefix) {
  if (word.size() < 2) return std::nullopt;
  std::vector<uint64_t> counts;
  for (size_t i = 0; i + 1 < word.size(); ++i) {
    if (!IsHangulSyllable(word[i]) || !IsHangulSyllable(word[i + 1])) return std::nullopt;
    counts.push_back(lexicon.Frequency(absl::StrCat(prefix, Gram(word[i], word[i + 1]))));
  }
  auto missing = [&](size_t gram) { return gram < counts.size() && counts[gram] == 0; };
  const bool any_missing = std::any_of(counts.begin(), counts.end(), [](uint64_t c) { return c == 0; });
  // Every gram the site's: still a slip when no post holds them together
  // (전승기 for 전성기). A slip makes a rare gram; a word of common grams only
  // is not probed, since walking their lists is what a probe costs (about a
  // millisecond per query at 712k reviews when every word was probed).
  const uint64_t rarest = *std::min_element(counts.begin(), counts.end());
  const double probed = std::max(kSlipGramPosts, kSlipGramShare * static_cast<double>(lexicon.DocCount()));
  if (!any_missing && (word.size() < 3 || static_cast<double>(rarest) > probed ||
                       SiteHasWord(word, lexicon, prefix))) {
    return std::nullopt;
  }
  std::vector<std::pair<std::u32string, uint64_t>> candidates;
  for (size_t i = 0; i < word.size(); ++i) {
    // A slip at syllable i touches grams i-1 and i; every other gram must be
    // the site's already.
    size_t missing_elsewhere = 0;
    for (size_t g = 0; g < counts.size(); ++g) missing_elsewhere += (g + 1 != i && g != i && missing(g)) ? 1 : 0;
    if (missing_elsewhere > 0 || (any_missing && !(missing(i) || (i > 0 && missing(i - 1))))) continue;
    for (char32_t fix : analyzer::NeighbourSyllables(word[i])) {
      uint64_t least = UINT64_MAX;
      if (i > 0) least = std::min(least, lexicon.Frequency(absl::StrCat(prefix, Gram(word[i - 1], fix))));
      if (i + 1 < word.size()) least = std::min(least, lexicon.Frequency(absl::StrCat(prefix, Gram(fix, word[i + 1]))));
      if (least == 0) continue;
      std::u32string fixed = word;
      fixed[i] = fix;
      candidates.emplace_back(std::move(fixed), least);
    }
  }
  // The likeliest first (commonest new grams); only a few are checked against
  // the posts, each check being a query.
  std::sort(candidates.begin(), candidates.end(),
            [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
  constexpr size_t kMaxWordChecks = 4;
  for (size_t k = 0; k < candidates.size() && k < kMaxWordChecks; ++k) {
    if (SiteHasWord(candidates[k].first, lexicon, prefix)) return analyzer::ToUtf8(candidates[k].first);
  }
  return std::nullopt;
}

std::optional<std::string> CorrectLatinWord(absl::string_view word, const Lexicon& lexicon, const std::string& prefix) {
  if (word.size() < 4 || !IsAsciiLetters(word) || lexicon.Frequency(absl::StrCat(prefix, word)) > 0) {
    return std::nullopt;
  }
  // Every word one edit away; the site's that is nearest on the keyboard, then
  // most frequent, wins.
  absl::flat_hash_set<std::string> candidates;
  const std::string w(word);
  for (size_t i = 0; i <= w.size(); ++i) {
    if (i < w.size()) candidates.insert(w.substr(0, i) + w.substr(i + 1));
    if (i + 1 < w.size()) {
      std::string swapped = w;
      std::swap(swapped[i], swapped[i + 1]);
      candidates.insert(swapped);
    }
    for (char c = 'a'; c <= 'z'; ++c) {
      candidates.insert(w.substr(0, i) + c + w.substr(i));
      if (i < w.size()) candidates.insert(w.substr(0, i) + c + w.substr(i + 1));
    }
  }
  candidates.erase(w);
  // In order, so that a tie is always broken the same way (the first wins).
  std::vector<std::string> ordered(candidates.begin(), candidates.end());
  std::sort(ordered.begin(), ordered.end());
  std::optional<std::string> best;
  double best_distance = 2;
  uint64_t best_count = 0;
  for (const std::string& candidate : ordered) {
    const uint64_t count = lexicon.Frequency(absl::StrCat(prefix, candidate));
    if (count == 0) continue;
    const double distance = analyzer::KeyboardDistance(w, candidate);
    if (distance > 1 || distance > best_distance || (distance == best_distance && count <= best_count)) continue;
    best = candidate;
    best_distance = distance;
    best_count = count;
  }
  return best;
}

}  // namespace chaja::search
