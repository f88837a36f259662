#include <weft/peer_id.hpp>

#include "identity/base58.hpp"
#include "identity/multibase.hpp"
#include "identity/multihash.hpp"
#include "identity/varint.hpp"

namespace weft {
namespace {

constexpr std::uint64_t kCidVersion1 = 0x01;
constexpr std::uint64_t kLibp2pKeyCodec = 0x72;

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
                                            ? "identity multihash longer than 42 bytes"
                                            : "multihash code " + std::to_string(hash.code) +
                                                  " (PeerIds use identity or sha2-256)");
  }
  return PeerId(Bytes(multihash.begin(), multihash.end()));
}

Result<PeerId> PeerId::parse(std::string_view text) {
  if (text.empty()) return Error(Errc::peer_id_bad_encoding, "empty");
  // peer-ids spec: text starting with '1' or 'Q' is a bare base58btc multihash;
  // anything else is a multibase-encoded CID.
  if (text.front() == '1' || text.front() == 'Q') {
    auto bytes = identity::base58_decode(text);
    if (!bytes) return Error(Errc::peer_id_bad_encoding, bytes.error().message());
    return from_bytes(bytes.value());
  }
  auto cid = identity::multibase_decode(text);
  if (!cid) return Error(Errc::peer_id_bad_encoding, "not base58btc and not a CID: " + cid.error().message());
  const ByteView bytes = cid.value();
  auto version = identity::decode_uvarint(bytes);
  if (!version || version.value().value != kCidVersion1) {
    return Error(Errc::peer_id_bad_encoding, "CID is not version 1");
  }
  auto codec = identity::decode_uvarint(bytes.subspan(version.value().length));
  if (!codec || codec.value().value != kLibp2pKeyCodec) {
    return Error(Errc::peer_id_bad_encoding, "CID codec is not libp2p-key (0x72)");
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
