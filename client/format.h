// Terminal rendering of searchd answers for the chaja CLI.
//
// Snippets arrive as HTML-escaped text with <mark>…</mark>; on a terminal the
// marks become colour (only when `color` is set, i.e. on a TTY) and entities
// are decoded, so nothing from an article can emit escape codes of its own.
#ifndef CHAJA_CLIENT_FORMAT_H_
#define CHAJA_CLIENT_FORMAT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "chaja/v1/search.pb.h"

namespace chaja::client {

struct FormatOptions {
  bool color = false;
  // Dates are shown in this zone (the blog's, Asia/Seoul by default).
  absl::TimeZone zone = absl::FixedTimeZone(9 * 3600);
};

// <mark> → bold yellow (or nothing), entities decoded, control characters dropped.
std::string MarkupToTerminal(absl::string_view markup, bool color);

// "2025-01-22" in `zone`.
std::string FormatDate(const google::protobuf::Timestamp& t, absl::TimeZone zone);

// Ranked hits, then "N hits (exact) in X ms".
std::string FormatSearchResponse(const v1::SearchRequest& request, const v1::SearchResponse& response,
                                 const FormatOptions& options);

// The time zone named `name` (tzdata), or UTC+9 if it cannot be loaded.
absl::TimeZone LoadZoneOrSeoul(const std::string& name);

}  // namespace chaja::client

#endif  // CHAJA_CLIENT_FORMAT_H_
