#include "search/deadline.h"

namespace chaja::search {

absl::Status Deadline::Check() const {
  if (client_gone_ && client_gone_()) return absl::CancelledError("the request was cancelled");
  if (at_ != absl::InfiniteFuture() && absl::Now() >= at_) {
    return absl::DeadlineExceededError("the request ran out of time; try fewer words, filters or facets");
  }
  return absl::OkStatus();
}

void DeadlineTicker::Throw() const {
  if (deadline_ == nullptr) return;
  absl::Status status = deadline_->Check();
  if (!status.ok()) throw WorkStopped(std::move(status));
}

bool DeadlineDecider::operator()(const Xapian::Document& doc) const {
  ticker_.Tick();
  return next_ == nullptr || (*next_)(doc);
}

}  // namespace chaja::search
