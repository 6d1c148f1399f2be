#include "searchd/search_backend.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "index/site.h"

namespace chaja::searchd {

SearchBackend::SearchBackend(std::string data_dir, index::RankingParams ranking)
    : data_dir_(std::move(data_dir)), ranking_(ranking) {}

absl::StatusOr<std::unique_ptr<index::Searcher>> SearchBackend::Acquire(const std::string& site) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = idle_.find(site);
    if (it != idle_.end() && !it->second.empty()) {
      std::unique_ptr<index::Searcher> searcher = std::move(it->second.back());
      it->second.pop_back();
      return searcher;
    }
  }
  absl::StatusOr<std::string> path = index::SiteDatabasePath(data_dir_, site);
  if (!path.ok()) return path.status();
  absl::StatusOr<std::unique_ptr<index::Searcher>> searcher = index::Searcher::Open(*path);
  if (searcher.status().code() == absl::StatusCode::kNotFound) {
    return absl::NotFoundError(absl::StrCat("unknown site \"", site, "\": nothing has been indexed for it"));
  }
  if (searcher.ok()) (*searcher)->set_ranking(ranking_);
  return searcher;
}

void SearchBackend::Release(const std::string& site, std::unique_ptr<index::Searcher> searcher) {
  std::lock_guard<std::mutex> lock(mu_);
  idle_[site].push_back(std::move(searcher));
}

absl::StatusOr<v1::SearchResponse> SearchBackend::Search(const v1::SearchRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::unique_ptr<index::Searcher>> searcher = Acquire(request.site());
  if (!searcher.ok()) return searcher.status();
  if (absl::Status s = (*searcher)->Refresh(); !s.ok()) return s;  // a broken one is dropped, not pooled
  absl::StatusOr<v1::SearchResponse> response = (*searcher)->Search(request);
  Release(request.site(), *std::move(searcher));
  if (!response.ok()) return response;
  const auto took = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start);
  response->mutable_took()->set_seconds(took.count() / 1000000000);
  response->mutable_took()->set_nanos(static_cast<int32_t>(took.count() % 1000000000));
  return response;
}

}  // namespace chaja::searchd
