#include "searchd/http_connection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace chaja::searchd {
namespace {

// Bytes per recv(); a request line and its headers usually fit in one.
constexpr size_t kReadChunk = 4096;

// poll() for `events` up to `wait`, retrying when a signal interrupts it.
bool PollFor(int fd, short events, std::chrono::milliseconds wait) {
  pollfd pfd{fd, events, 0};
  const auto end = std::chrono::steady_clock::now() + wait;
  for (;;) {
    // Rounded up, so that a wait until a deadline never ends before it.
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
    const int ready = ::poll(&pfd, 1, static_cast<int>(std::max<int64_t>(0, left.count())));
    if (ready >= 0 || errno != EINTR) return ready > 0;
  }
}

void IpAndPort(const sockaddr_storage& addr, std::string* ip, int* port) {
  char text[INET6_ADDRSTRLEN] = "";
  if (addr.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(addr);
    inet_ntop(AF_INET, &v4.sin_addr, text, sizeof(text));
    *port = ntohs(v4.sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(addr);
    inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof(text));
    *port = ntohs(v6.sin6_port);
  } else {
    *port = 0;
  }
  *ip = text;
}

}  // namespace

DeadlineStream::DeadlineStream(int fd, std::chrono::milliseconds io_timeout) : fd_(fd), io_timeout_(io_timeout) {}

void DeadlineStream::set_deadline(Clock::time_point deadline) {
  deadline_ = deadline;
  timed_out_ = false;
}

bool DeadlineStream::ReadableWithin(std::chrono::milliseconds wait) const {
  return buffer_pos_ < buffer_.size() || PollFor(fd_, POLLIN, wait);
}

bool DeadlineStream::WaitReadable() {
  // Past the deadline, bytes that have arrived are still read (a whole
  // request that waited for a free thread is served); only waiting stops.
  const auto to_deadline = std::chrono::ceil<std::chrono::milliseconds>(deadline_ - Clock::now());
  const auto wait = std::max(std::chrono::milliseconds(0), std::min(io_timeout_, to_deadline));
  if (PollFor(fd_, POLLIN, wait)) return true;
  timed_out_ = Clock::now() >= deadline_;
  return false;
}

bool DeadlineStream::is_readable() const {
  if (buffer_pos_ < buffer_.size()) return true;
  const auto to_deadline = std::chrono::ceil<std::chrono::milliseconds>(deadline_ - Clock::now());
  return PollFor(fd_, POLLIN, std::max(std::chrono::milliseconds(0), std::min(io_timeout_, to_deadline)));
}

bool DeadlineStream::is_writable() const { return PollFor(fd_, POLLOUT, io_timeout_); }

ssize_t DeadlineStream::TakeBuffered(char* ptr, size_t size) {
  const size_t n = std::min(size, buffer_.size() - buffer_pos_);
  std::memcpy(ptr, buffer_.data() + buffer_pos_, n);
  buffer_pos_ += n;
  return static_cast<ssize_t>(n);
}

ssize_t DeadlineStream::read(char* ptr, size_t size) {
  if (buffer_pos_ < buffer_.size()) return TakeBuffered(ptr, size);
  if (!WaitReadable()) return -1;
  buffer_.resize(kReadChunk);
  ssize_t n;
  do {
    n = ::recv(fd_, buffer_.data(), buffer_.size(), 0);
  } while (n < 0 && errno == EINTR);
  buffer_.resize(n > 0 ? static_cast<size_t>(n) : 0);
  buffer_pos_ = 0;
  return n > 0 ? TakeBuffered(ptr, size) : n;
}

ssize_t DeadlineStream::write(const char* ptr, size_t size) {
  if (!is_writable()) return -1;
  ssize_t n;
  do {
    // MSG_NOSIGNAL: a client that hung up must not raise SIGPIPE.
    n = ::send(fd_, ptr, size, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  return n;
}

void DeadlineStream::get_remote_ip_and_port(std::string& ip, int& port) const { PeerAddress(fd_, &ip, &port); }

void DeadlineStream::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) addr.ss_family = AF_UNSPEC;
  IpAndPort(addr, &ip, &port);
}

void PeerAddress(int fd, std::string* ip, int* port) {
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) addr.ss_family = AF_UNSPEC;
  IpAndPort(addr, ip, port);
}

bool PeerClosed(int fd) {
  pollfd pfd{fd, POLLRDHUP, 0};
  return ::poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

bool ConnectionLimiter::TryAcquire(const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  int& open = open_[address];
  if (open >= max_per_address_) return false;
  ++open;
  return true;
}

void ConnectionLimiter::Release(const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = open_.find(address);
  if (it != open_.end() && --it->second <= 0) open_.erase(it);
}

}  // namespace chaja::searchd
