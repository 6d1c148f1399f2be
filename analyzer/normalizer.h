// Normalizer: the first analyzer stage. Text → normalized code points that
// remember where in the original UTF-8 they came from.
//
// Invariants (tests rely on them):
//  - Output is NFKC with Unicode case folding (ICU's nfkc_cf): composed and
//    decomposed (NFD, as macOS writes it) Hangul give the same code points,
//    full-width and compatibility forms fold (ＡＩ → ai, ① → 1), case folds.
//  - Runs of compatibility jamo typed letter by letter (ㅎㅏㄴㄱㅜㄱ) are
//    assembled into syllables (한국) before normalization.
//  - Every output code point carries the byte range of the original input it
//    came from; ranges never decrease, so snippets cut on original boundaries.
//  - Invalid UTF-8 becomes U+FFFD, which later stages drop. Never fails.
//
// Thread-safe: Normalizer is immutable; Default() is shared.
#ifndef CHAJA_ANALYZER_NORMALIZER_H_
#define CHAJA_ANALYZER_NORMALIZER_H_

#include <string>
#include <vector>

#include <unicode/normalizer2.h>

#include "absl/strings/string_view.h"
#include "analyzer/utf8.h"



namespace chaja::analyzer {

class Normalizer {
 public:
  // The process-wide instance (ICU's normalizer data is loaded once).
  static const Normalizer& Default();

  // Normalized code points, each with the original byte range it covers.
  std::vector<CodePoint> Normalize(absl::string_view text) const;

  // Normalized text as a UTF-8 string (for tags, categories, site-wide keys).
  std::string NormalizeToString(absl::string_view text) const;

 private:
  Normalizer();
  const icu::Normalizer2* nfkc_cf_;
};

}  // namespace chaja::analyzer

#endif  // CHAJA_ANALYZER_NORMALIZER_H_
