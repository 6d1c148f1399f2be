#include "analyzer/normalizer.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <cstdlib>
#include <cstdio>

#include "analyzer/hangul.h"

namespace chaja::analyzer {
namespace {

// Conjoining trailing jamo and other combining characters can change a
// preceding syllable under NFC, so the Hangul fast path must look ahead.
bool CanCombineWithPrevious(char32_t c) {
  // Compatibility and half-width jamo count too: NFKC turns ㄳ into a final.
  return (c >= 0x1160 && c <= 0x11FF) || (c >= 0xD7B0 && c <= 0xD7FF) || (c >= 0x0300 && c <= 0x036F) ||
         (c >= 0x3099 && c <= 0x309A) || (c >= 0x3131 && c <= 0x318E) || (c >= 0xFFA0 && c <= 0xFFDC);
}

// Replaces runs of compatibility jamo with the syllables they spell.
std::vector<CodePoint> AssembleJamo(std::vector<CodePoint> cps) {
  bool any = false;
  for (const CodePoint& cp : cps) {
    if (IsCompatibilityJamo(cp.value)) {
      any = true;
      break;
    }
  }
  if (!any) return cps;
  std::vector<CodePoint> out;
  out.reserve(cps.size());
  size_t i = 0;
  while (i < cps.size()) {
    if (!IsCompatibilityJamo(cps[i].value)) {
      out.push_back(cps[i++]);
      continue;
    }
    size_t j = i;
    std::vector<char32_t> run;
    while (j < cps.size() && IsCompatibilityJamo(cps[j].value)) run.push_back(cps[j++].value);
    for (const ComposedChar& c : ComposeCompatibilityJamo(run)) {
      out.push_back({c.code_point, cps[i + c.first].begin, cps[i + c.last - 1].end});
    }
    i = j;
  }
  return out;
}

}  // namespace

const Normalizer& Normalizer::Default() {
  static const Normalizer* instance = new Normalizer();
  return *instance;
}

Normalizer::Normalizer() {
  UErrorCode status = U_ZERO_ERROR;
  nfkc_cf_ = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status) || nfkc_cf_ == nullptr) {
    // ICU's data ships inside libicu; without it nothing can be analysed.
    std::fprintf(stderr, "chaja: ICU nfkc_cf normalizer unavailable: %s\n", u_errorName(status));
    std::abort();
  }
}

std::vector<CodePoint> Normalizer::Normalize(absl::string_view text) const {
  std::vector<CodePoint> cps = AssembleJamo(DecodeUtf8(text));
  std::vector<CodePoint> out;
  out.reserve(cps.size());
  const size_t n = cps.size();
  size_t i = 0;
  while (i < n) {
    const char32_t c = cps[i].value;
    const bool next_combines = i + 1 < n && CanCombineWithPrevious(cps[i + 1].value);
    // Fast paths: ASCII and precomposed syllables are already normal.
    if (c < 0x80 && !next_combines) {
      out.push_back({(c >= 'A' && c <= 'Z') ? c + 32 : c, cps[i].begin, cps[i].end});
      ++i;
      continue;
    }
    if (IsHangulSyllable(c) && !next_combines) {
      out.push_back(cps[i]);
      ++i;
      continue;
    }
    // Slow path: normalize one normalization segment (a starter and everything
    // that may combine with it) and give every output the segment's byte range.
    size_t j = i + 1;
    while (j < n && !nfkc_cf_->hasBoundaryBefore(static_cast<UChar32>(cps[j].value))) ++j;
    icu::UnicodeString segment;
    for (size_t k = i; k < j; ++k) segment.append(static_cast<UChar32>(cps[k].value));
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString normalized = nfkc_cf_->normalize(segment, status);
    if (U_FAILURE(status)) normalized = segment;
    for (int32_t k = 0; k < normalized.length();) {
      const UChar32 nc = normalized.char32At(k);
      out.push_back({static_cast<char32_t>(nc), cps[i].begin, cps[j - 1].end});
      k += U16_LENGTH(nc);
    }
    i = j;
  }
  return out;
}

std::string Normalizer::NormalizeToString(absl::string_view text) const {
  std::string out;
  out.reserve(text.size());
  for (const CodePoint& cp : Normalize(text)) AppendUtf8(cp.value, &out);
  return out;
}

}  // namespace chaja::analyzer
