#include "bench/eval_protocol.h"

#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cmath>

namespace chaja::bench {

std::string SearchBoxText(const std::string& query) {
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(query);
  text.toLower();
  icu::UnicodeString out;
  for (int32_t i = 0; i < text.length();) {
    const UChar32 c = text.char32At(i);
    out.append(u_isalnum(c) ? c : static_cast<UChar32>(' '));
    i += U16_LENGTH(c);
  }
  std::string utf8;
  out.toUTF8String(utf8);
  return utf8;
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t rank = static_cast<size_t>(std::ceil(p * sorted.size()));
  return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

}  // namespace chaja::bench
