// URL query parameters → request message, by reflection (the grpc-gateway
// convention), so every HTTP route fills its chaja.v1 request the same way and
// a new proto field is accepted without new code.
//
// A parameter names a field by its proto name (`page_token`) or JSON name
// (`pageToken`); a repeated field takes the parameter once per value. Values:
// numbers and booleans as text, enums by full name (`SORT_ORDER_NEWEST`), by
// number, or by the short lower-case name (`newest`: the full name without the
// enum's prefix), and google.protobuf.Timestamp in RFC 3339.
//
// Thread-safe: pure functions.
#ifndef CHAJA_SEARCHD_HTTP_QUERY_H_
#define CHAJA_SEARCHD_HTTP_QUERY_H_

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace chaja::searchd {

// Query parameters in the order they appear; a name may repeat.
using QueryParams = std::vector<std::pair<std::string, std::string>>;

struct QueryFillOptions {
  // Extra parameter names → field names (proto), e.g. "q" → "query".
  std::map<std::string, std::string> name_aliases;
  // Extra short enum names → enum value names, e.g. "comments" →
  // "SORT_ORDER_MOST_COMMENTED"; used only by a field of the enum that has
  // that value.
  std::map<std::string, std::string> enum_aliases;
  // Fields (proto names) taken from the URL path: naming one as a parameter
  // is an error rather than a silent override.
  std::set<std::string> path_fields;
};

// Percent-decodes a path segment or a query component (`plus_is_space`: '+'
// is a space, as in a query string). False for a '%' not followed by two hex
// digits.
bool PercentDecode(absl::string_view raw, bool plus_is_space, std::string* out);

// Appends a query string's name=value pairs, decoded, to *params (a pair
// without '=' has an empty value). False for malformed percent-encoding.
bool ParseQueryString(absl::string_view query, QueryParams* params);

// Strict UTF-8: no overlong forms, surrogates or code points past U+10FFFF.
// Protobuf strings must be UTF-8, so bad bytes are refused at the door.
bool IsStrictUtf8(absl::string_view s);

// Sets `message`'s fields from `params`. INVALID_ARGUMENT naming the
// parameter for an unknown name, a path field, a non-repeated field given
// twice, a malformed value or a field type a query string cannot carry
// (messages other than Timestamp/Duration).
absl::Status FillFromQuery(const QueryParams& params, const QueryFillOptions& options,
                           google::protobuf::Message* message);

// The value of `type` that `text` names: full name, number, short lower-case
// name or an alias of `aliases`. INVALID_ARGUMENT listing the accepted names.
absl::StatusOr<const google::protobuf::EnumValueDescriptor*> ParseEnumValue(
    const google::protobuf::EnumDescriptor& type, const std::string& text,
    const std::map<std::string, std::string>& aliases = {});

}  // namespace chaja::searchd

#endif  // CHAJA_SEARCHD_HTTP_QUERY_H_
