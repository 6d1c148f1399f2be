#include "search/counting_pool.h"

namespace chaja::search {

CountingPool::CountingPool(int threads) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Work(); });
}

CountingPool::~CountingPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& thread : threads_) thread.join();
}

std::optional<std::future<void>> CountingPool::TryStart(std::function<void()> count) {
  std::packaged_task<void()> task(std::move(count));
  std::future<void> done = task.get_future();
  {
    std::lock_guard<std::mutex> lock(mu_);
    // A task already waiting will take the idle thread.
    if (stopping_ || idle_ <= static_cast<int>(tasks_.size())) return std::nullopt;
    tasks_.push_back(std::move(task));
  }
  wake_.notify_one();
  return done;
}

void CountingPool::Work() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    ++idle_;
    wake_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
    --idle_;
    if (tasks_.empty()) return;  // stopping, nothing left to run
    std::packaged_task<void()> task = std::move(tasks_.back());
    tasks_.pop_back();
    lock.unlock();
    task();
    lock.lock();
  }
}

}  // namespace chaja::search
