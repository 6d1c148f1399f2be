// Highlighter: the best passage of a text for a query, with the matched
// terms wrapped in <mark>…</mark> and everything else HTML-escaped.
//
// Matching uses the same Analyzer as indexing, so 패권 highlights inside 패권을
// and gpt4o highlights GPT-4o. Cuts fall only between whole characters: never
// inside a UTF-8 sequence and never inside a decomposed (NFD) syllable.
// Article text is always escaped, so a post that contains <script> or
// <img onerror=…> comes out as text, never as markup.
//
// Thread-safe once constructed (const methods only).
#ifndef CHAJA_ANALYZER_HIGHLIGHTER_H_
#define CHAJA_ANALYZER_HIGHLIGHTER_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"

namespace chaja::analyzer {

inline constexpr absl::string_view kMarkOpen = "<mark>";
inline constexpr absl::string_view kMarkClose = "</mark>";

class Highlighter {
 public:
  // `terms` are unprefixed analyzer terms (grams, words or their stems) to mark.
  explicit Highlighter(std::vector<std::string> terms);

  // The passage of at most `max_chars` characters with the most distinct
  // matched terms, whitespace collapsed, with "…" where it was cut. Without a
  // match, the start of the text.
  std::string Snippet(absl::string_view text, size_t max_chars) const;

  // The whole text, escaped, with matches marked (for titles).
  std::string Highlight(absl::string_view text) const;

 private:
  struct Span {
    uint32_t begin;
    uint32_t end;
    size_t term_id;
  };
  std::vector<Span> Matches(absl::string_view text) const;
  std::string Render(absl::string_view text, uint32_t begin, uint32_t end, const std::vector<Span>& spans) const;

  absl::flat_hash_set<std::string> terms_;
};

// Escapes & < > " ' for HTML text and attribute contexts.
void AppendHtmlEscaped(absl::string_view text, std::string* out);

}  // namespace chaja::analyzer

#endif  // CHAJA_ANALYZER_HIGHLIGHTER_H_
