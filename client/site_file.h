// Edits of a site's settings file, DATA/<site>/site.json, by the CLI on the
// searchd machine: `chaja synonyms accept` adds synonym rules. searchd reads
// the file again on SIGHUP; nothing is re-indexed.
#ifndef CHAJA_CLIENT_SITE_FILE_H_
#define CHAJA_CLIENT_SITE_FILE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace chaja::client {

// Adds `rules` to the "synonyms" of DATA/<site>/site.json (made if absent),
// keeping every other setting and skipping rules already there; returns how
// many were added. INVALID_ARGUMENT for a bad site name or a file that is not
// a site config, NOT_FOUND when DATA/<site> does not exist. The file is
// replaced atomically.
absl::StatusOr<int> AddSynonymRules(const std::string& data_dir, const std::string& site,
                                    const std::vector<std::string>& rules);

}  // namespace chaja::client

#endif  // CHAJA_CLIENT_SITE_FILE_H_
