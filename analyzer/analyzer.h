// Analyzer: Korean-aware text → terms, shared by the indexer and searchd so
// that index terms and query terms match byte for byte.
//
// Pipeline: Normalizer (NFKC + case fold + jamo assembly) → script segmentation →
// terms. What comes out, and why:
//  - A run of Hangul syllables gives overlapping bigrams, one position each
//    (한국어 → 한국 국어); a single-syllable run gives a unigram. Bigrams let a
//    query word match inside compounds and in front of particles (패권 ⊂ 패권을)
//    without a dictionary. Han and Kana runs are treated the same way.
//  - Latin letters and digits give words, lower-cased. Runs of letters and
//    digits joined by - . _ ' or directly (GPT-4o, gpt4o) are split into parts
//    at every letter/digit boundary (gpt 4 o, consecutive positions) and the
//    joined form (gpt4o) is added at the first part's position, so "GPT 4o",
//    GPT-4o and gpt4o find each other as phrases.
//  - Script changes split tokens (AI기술 → ai 기술).
//  - Emoji, symbols, punctuation, lone jamo and invalid UTF-8 produce nothing.
//  - Words longer than kMaxWordBytes are dropped (a base64 blob or a URL part is
//    not a search term, and Xapian limits terms to 245 bytes).
//  - Latin words carry a light English stem (plural -s/-es/-ies removed) so
//    that "models" finds "model"; the exact form is kept as the term.
//
// Thread-safe: Analyzer is immutable and cheap to copy.
#ifndef CHAJA_ANALYZER_ANALYZER_H_
#define CHAJA_ANALYZER_ANALYZER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace chaja::analyzer {

inline constexpr size_t kMaxWordBytes = 64;

enum class TokenKind : uint8_t {
  kCjkGram,  // Hangul/Han/Kana bigram, or the unigram of a one-syllable run
  kWord,     // a Latin (or other alphabetic) word or a number
};

struct Token {
  // Normalized term text (UTF-8), without any index prefix.
  std::string term;
  // Light stem for kWord tokens; equal to `term` when nothing was stripped.
  std::string stem;
  // Word position: consecutive tokens have consecutive positions, except that
  // a joined alias shares the position of the part it starts with.
  uint32_t position = 0;
  // Byte range [begin, end) in the original text, for snippets and highlights.
  uint32_t begin = 0;
  uint32_t end = 0;
  TokenKind kind = TokenKind::kWord;
  // True for the joined form of a split compound (gpt4o for GPT-4o).
  bool is_alias = false;
};

class Analyzer {
 public:
  // Terms of `text` in order. Positions start at `first_position`.
  std::vector<Token> Analyze(absl::string_view text, uint32_t first_position = 0) const;

  // Calls `sink` for each token in order, without collecting them: the form
  // the indexer and the highlighter use on long bodies. The Token reference is
  // valid only during the call.
  void ForEachToken(absl::string_view text, uint32_t first_position,
                    const std::function<void(const Token&)>& sink) const;

  // True when `text` holds `phrase` — terms as Analyze() gives them, aliases
  // left out — as consecutive tokens. The index keeps no positions (they were
  // over half its size), so searchd checks quoted phrases against the stored
  // text with this.
  bool ContainsPhrase(absl::string_view text, const std::vector<std::string>& phrase) const;
};

// Removes a plural ending from a lower-case English word (Harman's S-stemmer):
// "models" → "model", "queries" → "query", "classes" → "class". Other words are
// returned unchanged.
std::string LightStem(absl::string_view word);

}  // namespace chaja::analyzer

#endif  // CHAJA_ANALYZER_ANALYZER_H_
