// Query statistics: what readers search for, per site (docs/api.md, "Query
// statistics"). For each normalized query text: how often it was searched,
// how often it found nothing, and the day it was last searched. Nothing
// about the reader is kept: no address, no user id, no time finer than a day.
//
// Memory is bounded: a site keeps at most `max_queries_per_site` queries.
// When a new query needs room, the query with the lowest count goes, the
// least recently searched of those first ("least count, then least
// recent"). A new query enters with count 1, so a flood of one-off queries
// (a bot, typos) replaces one another and leaves the queries readers repeat
// alone; a count is exact since the query last entered. Every update is O(1):
// queries sit in buckets of equal count, ordered by count, each bucket in
// order of its queries' last search (the "stream summary" of the
// space-saving algorithm, without its inherited counts, which would make
// counts overestimates).
//
// Sites' statistics are saved to DATA/<site>/query_stats.tsv (mode 0600,
// written to a temporary file and renamed) periodically and at the end, and
// read back when a site is first counted or asked for.
//
// Thread-safe: one mutex per site guards its table; the store's map has its own.
#ifndef CHAJA_SEARCHD_QUERY_STATS_H_
#define CHAJA_SEARCHD_QUERY_STATS_H_

#include <condition_variable>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "chaja/v1/search.pb.h"

namespace chaja::searchd {

// Longer queries are cut to this many bytes (on a character boundary).
inline constexpr size_t kMaxQueryStatBytes = 200;
inline constexpr size_t kDefaultMaxQueriesPerSite = 10000;
// The file in a site's folder.
inline constexpr char kQueryStatsFile[] = "query_stats.tsv";

// The text a query is counted under: the analyzer's normalization (NFKC,
// case folded, typed jamo assembled), runs of white space as one space, no
// space at either end, cut to kMaxQueryStatBytes. "" when nothing is left.
std::string NormalizeQueryText(absl::string_view query);

// Whether a search is a reader's search to count: it has a query, is not
// typed-as-you-go (a search box sends one per keystroke: counting every
// prefix would flood the table) and is a first page (a next page is the same
// search again).
bool CountsAsReaderSearch(const v1::SearchRequest& request);

// One site's table.
class SiteQueryStats {
 public:
  struct Entry {
    std::string text;
    uint64_t count = 0;
    uint64_t zero_result_count = 0;
    absl::CivilDay last_seen;
  };

  explicit SiteQueryStats(size_t max_queries) : max_queries_(max_queries == 0 ? 1 : max_queries) {}
  SiteQueryStats(const SiteQueryStats&) = delete;
  SiteQueryStats& operator=(const SiteQueryStats&) = delete;

  // Counts one search for `text` (normalized, not empty) on `day`.
  void Record(absl::string_view text, bool zero_results, absl::CivilDay day);
  // Puts back a saved entry (entries come in Entries() order). Ignored when
  // its text is already kept or the table is full.
  void Restore(Entry entry);

  // Every entry, the next to be evicted first.
  std::vector<Entry> Entries() const;
  // The answer to `request` (its site is not looked at) as of `today`.
  v1::QueryStatsResponse Query(const v1::QueryStatsRequest& request, absl::CivilDay today) const;
  size_t size() const;
  size_t max_queries() const { return max_queries_; }
  // Changes with every Record (saving skips unchanged tables).
  uint64_t version() const;

 private:
  struct Bucket {
    uint64_t count;
    std::list<Entry> entries;  // least recently searched first
  };
  using BucketList = std::list<Bucket>;
  struct Position {
    BucketList::iterator bucket;
    std::list<Entry>::iterator entry;
  };
  // Moves the entry at `where` to the end of the bucket of count + 1.
  void Increment(Position* where);
  void EvictOne();
  // Appends `entry` to the bucket of its count (made after `hint` if needed).
  void Insert(Entry entry, BucketList::iterator hint);

  const size_t max_queries_;
  mutable std::mutex mu_;
  BucketList buckets_;  // increasing count
  // Keys view the text of the entries, which never move (std::list).
  absl::flat_hash_map<absl::string_view, Position> index_;
  uint64_t version_ = 0;
};

struct QueryStatsOptions {
  // False: nothing is counted, loaded or saved (--query_stats=false).
  bool enabled = true;
  size_t max_queries_per_site = kDefaultMaxQueriesPerSite;
  // How often changed tables are saved; zero: only at the end (and on SaveAll()).
  absl::Duration save_interval = absl::Minutes(1);
};

// Every site's table, loaded on first use and saved in the background.
class QueryStatsStore {
 public:
  QueryStatsStore(std::string data_dir, QueryStatsOptions options);
  // Stops the saver and saves what changed.
  ~QueryStatsStore();
  QueryStatsStore(const QueryStatsStore&) = delete;
  QueryStatsStore& operator=(const QueryStatsStore&) = delete;

  // Counts one search of `site` (a valid site name) for `query` (as typed).
  void Record(const std::string& site, absl::string_view query, bool zero_results, absl::CivilDay day);
  // The answer for request.site() (a valid site name).
  v1::QueryStatsResponse Query(const v1::QueryStatsRequest& request, absl::CivilDay today);
  // Saves every table changed since its last save. The status names the
  // files that could not be written.
  absl::Status SaveAll();

 private:
  struct Site {
    std::shared_ptr<SiteQueryStats> stats;
    uint64_t saved_version = 0;
  };
  std::shared_ptr<SiteQueryStats> ForSite(const std::string& site);
  std::string FilePath(const std::string& site) const;
  void SaveLoop();

  const std::string data_dir_;
  const QueryStatsOptions options_;
  std::mutex mu_;  // guards sites_
  std::map<std::string, Site> sites_;
  std::mutex save_mu_;  // one save at a time
  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread saver_;
};

// The file text of `entries` (Entries() order) and back. Parsing skips
// lines it cannot read.
std::string QueryStatsFileText(const std::vector<SiteQueryStats::Entry>& entries);
std::vector<SiteQueryStats::Entry> ParseQueryStatsFile(absl::string_view text);

}  // namespace chaja::searchd

#endif  // CHAJA_SEARCHD_QUERY_STATS_H_
