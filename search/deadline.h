// Deadline: when a request's work must stop. A request runs until its time
// limit (DEADLINE_EXCEEDED) or until its client goes away (CANCELLED: the
// gRPC call was cancelled, the HTTP client closed its connection, or searchd
// is shutting down). Long loops check it as they go, inside Xapian's match
// too (DeadlineDecider), so the work itself stops, not only the answer.
//
// A Deadline is shared by the threads of one request (the counting pool):
// Check() is thread-safe as long as `client_gone` is. A DeadlineTicker is
// one loop's and reads the clock only every so many steps.
#ifndef CHAJA_SEARCH_DEADLINE_H_
#define CHAJA_SEARCH_DEADLINE_H_

#include <cstdint>
#include <exception>
#include <functional>
#include <utility>

#include <xapian.h>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace chaja::search {

class Deadline {
 public:
  // Never expires, never cancelled (tools, tests).
  Deadline() = default;
  explicit Deadline(absl::Time at, std::function<bool()> client_gone = nullptr)
      : at_(at), client_gone_(std::move(client_gone)) {}

  absl::Time at() const { return at_; }
  // OK while the work may go on; else DEADLINE_EXCEEDED or CANCELLED.
  absl::Status Check() const;

 private:
  absl::Time at_ = absl::InfiniteFuture();
  std::function<bool()> client_gone_;
};

// Thrown out of a loop, or out of Xapian's match through a decider, when the
// deadline has passed; SiteReader turns it back into its status at its
// boundary, so no caller outside search/ sees it.
class WorkStopped : public std::exception {
 public:
  explicit WorkStopped(absl::Status status) : status_(std::move(status)) {}
  const char* what() const noexcept override { return "request stopped"; }
  const absl::Status& status() const { return status_; }

 private:
  absl::Status status_;
};

// Checks a deadline every `stride`-th Tick(): a clock read costs about as
// much as scoring a posting, so a loop of cheap steps must not read it each
// time. Throws WorkStopped once the deadline has passed.
class DeadlineTicker {
 public:
  explicit DeadlineTicker(const Deadline* deadline, uint32_t stride = 256)
      : deadline_(deadline), stride_(stride), left_(1) {}
  void Tick() {
    if (--left_ != 0) return;
    left_ = stride_;
    Throw();
  }
  // Checks now; throws WorkStopped once the deadline has passed.
  void Throw() const;

 private:
  const Deadline* deadline_;
  const uint32_t stride_;
  uint32_t left_;
};

// A Xapian match decider that keeps every post, checking the deadline as the
// matcher goes (every candidate the matcher weighs passes a decider), and
// then asks `next` (the phrase check) if there is one. A phrase check reads
// the post, so with one the clock is read for every candidate.
class DeadlineDecider : public Xapian::MatchDecider {
 public:
  DeadlineDecider(const Deadline* deadline, const Xapian::MatchDecider* next)
      : ticker_(deadline, next == nullptr ? 64 : 1), next_(next) {}
  bool operator()(const Xapian::Document& doc) const override;

 private:
  mutable DeadlineTicker ticker_;
  const Xapian::MatchDecider* next_;
};

}  // namespace chaja::search

#endif  // CHAJA_SEARCH_DEADLINE_H_
