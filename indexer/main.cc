// chaja-indexer: import articles (JSONL, RSS, Atom, WordPress WXR, Markdown,
// saved HTML pages) into a site.
//
//   chaja-indexer --data DIR --site NAME [--format F] [--prune] FILE|FOLDER|URL...
//   chaja-indexer --data DIR --site NAME --watch [URL...]   (polls site.json's feeds too)
//   chaja-indexer --data DIR --site NAME --delete ID [--delete ID ...]
//   chaja-indexer --data DIR --site NAME --backup FOLDER
//   chaja-indexer --data DIR --site NAME --restore FOLDER [--force]
//
// Exit status: 0 all records indexed, 1 some records rejected (or --prune
// refused), 2 fatal (bad flags, unreadable input, locked site, a refused or
// failed backup or restore).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "index/backup.h"
#include "index/document_builder.h"
#include "index/site_writer.h"
#include "indexer/feed_fetch.h"
#include "indexer/feed_sync.h"
#include "indexer/format_detect.h"
#include "client/channel.h"
#include "client/cli_flags.h"
#include "client/index_client.h"
#include "client/search_client.h"
#include "index/site.h"
#include "index/site_config.h"
#include "index/status.h"
#include "indexer/importer.h"
#include "indexer/index_service_sink.h"
#include "indexer/progress.h"
#include "indexer/reader_factory.h"

ABSL_FLAG(std::string, data, "", "Data folder holding one database per site (created if missing).");
ABSL_FLAG(std::string, server, "",
          "Send the articles through a running chaja-searchd (host:port) instead of writing --data directly; "
          "needed while searchd runs with --index_token_file, since it is then the sites' only writer.");
ABSL_FLAG(std::string, token_file, "", "With --server: file holding searchd's index token.");
ABSL_FLAG(std::string, tls_ca, "", "With --server: PEM certificate to trust; connects over TLS.");
ABSL_FLAG(std::string, tls_server_name, "",
          "With --tls_ca: the name the server's certificate must carry, when not the --server host.");
ABSL_FLAG(std::string, site, "", "Site to index into: letters, digits, '-' and '_'.");
ABSL_FLAG(std::vector<std::string>, delete, {}, "Ids of articles to delete (comma-separated).");
ABSL_FLAG(size_t, batch_size, 5000, "Articles per commit; a crash loses at most one batch.");
ABSL_FLAG(int, threads, 0,
          "Writer threads for a first import into an empty site (0: one per core). With more than one, "
          "the site is built as parallel shards merged at the end: nothing is visible (or kept after a "
          "crash) until the import ends. 1: commit batch by batch.");
ABSL_FLAG(bool, ignore_unknown_fields, false, "Ignore JSON fields that are not Article fields.");
ABSL_FLAG(std::string, format, "auto", "Input format: auto (detect per file), jsonl, rss, atom, wxr, markdown, html.");
ABSL_FLAG(bool, prune, false,
          "The input is a full export: delete the site's articles it does not contain (refused if any record "
          "was rejected).");
ABSL_FLAG(std::string, timezone, "",
          "Time zone of dates written without one (IANA name). Default: the site's (timeZone in "
          "DATA/<site>/site.json), else Asia/Seoul.");
ABSL_FLAG(size_t, max_body_bytes, chaja::index::kMaxBodyBytes, "Reject articles whose body text is longer.");
ABSL_FLAG(size_t, max_title_bytes, chaja::index::kMaxTitleBytes, "Reject articles whose title is longer.");
ABSL_FLAG(size_t, max_id_bytes, chaja::index::kMaxIdBytes, "Reject articles whose id is longer.");
ABSL_FLAG(int, max_tags, chaja::index::kMaxTags, "Reject articles with more tags.");
ABSL_FLAG(std::string, backup, "",
          "Write a compacted copy of the site's current revision to this new (or empty) folder; the site "
          "may be served and written meanwhile.");
ABSL_FLAG(std::string, restore, "",
          "Replace the site's database with the backup in this folder (made by --backup); a running "
          "chaja-searchd serves it on its next refresh.");
ABSL_FLAG(bool, force, false, "With --restore: replace a site that has articles.");
ABSL_FLAG(uint64_t, max_file_bytes, uint64_t{1} << 30,
          "Refuse larger files in the formats read whole (all but JSONL, which streams).");
ABSL_FLAG(uint64_t, max_html_bytes, chaja::indexer::kDefaultMaxHtmlBytes,
          "Parse only this many bytes of a saved HTML page (with a warning): parsing costs 20-40 times "
          "the page's size in memory.");

ABSL_FLAG(bool, watch, false,
          "Keep running: poll the site's feeds (\"feeds\" in DATA/<site>/site.json, and URLs given as arguments) on "
          "their intervals, upserting new and changed posts; never deletes. State: DATA/<site>/feeds-state.json.");
ABSL_FLAG(std::string, rss_categories, "auto",
          "How RSS <category> elements map: auto (Tistory feeds: the first is the category, the rest tags; other "
          "feeds: all tags), first-is-category or all-tags. WXR keeps its own category/tag domains.");
ABSL_FLAG(absl::Duration, poll_interval, absl::Seconds(chaja::index::kDefaultFeedIntervalSeconds),
          "With --watch: poll interval of the URLs given as arguments.");
ABSL_FLAG(absl::Duration, min_poll_interval, absl::Seconds(60), "Shorter feed intervals are raised to this.");
ABSL_FLAG(absl::Duration, fetch_timeout, absl::Seconds(30), "Longest time one feed fetch may take (redirects included).");
ABSL_FLAG(uint64_t, max_feed_bytes, uint64_t{32} << 20, "Refuse fetched feeds larger than this (after gzip).");

namespace {

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "chaja-indexer: %s\n", std::string(status.message()).c_str());
  return 2;
}

// Feed polling: URLs on the command line (once, or with --watch on an
// interval) and site.json's feeds (with --watch), through one sink.
class FeedPoller {
 public:
  FeedPoller(std::string data, std::string site, chaja::indexer::ArticleSink* sink,
             chaja::indexer::FeedSyncOptions options)
      : data_(std::move(data)), site_(std::move(site)), sink_(sink), options_(std::move(options)) {
    if (!data_.empty()) {
      absl::StatusOr<chaja::v1::FeedStates> loaded = chaja::index::LoadFeedStates(data_, site_);
      if (loaded.ok()) states_ = *std::move(loaded);
      if (!loaded.ok()) std::fprintf(stderr, "chaja-indexer: %s; starting over\n", std::string(loaded.status().message()).c_str());
    }
  }

  // Polls one feed now; the poll's import counts.
  chaja::indexer::ImportStats Poll(const chaja::v1::FeedConfig& feed, bool* ok = nullptr) {
    chaja::v1::FeedStatus* state = chaja::indexer::FeedStateFor(feed.url(), &states_);
    chaja::indexer::ImportStats stats = chaja::indexer::SyncFeed(feed, sink_, options_, absl::Now(), state);
    std::fprintf(stderr, "chaja-indexer: feed %s: %s%s; next poll %s\n", feed.url().c_str(),
                 state->ok() ? "" : "failed: ", state->result().c_str(),
                 absl::FormatTime("%Y-%m-%d %H:%M:%S %Z", absl::FromUnixSeconds(state->next_run().seconds()),
                                  absl::LocalTimeZone()).c_str());
    Save();
    if (ok != nullptr) *ok = state->ok();
    return stats;
  }

  // Polls every due feed, forever; site.json is read again before each round.
  [[noreturn]] void Watch(const std::vector<chaja::v1::FeedConfig>& command_line) {
    for (;;) {
      std::vector<chaja::v1::FeedConfig> feeds = command_line;
      if (!data_.empty()) {
        absl::StatusOr<chaja::index::SiteSettings> settings = chaja::index::LoadSiteSettings(data_, site_);
        if (settings.ok()) {
          feeds.insert(feeds.end(), settings->feeds.begin(), settings->feeds.end());
          ForgetOtherFeeds(feeds);
        } else {
          std::fprintf(stderr, "chaja-indexer: %s\n", std::string(settings.status().message()).c_str());
        }
      }
      absl::Time wake = absl::Now() + absl::Minutes(1);  // re-read site.json at least this often
      for (const chaja::v1::FeedConfig& feed : feeds) {
        chaja::v1::FeedStatus* state = chaja::indexer::FeedStateFor(feed.url(), &states_);
        const absl::Time now = absl::Now();
        if (chaja::indexer::NextRun(*state, now) <= now) Poll(feed);
        wake = std::min(wake, chaja::indexer::NextRun(*state, absl::Now()));
      }
      absl::SleepFor(std::max(wake - absl::Now(), absl::Milliseconds(50)));
    }
  }

 private:
  // Drops the state of feeds no longer listed (taken out of site.json), so
  // `chaja sites` stops showing them.
  void ForgetOtherFeeds(const std::vector<chaja::v1::FeedConfig>& feeds) {
    auto* states = states_.mutable_feeds();
    const int before = states->size();
    for (int i = states->size() - 1; i >= 0; --i) {
      const bool listed = std::any_of(feeds.begin(), feeds.end(), [&](const chaja::v1::FeedConfig& f) {
        return f.url() == states->Get(i).url();
      });
      if (!listed) states->DeleteSubrange(i, 1);
    }
    if (states->size() != before) Save();
  }

  void Save() {
    if (data_.empty()) return;
    if (absl::Status s = chaja::index::SaveFeedStates(data_, site_, states_); !s.ok()) {
      std::fprintf(stderr, "chaja-indexer: %s\n", std::string(s.message()).c_str());
    }
  }

  std::string data_;
  std::string site_;
  chaja::indexer::ArticleSink* sink_;
  chaja::indexer::FeedSyncOptions options_;
  chaja::v1::FeedStates states_;
};

void AddStats(const chaja::indexer::ImportStats& from, chaja::indexer::ImportStats* to) {
  to->records += from.records;
  to->added += from.added;
  to->replaced += from.replaced;
  to->unchanged += from.unchanged;
  to->rejected += from.rejected;
  to->skipped += from.skipped;
  to->warnings += from.warnings;
  to->bytes += from.bytes;
}

void PrintManifest(const char* done, const chaja::index::BackupManifest& m, const std::string& folder) {
  std::fprintf(stderr, "chaja-indexer: %s %s: site %s, revision %lu, %lu articles, taken %s by chaja %s\n", done,
               folder.c_str(), m.site.c_str(), static_cast<unsigned long>(m.revision),
               static_cast<unsigned long>(m.documents), m.created.c_str(), m.chaja_version.c_str());
}

// --backup and --restore: whole-database operations, no articles read.
int BackupOrRestore(const std::string& data, const std::string& site, bool has_other_work) {
  const std::string backup = absl::GetFlag(FLAGS_backup);
  const std::string restore = absl::GetFlag(FLAGS_restore);
  if (!backup.empty() && !restore.empty()) {
    return Fail(absl::InvalidArgumentError("give --backup or --restore, not both"));
  }
  if (data.empty() || has_other_work) {
    return Fail(absl::InvalidArgumentError("--backup and --restore take --data DIR --site NAME and nothing else"));
  }
  if (!backup.empty()) {
    absl::StatusOr<chaja::index::BackupManifest> written = chaja::index::BackupSite(data, site, backup);
    if (!written.ok()) return Fail(written.status());
    PrintManifest("backup written to", *written, backup);
    return 0;
  }
  absl::StatusOr<chaja::index::BackupManifest> restored =
      chaja::index::RestoreSite(restore, data, site, absl::GetFlag(FLAGS_force));
  if (!restored.ok()) return Fail(restored.status());
  PrintManifest(absl::StrCat("site ", site, " restored from").c_str(), *restored, restore);
  return 0;
}

// True if DATA/<site> exists: an import into a site that does not is the one
// that creates it, and keeps the folder only if an article was kept.
bool SiteFolderExists(const std::string& data, const std::string& site) {
  absl::StatusOr<std::string> path = chaja::index::SiteDatabasePath(data, site);
  std::error_code ec;
  return path.ok() && std::filesystem::exists(std::filesystem::path(*path).parent_path(), ec);
}

// Through searchd: whether it serves `site` yet (NOT_FOUND: a new site).
bool ServerHasSite(const std::shared_ptr<grpc::Channel>& channel, const std::string& server, const std::string& site) {
  const chaja::client::SearchClient client(channel, server);
  chaja::v1::GetSiteStatsRequest request;
  request.set_site(site);
  return client.GetSiteStats(request).status().code() != absl::StatusCode::kNotFound;
}

// The import settings of the flags; the time zone is the site's own when
// its folder is at hand (`data`, not through --server).
absl::StatusOr<chaja::indexer::ImportOptions> ImportOptionsFromFlags(const std::string& data, const std::string& site,
                                                                     const std::vector<std::string>& paths) {
  absl::StatusOr<chaja::indexer::RssCategories> rss_categories =
      chaja::indexer::ParseRssCategories(absl::GetFlag(FLAGS_rss_categories));
  if (!rss_categories.ok()) return rss_categories.status();
  absl::StatusOr<chaja::indexer::Format> format = chaja::indexer::ParseFormatName(absl::GetFlag(FLAGS_format));
  if (!format.ok()) return format.status();
  std::string zone_name = absl::GetFlag(FLAGS_timezone);
  if (zone_name.empty()) {
    zone_name = chaja::index::kDefaultTimeZone;
    if (!data.empty() && chaja::index::ValidateSiteName(site).ok()) {
      absl::StatusOr<chaja::index::SiteSettings> settings = chaja::index::LoadSiteSettings(data, site);
      if (!settings.ok()) return settings.status();
      zone_name = settings->time_zone_name;
    }
  }
  absl::StatusOr<absl::TimeZone> zone = chaja::index::LoadZone(zone_name);
  if (!zone.ok()) return zone.status();

  chaja::indexer::ImportOptions options;
  options.batch_size = std::max<size_t>(1, absl::GetFlag(FLAGS_batch_size));
  options.reject_unknown_fields = !absl::GetFlag(FLAGS_ignore_unknown_fields);
  options.format = *format;
  options.timezone = *zone;
  options.max_file_bytes = absl::GetFlag(FLAGS_max_file_bytes);
  options.max_html_bytes = absl::GetFlag(FLAGS_max_html_bytes);
  options.rss_categories = *rss_categories;
  for (const std::string& file : paths) {
    const uint64_t size = chaja::indexer::InputSize(file, *format);
    if (size == 0) {
      options.total_bytes = 0;  // a pipe: no percentage, no ETA
      break;
    }
    options.total_bytes += size;
  }
  return options;
}

// Where the articles go: the site's database directly, or searchd's IndexService.
struct Destination {
  std::unique_ptr<chaja::index::SiteWriter> writer;  // directly
  std::unique_ptr<chaja::client::IndexClient> index_client;  // through searchd
  std::unique_ptr<chaja::indexer::ArticleSink> sink;
  chaja::indexer::IndexServiceSink* remote = nullptr;  // sink, through searchd
  bool new_site = false;  // this run creates the site (if it keeps an article)
};

absl::StatusOr<Destination> OpenDirectly(const std::string& data, const std::string& site,
                                         const chaja::index::ArticleLimits& limits, bool feeds) {
  Destination to;
  to.new_site = chaja::index::ValidateSiteName(site).ok() && !SiteFolderExists(data, site);
  absl::StatusOr<std::unique_ptr<chaja::index::SiteWriter>> opened = chaja::index::SiteWriter::Open(data, site);
  if (!opened.ok()) return opened.status();
  to.writer = *std::move(opened);
  to.writer->set_limits(limits);
  int threads = absl::GetFlag(FLAGS_threads);
  if (threads <= 0) threads = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 8u));
  // Feeds commit poll by poll: never the all-or-nothing parallel build.
  if (threads > 1 && to.writer->doc_count() == 0 && !feeds) {
    absl::StatusOr<std::unique_ptr<chaja::index::BulkBuilder>> bulk =
        chaja::index::BulkBuilder::Start(data, site, threads, to.writer.get(), limits);
    if (!bulk.ok()) return bulk.status();
    to.sink = std::make_unique<chaja::indexer::BulkSink>(*std::move(bulk));
  } else {
    to.sink = std::make_unique<chaja::indexer::SiteWriterSink>(to.writer.get());
  }
  return to;
}

absl::StatusOr<Destination> OpenThroughServer(const std::string& server, const std::string& site,
                                              const chaja::index::ArticleLimits& limits) {
  CHAJA_RETURN_IF_ERROR(chaja::index::ValidateSiteName(site));
  std::string token;
  if (const std::string token_file = absl::GetFlag(FLAGS_token_file); !token_file.empty()) {
    absl::StatusOr<std::string> read = chaja::client::ReadToken(token_file);
    if (!read.ok()) return read.status();
    token = *read;
  }
  chaja::client::ConnectionOptions connection;
  connection.address = server;
  connection.tls_ca_file = absl::GetFlag(FLAGS_tls_ca);
  connection.tls_server_name = absl::GetFlag(FLAGS_tls_server_name);
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = chaja::client::MakeChannel(connection);
  if (!channel.ok()) return channel.status();
  Destination to;
  to.new_site = !ServerHasSite(*channel, server, site);
  to.index_client = std::make_unique<chaja::client::IndexClient>(*channel, token, server);
  auto remote_sink = std::make_unique<chaja::indexer::IndexServiceSink>(
      to.index_client.get(), site, limits, [](const std::string& message) {
        std::fprintf(stderr, "%s\n", message.c_str());
      });
  to.remote = remote_sink.get();
  to.sink = std::move(remote_sink);
  return to;
}

chaja::index::ArticleLimits LimitsFromFlags() {
  chaja::index::ArticleLimits limits;
  limits.max_body_bytes = absl::GetFlag(FLAGS_max_body_bytes);
  limits.max_title_bytes = absl::GetFlag(FLAGS_max_title_bytes);
  limits.max_id_bytes = absl::GetFlag(FLAGS_max_id_bytes);
  limits.max_tags = absl::GetFlag(FLAGS_max_tags);
  return limits;
}

// How feeds are fetched and imported (poll by poll, each committed on its own).
chaja::indexer::FeedSyncOptions FeedSyncOptionsFromFlags(const chaja::indexer::ImportOptions& options,
                                                         std::function<void(const std::string&)> on_message) {
  chaja::indexer::FeedSyncOptions sync;
  sync.fetch.timeout = absl::GetFlag(FLAGS_fetch_timeout);
  sync.fetch.max_bytes = absl::GetFlag(FLAGS_max_feed_bytes);
  sync.min_interval = absl::GetFlag(FLAGS_min_poll_interval);
  sync.import = options;
  sync.import.total_bytes = 0;
  sync.on_message = std::move(on_message);
  return sync;
}

// The feeds given as URL arguments, with the flags' interval and category rule.
std::vector<chaja::v1::FeedConfig> CommandLineFeeds(const std::vector<std::string>& urls) {
  std::vector<chaja::v1::FeedConfig> feeds;
  for (const std::string& url : urls) {
    chaja::v1::FeedConfig feed;
    feed.set_url(url);
    feed.set_interval_seconds(static_cast<uint32_t>(absl::ToInt64Seconds(absl::GetFlag(FLAGS_poll_interval))));
    feed.set_rss_categories(absl::GetFlag(FLAGS_rss_categories));
    feeds.push_back(feed);
  }
  return feeds;
}

// What changed, as the one summary line (and the notes under it) says.
struct Outcome {
  size_t added = 0, replaced = 0, unchanged = 0, rejected = 0;
  uint64_t doc_count = 0;
};

// Through searchd, its summaries are the truth about what changed.
Outcome OutcomeOf(const chaja::indexer::ImportStats& s, const Destination& to) {
  Outcome o{s.added, s.replaced, s.unchanged, s.rejected, to.writer != nullptr ? to.writer->doc_count() : 0};
  if (to.remote != nullptr) {
    const chaja::v1::UpsertSummary& t = to.remote->totals();
    o.added = t.added(), o.replaced = t.replaced(), o.unchanged = t.unchanged(), o.rejected += t.rejected();
    o.doc_count = t.document_count();
  }
  return o;
}

void PrintSummary(const std::string& site, const std::string& server, bool created, const Outcome& o,
                  const chaja::indexer::ImportStats& s, double secs) {
  std::fprintf(stderr,
               "chaja-indexer: %ssite %s%s: %zu indexed, %zu deleted, %zu rejected (%zu new, %zu changed, %zu unchanged, "
               "%zu skipped, %zu warnings) in %.2f s (%.0f docs/s, %.1f MB/s); %lu articles in the site\n",
               created ? "created " : "", site.c_str(), !server.empty() ? absl::StrCat(" via ", server).c_str() : "",
               o.added + o.replaced, s.deleted, o.rejected, o.added, o.replaced, o.unchanged, s.skipped, s.warnings,
               secs, secs > 0 ? s.records / secs : 0.0, secs > 0 ? s.bytes / 1e6 / secs : 0.0,
               static_cast<unsigned long>(o.doc_count));
  if (s.not_kept > 0) {
    std::fprintf(stderr, "chaja-indexer: %zu changes were not kept: their commit failed (see below)\n", s.not_kept);
  }
}

// What the command line asks for.
struct Request {
  std::string data, site, server;
  std::vector<std::string> deletes;
  std::vector<std::string> paths;  // files and folders
  std::vector<std::string> urls;   // feeds (fetched: feed_sync.h)
  bool prune = false;
  bool watch = false;
};

Request RequestFromFlags(const std::vector<std::string>& files) {
  Request r;
  r.data = absl::GetFlag(FLAGS_data);
  r.site = absl::GetFlag(FLAGS_site);
  r.server = absl::GetFlag(FLAGS_server);
  r.deletes = absl::GetFlag(FLAGS_delete);
  r.prune = absl::GetFlag(FLAGS_prune);
  r.watch = absl::GetFlag(FLAGS_watch);
  for (const std::string& arg : files) (chaja::indexer::IsHttpUrl(arg) ? r.urls : r.paths).push_back(arg);
  return r;
}

absl::Status CheckRequest(const Request& r) {
  if (r.data.empty() == r.server.empty()) {
    return absl::InvalidArgumentError("give --data DIR (write directly) or --server ADDR (through chaja-searchd)");
  }
  if (r.paths.empty() && r.urls.empty() && r.deletes.empty() && !r.watch) {
    return absl::InvalidArgumentError("give FILE... or URL... to index, --watch or --delete ID; see --help");
  }
  if (r.prune && (r.paths.empty() || !r.urls.empty() || r.watch)) {
    // A feed holds only the latest posts: never a full export.
    return absl::InvalidArgumentError("--prune needs the full export as FILE... (not a feed URL, not --watch)");
  }
  return absl::OkStatus();
}

// The deletions, then the files and folders in order; stops at a fatal error.
absl::Status DeleteAndImport(const Request& request, chaja::indexer::Importer* importer) {
  for (const std::string& id : request.deletes) {
    if (absl::Status s = importer->Delete(id); !s.ok()) return s;
  }
  for (const std::string& file : request.paths) {
    if (absl::Status s = importer->Import(file); !s.ok()) return s;
  }
  return absl::OkStatus();
}

// Feed URLs: fetched (conditionally, with the state of earlier polls) and
// imported poll by poll, each committed on its own, after the files.
absl::Status PollFeedsOnce(const std::vector<chaja::v1::FeedConfig>& feeds, absl::Status status,
                           chaja::indexer::Importer* importer, FeedPoller* poller,
                           chaja::indexer::ImportStats* stats, size_t* failed) {
  for (const chaja::v1::FeedConfig& feed : feeds) {
    if (!status.ok()) break;
    if (status = importer->Finish(); !status.ok()) break;  // files first, in order
    bool ok = false;
    AddStats(poller->Poll(feed, &ok), stats);
    if (!ok) ++*failed;
  }
  return status;
}

// A site is created by the first import that keeps an article: a mistyped
// --site whose import kept nothing leaves no empty site behind.
void DropSiteIfEmpty(const Request& request, const Outcome& o, Destination* to) {
  if (!to->new_site || o.doc_count != 0 || to->writer == nullptr) return;
  to->sink.reset();
  to->writer.reset();
  std::error_code ec;
  std::filesystem::remove_all(std::filesystem::path(request.data) / request.site, ec);
  std::fprintf(stderr, "chaja-indexer: site %s was not created: no article was kept\n", request.site.c_str());
}

// Deletes, imports the files, polls the feeds (or watches), prunes, commits
// and reports; returns the exit code.
int Run(const Request& request, const chaja::indexer::ImportOptions& options, Destination* to) {
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  chaja::indexer::ProgressPrinter progress(stderr, isatty(STDERR_FILENO));
  chaja::indexer::ImportReporter reporter;
  reporter.on_rejected = [&](const std::string& message) {
    progress.Clear();
    std::fprintf(stderr, "%s\n", message.c_str());
  };
  reporter.on_warning = reporter.on_rejected;
  reporter.on_progress = [&](const chaja::indexer::ImportStats& s) { progress.Update(s, elapsed()); };
  chaja::indexer::Importer importer(to->sink.get(), options, reporter);

  absl::Status status = DeleteAndImport(request, &importer);
  const std::vector<chaja::v1::FeedConfig> command_line_feeds = CommandLineFeeds(request.urls);
  FeedPoller poller(request.data, request.site, to->sink.get(),
                    FeedSyncOptionsFromFlags(options, reporter.on_rejected));
  chaja::indexer::ImportStats feed_stats;
  size_t failed_feeds = 0;
  if (!request.watch) {
    status = PollFeedsOnce(command_line_feeds, status, &importer, &poller, &feed_stats, &failed_feeds);
  }
  absl::Status pruned;
  if (status.ok() && request.prune) {
    pruned = importer.Prune();
    if (pruned.code() != absl::StatusCode::kFailedPrecondition && !pruned.ok()) status = pruned;
  }
  // Commit what was read even after a fatal error: those articles were good.
  const absl::Status finished = importer.Finish();
  progress.Clear();
  if (request.watch) {
    if (!status.ok()) return Fail(status);
    if (!finished.ok()) return Fail(finished);
    poller.Watch(command_line_feeds);
  }
  chaja::indexer::ImportStats s = importer.stats();
  AddStats(feed_stats, &s);
  const Outcome o = OutcomeOf(s, *to);
  DropSiteIfEmpty(request, o, to);
  PrintSummary(request.site, request.server, to->new_site && o.doc_count > 0, o, s, elapsed());
  if (pruned.code() == absl::StatusCode::kFailedPrecondition) {
    std::fprintf(stderr, "chaja-indexer: %s\n", std::string(pruned.message()).c_str());
  }
  if (status.ok() && finished.ok() && o.added + o.replaced == 0 && s.deleted == 0 && o.rejected == 0 &&
      o.unchanged > 0) {
    std::fprintf(stderr, "chaja-indexer: nothing changed: all %zu articles were already up to date\n", o.unchanged);
  }
  if (!status.ok()) return Fail(status);
  if (!finished.ok()) return Fail(finished);
  if (failed_feeds > 0 && o.rejected == 0) return 2;  // a feed could not be fetched (said above)
  return o.rejected > 0 || !pruned.ok() ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> args = chaja::cli::ParseFlagsOrExit(
      argc, argv, "chaja-indexer",
      "Imports articles into a site: JSON Lines (chaja.v1.Article JSON mapping), RSS 2.0, Atom, WordPress WXR,\n"
      "Markdown with YAML front matter (files or folders) and saved HTML pages; the format is detected per file.\n"
      "  chaja-indexer --data DIR --site NAME [--format F] [--prune] FILE|FOLDER|URL...   ('-' reads standard input)\n"
      "  chaja-indexer --data DIR --site NAME --watch [URL...]   (polls site.json's feeds and the URLs)\n"
      "  chaja-indexer --data DIR --site NAME --delete ID[,ID...]\n"
      "  chaja-indexer --data DIR --site NAME --backup FOLDER\n"
      "  chaja-indexer --data DIR --site NAME --restore FOLDER [--force]",
      "chaja-indexer --data DIR --site NAME FILE|FOLDER...; chaja-indexer --help lists the flags");
  const std::vector<std::string> files(args.begin() + 1, args.end());
  const Request request = RequestFromFlags(files);
  if (!absl::GetFlag(FLAGS_backup).empty() || !absl::GetFlag(FLAGS_restore).empty()) {
    return BackupOrRestore(request.data, request.site,
                           !files.empty() || !request.deletes.empty() || request.prune || !request.server.empty() ||
                               request.watch);
  }
  if (absl::Status s = CheckRequest(request); !s.ok()) return Fail(s);
  absl::StatusOr<chaja::indexer::ImportOptions> options =
      ImportOptionsFromFlags(request.data, request.site, request.paths);
  if (!options.ok()) return Fail(options.status());
  // Xapian commits on its own every XAPIAN_FLUSH_THRESHOLD changes; keep that
  // above the batch so a batch is never split (a crash keeps whole batches).
  setenv("XAPIAN_FLUSH_THRESHOLD", absl::StrCat(std::max<size_t>(100000, options->batch_size + 1)).c_str(), 1);
  absl::StatusOr<Destination> to =
      request.server.empty()
          ? OpenDirectly(request.data, request.site, LimitsFromFlags(), !request.urls.empty() || request.watch)
          : OpenThroughServer(request.server, request.site, LimitsFromFlags());
  if (!to.ok()) return Fail(to.status());
  return Run(request, *options, &*to);
}
