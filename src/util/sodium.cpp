#include "util/sodium.hpp"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace weft::util {

void ensure_sodium() {
  static const bool ready = [] {
    if (sodium_init() < 0) {
      std::fputs("weft: libsodium failed to initialise\n", stderr);
      std::abort();
    }
    return true;
  }();
  (void)ready;
}

}  // namespace weft::util
