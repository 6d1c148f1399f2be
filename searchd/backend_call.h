// CallBackend: the one place where a front end (gRPC, HTTP/JSON) runs a
// SearchBackend call. Each front end then maps the resulting absl::Status to
// its own wire form (ToGrpcStatus in service.h, the HTTP status in
// http_api.cc), so both answer with the same code and message.
#ifndef CHAJA_SEARCHD_BACKEND_CALL_H_
#define CHAJA_SEARCHD_BACKEND_CALL_H_

#include <exception>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

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

}  // namespace chaja::searchd

#endif  // CHAJA_SEARCHD_BACKEND_CALL_H_
