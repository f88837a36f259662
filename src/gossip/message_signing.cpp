#include "gossip/message_signing.hpp"

#include "gossip/rpc_codec.hpp"
#include "util/crypto.hpp"

#include <algorithm>
#include <string>

namespace weft::gossip {
namespace {

Bytes signed_bytes(const Message& message) {
  const Bytes body = encode_message_for_signing(message);
  const ByteView prefix = as_bytes(kSignaturePrefix);
  Bytes out(prefix.size() + body.size());
  std::copy(prefix.begin(), prefix.end(), out.begin());
  std::copy(body.begin(), body.end(), out.begin() + static_cast<std::ptrdiff_t>(prefix.size()));
  return out;
}

Result<PublicKey> author_key(const Message& message, const PeerId& author) {
  if (message.key) {
    auto key = PublicKey::from_protobuf(*message.key);
    if (!key) return Error(Errc::gossip_author_mismatch, "key: " + key.error().message());
    if (!author.matches(key.value())) return Error(Errc::gossip_author_mismatch, "key is not from's key");
    return key;
  }
  if (auto inlined = author.public_key()) return *inlined;
  return Error(Errc::gossip_author_mismatch, "from does not inline a key and no key is given");
}

}  // namespace

Message make_signed_message(const Keypair& author, TopicId topic, Bytes data, std::uint64_t seqno) {
  Message m;
  m.from = PeerId::from_public_key(author.public_key()).bytes();
  m.data = std::move(data);
  Bytes s(kSeqnoBytes);
  for (std::size_t i = 0; i < kSeqnoBytes; ++i) s[i] = static_cast<std::uint8_t>(seqno >> (8 * (7 - i)));
  m.seqno = std::move(s);
  m.topic = std::move(topic);
  const Signature sig = author.sign(signed_bytes(m));
  m.signature = Bytes(sig.begin(), sig.end());
  return m;
}

Result<void> verify_message(const Message& message) {
  if (!message.topic) return Error(Errc::gossip_message_invalid, "no topic");
  if (!message.from) return Error(Errc::gossip_message_invalid, "no from");
  if (!message.seqno || message.seqno->size() != kSeqnoBytes) {
    return Error(Errc::gossip_message_invalid,
                 message.seqno ? "seqno of " + std::to_string(message.seqno->size()) + " bytes" : "no seqno");
  }
  auto author = PeerId::from_bytes(*message.from);
  if (!author) return Error(Errc::gossip_author_mismatch, "from is not a PeerId");
  BOOST_OUTCOME_TRY(key, author_key(message, author.value()));
  if (!message.signature) return Error(Errc::gossip_bad_signature, "no signature");
  if (message.signature->size() != kEd25519SignatureBytes) {
    return Error(Errc::gossip_bad_signature, std::to_string(message.signature->size()) + " bytes");
  }
  if (!key.verify(signed_bytes(message), *message.signature)) return Error(Errc::gossip_bad_signature);
  return success();
}

MessageId message_id(const Message& message, MessageIdMode mode) {
  if (mode == MessageIdMode::content) {
    const util::Hash h = util::blake2b({message.data ? ByteView(*message.data) : ByteView()});
    return MessageId(h.begin(), h.end());
  }
  MessageId id;
  if (message.from) id.append(message.from->begin(), message.from->end());
  if (message.seqno) id.append(message.seqno->begin(), message.seqno->end());
  return id;
}

std::uint64_t seqno_value(const Message& message) noexcept {
  if (!message.seqno || message.seqno->size() != kSeqnoBytes) return 0;
  std::uint64_t v = 0;
  for (std::uint8_t b : *message.seqno) v = (v << 8) | b;
  return v;
}

}  // namespace weft::gossip
