// What the fuzz targets share: a failed invariant aborts with a message, so
// libFuzzer records the input as a crash (assert() vanishes under NDEBUG).
#ifndef CHAJA_FUZZ_FUZZ_UTIL_H_
#define CHAJA_FUZZ_FUZZ_UTIL_H_

#include <cstdio>
#include <cstdlib>

#define CHAJA_FUZZ_CHECK(cond)                                                     \
  do {                                                                             \
    if (!(cond)) {                                                                 \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                \
    }                                                                              \
  } while (0)

#endif  // CHAJA_FUZZ_FUZZ_UTIL_H_
