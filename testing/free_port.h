// chaja::testing::FreeLoopbackPort(): a TCP port on 127.0.0.1 that was free a
// moment ago, for a server started as a child process, which must be told its
// address before it runs. Another process may take the port in between, so an
// in-process server should listen on port 0 instead (testing/searchd.h does).
//
// Part of chaja_testing (testing/CMakeLists.txt); needs nothing from Chaja.
#ifndef CHAJA_TESTING_FREE_PORT_H_
#define CHAJA_TESTING_FREE_PORT_H_

namespace chaja::testing {

// Binds 127.0.0.1:0, reads the port the kernel chose and releases it.
// Throws std::system_error if no socket can be bound.
int FreeLoopbackPort();

}  // namespace chaja::testing

#endif  // CHAJA_TESTING_FREE_PORT_H_
