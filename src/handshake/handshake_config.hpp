#pragma once
// Settings of the handshake, each with its default (docs/handshake.md, "Limits").

#include <cstddef>
#include <cstdint>
#include <vector>

namespace weft::handshake {

/// The handshake versions this build speaks.
inline constexpr std::uint32_t kHandshakeVersion1 = 1;

struct HandshakeConfig {
  /// Versions we speak; the responder picks the highest version both speak.
  std::vector<std::uint32_t> versions{kHandshakeVersion1};
  /// A peer's timestamp may differ from our clock by at most this much (inclusive).
  std::uint64_t max_clock_skew_ms = 300'000;
  /// Upper bound on the early data an initiator may send in phase 3.
  std::size_t max_early_data_bytes = 4096;
  /// The driver's deadline for all four phases.
  std::uint64_t handshake_timeout_ms = 10'000;
};

}  // namespace weft::handshake
