// Guards for cpp-httplib's connections against slow and greedy clients
// (issue 14): DeadlineStream reads a request only until a deadline, and
// ConnectionLimiter caps the connections open per client address.
// HttpServer (http_server.h) serves every connection through both.
//
// cpp-httplib's own read timeout is per recv(): a client that sends one byte
// every few seconds keeps a connection, and with it a pool thread, forever.
//
// Thread-safety: a DeadlineStream belongs to one connection's thread;
// ConnectionLimiter may be used from any number of threads at once.
#ifndef CHAJA_SEARCHD_HTTP_CONNECTION_H_
#define CHAJA_SEARCHD_HTTP_CONNECTION_H_

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

#include <httplib.h>

namespace chaja::searchd {

// A connected socket as an httplib::Stream. Every wait for bytes ends at the
// deadline (or after `io_timeout` without progress, whichever comes first),
// and past the deadline only bytes already received are read;
// writes only have `io_timeout` per send. Bytes read past the current request
// (a pipelined next one) stay buffered for the next request.
class DeadlineStream : public httplib::Stream {
 public:
  using Clock = std::chrono::steady_clock;

  DeadlineStream(int fd, std::chrono::milliseconds io_timeout);

  // Reads that would wait past `deadline` fail, and timed_out() turns true.
  void set_deadline(Clock::time_point deadline);
  // A read failed because the deadline had passed.
  bool timed_out() const { return timed_out_; }
  // Bytes are buffered or arrive within `wait` (ignores the deadline: the
  // idle time between keep-alive requests is not part of a request).
  bool ReadableWithin(std::chrono::milliseconds wait) const;

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  int socket() const override { return fd_; }

 private:
  // Waits for bytes until the deadline or io_timeout; sets timed_out_.
  bool WaitReadable();
  ssize_t TakeBuffered(char* ptr, size_t size);

  const int fd_;
  const std::chrono::milliseconds io_timeout_;
  Clock::time_point deadline_ = Clock::time_point::max();
  bool timed_out_ = false;
  std::string buffer_;
  size_t buffer_pos_ = 0;
};

// The peer's address ("127.0.0.1", "::1") and port of a connected socket;
// "" and 0 if the socket has none.
void PeerAddress(int fd, std::string* ip, int* port);

// True once the peer of a connected socket has closed it (or the connection
// failed), so an answer would not be read. Does not wait. A client that only
// shuts down its sending side counts as gone: HTTP clients do not do that.
bool PeerClosed(int fd);

// Counts open connections per client address.
class ConnectionLimiter {
 public:
  explicit ConnectionLimiter(int max_per_address) : max_per_address_(max_per_address) {}

  // Counts one more connection from `address` and returns true, or returns
  // false (and counts nothing) when `address` has the maximum open already.
  bool TryAcquire(const std::string& address);
  // Ends a connection that TryAcquire counted.
  void Release(const std::string& address);

 private:
  const int max_per_address_;
  std::mutex mu_;
  std::unordered_map<std::string, int> open_;  // only addresses with open connections
};

}  // namespace chaja::searchd

#endif  // CHAJA_SEARCHD_HTTP_CONNECTION_H_
