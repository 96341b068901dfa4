// What the PostgreSQL integration tests share: the server's address from $TRIBUTARY_TEST_PG
// (host:port; tests/env/postgres.sh starts it, tests/run.sh exports it) and the check that fails a
// test, rather than skipping it, when it is not set.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace tributary::testing {

inline std::string pg_address() {
  const char* a = std::getenv("TRIBUTARY_TEST_PG");
  return a ? a : "";
}

}  // namespace tributary::testing

#define REQUIRE_PG()                                                                    \
  do {                                                                                  \
    if (::tributary::testing::pg_address().empty())                                     \
      FAIL() << "TRIBUTARY_TEST_PG is not set: run through tests/run.sh, which starts " \
                "PostgreSQL";                                                           \
  } while (0)
