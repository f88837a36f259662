#pragma once
// Small helpers shared by the tests.

#include <weft/bytes.hpp>

#include <initializer_list>
#include <string>
#include <string_view>

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

}  // namespace weft::test
