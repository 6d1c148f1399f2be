// CountingPool: a fixed set of threads that count a search's facets (the
// match bitmap of its plan, counted in the column snapshot) while the
// request's own thread ranks it. On an idle 2-core machine that overlap cut
// the median facet search on 712k posts by about a sixth (bench/README.md,
// issue 11). A count runs on the caller's thread instead when no pool thread
// is idle, so a loaded server never queues behind the pool and no thread is
// started per request.
//
// Thread-safe.
#ifndef CHAJA_SEARCH_COUNTING_POOL_H_
#define CHAJA_SEARCH_COUNTING_POOL_H_

#include <condition_variable>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace chaja::search {

class CountingPool {
 public:
  explicit CountingPool(int threads);
  // Finishes the running counts and joins the threads.
  ~CountingPool();
  CountingPool(const CountingPool&) = delete;
  CountingPool& operator=(const CountingPool&) = delete;

  // Starts `count` on an idle pool thread and returns its completion, or
  // nullopt (nothing started) when every pool thread is busy.
  std::optional<std::future<void>> TryStart(std::function<void()> count);

 private:
  void Work();

  std::mutex mu_;
  std::condition_variable wake_;
  std::vector<std::packaged_task<void()>> tasks_;
  int idle_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace chaja::search

#endif  // CHAJA_SEARCH_COUNTING_POOL_H_
