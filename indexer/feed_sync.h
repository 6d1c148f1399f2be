// One poll of a site's feed: fetch (conditionally), import what changed,
// record how it went.
//
// An unchanged feed costs a 304 and nothing else: nothing is parsed or
// written. A changed feed goes through the ordinary readers and the
// Importer, which writes only new ids and ids whose content changed (the
// content hash). Posts missing from the feed are never deleted: a feed
// carries only the latest N posts. A failed poll (network, HTTP status, a
// feed with rejected items, a failed commit) keeps the old validators and
// waits twice as long for each failure in a row, up to max_backoff.
//
// Used by chaja-indexer (URLs on the command line, --watch); not thread-safe
// (one poll at a time per sink).
#ifndef CHAJA_INDEXER_FEED_SYNC_H_
#define CHAJA_INDEXER_FEED_SYNC_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "chaja/v1/site_config.pb.h"
#include "indexer/article_sink.h"
#include "indexer/feed_fetch.h"
#include "indexer/importer.h"

namespace chaja::indexer {

struct FeedSyncOptions {
  FetchOptions fetch;
  // Intervals below this (site.json or the default) are raised to it.
  absl::Duration min_interval = absl::Seconds(60);
  absl::Duration max_backoff = absl::Hours(6);
  // Import settings (time zone, limits); rss_categories is taken from the feed.
  ImportOptions import;
  // Rejected records and warnings, as "SOURCE:LINE: reason"; may be empty.
  std::function<void(const std::string&)> on_message;
};

// "first-is-category", "all-tags", "auto" or "" → RssCategories.
absl::StatusOr<RssCategories> ParseRssCategories(const std::string& name);

// The feed's poll interval: interval_seconds (default 15 min), at least min_interval.
absl::Duration FeedInterval(const v1::FeedConfig& feed, const FeedSyncOptions& options);

// Polls `feed` at `now`, writing through `sink`, and updates *state (its url
// is set). Returns what the poll imported (all zero for a 304 or a failure).
ImportStats SyncFeed(const v1::FeedConfig& feed, ArticleSink* sink, const FeedSyncOptions& options, absl::Time now,
                     v1::FeedStatus* state);

// The state entry of `url` in *states, added if missing.
v1::FeedStatus* FeedStateFor(const std::string& url, v1::FeedStates* states);

// When the feed is due: its next_run, or now if it was never polled.
absl::Time NextRun(const v1::FeedStatus& state, absl::Time now);

}  // namespace chaja::indexer

#endif  // CHAJA_INDEXER_FEED_SYNC_H_
