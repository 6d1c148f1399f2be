// SearchBackend: everything searchd answers, independent of the transport.
// The gRPC service (and later the HTTP/JSON API) are thin adapters over it, so
// every front end shares one code path, one validation and one error mapping.
//
// Thread-safe: any number of request threads may call it concurrently. Each
// call borrows a Searcher (a Xapian::Database, which is not thread-safe) from a
// per-site pool and returns it afterwards; a borrowed Searcher is refreshed
// first, so commits by the writer are visible without a restart.
#ifndef CHAJA_SEARCHD_SEARCH_BACKEND_H_
#define CHAJA_SEARCHD_SEARCH_BACKEND_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "chaja/v1/search.pb.h"
#include "index/searcher.h"

namespace chaja::searchd {

class SearchBackend {
 public:
  explicit SearchBackend(std::string data_dir, index::RankingParams ranking = {});

  // INVALID_ARGUMENT for a bad site name, query or field; NOT_FOUND for an
  // unknown site; UNAVAILABLE/DATA_LOSS if the site's database is unusable.
  absl::StatusOr<v1::SearchResponse> Search(const v1::SearchRequest& request);

  const std::string& data_dir() const { return data_dir_; }

 private:
  absl::StatusOr<std::unique_ptr<index::Searcher>> Acquire(const std::string& site);
  void Release(const std::string& site, std::unique_ptr<index::Searcher> searcher);

  const std::string data_dir_;
  const index::RankingParams ranking_;
  std::mutex mu_;
  // Idle searchers per site; at most one per concurrent request.
  std::map<std::string, std::vector<std::unique_ptr<index::Searcher>>> idle_;
};

}  // namespace chaja::searchd

#endif  // CHAJA_SEARCHD_SEARCH_BACKEND_H_
