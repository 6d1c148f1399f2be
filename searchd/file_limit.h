// The process's open-file limit (RLIMIT_NOFILE) and use: searchd raises its
// soft limit to the hard one at start and sizes its reader budget from it
// (site_registry.h), and /metrics shows both.
#ifndef CHAJA_SEARCHD_FILE_LIMIT_H_
#define CHAJA_SEARCHD_FILE_LIMIT_H_

#include <cstdint>
#include <string>

namespace chaja::searchd {

struct FileLimits {
  uint64_t soft_before = 0;  // the soft limit searchd was started with
  uint64_t soft = 0;         // the soft limit now
  uint64_t hard = 0;
};

// Raises the soft limit to the hard one. A service manager's usual soft limit
// (1,024) is far below its hard one (systemd: 524,288), and each open site
// costs descriptors; the 1,024 exists only for programs that select(2),
// which searchd does not. An unlimited hard limit is capped at
// /proc/sys/fs/nr_open, which setrlimit cannot exceed.
FileLimits RaiseFileLimit();
// One line for the log: "open files: soft limit 1024 raised to 524288 (hard 524288)".
std::string DescribeFileLimits(const FileLimits& limits);
// The soft limit now (0 if unreadable).
uint64_t FileLimit();
// Descriptors the process holds open now (entries of /proc/self/fd).
uint64_t OpenFileCount();

}  // namespace chaja::searchd

#endif  // CHAJA_SEARCHD_FILE_LIMIT_H_
