// Tests of the read side as a whole, written below.
#include <gtest/gtest.h>
