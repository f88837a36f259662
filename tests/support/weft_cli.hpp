#pragma once
// The `weft` binary under test (WEFT_BIN, set by meson) and running it to completion, for
// the black-box CLI tests.

#include "run_process.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <map>
#include <string>
#include <vector>

namespace weft::test {

inline std::string weft_binary() {
  const char* path = std::getenv("WEFT_BIN");
  REQUIRE_MESSAGE(path != nullptr, "WEFT_BIN must point at the weft binary");
  return path;
}

inline ProcessResult run_weft(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {}) {
  return run_process(weft_binary(), args, {}, env);
}

}  // namespace weft::test
