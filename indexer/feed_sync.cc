#include "indexer/feed_sync.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/time_util.h"
#include "index/site_config.h"

namespace chaja::indexer {
namespace {

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp ToProto(absl::Time t) { return TimeUtil::MillisecondsToTimestamp(absl::ToUnixMillis(t)); }

absl::Time FromProto(const google::protobuf::Timestamp& t) {
  return absl::FromUnixMillis(TimeUtil::TimestampToMilliseconds(t));
}

void RecordFailure(const std::string& message, const v1::FeedConfig& feed, const FeedSyncOptions& options,
                   absl::Time now, v1::FeedStatus* state) {
  state->set_ok(false);
  state->set_result(message);
  state->set_failures(state->failures() + 1);
  // Back-off: the interval doubled for each failure in a row, within max_backoff.
  absl::Duration wait = FeedInterval(feed, options);
  for (uint32_t i = 0; i < state->failures() && wait < options.max_backoff; ++i) wait *= 2;
  *state->mutable_next_run() = ToProto(now + std::min(wait, std::max(options.max_backoff, FeedInterval(feed, options))));
}

std::string Summary(const ImportStats& s) {
  std::string text = absl::StrCat(s.added, " new, ", s.replaced, " changed, ", s.unchanged, " unchanged");
  if (s.skipped > 0) absl::StrAppend(&text, ", ", s.skipped, " skipped");
  return text;
}

}  // namespace

absl::StatusOr<RssCategories> ParseRssCategories(const std::string& name) {
  if (name.empty() || name == "auto") return RssCategories::kAuto;
  if (name == "first-is-category") return RssCategories::kFirstIsCategory;
  if (name == "all-tags") return RssCategories::kAllTags;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown RSS category mapping \"", name, "\": use auto, first-is-category or all-tags"));
}

absl::Duration FeedInterval(const v1::FeedConfig& feed, const FeedSyncOptions& options) {
  const uint32_t seconds = feed.interval_seconds() > 0 ? feed.interval_seconds() : index::kDefaultFeedIntervalSeconds;
  return std::max(absl::Seconds(seconds), options.min_interval);
}

v1::FeedStatus* FeedStateFor(const std::string& url, v1::FeedStates* states) {
  for (v1::FeedStatus& state : *states->mutable_feeds()) {
    if (state.url() == url) return &state;
  }
  v1::FeedStatus* added = states->add_feeds();
  added->set_url(url);
  return added;
}

absl::Time NextRun(const v1::FeedStatus& state, absl::Time now) {
  return state.has_next_run() ? FromProto(state.next_run()) : now;
}

ImportStats SyncFeed(const v1::FeedConfig& feed, ArticleSink* sink, const FeedSyncOptions& options, absl::Time now,
                     v1::FeedStatus* state) {
  state->set_url(feed.url());
  state->set_polls(state->polls() + 1);
  *state->mutable_last_sync() = ToProto(now);
  ImportOptions import = options.import;
  absl::StatusOr<RssCategories> mode = ParseRssCategories(feed.rss_categories());
  if (!mode.ok()) {
    RecordFailure(std::string(mode.status().message()), feed, options, now, state);
    return ImportStats();
  }
  import.rss_categories = *mode;
  FetchOptions fetch = options.fetch;
  fetch.etag = state->etag();
  fetch.last_modified = state->last_modified();
  absl::StatusOr<FetchResult> fetched = FetchUrl(feed.url(), fetch);
  if (!fetched.ok()) {
    // The state belongs to the URL already: its message need not repeat it.
    const absl::string_view why = absl::StripPrefix(fetched.status().message(), absl::StrCat(feed.url(), ": "));
    RecordFailure(std::string(why), feed, options, now, state);
    return ImportStats();
  }
  if (fetched->not_modified) {
    state->set_not_modified(state->not_modified() + 1);
    state->set_ok(true);
    state->set_failures(0);
    state->set_result("not modified");
    *state->mutable_next_run() = ToProto(now + FeedInterval(feed, options));
    return ImportStats();
  }
  ImportReporter reporter;
  std::string first_rejection;
  reporter.on_rejected = [&](const std::string& message) {
    if (first_rejection.empty()) first_rejection = message;
    if (options.on_message) options.on_message(message);
  };
  reporter.on_warning = options.on_message;
  Importer importer(sink, import, reporter);
  std::string title;
  absl::Status status = importer.ImportFetched(feed.url(), std::move(fetched->body), &title);
  const absl::Status finished = importer.Finish();
  if (status.ok()) status = finished;
  const ImportStats& stats = importer.stats();
  state->set_added(state->added() + stats.added);
  state->set_changed(state->changed() + stats.replaced);
  if (!title.empty()) state->set_channel_title(title);
  if (!status.ok()) {
    RecordFailure(std::string(status.message()), feed, options, now, state);
    return stats;
  }
  // A feed with rejected items keeps failing (backing off) until it is
  // fixed: its validators are not kept, so a 304 cannot hide it.
  if (stats.rejected > 0) {
    RecordFailure(absl::StrCat(Summary(stats), ", ", stats.rejected, " rejected: ", first_rejection), feed, options,
                  now, state);
    return stats;
  }
  state->set_etag(fetched->etag);
  state->set_last_modified(fetched->last_modified);
  state->set_ok(true);
  state->set_failures(0);
  state->set_result(Summary(stats));
  *state->mutable_next_run() = ToProto(now + FeedInterval(feed, options));
  return stats;
}

}  // namespace chaja::indexer
