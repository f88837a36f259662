#pragma once
// WEFT_ASSERT(condition, message): an invariant of weft's own code. A violation is a bug,
// never the fault of input: it prints where and why, then aborts (in every build type).

#include <cstdio>
#include <cstdlib>

#define WEFT_ASSERT(condition, message)                                                        \
  do {                                                                                        \
    if (!(condition)) {                                                                       \
      std::fprintf(stderr, "%s:%d: weft invariant violated: %s (%s)\n", __FILE__, __LINE__,   \
                   (message), #condition);                                                    \
      std::abort();                                                                           \
    }                                                                                         \
  } while (false)
