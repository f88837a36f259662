// libFuzzer target: PeerId text and bytes, and both libp2p key protobufs.
// Invariants: whatever parses re-encodes to the bytes it came from (the legacy 96-byte
// private key re-encodes as 64) and re-parses equal from each of its text forms.
#include <weft/keys.hpp>
#include <weft/peer_id.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

void check_round_trips(const weft::PeerId& id) {
  auto from_bytes = weft::PeerId::from_bytes(id.bytes());
  check(from_bytes && from_bytes.value() == id);
  auto base58 = weft::PeerId::parse(id.to_base58());
  check(base58 && base58.value() == id);
  auto cid = weft::PeerId::parse(id.to_cid());
  check(cid && cid.value() == id);
  if (auto key = id.public_key()) check(id.matches(*key));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const weft::ByteView in(data, size);
  const std::string_view text = weft::as_chars(in);

  if (auto id = weft::PeerId::parse(text)) {
    check_round_trips(id.value());
    // base58btc and lower-case base32 are canonical: the text comes back unchanged.
    if (text.front() == '1' || text.starts_with("Qm")) check(id.value().to_base58() == text);
    if (text.front() == 'b') check(id.value().to_cid() == text);
  }

  if (auto id = weft::PeerId::from_bytes(in)) {
    check(id.value().bytes() == weft::Bytes(in.begin(), in.end()));
    check_round_trips(id.value());
  }

  if (auto key = weft::PublicKey::from_protobuf(in)) {
    check(key.value().to_protobuf() == weft::Bytes(in.begin(), in.end()));
    auto raw = weft::PublicKey::from_raw(key.value().raw());
    check(raw && raw.value() == key.value());
  }

  if (auto key = weft::Keypair::from_protobuf(in)) {
    const weft::Bytes encoded = key.value().to_protobuf();
    if (size == encoded.size()) check(encoded == weft::Bytes(in.begin(), in.end()));
    auto again = weft::Keypair::from_protobuf(encoded);
    check(again && again.value().public_key() == key.value().public_key());
    check(key.value().public_key().verify(in, key.value().sign(in)));
  }
  return 0;
}
