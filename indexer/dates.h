// Dates as blogs and feeds write them → absl::Time.
//
// One parser for every import format, so "2025.01.22" means the same thing in
// a Markdown front matter, an HTML page and a JSONL line. Accepted forms:
//   RFC 3339 / ISO 8601   2025-01-22T10:00:00+09:00, 2025-01-22T01:00:00.5Z,
//                         2025-01-22 10:00:00 +0900 (Jekyll), 2025-01-22T10:00
//   RFC 822 / 1123 / 2822 Wed, 22 Jan 2025 10:00:00 +0900, 22 Jan 25 10:00 KST
//   Korean blog styles    2025.01.22, 2025. 1. 22. 15:20, 2025/01/22,
//                         2025년 1월 22일 15:20
// A date or time without a zone is taken in the caller's zone (the site's).
// Named zones: UT, UTC, GMT, Z, KST, JST and the US zones of RFC 822.
//
// Thread-safe (pure functions).
#ifndef CHAJA_INDEXER_DATES_H_
#define CHAJA_INDEXER_DATES_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace chaja::indexer {

// The instant `text` names. INVALID_ARGUMENT (quoting the text, shortened)
// when it is none of the accepted forms or names an impossible date.
absl::StatusOr<absl::Time> ParseDate(absl::string_view text, absl::TimeZone zone);

}  // namespace chaja::indexer

#endif  // CHAJA_INDEXER_DATES_H_
