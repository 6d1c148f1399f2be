// SiteRegistry: the sites searchd serves, one ServedSite each, made when a
// site is first asked for. The registry's lock guards only the map; each
// site's state has its own locks (served_site.h).
//
// Thread-safe.
#ifndef CHAJA_SEARCHD_SITE_REGISTRY_H_
#define CHAJA_SEARCHD_SITE_REGISTRY_H_

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "search/counting_pool.h"
#include "searchd/revision_pins.h"
#include "searchd/served_site.h"

namespace chaja::searchd {

class SiteRegistry {
 public:
  // `pins` (nullable): where reads pin their revisions for this process's writer.
  SiteRegistry(std::string data_dir, search::RankingParams ranking, RevisionPins* pins = nullptr);

  // The served site `name`: INVALID_ARGUMENT for a bad name, NOT_FOUND when
  // nothing has been indexed for it, UNAVAILABLE/DATA_LOSS for a database
  // that cannot be opened.
  absl::StatusOr<std::shared_ptr<ServedSite>> Get(const std::string& name);

  // Re-reads every site's site.json. A site whose file is bad keeps its
  // previous settings; the status names every such file (INVALID_ARGUMENT).
  absl::Status ReloadSettings();
  // Changes whenever ReloadSettings() runs.
  uint64_t settings_generation() const { return settings_generation_.load(); }

  // The site's settings as searchd uses them (defaults when there is no
  // site.json, or it is bad).
  std::shared_ptr<const index::SiteSettings> LoadSettings(const std::string& name) const;

  const std::string& data_dir() const { return data_dir_; }
  // The sites made so far, in name order.
  std::vector<std::shared_ptr<ServedSite>> Sites();

 private:
  const std::string data_dir_;
  const search::RankingParams ranking_;
  MemoryBudget budget_;
  // Counts facets beside the in-memory ranker: one thread fewer than the cores.
  search::CountingPool counting_;
  RevisionPins* const pins_;
  std::atomic<uint64_t> settings_generation_{0};
  std::mutex mu_;  // guards sites_ only
  std::map<std::string, std::shared_ptr<ServedSite>> sites_;
};

}  // namespace chaja::searchd

#endif  // CHAJA_SEARCHD_SITE_REGISTRY_H_
