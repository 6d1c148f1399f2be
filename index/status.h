// absl::Status helpers for the Xapian boundary, and the project's one
// propagation macro (our abseil has no ABSL_RETURN_IF_ERROR).
#ifndef CHAJA_INDEX_STATUS_H_
#define CHAJA_INDEX_STATUS_H_

#include <xapian.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace chaja::index {

// Maps a Xapian exception to a status code, keeping its description:
// QueryParserError/InvalidArgumentError → INVALID_ARGUMENT,
// DatabaseNotFoundError → NOT_FOUND, DatabaseLockError → UNAVAILABLE,
// DatabaseModifiedError → ABORTED (reopen and retry),
// DatabaseCorruptError → DATA_LOSS, anything else → INTERNAL.
absl::Status XapianErrorToStatus(const Xapian::Error& e, absl::string_view context);

}  // namespace chaja::index

#define CHAJA_RETURN_IF_ERROR(expr)          \
  do {                                       \
    const ::absl::Status chaja_status_ = (expr); \
    if (!chaja_status_.ok()) return chaja_status_; \
  } while (0)

#endif  // CHAJA_INDEX_STATUS_H_
