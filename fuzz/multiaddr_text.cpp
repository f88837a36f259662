// libFuzzer target: Multiaddr::parse, as a configured or user-typed address reaches weft.
// Invariants: accepted text has a canonical form that parses to the same bytes and prints
// itself again, and the bytes are accepted by from_bytes.
#include <weft/multiaddr.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto parsed = weft::Multiaddr::parse(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!parsed) return 0;
  const std::string canonical = parsed.value().to_string();
  auto again = weft::Multiaddr::parse(canonical);
  if (!again || again.value().bytes() != parsed.value().bytes()) __builtin_trap();
  if (again.value().to_string() != canonical) __builtin_trap();
  if (!weft::Multiaddr::from_bytes(parsed.value().bytes())) __builtin_trap();
  return 0;
}
