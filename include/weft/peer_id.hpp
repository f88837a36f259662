#pragma once
// PeerId exactly as the libp2p peer-ids spec defines it: the multihash of the
// deterministic PublicKey protobuf — identity multihash when that encoding is at most
// 42 bytes (every Ed25519 key: "12D3KooW..."), sha2-256 otherwise ("Qm...").

#include <weft/bytes.hpp>
#include <weft/error.hpp>
#include <weft/keys.hpp>

#include <compare>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace weft {

/// Largest public-key encoding that is inlined with the identity multihash.
inline constexpr std::size_t kMaxInlineKeyBytes = 42;

class PeerId {
 public:
  static PeerId from_public_key(const PublicKey& key);

  /// From multihash bytes (as in a /p2p/ multiaddr component). Accepts sha2-256 with a
  /// 32-byte digest, and identity with a digest of at most 42 bytes. Errors: peer_id_invalid.
  static Result<PeerId> from_bytes(ByteView multihash);

  /// From text: a base58btc multihash ("12D3KooW...", "Qm...") or a CIDv1 with the
  /// libp2p-key codec (0x72) in any supported multibase ("bafz..."; see the peer-ids spec).
  /// Errors: peer_id_bad_encoding, peer_id_invalid.
  static Result<PeerId> parse(std::string_view text);

  /// The multihash bytes.
  const Bytes& bytes() const noexcept { return bytes_; }

  /// Canonical text: base58btc of the multihash.
  std::string to_base58() const;
  std::string to_string() const { return to_base58(); }

  /// CIDv1 text: multibase base32 ('b') of 0x01 0x72 <multihash>.
  std::string to_cid() const;

  /// The public key, when it is inlined (identity multihash) and decodes.
  std::optional<PublicKey> public_key() const;

  /// True when this PeerId is the one `key` derives.
  bool matches(const PublicKey& key) const { return *this == from_public_key(key); }

  friend bool operator==(const PeerId&, const PeerId&) = default;
  friend std::strong_ordering operator<=>(const PeerId& a, const PeerId& b) noexcept {
    return a.bytes_ <=> b.bytes_;
  }

 private:
  explicit PeerId(Bytes bytes) : bytes_(std::move(bytes)) {}
  Bytes bytes_;  ///< always a valid multihash accepted by from_bytes
};

}  // namespace weft

template <>
struct std::hash<weft::PeerId> {
  std::size_t operator()(const weft::PeerId& id) const noexcept;
};
