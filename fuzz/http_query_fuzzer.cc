// The HTTP query string → request filler (searchd/http_query.h), as the
// search route uses it: percent-decoding, the UTF-8 check, then the
// reflection filler with the search route's aliases. Invariants: decoded
// parameters, encoded again, decode to the same; a filled request
// serializes and parses back to the same bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "chaja/v1/search.pb.h"
#include "fuzz/fuzz_util.h"
#include "searchd/http_query.h"

namespace {

using chaja::searchd::QueryParams;

std::string Encode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (absl::ascii_isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(c);
    } else {
      out += {'%', kHex[u >> 4], kHex[u & 15]};
    }
  }
  return out;
}

void CheckReencoding(const QueryParams& params) {
  std::string query;
  for (const auto& [name, value] : params) query += Encode(name) + "=" + Encode(value) + "&";
  QueryParams again;
  CHAJA_FUZZ_CHECK(chaja::searchd::ParseQueryString(query, &again));
  CHAJA_FUZZ_CHECK(again == params);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string query(reinterpret_cast<const char*>(data), size);
  QueryParams params;
  if (!chaja::searchd::ParseQueryString(query, &params)) return 0;
  CheckReencoding(params);
  for (const auto& [name, value] : params) {
    if (!chaja::searchd::IsStrictUtf8(name) || !chaja::searchd::IsStrictUtf8(value)) return 0;
  }

  // The search route's options (searchd/http_api.cc).
  chaja::searchd::QueryFillOptions options;
  options.path_fields = {"site"};
  options.name_aliases = {{"q", "query"}, {"tag", "tags"}, {"exclude_tag", "exclude_tags"}, {"match", "match_mode"}};
  options.enum_aliases = {{"comments", "SORT_ORDER_MOST_COMMENTED"}};
  chaja::v1::SearchRequest request;
  if (!chaja::searchd::FillFromQuery(params, options, &request).ok()) return 0;
  std::string bytes;
  CHAJA_FUZZ_CHECK(request.SerializeToString(&bytes));
  chaja::v1::SearchRequest again;
  CHAJA_FUZZ_CHECK(again.ParseFromString(bytes) && again.SerializeAsString() == bytes);
  return 0;
}
