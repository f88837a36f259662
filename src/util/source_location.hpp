#pragma once
// Where in the source a call was made, captured as a default argument:
//
//   void acquire(..., util::SourceLocation where = util::SourceLocation::current());
//
// The interface is std::source_location's, but std::source_location cannot be used here:
// clang 14 with libstdc++ 12 has no <source_location> support (it lacks the
// __builtin_source_location that header needs), and Boost 1.74's boost::source_location has
// no current(). The __builtin_FILE / __builtin_LINE / __builtin_FUNCTION used below are
// evaluated at the call site when they appear in default arguments, in g++ and clang alike.

#include <cstdint>

namespace weft::util {

class SourceLocation {
 public:
  /// The caller's location when used as a default argument; this line when called directly
  /// with no arguments in a function body.
  static constexpr SourceLocation current(const char* file = __builtin_FILE(), std::uint32_t line = __builtin_LINE(),
                                          const char* function = __builtin_FUNCTION()) noexcept {
    return SourceLocation(file, line, function);
  }

  /// An unknown location: file and function "", line 0.
  constexpr SourceLocation() noexcept = default;

  constexpr const char* file_name() const noexcept { return file_; }
  constexpr std::uint32_t line() const noexcept { return line_; }
  constexpr const char* function_name() const noexcept { return function_; }

 private:
  constexpr SourceLocation(const char* file, std::uint32_t line, const char* function) noexcept
      : file_(file), line_(line), function_(function) {}

  const char* file_ = "";  ///< static storage: always valid
  std::uint32_t line_ = 0;
  const char* function_ = "";
};

}  // namespace weft::util
