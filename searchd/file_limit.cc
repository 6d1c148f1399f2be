#include "searchd/file_limit.h"

#include <sys/resource.h>

#include <filesystem>
#include <fstream>
#include <system_error>

#include "absl/strings/str_cat.h"

namespace chaja::searchd {
namespace {

uint64_t Limit(rlim_t value) {
  return value == RLIM_INFINITY ? UINT64_MAX : static_cast<uint64_t>(value);
}

// The kernel's ceiling for any process's open files.
rlim_t KernelMaxOpen() {
  std::ifstream file("/proc/sys/fs/nr_open");
  uint64_t max = 0;
  return file >> max ? static_cast<rlim_t>(max) : RLIM_INFINITY;
}

}  // namespace

FileLimits RaiseFileLimit() {
  FileLimits limits;
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return limits;
  limits.soft_before = limits.soft = Limit(rl.rlim_cur);
  limits.hard = Limit(rl.rlim_max);
  rlim_t wanted = rl.rlim_max;
  if (wanted == RLIM_INFINITY) wanted = KernelMaxOpen();
  if (wanted != rl.rlim_cur) {
    rl.rlim_cur = wanted;
    if (setrlimit(RLIMIT_NOFILE, &rl) == 0) limits.soft = Limit(wanted);
  }
  return limits;
}

std::string DescribeFileLimits(const FileLimits& limits) {
  if (limits.soft == limits.soft_before) {
    return absl::StrCat("open files: soft limit ", limits.soft, " (hard ", limits.hard, ")");
  }
  return absl::StrCat("open files: soft limit ", limits.soft_before, " raised to ", limits.soft, " (hard ",
                      limits.hard, ")");
}

uint64_t FileLimit() {
  rlimit rl{};
  return getrlimit(RLIMIT_NOFILE, &rl) == 0 ? Limit(rl.rlim_cur) : 0;
}

uint64_t OpenFileCount() {
  std::error_code ec;
  uint64_t count = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++count;
  }
  return count > 0 ? count - 1 : 0;  // not the iterator's own descriptor
}

}  // namespace chaja::searchd
