// Sites: names, folders, and opening a site's Xapian database.
//
// A site name is 1–64 ASCII letters, digits, '-' or '_' and never used as a
// path until it has been validated, so "../x" or "a/b" can't escape DATA.
#ifndef CHAJA_INDEX_SITE_H_
#define CHAJA_INDEX_SITE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace chaja::index {

// OK, or INVALID_ARGUMENT saying what is wrong with `site`.
absl::Status ValidateSiteName(absl::string_view site);

// DATA/<site>/xapian. INVALID_ARGUMENT for a bad site name.
absl::StatusOr<std::string> SiteDatabasePath(absl::string_view data_dir, absl::string_view site);

// Names of the sites under `data_dir` that have a database, sorted.
// NOT_FOUND if `data_dir` does not exist.
absl::StatusOr<std::vector<std::string>> ListSites(absl::string_view data_dir);

}  // namespace chaja::index

#endif  // CHAJA_INDEX_SITE_H_
