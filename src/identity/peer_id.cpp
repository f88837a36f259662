#include <weft/peer_id.hpp>

#include "identity/base58.hpp"
#include "identity/multibase.hpp"
#include "identity/multihash.hpp"
#include "identity/varint.hpp"

#include <charconv>

namespace weft {
namespace {

constexpr std::uint64_t kCidVersion1 = 0x01;
constexpr std::uint64_t kLibp2pKeyCodec = 0x72;

// The longest valid text is a CIDv1 (at most 46 bytes: version, codec, 2 + 42 multihash
// bytes) in base16 with its prefix, 93 characters; anything much longer is refused before
// any decoding work.
constexpr std::size_t kMaxPeerIdTextChars = 256;

std::string to_hex(std::uint64_t value) {
  char buffer[16];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value, 16).ptr;
  return std::string(buffer, end);
}

}  // namespace

PeerId PeerId::from_public_key(const PublicKey& key) {
  const Bytes encoded = key.to_protobuf();
  const auto hash = encoded.size() <= kMaxInlineKeyBytes ? identity::identity_multihash(encoded)
                                                         : identity::sha2_256_multihash(encoded);
  return PeerId(hash.encode());
}

Result<PeerId> PeerId::from_bytes(ByteView multihash) {
  auto decoded = identity::decode_multihash(multihash);
  if (!decoded) return Error(Errc::peer_id_invalid, decoded.error().message());
  const auto& hash = decoded.value();
  const bool ok = hash.code == identity::multihash_code::sha2_256 ||
                  (hash.code == identity::multihash_code::identity && hash.digest.size() <= kMaxInlineKeyBytes);
  if (!ok) {
    return Error(Errc::peer_id_invalid, hash.code == identity::multihash_code::identity
                                            ? "identity multihash digest of " + std::to_string(hash.digest.size()) +
                                                  " bytes, at most 42"
                                            : "multihash code " + std::to_string(hash.code) +
                                                  " (PeerIds use identity or sha2-256)");
  }
  return PeerId(Bytes(multihash.begin(), multihash.end()));
}

Result<PeerId> PeerId::parse(std::string_view text) {
  if (text.empty()) return Error(Errc::peer_id_bad_encoding, "empty");
  if (text.size() > kMaxPeerIdTextChars) {
    return Error(Errc::peer_id_bad_encoding,
                 std::to_string(text.size()) + " characters, at most " + std::to_string(kMaxPeerIdTextChars));
  }
  // peer-ids spec, "Decoding": text starting with "1" or "Qm" is a bare base58btc
  // multihash; anything else must be a multibase-encoded CIDv1.
  if (text.front() == '1' || text.starts_with("Qm")) {
    auto bytes = identity::base58_decode(text);
    if (!bytes) return Error(Errc::peer_id_bad_encoding, bytes.error().message());
    return from_bytes(bytes.value());
  }
  auto cid = identity::multibase_decode(text);
  if (!cid) return Error(Errc::peer_id_bad_encoding, "not base58btc and not a CID: " + cid.error().message());
  const ByteView bytes = cid.value();
  auto version = identity::decode_uvarint(bytes);
  if (!version) return Error(Errc::peer_id_bad_encoding, "CID version: " + version.error().message());
  if (version.value().value != kCidVersion1) {
    return Error(Errc::peer_id_bad_encoding, "CID version " + std::to_string(version.value().value) + ", need 1");
  }
  auto codec = identity::decode_uvarint(bytes.subspan(version.value().length));
  if (!codec) return Error(Errc::peer_id_bad_encoding, "CID codec: " + codec.error().message());
  if (codec.value().value != kLibp2pKeyCodec) {
    return Error(Errc::peer_id_bad_encoding,
                 "CID codec 0x" + to_hex(codec.value().value) + ", need libp2p-key (0x72)");
  }
  return from_bytes(bytes.subspan(version.value().length + codec.value().length));
}

std::string PeerId::to_base58() const { return identity::base58_encode(bytes_); }

std::string PeerId::to_cid() const {
  Bytes cid;
  identity::append_uvarint(cid, kCidVersion1);
  identity::append_uvarint(cid, kLibp2pKeyCodec);
  cid.insert(cid.end(), bytes_.begin(), bytes_.end());
  return identity::multibase_encode(identity::Multibase::base32, cid);
}

std::optional<PublicKey> PeerId::public_key() const {
  auto hash = identity::decode_multihash(bytes_);
  if (!hash || hash.value().code != identity::multihash_code::identity) return std::nullopt;
  auto key = PublicKey::from_protobuf(hash.value().digest);
  if (!key) return std::nullopt;
  return key.value();
}

}  // namespace weft

std::size_t std::hash<weft::PeerId>::operator()(const weft::PeerId& id) const noexcept {
  // The digest is a hash or a public key: its bytes are already well mixed, but identity
  // multihashes share a prefix, so hash everything.
  return std::hash<std::string_view>{}(weft::as_chars(id.bytes()));
}
