#pragma once
// Multihash (github.com/multiformats/multihash): varint code, varint digest length, digest.
// weft computes identity (0x00) and sha2-256 (0x12); decoding accepts any code whose
// digest fits kMaxDigestBytes, and checks the length of the codes it knows.

#include <weft/bytes.hpp>
#include <weft/error.hpp>

#include <cstdint>

namespace weft::identity {

namespace multihash_code {
inline constexpr std::uint64_t identity = 0x00;
inline constexpr std::uint64_t sha2_256 = 0x12;
}  // namespace multihash_code

/// Upper bound on a digest (the largest common hash, sha2-512, is 64 bytes).
inline constexpr std::size_t kMaxDigestBytes = 64;

struct Multihash {
  std::uint64_t code = multihash_code::identity;
  Bytes digest;

  /// Wire form: varint(code) varint(len) digest.
  Bytes encode() const;

  friend bool operator==(const Multihash&, const Multihash&) = default;
};

/// Identity multihash of `data`. Precondition: data.size() <= kMaxDigestBytes.
Multihash identity_multihash(ByteView data);

/// sha2-256 multihash of `data` (libsodium crypto_hash_sha256).
Multihash sha2_256_multihash(ByteView data);

struct MultihashPrefix {
  Multihash hash;
  std::size_t length = 0;  ///< bytes of `in` the multihash took
};

/// Decodes a multihash at the start of `in`, leaving later bytes alone.
/// Errors: multihash_truncated, multihash_digest_too_long, multihash_bad_digest_length,
/// or a varint error (overlong / overflow) in the code or length.
Result<MultihashPrefix> decode_multihash_prefix(ByteView in);

/// Decodes `in` as exactly one multihash; extra bytes are multihash_trailing_bytes.
Result<Multihash> decode_multihash(ByteView in);

}  // namespace weft::identity
