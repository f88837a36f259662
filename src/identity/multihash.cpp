#include "identity/multihash.hpp"

#include "identity/varint.hpp"

#include <sodium.h>

namespace weft::identity {

Bytes Multihash::encode() const {
  Bytes out;
  out.reserve(uvarint_size(code) + uvarint_size(digest.size()) + digest.size());
  append_uvarint(out, code);
  append_uvarint(out, digest.size());
  out.insert(out.end(), digest.begin(), digest.end());
  return out;
}

Multihash identity_multihash(ByteView data) {
  return Multihash{multihash_code::identity, Bytes(data.begin(), data.end())};
}

Multihash sha2_256_multihash(ByteView data) {
  Bytes digest(crypto_hash_sha256_BYTES);
  crypto_hash_sha256(digest.data(), data.data(), data.size());
  return Multihash{multihash_code::sha2_256, std::move(digest)};
}

Result<MultihashPrefix> decode_multihash_prefix(ByteView in) {
  auto code = decode_uvarint(in);
  if (!code) {
    if (code.error() == Errc::varint_truncated) return Error(Errc::multihash_truncated, "in the hash code");
    return code.error().with_context("multihash code");
  }
  auto rest = in.subspan(code.value().length);
  auto length = decode_uvarint(rest);
  if (!length) {
    if (length.error() == Errc::varint_truncated) return Error(Errc::multihash_truncated, "in the digest length");
    return length.error().with_context("multihash digest length");
  }
  const std::uint64_t digest_size = length.value().value;
  if (digest_size > kMaxDigestBytes) {
    return Error(Errc::multihash_digest_too_long,
                 std::to_string(digest_size) + " bytes, at most " + std::to_string(kMaxDigestBytes));
  }
  if (code.value().value == multihash_code::sha2_256 && digest_size != crypto_hash_sha256_BYTES) {
    return Error(Errc::multihash_bad_digest_length, "sha2-256 digest of " + std::to_string(digest_size) + " bytes");
  }
  rest = rest.subspan(length.value().length);
  if (rest.size() < digest_size) {
    return Error(Errc::multihash_truncated,
                 "digest needs " + std::to_string(digest_size) + " bytes, " + std::to_string(rest.size()) + " left");
  }
  MultihashPrefix out;
  out.hash.code = code.value().value;
  out.hash.digest.assign(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(digest_size));
  out.length = code.value().length + length.value().length + digest_size;
  return out;
}

Result<Multihash> decode_multihash(ByteView in) {
  BOOST_OUTCOME_TRY(prefix, decode_multihash_prefix(in));
  if (prefix.length != in.size()) {
    return Error(Errc::multihash_trailing_bytes, std::to_string(in.size() - prefix.length) + " extra bytes");
  }
  return std::move(prefix.hash);
}

}  // namespace weft::identity
