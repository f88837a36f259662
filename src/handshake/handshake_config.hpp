#pragma once
// Settings of the handshake, each with its default (docs/handshake.md, "Limits").

#include "util/crypto.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace weft::handshake {

/// The handshake versions this build speaks (docs/handshake.md, "Versions"). Both run the
/// same four phases; they differ in the secure channel's AEAD after them.
/// Version 1: ChaCha20-Poly1305 channel frames.
inline constexpr std::uint32_t kHandshakeVersion1 = 1;
/// Version 2: AES-256-GCM channel frames (about 3x cheaper per small frame with AES-NI).
/// A host whose CPU cannot run AES-256-GCM never offers or accepts it (runnable_versions).
inline constexpr std::uint32_t kHandshakeVersion2 = 2;

/// The channel's AEAD after a handshake that chose `version`.
inline util::AeadCipher channel_cipher(std::uint32_t version) noexcept {
  return version == kHandshakeVersion2 ? util::AeadCipher::aes256_gcm : util::AeadCipher::chacha20_poly1305;
}

/// `versions` without those this host cannot run: version 2 without AES-256-GCM. The
/// drivers offer and accept only these, so a chosen version always runs here.
inline std::vector<std::uint32_t> runnable_versions(std::vector<std::uint32_t> versions) {
  if (!util::aes256_gcm_available()) std::erase(versions, kHandshakeVersion2);
  return versions;
}

struct HandshakeConfig {
  /// Versions we speak; the responder picks the highest version both speak.
  std::vector<std::uint32_t> versions{kHandshakeVersion2, kHandshakeVersion1};
  /// A peer's timestamp may differ from our clock by at most this much (inclusive).
  std::uint64_t max_clock_skew_ms = 300'000;
  /// Upper bound on the early data an initiator may send in phase 3.
  std::size_t max_early_data_bytes = 4096;
  /// The driver's deadline for all four phases.
  std::uint64_t handshake_timeout_ms = 10'000;
};

}  // namespace weft::handshake
