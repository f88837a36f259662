#pragma once
// libp2p-compatible Ed25519 identity keys (libsodium underneath).
//
// Encodings follow the libp2p peer-ids spec byte for byte:
//   PublicKey  protobuf PublicKey{Type=Ed25519(1), Data=<32-byte key>}
//   PrivateKey protobuf PrivateKey{Type=Ed25519(1), Data=<32-byte seed || 32-byte public key>}
// so keys and key files move between weft and other libp2p tools.

#include <weft/bytes.hpp>
#include <weft/error.hpp>

#include <array>
#include <cstdint>
#include <filesystem>

namespace weft {

/// libp2p KeyType enumerators (crypto.proto). Only ed25519 is implemented.
enum class KeyType : int { rsa = 0, ed25519 = 1, secp256k1 = 2, ecdsa = 3 };

inline constexpr std::size_t kEd25519PublicKeyBytes = 32;
inline constexpr std::size_t kEd25519SeedBytes = 32;
inline constexpr std::size_t kEd25519SignatureBytes = 64;

using Signature = std::array<std::uint8_t, kEd25519SignatureBytes>;

/// An Ed25519 public key that is a canonical encoding of a point in the prime-order
/// subgroup (small-order and non-canonical encodings are refused at construction).
class PublicKey {
 public:
  /// From the raw 32-byte key. Errors: key_bad_length, key_invalid.
  static Result<PublicKey> from_raw(ByteView raw);

  /// From the libp2p PublicKey protobuf. Errors: key_malformed, key_unsupported_type,
  /// key_bad_length, key_invalid.
  static Result<PublicKey> from_protobuf(ByteView encoded);

  KeyType type() const noexcept { return KeyType::ed25519; }
  ByteView raw() const noexcept { return key_; }

  /// The deterministic libp2p PublicKey protobuf (36 bytes for Ed25519).
  Bytes to_protobuf() const;

  /// True when `signature` is a valid, canonical Ed25519 signature of `message`.
  bool verify(ByteView message, ByteView signature) const noexcept;

  friend bool operator==(const PublicKey&, const PublicKey&) = default;

 private:
  explicit PublicKey(const std::array<std::uint8_t, kEd25519PublicKeyBytes>& key) : key_(key) {}
  std::array<std::uint8_t, kEd25519PublicKeyBytes> key_{};
};

/// An Ed25519 key pair. The secret is wiped when the object is destroyed.
class Keypair {
 public:
  /// A fresh key from libsodium's CSPRNG.
  static Keypair generate();

  /// Deterministic key from a 32-byte seed. Errors: key_bad_length.
  static Result<Keypair> from_seed(ByteView seed);

  /// From the libp2p PrivateKey protobuf in its deterministic encoding (Type then Data,
  /// nothing else). Data = seed || public key (64 bytes), or the legacy seed || public ||
  /// public (96 bytes) that the spec asks readers to accept. Errors: key_malformed,
  /// key_unsupported_type, key_bad_length, key_mismatch (public half does not match the seed).
  static Result<Keypair> from_protobuf(ByteView encoded);

  Keypair(const Keypair& other);
  Keypair& operator=(const Keypair& other);
  ~Keypair();

  const PublicKey& public_key() const noexcept { return public_key_; }

  /// The libp2p PrivateKey protobuf. Contains the secret: handle with care.
  Bytes to_protobuf() const;

  Signature sign(ByteView message) const noexcept;

 private:
  Keypair(const std::array<std::uint8_t, 64>& secret, PublicKey public_key);
  std::array<std::uint8_t, 64> secret_{};  ///< libsodium layout: seed || public key
  PublicKey public_key_;
};

/// Upper bound on a key file's size; anything larger is refused before reading it whole.
inline constexpr std::uintmax_t kMaxKeyFileBytes = 4096;

/// Writes `key` as a libp2p marshalled PrivateKey, created with mode 0600 (never readable
/// by others, even briefly) and moved into place atomically. Refuses to replace an existing
/// file (key_file_exists). Other failures: key_file_io with the OS reason.
Result<void> write_key_file(const std::filesystem::path& path, const Keypair& key);

/// Reads and validates a key file written by write_key_file or another libp2p tool.
/// Errors: key_file_io (missing, unreadable, too large), and from_protobuf's errors.
Result<Keypair> read_key_file(const std::filesystem::path& path);

}  // namespace weft
