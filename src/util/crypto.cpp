#include "util/crypto.hpp"

#include "util/buffer_recycler.hpp"
#include "util/sodium.hpp"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace weft::util {

SecretKey::~SecretKey() { sodium_memzero(bytes_.data(), bytes_.size()); }

Hash blake2b(std::initializer_list<ByteView> parts) {
  ensure_sodium();
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, kHashBytes);
  for (ByteView part : parts) crypto_generichash_update(&state, part.data(), part.size());
  Hash out;
  crypto_generichash_final(&state, out.data(), out.size());
  return out;
}

SecretKey blake2b_keyed(const SecretKey& key, std::initializer_list<ByteView> parts) {
  ensure_sodium();
  crypto_generichash_state state;
  crypto_generichash_init(&state, key.bytes().data(), key.bytes().size(), kHashBytes);
  for (ByteView part : parts) crypto_generichash_update(&state, part.data(), part.size());
  SecretKey out;
  crypto_generichash_final(&state, out.bytes().data(), out.bytes().size());
  sodium_memzero(&state, sizeof state);
  return out;
}

std::array<std::uint8_t, 12> counter_nonce(std::uint64_t counter) noexcept {
  std::array<std::uint8_t, 12> nonce{};
  for (int i = 0; i < 8; ++i) nonce[4 + i] = static_cast<std::uint8_t>(counter >> (8 * i));
  return nonce;
}

bool aes256_gcm_available() noexcept {
  // Asked on every channel frame (require_cipher): the CPU check runs once.
  static const bool available = [] {
    ensure_sodium();
    return crypto_aead_aes256gcm_is_available() == 1;
  }();
  return available;
}

namespace {

void require_cipher(AeadCipher cipher) {
  if (cipher == AeadCipher::aes256_gcm && !aes256_gcm_available()) {
    std::fputs("weft: AES-256-GCM asked for on a CPU without it\n", stderr);
    std::abort();
  }
}

}  // namespace

void aead_seal(const SecretKey& key, std::uint64_t counter, ByteView associated_data, ByteView plaintext,
               Bytes& out, AeadCipher cipher) {
  ensure_sodium();
  require_cipher(cipher);
  const auto nonce = counter_nonce(counter);
  const std::size_t offset = out.size();
  out.resize(offset + plaintext.size() + kAeadTagBytes);
  unsigned long long written = 0;
  if (cipher == AeadCipher::aes256_gcm) {
    crypto_aead_aes256gcm_encrypt(out.data() + offset, &written, plaintext.data(), plaintext.size(),
                                  associated_data.data(), associated_data.size(), nullptr, nonce.data(),
                                  key.bytes().data());
  } else {
    crypto_aead_chacha20poly1305_ietf_encrypt(out.data() + offset, &written, plaintext.data(), plaintext.size(),
                                              associated_data.data(), associated_data.size(), nullptr,
                                              nonce.data(), key.bytes().data());
  }
  out.resize(offset + written);
}

std::optional<Bytes> aead_open(const SecretKey& key, std::uint64_t counter, ByteView associated_data,
                               ByteView ciphertext, AeadCipher cipher) {
  ensure_sodium();
  require_cipher(cipher);
  if (ciphertext.size() < kAeadTagBytes) return std::nullopt;
  const auto nonce = counter_nonce(counter);
  Bytes plaintext = take_buffer(ciphertext.size() - kAeadTagBytes);
  unsigned long long written = 0;
  const int verdict =
      cipher == AeadCipher::aes256_gcm
          ? crypto_aead_aes256gcm_decrypt(plaintext.data(), &written, nullptr, ciphertext.data(), ciphertext.size(),
                                          associated_data.data(), associated_data.size(), nonce.data(),
                                          key.bytes().data())
          : crypto_aead_chacha20poly1305_ietf_decrypt(plaintext.data(), &written, nullptr, ciphertext.data(),
                                                      ciphertext.size(), associated_data.data(),
                                                      associated_data.size(), nonce.data(), key.bytes().data());
  if (verdict != 0) {
    recycle_buffer(plaintext);
    return std::nullopt;
  }
  plaintext.resize(written);
  return plaintext;
}

}  // namespace weft::util
