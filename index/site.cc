#include "index/site.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "index/schema.h"

namespace chaja::index {

absl::Status ValidateSiteName(absl::string_view site) {
  if (site.empty()) return absl::InvalidArgumentError("site name is empty; give --site NAME");
  if (site.size() > 64) {
    return absl::InvalidArgumentError(absl::StrCat("site name is ", site.size(), " characters; the limit is 64"));
  }
  for (char c : site) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) {
      return absl::InvalidArgumentError(
          absl::StrCat("site name \"", site, "\" may contain only letters, digits, '-' and '_'"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> SiteDatabasePath(absl::string_view data_dir, absl::string_view site) {
  if (absl::Status s = ValidateSiteName(site); !s.ok()) return s;
  return (std::filesystem::path(std::string(data_dir)) / std::string(site) / std::string(kXapianDirName)).string();
}

absl::StatusOr<std::vector<std::string>> ListSites(absl::string_view data_dir) {
  std::error_code ec;
  std::filesystem::directory_iterator it(std::string(data_dir), ec);
  if (ec) return absl::NotFoundError(absl::StrCat("data folder ", data_dir, ": ", ec.message()));
  std::vector<std::string> sites;
  // increment(ec), not ++ (which throws): a failure is a Status.
  for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
    const std::filesystem::path& entry = it->path();
    const std::string name = entry.filename().string();
    if (!ValidateSiteName(name).ok()) continue;
    // iamglass: a database; XAPIANDB: a replica's stub pointing at its live
    // copy (xapian-replicate, docs/replication.md).
    const std::filesystem::path db = entry / std::string(kXapianDirName);
    std::error_code exists_ec;
    if (std::filesystem::exists(db / "iamglass", exists_ec) || std::filesystem::exists(db / "XAPIANDB", exists_ec)) {
      sites.push_back(name);
    }
  }
  if (ec) return absl::InternalError(absl::StrCat("reading the data folder ", data_dir, ": ", ec.message()));
  std::sort(sites.begin(), sites.end());
  return sites;
}

}  // namespace chaja::index
