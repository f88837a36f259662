#pragma once
// The symmetric primitives the handshake and the secure channel share, all libsodium:
// BLAKE2b-256 hashing and keyed hashing (the KDF), and an AEAD with counter nonces —
// ChaCha20-Poly1305 (IETF), or AES-256-GCM where the CPU has AES and carry-less multiply
// instructions (the channel of handshake version 2). Secrets live in SecretKey, which
// wipes itself.

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

/// The AEAD a key is used with. Both take 32-byte keys and 12-byte nonces and add a
/// 16-byte tag.
enum class AeadCipher : std::uint8_t { chacha20_poly1305, aes256_gcm };

/// True when libsodium can use AES-256-GCM on this CPU (AES-NI and PCLMUL); libsodium has
/// no portable fallback, so without them only ChaCha20-Poly1305 is available.
bool aes256_gcm_available() noexcept;

/// Appends ciphertext||tag (plaintext.size() + kAeadTagBytes bytes) to `out`.
/// Precondition (violations abort): aes256_gcm only where aes256_gcm_available().
void aead_seal(const SecretKey& key, std::uint64_t counter, ByteView associated_data, ByteView plaintext,
               Bytes& out, AeadCipher cipher = AeadCipher::chacha20_poly1305);

/// Opens ciphertext||tag; nullopt when it does not authenticate (or is shorter than a tag).
/// The plaintext's storage comes from the thread's buffer recycler; a hot path hands it
/// back with recycle_buffer() once done (util/buffer_recycler.hpp).
std::optional<Bytes> aead_open(const SecretKey& key, std::uint64_t counter, ByteView associated_data,
                               ByteView ciphertext, AeadCipher cipher = AeadCipher::chacha20_poly1305);

}  // namespace weft::util
