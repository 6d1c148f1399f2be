#include "searchd/revision_pins.h"

#include <utility>

namespace chaja::searchd {

RevisionPins::Pin::Pin(Pin&& other) noexcept
    : pins_(std::exchange(other.pins_, nullptr)), site_(std::move(other.site_)), entry_(other.entry_) {}

RevisionPins::Pin& RevisionPins::Pin::operator=(Pin&& other) noexcept {
  if (this != &other) {
    Release();
    pins_ = std::exchange(other.pins_, nullptr);
    site_ = std::move(other.site_);
    entry_ = other.entry_;
  }
  return *this;
}

void RevisionPins::Pin::Renew() {
  if (pins_ == nullptr) return;
  RevisionPins* pins = pins_;
  std::string site = site_;
  Release();
  *this = pins->PinNewest(site);
}

void RevisionPins::Pin::Release() {
  if (pins_ == nullptr) return;
  {
    std::lock_guard<std::mutex> lock(pins_->mu_);
    pins_->SiteLocked(site_).in_use.erase(entry_);
  }
  pins_->released_.notify_all();
  pins_ = nullptr;
}

RevisionPins::Pin RevisionPins::PinNewest(const std::string& site) {
  Pin pin;
  std::lock_guard<std::mutex> lock(mu_);
  SitePins& pins = SiteLocked(site);
  pin.entry_ = pins.in_use.insert(pins.newest);
  pin.pins_ = this;
  pin.site_ = site;
  return pin;
}

void RevisionPins::Committed(const std::string& site, uint64_t revision) {
  std::lock_guard<std::mutex> lock(mu_);
  SitePins& pins = SiteLocked(site);
  if (revision > pins.newest) pins.newest = revision;
}

bool RevisionPins::WaitForOlderReads(const std::string& site, std::chrono::milliseconds max_wait) {
  std::unique_lock<std::mutex> lock(mu_);
  SitePins& pins = SiteLocked(site);  // std::map: stays valid while others are added
  const auto no_older_reads = [&] { return pins.in_use.empty() || *pins.in_use.begin() >= pins.newest; };
  if (no_older_reads()) return true;
  ++pins.waiting;
  const bool gone = released_.wait_for(lock, max_wait, no_older_reads);
  --pins.waiting;
  return gone;
}

size_t RevisionPins::WaitingChanges(const std::string& site) {
  std::lock_guard<std::mutex> lock(mu_);
  return SiteLocked(site).waiting;
}

size_t RevisionPins::PinnedReads(const std::string& site) {
  std::lock_guard<std::mutex> lock(mu_);
  return SiteLocked(site).in_use.size();
}

}  // namespace chaja::searchd
