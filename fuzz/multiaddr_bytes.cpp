// libFuzzer target: Multiaddr::from_bytes, as a peer's binary address reaches weft.
// Invariants: accepted bytes re-encode to themselves, their canonical text parses back to
// the same bytes, and the helpers never crash on them.
#include <weft/multiaddr.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto parsed = weft::Multiaddr::from_bytes(weft::ByteView(data, size));
  if (!parsed) return 0;
  const weft::Multiaddr& addr = parsed.value();
  if (!std::equal(addr.bytes().begin(), addr.bytes().end(), data, data + size)) __builtin_trap();
  auto again = weft::Multiaddr::parse(addr.to_string());
  if (!again || again.value().bytes() != addr.bytes()) __builtin_trap();
  if (!addr.decapsulate(addr).empty()) __builtin_trap();
  for (const auto& component : addr.components()) (void)component.value_text();
  (void)addr.peer_id();
  (void)addr.to_tcp_endpoint();
  return 0;
}
