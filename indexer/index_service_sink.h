// IndexServiceSink: the Importer's sink over a running chaja-searchd's
// IndexService (chaja-indexer --server), for when searchd holds the sites'
// write lock.
//
// Each batch is one Upsert stream: Commit() ends the stream and gets the
// server's summary, which comes after the server's commit, so a batch counted
// as committed is durable. Records are checked against the same limits
// locally first, so a bad record is reported with its FILE:LINE.
//
// Not thread-safe: one sink per import.
#ifndef CHAJA_INDEXER_INDEX_SERVICE_SINK_H_
#define CHAJA_INDEXER_INDEX_SERVICE_SINK_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "client/index_client.h"
#include "index/document_builder.h"
#include "indexer/article_sink.h"

namespace chaja::indexer {

class IndexServiceSink : public ArticleSink {
 public:
  // `on_server_error` receives the server's per-record errors ("id X: reason").
  IndexServiceSink(client::IndexClient* client, std::string site, index::ArticleLimits limits,
                   std::function<void(const std::string&)> on_server_error);

  // Streams the article; the outcome is provisional (kAdded) until the
  // server's summary, see totals().
  absl::Status Upsert(const v1::Article& article, UpsertOutcome* outcome) override;
  absl::Status Delete(const std::string& id) override;
  // --prune needs the site's full id list, which only a direct writer has.
  absl::StatusOr<std::vector<std::string>> AllIds() override;
  size_t pending() const override { return pending_; }
  absl::Status Commit() override;

  // The server's counts over every finished stream.
  const v1::UpsertSummary& totals() const { return totals_; }

 private:
  client::IndexClient* client_;
  const std::string site_;
  const index::ArticleLimits limits_;
  std::function<void(const std::string&)> on_server_error_;
  std::unique_ptr<client::IndexClient::UpsertStream> stream_;
  std::vector<std::string> stream_ids_;  // ids of the open stream, by position
  size_t pending_ = 0;
  v1::UpsertSummary totals_;
};

}  // namespace chaja::indexer

#endif  // CHAJA_INDEXER_INDEX_SERVICE_SINK_H_
