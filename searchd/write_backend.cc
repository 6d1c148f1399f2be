#include "searchd/write_backend.h"

#include <cstdio>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "index/document_builder.h"
#include "index/site.h"
#include "index/status.h"

namespace chaja::searchd {

WriteBackend::WriteBackend(std::string data_dir, RevisionPins* pins) : data_dir_(std::move(data_dir)), pins_(pins) {
  flusher_ = std::thread([this] { FlushLoop(); });
}

WriteBackend::~WriteBackend() {
  {
    std::lock_guard<std::mutex> lock(flusher_mu_);
    stopping_ = true;
  }
  flusher_cv_.notify_all();
  flusher_.join();
  if (absl::Status s = CommitAll(); !s.ok()) {
    std::fprintf(stderr, "chaja-searchd: final commit failed: %s\n", std::string(s.message()).c_str());
  }
}

absl::Status WriteBackend::OpenExistingSites() {
  absl::StatusOr<std::vector<std::string>> sites = index::ListSites(data_dir_);
  if (!sites.ok()) return sites.status();
  for (const std::string& site : *sites) {
    absl::StatusOr<Site*> opened = GetSite(site);
    if (!opened.ok()) return opened.status();
  }
  return absl::OkStatus();
}

absl::StatusOr<WriteBackend::Site*> WriteBackend::GetSite(const std::string& site) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sites_.find(site);
  if (it != sites_.end()) return it->second.get();
  absl::StatusOr<std::unique_ptr<index::SiteWriter>> writer = index::SiteWriter::Open(data_dir_, site);
  if (!writer.ok()) return writer.status();
  auto entry = std::make_unique<Site>();
  entry->name = site;
  entry->writer = *std::move(writer);
  return sites_.emplace(site, std::move(entry)).first->second.get();
}

absl::StatusOr<WriteBackend::Site*> WriteBackend::ExistingSite(const std::string& site) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = sites_.find(site);
    if (it != sites_.end()) return it->second.get();
  }
  absl::StatusOr<std::string> path = index::SiteDatabasePath(data_dir_, site);
  if (!path.ok()) return path.status();
  std::error_code ec;
  if (!std::filesystem::exists(*path, ec)) return nullptr;
  return GetSite(site);
}

absl::Status WriteBackend::CommitLocked(Site* site) {
  if (site->writer->pending() == 0) return absl::OkStatus();
  const auto start = std::chrono::steady_clock::now();
  absl::Status status = site->writer->Commit();
  commit_durations_.Observe(std::chrono::steady_clock::now() - start);
  if (status.ok()) {
    site->commits.fetch_add(1, std::memory_order_relaxed);
    site->reads_to_wait_for = true;
    if (pins_ != nullptr) pins_->Committed(site->name, site->writer->revision());
  }
  ++site->generation;
  site->last_commit = std::chrono::steady_clock::now();
  site->last_status = status;
  site->committed.notify_all();
  return status;
}

void WriteBackend::WaitForOlderReads(Site* site, std::unique_lock<std::mutex>* lock) {
  if (pins_ == nullptr) return;
  // One budget for the whole change: a commit landing while this stream
  // waited for its turn makes it wait again, and unbounded that starved a
  // stream past its client's 10 s deadline in the soak.
  const auto give_up = std::chrono::steady_clock::now() + kMaxWaitForReads;
  while (site->reads_to_wait_for) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(give_up - std::chrono::steady_clock::now());
    if (left <= std::chrono::milliseconds::zero()) return;
    if (site->waiting_for_reads) {
      site->reads_gone.wait_until(*lock, give_up);
      continue;
    }
    site->waiting_for_reads = true;
    lock->unlock();
    pins_->WaitForOlderReads(site->name, left);
    lock->lock();
    site->waiting_for_reads = false;
    site->reads_to_wait_for = false;
    site->reads_gone.notify_all();
  }
}

std::vector<std::pair<std::string, uint64_t>> WriteBackend::CommitCounts() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::pair<std::string, uint64_t>> counts;
  for (const auto& [name, site] : sites_) counts.emplace_back(name, site->commits.load(std::memory_order_relaxed));
  return counts;
}

absl::Status WriteBackend::Upsert(const std::string& site_name, const v1::Article& article,
                                  index::SiteWriter::UpsertOutcome* outcome) {
  absl::StatusOr<Site*> site = ExistingSite(site_name);
  if (site.ok() && *site == nullptr) {
    // A new site: created by an article that will be kept, not a rejected one.
    CHAJA_RETURN_IF_ERROR(index::ValidateArticle(article));
    site = GetSite(site_name);
  }
  if (!site.ok()) return site.status();
  std::unique_lock<std::mutex> lock((*site)->mu);
  WaitForOlderReads(*site, &lock);
  const size_t before = (*site)->writer->pending();
  CHAJA_RETURN_IF_ERROR((*site)->writer->Upsert(article, outcome));
  if (before == 0 && (*site)->writer->pending() > 0) (*site)->first_pending = std::chrono::steady_clock::now();
  if ((*site)->writer->pending() >= kBatchSize) return CommitLocked(*site);
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> WriteBackend::Commit(const std::string& site_name) {
  absl::StatusOr<Site*> site = ExistingSite(site_name);
  if (!site.ok()) return site.status();
  if (*site == nullptr) return 0;  // nothing was kept: the site was not created
  std::unique_lock<std::mutex> lock((*site)->mu);
  // The changes of this stream are in the writer already: any commit from
  // now on holds them, whoever makes it.
  const uint64_t arrived = (*site)->generation;
  (*site)->committed.wait_until(lock, (*site)->last_commit + kMinCommitInterval,
                                [&] { return (*site)->generation != arrived; });
  if ((*site)->generation == arrived) {
    CHAJA_RETURN_IF_ERROR(CommitLocked(*site));
  } else {
    CHAJA_RETURN_IF_ERROR((*site)->last_status);
  }
  return (*site)->writer->doc_count();
}

absl::StatusOr<v1::DeleteResponse> WriteBackend::Delete(const v1::DeleteRequest& request) {
  absl::StatusOr<Site*> site = ExistingSite(request.site());
  if (!site.ok()) return site.status();
  v1::DeleteResponse response;
  if (*site == nullptr) {  // no such site: nothing to delete, and none is created
    for (const std::string& id : request.ids()) response.add_not_found(id);
    return response;
  }
  std::unique_lock<std::mutex> lock((*site)->mu);
  WaitForOlderReads(*site, &lock);
  for (const std::string& id : request.ids()) {
    const absl::Status s = (*site)->writer->Delete(id);
    if (s.code() == absl::StatusCode::kNotFound) {
      response.add_not_found(id);
      continue;
    }
    CHAJA_RETURN_IF_ERROR(s);
    response.set_deleted(response.deleted() + 1);
  }
  CHAJA_RETURN_IF_ERROR(CommitLocked(*site));
  return response;
}

absl::Status WriteBackend::CommitAll() {
  std::vector<Site*> sites;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [name, site] : sites_) sites.push_back(site.get());
  }
  absl::Status result;
  for (Site* site : sites) {
    std::lock_guard<std::mutex> lock(site->mu);
    result.Update(CommitLocked(site));
  }
  return result;
}

void WriteBackend::FlushLoop() {
  std::unique_lock<std::mutex> lock(flusher_mu_);
  while (!stopping_) {
    flusher_cv_.wait_for(lock, std::chrono::milliseconds(100));
    if (stopping_) break;
    std::vector<Site*> sites;
    {
      std::lock_guard<std::mutex> sites_lock(mu_);
      for (auto& [name, site] : sites_) sites.push_back(site.get());
    }
    const auto now = std::chrono::steady_clock::now();
    for (Site* site : sites) {
      std::unique_lock<std::mutex> site_lock(site->mu, std::try_to_lock);
      if (!site_lock.owns_lock()) continue;  // a stream is writing; it commits itself
      if (site->writer->pending() > 0 && now - site->first_pending >= kMaxCommitDelay) {
        if (absl::Status s = CommitLocked(site); !s.ok()) {
          std::fprintf(stderr, "chaja-searchd: commit failed: %s\n", std::string(s.message()).c_str());
        }
      }
    }
  }
}

}  // namespace chaja::searchd
