// CallBackend: the one place where a front end (gRPC, HTTP/JSON) runs a
// SearchBackend call. Each front end then maps the resulting absl::Status to
// its own wire form (ToGrpcStatus in service.h, the HTTP status in
// http_api.cc), so both answer with the same code and message.
#ifndef CHAJA_SEARCHD_BACKEND_CALL_H_
#define CHAJA_SEARCHD_BACKEND_CALL_H_

#include <exception>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "searchd/metrics.h"

namespace chaja::searchd {

// Runs `call` (returning absl::StatusOr<T>) and returns its result. A thrown
// exception is a bug, not user input: it becomes INTERNAL so the daemon stays
// up and the caller is told.
template <typename Call>
auto CallBackend(Call&& call) -> decltype(call()) {
  try {
    return call();
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("unexpected error: ", e.what()));
  } catch (...) {
    // Xapian::Error does not derive from std::exception.
    return absl::InternalError("unexpected error (non-standard exception)");
  }
}

// The same, counted as one `rpc` request over `transport` (metrics.h): in
// flight while it runs, then by its status code and duration. Each front end
// calls this once per request, so gRPC and HTTP are counted alike.
template <typename Call>
auto CallBackend(RequestMetrics* metrics, Rpc rpc, Transport transport, Call&& call) -> decltype(call()) {
  RequestMetrics::Scope scope(metrics, rpc, transport);
  auto result = CallBackend(std::forward<Call>(call));
  scope.Finish(result.status());
  LogIfRejected(rpc, transport, result.status());
  return result;
}

}  // namespace chaja::searchd

#endif  // CHAJA_SEARCHD_BACKEND_CALL_H_
