#include "index/status.h"

#include "absl/strings/str_cat.h"

namespace chaja::index {

absl::Status XapianErrorToStatus(const Xapian::Error& e, absl::string_view context) {
  const std::string message = absl::StrCat(context, ": ", e.get_description());
  const std::string type = e.get_type();
  if (type == "QueryParserError" || type == "InvalidArgumentError" || type == "RangeError") {
    return absl::InvalidArgumentError(message);
  }
  if (type == "DatabaseNotFoundError") return absl::NotFoundError(message);
  if (type == "DatabaseLockError") return absl::UnavailableError(message);
  if (type == "DatabaseModifiedError") return absl::AbortedError(message);
  if (type == "DatabaseCorruptError") return absl::DataLossError(message);
  if (type == "DatabaseOpeningError" || type == "DatabaseVersionError") return absl::UnavailableError(message);
  return absl::InternalError(message);
}

}  // namespace chaja::index
