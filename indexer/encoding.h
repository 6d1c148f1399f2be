// Input bytes → UTF-8, for the import formats that declare their charset.
//
// Korean blogs of the 2000s (and some still) publish EUC-KR or CP949 feeds and
// pages. We follow the WHATWG Encoding Standard: every Korean label (euc-kr,
// cp949, ks_c_5601-1987, windows-949, …) decodes as windows-949 (CP949/UHC),
// the superset real "EUC-KR" content uses, via ICU. Other labels go to ICU by
// name. Invalid sequences become U+FFFD and are counted, never fatal.
//
// Thread-safe (pure functions).
#ifndef CHAJA_INDEXER_ENCODING_H_
#define CHAJA_INDEXER_ENCODING_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace chaja::indexer {

// The charset `bytes` declares, lower-cased, or "" if none: a byte order mark,
// the XML declaration's encoding="…", or an HTML <meta charset=…> /
// <meta http-equiv content="…; charset=…"> in the first 4 KB.
std::string DeclaredCharset(absl::string_view bytes);

struct DecodedText {
  std::string utf8;           // the text, without a byte order mark
  std::string charset;        // what it was decoded from ("utf-8", "windows-949", …)
  bool guessed = false;       // not the UTF-8 declared or assumed, but valid windows-949
  bool declared_utf8 = false;  // ... and the file said it was UTF-8
  size_t invalid_sequences = 0;  // replaced by U+FFFD
  size_t first_invalid_line = 0;  // 1-based line of the first one (0 if none)
};

// Decodes `bytes` declared as `charset` ("" = undeclared, UTF-8 expected).
// Bytes undeclared or declared UTF-8 that are not UTF-8 but are valid
// windows-949 Korean text are decoded as such (guessed = true): a mislabelled
// EUC-KR blog must not become U+FFFD garbage. Otherwise invalid sequences are
// replaced and counted.
// INVALID_ARGUMENT for a charset ICU does not know.
absl::StatusOr<DecodedText> DecodeToUtf8(absl::string_view bytes, absl::string_view charset);

// A one-line note about a decoding that was not clean (guessed, or bytes
// replaced), or "" when it was clean.
std::string DecodingWarning(const DecodedText& decoded);

}  // namespace chaja::indexer

#endif  // CHAJA_INDEXER_ENCODING_H_
