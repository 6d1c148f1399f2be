// Page tokens (search/page_token.h), forged and genuine. Invariants: a token
// that resolves is exactly the one NextPageToken makes for its offset, and
// the offset is within kMaxOffset; a token made for a page resolves to the
// page after it for the same request and is refused for another request.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "fuzz/fuzz_util.h"
#include "search/page_token.h"

namespace {

using chaja::search::kMaxLimit;
using chaja::search::kMaxOffset;
using chaja::search::NextPageToken;
using chaja::search::Page;
using chaja::search::ResolvePage;

// Any bytes as a token.
void CheckForged(const std::string& token, const std::string& fingerprint) {
  const auto page = ResolvePage(0, 0, token, fingerprint);
  if (!page.ok() || token.empty()) return;
  CHAJA_FUZZ_CHECK(page->offset <= kMaxOffset);
  CHAJA_FUZZ_CHECK(NextPageToken(Page{0, page->offset}, UINT64_MAX, fingerprint) == token);
}

// A genuine token for the page (offset, limit) of a request.
void CheckRoundTrip(uint32_t offset, uint32_t limit, const std::string& fingerprint) {
  const auto page = ResolvePage(offset % (kMaxOffset + 1), limit % (kMaxLimit + 1), "", fingerprint);
  CHAJA_FUZZ_CHECK(page.ok());
  const std::string token = NextPageToken(*page, UINT64_MAX, fingerprint);
  if (token.empty()) {
    CHAJA_FUZZ_CHECK(page->end() > kMaxOffset);
    return;
  }
  const auto next = ResolvePage(0, page->limit, token, fingerprint);
  CHAJA_FUZZ_CHECK(next.ok() && next->offset == page->end() && next->limit == page->limit);
  CHAJA_FUZZ_CHECK(!ResolvePage(0, page->limit, token, fingerprint + "x").ok());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  // The fingerprint is a request's bytes: here the input's first half.
  const std::string fingerprint = input.substr(0, size / 2);
  CheckForged(input, fingerprint);
  CheckForged(input.substr(size / 2), fingerprint);
  if (size >= 8) {
    uint32_t offset, limit;
    std::memcpy(&offset, data, 4);
    std::memcpy(&limit, data + 4, 4);
    CheckRoundTrip(offset, limit, input.substr(8));
  }
  return 0;
}
