// Tests for src/util/source_location.hpp: current() names the caller when it is a default
// argument, and the place of the call when called directly.
#include "util/source_location.hpp"

#include <doctest/doctest.h>

#include <string_view>

namespace weft::util {
namespace {

SourceLocation where_called(SourceLocation where = SourceLocation::current()) { return where; }

TEST_CASE("as a default argument, current() is the caller's location") {
  const std::uint32_t line = __LINE__ + 1;
  const SourceLocation loc = where_called();
  CHECK(loc.line() == line);
  CHECK(std::string_view(loc.file_name()).ends_with("source_location_test.cpp"));
  CHECK(std::string_view(loc.function_name()).find("DOCTEST_ANON_FUNC") != std::string_view::npos);
}

TEST_CASE("called directly, current() is where it is called") {
  const SourceLocation a = SourceLocation::current();
  const SourceLocation b = SourceLocation::current();
  CHECK(b.line() == a.line() + 1);
}

TEST_CASE("a default-constructed location is unknown") {
  constexpr SourceLocation unknown;
  CHECK(unknown.line() == 0);
  CHECK(std::string_view(unknown.file_name()).empty());
  CHECK(std::string_view(unknown.function_name()).empty());
}

}  // namespace
}  // namespace weft::util
