#include "searchd/write_token.h"

#include <cstdio>
#include <thread>

#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace chaja::searchd {
namespace {

// Compares without an early exit, so timing does not reveal the token's bytes.
bool SameToken(absl::string_view given, absl::string_view expected) {
  if (given.size() != expected.size() || expected.empty()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < given.size(); ++i) diff |= static_cast<unsigned char>(given[i] ^ expected[i]);
  return diff == 0;
}

absl::Status CheckBearer(const std::optional<std::string>& authorization, const std::string& token) {
  if (!authorization.has_value()) {
    return absl::UnauthenticatedError("this call needs searchd's write token as authorization: Bearer <token>");
  }
  absl::string_view value = *authorization;
  if (!absl::ConsumePrefix(&value, "Bearer ")) {
    return absl::UnauthenticatedError("authorization must be \"Bearer <token>\"");
  }
  if (!SameToken(value, token)) return absl::PermissionDeniedError("wrong index token");
  return absl::OkStatus();
}

}  // namespace

absl::Status WriteToken::Check(const std::optional<std::string>& authorization, absl::string_view peer,
                               absl::string_view rpc) {
  if (!configured()) {
    return absl::FailedPreconditionError(
        "this is the site owner's data: start chaja-searchd with --index_token_file and call with that token "
        "(chaja --token_file, or the HTTP header Authorization: Bearer <token>)");
  }
  absl::Status status = CheckBearer(authorization, token_);
  if (status.ok()) return status;
  const uint64_t failures = failures_.fetch_add(1) + 1;
  const int64_t now = absl::ToUnixSeconds(absl::Now());
  int64_t last = last_log_second_.load();
  if (now != last && last_log_second_.compare_exchange_strong(last, now)) {
    std::fprintf(stderr, "chaja-searchd: auth_failed rpc=%.*s peer=%.*s reason=\"%s\" failures_total=%llu\n",
                 static_cast<int>(rpc.size()), rpc.data(), static_cast<int>(peer.size()), peer.data(),
                 std::string(status.message()).c_str(), static_cast<unsigned long long>(failures));
  }
  std::this_thread::sleep_for(failure_pause_);
  return status;
}

}  // namespace chaja::searchd
