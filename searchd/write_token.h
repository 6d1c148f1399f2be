// WriteToken: searchd's one check of the write token (--index_token_file),
// for every call that needs it: IndexService's writes and the owner's calls
// on SearchService (QueryStats, SuggestEquivalents), over gRPC and HTTP alike. A refusal is
// logged (at most one line a second), counted (for /metrics) and answered
// after a pause, so guessing tokens runs at a few tries a second per
// connection, not thousands.
//
// Thread-safe.
#ifndef CHAJA_SEARCHD_WRITE_TOKEN_H_
#define CHAJA_SEARCHD_WRITE_TOKEN_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace chaja::searchd {

// How long a call with a wrong or missing write token waits before its answer.
inline constexpr auto kFailedAuthPause = std::chrono::milliseconds(250);

class WriteToken {
 public:
  // `token` empty: searchd has no write token, and calls that need one are
  // refused with FAILED_PRECONDITION (not counted as auth failures).
  explicit WriteToken(std::string token, std::chrono::milliseconds failure_pause = kFailedAuthPause)
      : token_(std::move(token)), failure_pause_(failure_pause) {}

  // OK if `authorization` (the "authorization" metadata or HTTP header;
  // nullopt when absent) is "Bearer <token>" with the right token;
  // UNAUTHENTICATED without one, PERMISSION_DENIED for a wrong one. `peer`
  // and `rpc` name the caller and the call in the log line.
  absl::Status Check(const std::optional<std::string>& authorization, absl::string_view peer,
                     absl::string_view rpc);

  bool configured() const { return !token_.empty(); }
  // Calls refused for a wrong or missing token.
  uint64_t failures() const { return failures_.load(); }

 private:
  const std::string token_;
  const std::chrono::milliseconds failure_pause_;
  std::atomic<int64_t> last_log_second_{0};
  std::atomic<uint64_t> failures_{0};
};

}  // namespace chaja::searchd

#endif  // CHAJA_SEARCHD_WRITE_TOKEN_H_
