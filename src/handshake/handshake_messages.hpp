#pragma once
// The handshake's protobuf messages (protocol/handshake.proto) as plain structs, with one
// parser per message that checks every field's size, and the matching serializers. The
// parsers take untrusted bytes and never touch keys, so each can be fuzzed on its own.
// Error for anything that does not parse or has a field of the wrong size:
// handshake_malformed (parse_hello also: handshake_bad_magic).

#include <weft/bytes.hpp>
#include <weft/error.hpp>
#include <weft/keys.hpp>

#include "handshake/handshake_machine.hpp"
#include "handshake/replay_cache.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace weft::handshake {

inline constexpr std::uint32_t kHelloMagic = 0x77656674;  // "weft"
inline constexpr std::size_t kMaxVersions = 16;
inline constexpr std::size_t kX25519KeyBytes = 32;
inline constexpr std::size_t kNonceBytes = 32;
/// Largest identity key encoding accepted before it is validated (Ed25519 takes 36).
inline constexpr std::size_t kMaxIdentityKeyBytes = 64;
/// Longest protocol id accepted in early data.
inline constexpr std::size_t kMaxProtocolIdBytes = 256;
/// Finished carries a sealed 32-byte MAC.
inline constexpr std::size_t kFinishedSealedBytes = 32 + 16;

using X25519Key = std::array<std::uint8_t, kX25519KeyBytes>;

struct HelloMessage {
  std::vector<std::uint32_t> versions;  ///< 1..kMaxVersions entries
  X25519Key ephemeral_key{};
  Nonce nonce{};
  std::uint64_t timestamp_ms = 0;
};

struct AcceptMessage {
  std::uint32_t version = 0;
  X25519Key ephemeral_key{};
  Nonce nonce{};
  std::uint64_t timestamp_ms = 0;
};

enum class RejectReason : int { version_mismatch = 1, clock_skew = 2 };

struct RejectMessage {
  RejectReason reason = RejectReason::version_mismatch;
  std::vector<std::uint32_t> versions;  ///< the responder's, at most kMaxVersions
  std::uint64_t timestamp_ms = 0;       ///< the responder's clock
};

/// Either `reject`, or an accept: then `accept_bytes` (as received, for the transcript),
/// its parsed form `accept`, and `sealed_identity` (at least a tag long).
struct HelloAckMessage {
  std::optional<RejectMessage> reject;
  Bytes accept_bytes;
  AcceptMessage accept;
  Bytes sealed_identity;
};

struct IdentityProofMessage {
  Bytes public_key;  ///< libp2p PublicKey protobuf, 1..kMaxIdentityKeyBytes, not yet validated
  Signature signature{};
};

struct AuthPayloadMessage {
  IdentityProofMessage proof;
  Bytes early_data;  ///< a serialized EarlyData, at most the configured cap, not yet parsed
};

/// Checks, in this order: it parses, the magic, then field sizes and the version count.
Result<HelloMessage> parse_hello(ByteView body);
/// Exactly one of reject / (accept and sealed_identity); a known reject reason.
Result<HelloAckMessage> parse_hello_ack(ByteView body);
Result<AcceptMessage> parse_accept(ByteView accept_bytes);
Result<IdentityProofMessage> parse_identity_proof(ByteView plaintext);
/// The sealed AuthPayload (at least a tag long).
Result<Bytes> parse_auth(ByteView body);
Result<AuthPayloadMessage> parse_auth_payload(ByteView plaintext, std::size_t max_early_data_bytes);
Result<EarlyData> parse_early_data(ByteView early_data);
/// The sealed MAC (exactly kFinishedSealedBytes).
Result<Bytes> parse_finished(ByteView body);

/// Message bodies (no length prefix; see frame_message()).
Bytes serialize_hello(const HelloMessage& hello);
Bytes serialize_accept(const AcceptMessage& accept);
Bytes serialize_hello_ack_accept(ByteView accept_bytes, ByteView sealed_identity);
Bytes serialize_hello_ack_reject(const RejectMessage& reject);
Bytes serialize_identity_proof(const IdentityProofMessage& proof);
Bytes serialize_auth(ByteView sealed);
Bytes serialize_auth_payload(const AuthPayloadMessage& payload);
Bytes serialize_early_data(const EarlyData& early_data);
Bytes serialize_finished(ByteView sealed);

/// "[1, 2, 3]", for error details.
std::string format_versions(const std::vector<std::uint32_t>& versions);

}  // namespace weft::handshake
