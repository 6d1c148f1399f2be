#include "searchd/metrics_page.h"

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "index/site_columns.h"
#include "search/site_reader.h"
#include "searchd/file_limit.h"

namespace chaja::searchd {
namespace {

struct SiteGauges {
  std::string name;
  uint64_t documents = 0;
  uint64_t revision = 0;
  uint64_t memory_list_bytes = 0;
};

// The sites open now (the budget closes cold ones); one that cannot be read
// now is left out.
std::vector<SiteGauges> ReadSites(SearchBackend* backend) {
  std::vector<SiteGauges> sites;
  for (const std::shared_ptr<ServedSite>& site : backend->ServedSites()) {
    absl::StatusOr<SiteGauges> gauges = site->Read<SiteGauges>(
        [&](search::SiteReader& reader, const search::SiteView&) -> absl::StatusOr<SiteGauges> {
          absl::StatusOr<index::IndexVersion> version = reader.Version();
          if (!version.ok()) return version.status();
          return SiteGauges{site->name(), reader.doc_count(), version->revision, 0};
        },
        /*shared_parts=*/false);
    if (!gauges.ok()) continue;
    v1::SiteStats stats;
    site->AddMemoryStats(&stats);
    gauges->memory_list_bytes = stats.memory_postings_bytes();
    sites.push_back(*std::move(gauges));
  }
  return sites;
}

void WriteSites(SearchBackend* backend, TextWriter* out) {
  const std::vector<SiteGauges> sites = ReadSites(backend);
  out->Family("chaja_site_documents", "gauge", "Posts in the site's index, as searchd reads it now.");
  for (const SiteGauges& s : sites) out->Sample("chaja_site_documents", {{"site", s.name}}, static_cast<double>(s.documents));
  out->Family("chaja_site_revision", "gauge", "Xapian revision of the site's index, as searchd reads it now.");
  for (const SiteGauges& s : sites) out->Sample("chaja_site_revision", {{"site", s.name}}, static_cast<double>(s.revision));
  out->Family("chaja_site_memory_list_bytes", "gauge",
              "Bytes of the site's in-memory posting lists (0 when none are loaded).");
  for (const SiteGauges& s : sites) {
    out->Sample("chaja_site_memory_list_bytes", {{"site", s.name}}, static_cast<double>(s.memory_list_bytes));
  }
}

// What the reader budget keeps open (issue 16).
void WriteOpenSites(const SiteRegistry& registry, TextWriter* out) {
  out->Family("chaja_open_readers", "gauge", "Xapian readers the served sites hold open, idle or answering.");
  out->Sample("chaja_open_readers", {}, static_cast<double>(registry.open_readers()));
  out->Family("chaja_max_open_readers", "gauge", "Readers searchd keeps open at most (--max_open_readers).");
  out->Sample("chaja_max_open_readers", {}, static_cast<double>(registry.max_open_readers()));
  out->Family("chaja_sites_closed_total", "counter",
              "Sites whose databases searchd closed, least recently used first, to stay within --max_open_readers.");
  out->Sample("chaja_sites_closed_total", {}, static_cast<double>(registry.sites_closed()));
}

void WriteDatabasesAndCommits(const MetricsSources& sources, TextWriter* out) {
  std::vector<std::pair<std::string, uint64_t>> commits;
  if (sources.writes != nullptr) commits = sources.writes->CommitCounts();
  out->Family("chaja_open_databases", "gauge", "Xapian databases searchd holds open, by mode (read, write).");
  out->Sample("chaja_open_databases", {{"mode", "read"}}, static_cast<double>(search::SiteReader::open_count()));
  out->Sample("chaja_open_databases", {{"mode", "write"}}, static_cast<double>(commits.size()));
  out->Family("chaja_column_snapshots", "gauge",
              "Column snapshots alive (one per site revision being read; an older one lives while a read holds it).");
  out->Sample("chaja_column_snapshots", {}, static_cast<double>(index::SiteColumns::live_count()));
  out->Family("chaja_column_snapshot_bytes", "gauge", "Bytes of the column snapshots alive, together.");
  out->Sample("chaja_column_snapshot_bytes", {}, static_cast<double>(index::SiteColumns::live_bytes()));

  WriteOpenSites(sources.backend->registry(), out);
  out->Family("chaja_commits_total", "counter", "Commits of live updates (IndexService), by site.");
  for (const auto& [site, count] : commits) out->Sample("chaja_commits_total", {{"site", site}}, static_cast<double>(count));
  out->Family("chaja_commit_duration_seconds", "histogram", "Time a commit of live updates took.");
  static const Histogram* const kEmpty = new Histogram();
  out->HistogramSamples("chaja_commit_duration_seconds", {},
                        sources.writes != nullptr ? sources.writes->commit_durations() : *kEmpty);
  out->Family("chaja_write_auth_failures_total", "counter",
              "Calls refused for a wrong or missing write token (IndexService, QueryStats, SuggestEquivalents).");
  out->Sample("chaja_write_auth_failures_total", {},
              static_cast<double>(sources.backend->write_token()->failures()));
}

void WriteProcess(const MetricsSources& sources, TextWriter* out) {
  out->Family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
  out->Sample("process_resident_memory_bytes", {}, static_cast<double>(ResidentMemoryBytes()));
  out->Family("process_open_fds", "gauge", "Number of open file descriptors.");
  out->Sample("process_open_fds", {}, static_cast<double>(OpenFileCount()));
  out->Family("process_max_fds", "gauge", "Maximum number of open file descriptors.");
  out->Sample("process_max_fds", {}, static_cast<double>(FileLimit()));
  out->Family("process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch in seconds.");
  out->Sample("process_start_time_seconds", {}, sources.start_time_seconds);
}

}  // namespace

std::string RenderMetricsPage(const MetricsSources& sources) {
  TextWriter out;
  RequestMetrics* requests = sources.backend->metrics();
  requests->Write(&out);
  std::vector<std::pair<absl::string_view, uint64_t>> http_refusals;
  if (sources.http != nullptr) {
    http_refusals = {{"connection_limit", static_cast<uint64_t>(sources.http->connections_refused())},
                     {"request_timeout", static_cast<uint64_t>(sources.http->slow_clients_dropped())}};
  }
  requests->WriteRejected(&out, http_refusals);
  WriteSites(sources.backend, &out);
  WriteDatabasesAndCommits(sources, &out);
  WriteProcess(sources, &out);
  return out.text();
}

}  // namespace chaja::searchd
