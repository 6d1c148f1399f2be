#include "searchd/query_stats.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "analyzer/normalizer.h"
#include "index/site.h"

namespace chaja::searchd {
namespace {

constexpr char kFileHeader[] = "# chaja query statistics 1: count, zero-result count, last seen, query";
constexpr uint32_t kDefaultLimit = 50;

// `text` cut to at most `max_bytes`, never inside a UTF-8 character.
absl::string_view CutUtf8(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

bool IsSpace(char c) { return absl::ascii_isspace(static_cast<unsigned char>(c)); }

// Ranks entries for an answer: most searched (or most zero-result answers)
// first, then the latest last seen, then by text.
bool Before(const SiteQueryStats::Entry& a, const SiteQueryStats::Entry& b, bool by_zero_results) {
  const uint64_t ka = by_zero_results ? a.zero_result_count : a.count;
  const uint64_t kb = by_zero_results ? b.zero_result_count : b.count;
  if (ka != kb) return ka > kb;
  if (a.last_seen != b.last_seen) return a.last_seen > b.last_seen;
  return a.text < b.text;
}

absl::Status WriteFileAtomically(const std::string& path, const std::string& text) {
  const std::string temp = absl::StrCat(path, ".tmp");
  // 0600: the queries are the site owner's data, not every local user's.
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return absl::UnavailableError(absl::StrCat("cannot write ", temp));
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  const bool ok = written == text.size() && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || std::rename(temp.c_str(), path.c_str()) != 0) {
    std::remove(temp.c_str());
    return absl::UnavailableError(absl::StrCat("cannot write ", path));
  }
  return absl::OkStatus();
}

}  // namespace

std::string NormalizeQueryText(absl::string_view query) {
  const std::string normalized = analyzer::Normalizer::Default().NormalizeToString(query);
  std::string out;
  out.reserve(normalized.size());
  bool space = false;
  for (const char c : normalized) {
    if (IsSpace(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return std::string(CutUtf8(out, kMaxQueryStatBytes));
}

bool CountsAsReaderSearch(const v1::SearchRequest& request) {
  return !request.typing() && request.page_token().empty() && request.offset() == 0 && !request.query().empty();
}

void SiteQueryStats::Record(absl::string_view text, bool zero_results, absl::CivilDay day) {
  std::lock_guard<std::mutex> lock(mu_);
  ++version_;
  auto found = index_.find(text);
  if (found == index_.end()) {
    if (index_.size() >= max_queries_) EvictOne();
    Insert(Entry{std::string(text), 1, zero_results ? 1u : 0u, day}, buckets_.begin());
    return;
  }
  Position& where = found->second;
  Increment(&where);
  where.entry->zero_result_count += zero_results ? 1 : 0;
  where.entry->last_seen = std::max(where.entry->last_seen, day);
}

void SiteQueryStats::Restore(Entry entry) {
  std::lock_guard<std::mutex> lock(mu_);
  if (entry.count == 0 || index_.size() >= max_queries_ || index_.count(entry.text) > 0) return;
  // Saved entries come in increasing count: their bucket is the last one or new.
  auto hint = buckets_.begin();
  if (!buckets_.empty() && std::prev(buckets_.end())->count <= entry.count) hint = std::prev(buckets_.end());
  Insert(std::move(entry), hint);
}

void SiteQueryStats::Insert(Entry entry, BucketList::iterator hint) {
  // The bucket of `entry.count` is `hint` or the first one after it with a
  // count not below it; a new one goes before that.
  auto bucket = hint;
  while (bucket != buckets_.end() && bucket->count < entry.count) ++bucket;
  if (bucket == buckets_.end() || bucket->count != entry.count) bucket = buckets_.insert(bucket, Bucket{entry.count, {}});
  auto placed = bucket->entries.insert(bucket->entries.end(), std::move(entry));
  index_.emplace(placed->text, Position{bucket, placed});
}

void SiteQueryStats::Increment(Position* where) {
  const auto from = where->bucket;
  auto to = std::next(from);
  if (to == buckets_.end() || to->count != from->count + 1) to = buckets_.insert(to, Bucket{from->count + 1, {}});
  to->entries.splice(to->entries.end(), from->entries, where->entry);
  where->entry->count = to->count;
  where->bucket = to;
  if (from->entries.empty()) buckets_.erase(from);
}

void SiteQueryStats::EvictOne() {
  if (buckets_.empty()) return;
  const auto bucket = buckets_.begin();
  const auto victim = bucket->entries.begin();
  index_.erase(victim->text);  // before the text it views goes
  bucket->entries.erase(victim);
  if (bucket->entries.empty()) buckets_.erase(bucket);
}

std::vector<SiteQueryStats::Entry> SiteQueryStats::Entries() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Entry> out;
  out.reserve(index_.size());
  for (const Bucket& bucket : buckets_) out.insert(out.end(), bucket.entries.begin(), bucket.entries.end());
  return out;
}

v1::QueryStatsResponse SiteQueryStats::Query(const v1::QueryStatsRequest& request, absl::CivilDay today) const {
  const bool by_zero = request.zero_results_only();
  const bool windowed = request.since_days() > 0;
  const absl::CivilDay first_day = today - (windowed ? request.since_days() - 1 : 0);
  std::vector<Entry> kept;
  v1::QueryStatsResponse response;
  {
    std::lock_guard<std::mutex> lock(mu_);
    response.set_tracked_queries(index_.size());
    for (const Bucket& bucket : buckets_) {
      for (const Entry& entry : bucket.entries) {
        if (by_zero && entry.zero_result_count == 0) continue;
        if (windowed && entry.last_seen < first_day) continue;
        kept.push_back(entry);
      }
    }
  }
  response.set_max_tracked_queries(max_queries_);
  const size_t limit = std::min<size_t>(kept.size(), request.limit() == 0 ? kDefaultLimit : request.limit());
  std::partial_sort(kept.begin(), kept.begin() + limit, kept.end(),
                    [by_zero](const Entry& a, const Entry& b) { return Before(a, b, by_zero); });
  for (size_t i = 0; i < limit; ++i) {
    v1::QueryStat* stat = response.add_queries();
    stat->set_text(kept[i].text);
    stat->set_count(kept[i].count);
    stat->set_zero_result_count(kept[i].zero_result_count);
    stat->set_last_seen(absl::FormatCivilTime(kept[i].last_seen));
  }
  return response;
}

size_t SiteQueryStats::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return index_.size();
}

uint64_t SiteQueryStats::version() const {
  std::lock_guard<std::mutex> lock(mu_);
  return version_;
}

std::string QueryStatsFileText(const std::vector<SiteQueryStats::Entry>& entries) {
  std::string text = absl::StrCat(kFileHeader, "\n");
  for (const SiteQueryStats::Entry& e : entries) {
    // Normalized texts hold no tab or newline (white space became one space).
    absl::StrAppend(&text, e.count, "\t", e.zero_result_count, "\t", absl::FormatCivilTime(e.last_seen), "\t", e.text,
                    "\n");
  }
  return text;
}

std::vector<SiteQueryStats::Entry> ParseQueryStatsFile(absl::string_view text) {
  std::vector<SiteQueryStats::Entry> entries;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    if (line.front() == '#') continue;
    const std::vector<absl::string_view> fields = absl::StrSplit(line, absl::MaxSplits('\t', 3));
    SiteQueryStats::Entry e;
    if (fields.size() != 4 || !absl::SimpleAtoi(fields[0], &e.count) ||
        !absl::SimpleAtoi(fields[1], &e.zero_result_count) || !absl::ParseCivilTime(fields[2], &e.last_seen) ||
        e.zero_result_count > e.count) {
      continue;
    }
    e.text = NormalizeQueryText(fields[3]);
    if (e.text.empty()) continue;
    entries.push_back(std::move(e));
  }
  return entries;
}

QueryStatsStore::QueryStatsStore(std::string data_dir, QueryStatsOptions options)
    : data_dir_(std::move(data_dir)), options_(options) {
  if (options_.enabled && options_.save_interval > absl::ZeroDuration()) saver_ = std::thread([this] { SaveLoop(); });
}

QueryStatsStore::~QueryStatsStore() {
  {
    std::lock_guard<std::mutex> lock(stop_mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (saver_.joinable()) saver_.join();
  if (options_.enabled) {
    if (absl::Status s = SaveAll(); !s.ok()) std::fprintf(stderr, "chaja-searchd: %s\n", std::string(s.message()).c_str());
  }
}

void QueryStatsStore::SaveLoop() {
  std::unique_lock<std::mutex> lock(stop_mu_);
  while (!stop_cv_.wait_for(lock, absl::ToChronoMilliseconds(options_.save_interval), [this] { return stopping_; })) {
    lock.unlock();
    if (absl::Status s = SaveAll(); !s.ok()) std::fprintf(stderr, "chaja-searchd: %s\n", std::string(s.message()).c_str());
    lock.lock();
  }
}

std::string QueryStatsStore::FilePath(const std::string& site) const {
  return (std::filesystem::path(data_dir_) / site / kQueryStatsFile).string();
}

std::shared_ptr<SiteQueryStats> QueryStatsStore::ForSite(const std::string& site) {
  std::lock_guard<std::mutex> lock(mu_);
  Site& entry = sites_[site];
  if (entry.stats != nullptr) return entry.stats;
  entry.stats = std::make_shared<SiteQueryStats>(options_.max_queries_per_site);
  std::ifstream in(FilePath(site), std::ios::binary);
  if (in) {
    std::stringstream text;
    text << in.rdbuf();
    for (SiteQueryStats::Entry& e : ParseQueryStatsFile(text.str())) entry.stats->Restore(std::move(e));
  }
  entry.saved_version = entry.stats->version();
  return entry.stats;
}

void QueryStatsStore::Record(const std::string& site, absl::string_view query, bool zero_results, absl::CivilDay day) {
  if (!options_.enabled) return;
  const std::string text = NormalizeQueryText(query);
  if (text.empty()) return;
  ForSite(site)->Record(text, zero_results, day);
}

v1::QueryStatsResponse QueryStatsStore::Query(const v1::QueryStatsRequest& request, absl::CivilDay today) {
  return ForSite(request.site())->Query(request, today);
}

absl::Status QueryStatsStore::SaveAll() {
  std::lock_guard<std::mutex> save_lock(save_mu_);
  std::vector<std::pair<std::string, std::shared_ptr<SiteQueryStats>>> changed;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [site, entry] : sites_) {
      if (entry.stats->version() != entry.saved_version) changed.emplace_back(site, entry.stats);
    }
  }
  std::vector<std::string> failed;
  for (const auto& [site, stats] : changed) {
    const uint64_t version = stats->version();
    std::error_code ec;
    // A site removed meanwhile is not made again.
    if (!std::filesystem::is_directory(std::filesystem::path(data_dir_) / site, ec)) continue;
    if (!WriteFileAtomically(FilePath(site), QueryStatsFileText(stats->Entries())).ok()) {
      failed.push_back(FilePath(site));
      continue;
    }
    std::lock_guard<std::mutex> lock(mu_);
    sites_[site].saved_version = version;
  }
  if (failed.empty()) return absl::OkStatus();
  return absl::UnavailableError(absl::StrCat("cannot save query statistics to ", absl::StrJoin(failed, ", ")));
}

}  // namespace chaja::searchd
