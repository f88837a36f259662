#pragma once
// Small helpers shared by the tests.

#include <weft/bytes.hpp>
#include <weft/error.hpp>

#include <cstdlib>
#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>
#include <system_error>

namespace weft::test {

/// Bytes from a literal list: bytes({0x80, 0x01}).
inline Bytes bytes(std::initializer_list<int> values) {
  Bytes out;
  for (int v : values) out.push_back(static_cast<std::uint8_t>(v));
  return out;
}

/// Bytes of a string's characters.
inline Bytes bytes_of(std::string_view s) { return Bytes(s.begin(), s.end()); }

/// Calls `fn(first, second)` for every split of `input` into two parts, including the
/// empty first and empty second part: what an incremental parser sees when the input
/// arrives in two reads at every possible boundary.
template <class Fn>
void for_each_split(ByteView input, Fn&& fn) {
  for (std::size_t cut = 0; cut <= input.size(); ++cut) fn(input.first(cut), input.subspan(cut));
}

/// Bytes from hex text. Test inputs are literals: invalid hex is a bug in the test and aborts.
inline Bytes hex(std::string_view text) {
  auto nibble = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') return (c | 0x20) - 'a' + 10;
    std::abort();
  };
  if (text.size() % 2 != 0) std::abort();
  Bytes out;
  for (std::size_t i = 0; i < text.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(nibble(text[i]) << 4 | nibble(text[i + 1])));
  }
  return out;
}

/// Lower-case hex of `b`, written here rather than with the hex codec under test, so
/// CHECKs on bytes print readably and do not trust the code they check.
inline std::string to_hex(ByteView b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::uint8_t v : b) {
    out.push_back(kDigits[v >> 4]);
    out.push_back(kDigits[v & 0x0F]);
  }
  return out;
}

/// What a Result holds, reduced to its error code (value-initialized when it holds a
/// value), so a test can CHECK the failure without calling error() on a success (which
/// terminates) and doctest prints "ok" or "weft:3 (message: detail)".
struct Outcome {
  bool failed = false;
  std::error_code code;  ///< meaningful only when failed
  std::string text;      ///< Error::message() when failed

  bool ok() const noexcept { return !failed; }
  friend bool operator==(const Outcome& o, Errc e) noexcept { return o.failed && o.code == make_error_code(e); }
  friend std::ostream& operator<<(std::ostream& os, const Outcome& o) {
    if (o.ok()) return os << "ok";
    return os << o.code.category().name() << ':' << o.code.value() << " (" << o.text << ')';
  }
};

/// CHECK(outcome_of(decode(x)) == Errc::some_error).
template <class R>
Outcome outcome_of(const R& result) {
  if (result.has_value()) return {};
  return {true, result.error().code(), result.error().message()};
}

/// The detail of a failed Result, or "<no error>" if it holds a value.
template <class R>
std::string detail_of(const R& result) {
  if (result.has_value()) return "<no error>";
  return result.error().detail();
}

}  // namespace weft::test
