#pragma once
// The symmetric primitives the handshake and the secure channel share, all libsodium:
// BLAKE2b-256 hashing and keyed hashing (the KDF), and ChaCha20-Poly1305 (IETF) with
// counter nonces. Secrets live in SecretKey, which wipes itself.

#include <weft/bytes.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>

namespace weft::util {

inline constexpr std::size_t kHashBytes = 32;
inline constexpr std::size_t kAeadKeyBytes = 32;
inline constexpr std::size_t kAeadTagBytes = 16;

using Hash = std::array<std::uint8_t, kHashBytes>;

/// A 32-byte symmetric key, wiped on destruction and on overwrite.
class SecretKey {
 public:
  SecretKey() = default;
  explicit SecretKey(const std::array<std::uint8_t, kAeadKeyBytes>& bytes) : bytes_(bytes) {}
  SecretKey(const SecretKey&) = default;
  SecretKey& operator=(const SecretKey&) = default;
  ~SecretKey();
  const std::array<std::uint8_t, kAeadKeyBytes>& bytes() const noexcept { return bytes_; }
  std::array<std::uint8_t, kAeadKeyBytes>& bytes() noexcept { return bytes_; }
  friend bool operator==(const SecretKey&, const SecretKey&) = default;

 private:
  std::array<std::uint8_t, kAeadKeyBytes> bytes_{};
};

/// BLAKE2b-256 of the concatenation of `parts`.
Hash blake2b(std::initializer_list<ByteView> parts);

/// BLAKE2b-256 keyed with `key`, over the concatenation of `parts` (a MAC, and the KDF:
/// derive(key, label, context) = blake2b_keyed(key, {label, context})).
SecretKey blake2b_keyed(const SecretKey& key, std::initializer_list<ByteView> parts);

/// The 12-byte AEAD nonce for message number `counter`: 4 zero bytes, then the counter
/// as 64-bit little-endian.
std::array<std::uint8_t, 12> counter_nonce(std::uint64_t counter) noexcept;

/// Appends ciphertext||tag (plaintext.size() + kAeadTagBytes bytes) to `out`.
void aead_seal(const SecretKey& key, std::uint64_t counter, ByteView associated_data, ByteView plaintext,
               Bytes& out);

/// Opens ciphertext||tag; nullopt when it does not authenticate (or is shorter than a tag).
/// The plaintext's storage comes from the thread's buffer recycler; a hot path hands it
/// back with recycle_buffer() once done (util/buffer_recycler.hpp).
std::optional<Bytes> aead_open(const SecretKey& key, std::uint64_t counter, ByteView associated_data,
                               ByteView ciphertext);

}  // namespace weft::util
