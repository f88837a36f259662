// StrictSign: what is signed (the prefix and fields 1-4 as present), every refusal with
// its own error, and both message id modes.

#include "gossip/message_signing.hpp"

#include "gossip/rpc_codec.hpp"
#include "test_bytes.hpp"
#include "test_peer_id.hpp"
#include "util/crypto.hpp"

#include <doctest/doctest.h>

using namespace weft;
using namespace weft::gossip;
using weft::test::bytes;
using weft::test::bytes_of;
using weft::test::outcome_of;
using weft::test::to_hex;

namespace {

Keypair key(std::uint8_t n) { return Keypair::from_seed(Bytes(32, n)).value(); }

Message signed_message() { return make_signed_message(key(1), "blocks", bytes_of("payload"), 0x0102030405060708); }

Bytes resign(const Keypair& k, Message& m, std::string_view prefix) {
  Bytes to_sign(prefix.begin(), prefix.end());
  const Bytes body = encode_message_for_signing(m);
  to_sign.insert(to_sign.end(), body.begin(), body.end());
  const Signature s = k.sign(to_sign);
  m.signature = Bytes(s.begin(), s.end());
  return to_sign;
}

}  // namespace

TEST_CASE("signing: a signed message verifies and carries the StrictSign fields") {
  const Message m = signed_message();
  CHECK(outcome_of(verify_message(m)).ok());
  REQUIRE(m.from.has_value());
  CHECK(*m.from == PeerId::from_public_key(key(1).public_key()).bytes());
  CHECK(to_hex(*m.seqno) == "0102030405060708");
  CHECK(seqno_value(m) == 0x0102030405060708);
  CHECK(*m.topic == "blocks");
  CHECK(m.signature->size() == 64);
  CHECK_FALSE(m.key.has_value());  // the Ed25519 PeerId inlines the key
}

TEST_CASE("signing: the signature covers \"libp2p-pubsub:\" and fields 1-4 exactly") {
  Message m = signed_message();
  const Keypair k = key(1);
  resign(k, m, "libp2p-pubsub:");
  CHECK(outcome_of(verify_message(m)).ok());
  resign(k, m, "");
  CHECK(outcome_of(verify_message(m)) == Errc::gossip_bad_signature);
  resign(k, m, "libp2p-pubsub");
  CHECK(outcome_of(verify_message(m)) == Errc::gossip_bad_signature);
  // The key field is outside the signed bytes: adding the matching key keeps it valid.
  resign(k, m, "libp2p-pubsub:");
  m.key = k.public_key().to_protobuf();
  CHECK(outcome_of(verify_message(m)).ok());
}

TEST_CASE("signing: any change to a signed field breaks the signature") {
  Message data = signed_message();
  data.data->push_back('!');
  CHECK(outcome_of(verify_message(data)) == Errc::gossip_bad_signature);
  Message seqno = signed_message();
  (*seqno.seqno)[7] ^= 1;
  CHECK(outcome_of(verify_message(seqno)) == Errc::gossip_bad_signature);
  Message topic = signed_message();
  topic.topic = "blockz";
  CHECK(outcome_of(verify_message(topic)) == Errc::gossip_bad_signature);
  // Presence is signed: empty data is not absent data.
  Message empty = make_signed_message(key(1), "t", {}, 1);
  CHECK(outcome_of(verify_message(empty)).ok());
  empty.data.reset();
  CHECK(outcome_of(verify_message(empty)) == Errc::gossip_bad_signature);
  Message sig = signed_message();
  (*sig.signature)[0] ^= 1;
  CHECK(outcome_of(verify_message(sig)) == Errc::gossip_bad_signature);
}

TEST_CASE("signing: missing or malformed fields") {
  Message m = signed_message();
  m.topic.reset();
  CHECK(outcome_of(verify_message(m)) == Errc::gossip_message_invalid);
  m = signed_message();
  m.from.reset();
  CHECK(outcome_of(verify_message(m)) == Errc::gossip_message_invalid);
  m = signed_message();
  m.seqno.reset();
  CHECK(outcome_of(verify_message(m)) == Errc::gossip_message_invalid);
  CHECK(seqno_value(m) == 0);
  m = signed_message();
  m.seqno->pop_back();
  CHECK(outcome_of(verify_message(m)) == Errc::gossip_message_invalid);
  m = signed_message();
  m.seqno->push_back(0);
  CHECK(outcome_of(verify_message(m)) == Errc::gossip_message_invalid);
  m = signed_message();
  m.signature.reset();
  CHECK(outcome_of(verify_message(m)) == Errc::gossip_bad_signature);
  m = signed_message();
  m.signature->pop_back();
  CHECK(outcome_of(verify_message(m)) == Errc::gossip_bad_signature);
}

TEST_CASE("signing: the author must be the key's PeerId") {
  Message m = signed_message();
  m.from = bytes({0x00, 0x01});  // not a multihash PeerId
  CHECK(outcome_of(verify_message(m)) == Errc::gossip_author_mismatch);

  m = signed_message();
  m.key = key(2).public_key().to_protobuf();  // someone else's key
  CHECK(outcome_of(verify_message(m)) == Errc::gossip_author_mismatch);

  m = signed_message();
  m.key = bytes({0x08, 0x01, 0x12, 0x01, 0x00});  // does not decode
  CHECK(outcome_of(verify_message(m)) == Errc::gossip_author_mismatch);

  // A sha2-256 PeerId inlines no key; without `key` there is nothing to verify with.
  m = signed_message();
  m.from = weft::test::test_peer(7).bytes();
  CHECK(outcome_of(verify_message(m)) == Errc::gossip_author_mismatch);

  // Someone signs as another author: from names key 1, the signature is key 2's.
  m = signed_message();
  resign(key(2), m, "libp2p-pubsub:");
  CHECK(outcome_of(verify_message(m)) == Errc::gossip_bad_signature);
}

TEST_CASE("signing: message ids") {
  const Message a = make_signed_message(key(1), "t", bytes_of("same"), 5);
  const Message b = make_signed_message(key(2), "t", bytes_of("same"), 5);
  const Message c = make_signed_message(key(1), "t", bytes_of("other"), 6);
  const MessageId id = message_id(a, MessageIdMode::author_seqno);
  CHECK(to_hex(as_bytes(id)) == to_hex(*a.from) + "0000000000000005");
  CHECK(message_id(a, MessageIdMode::author_seqno) != message_id(b, MessageIdMode::author_seqno));
  const MessageId content = message_id(a, MessageIdMode::content);
  CHECK(content.size() == 32);
  const util::Hash h = util::blake2b({as_bytes("same")});
  CHECK(content == MessageId(h.begin(), h.end()));
  CHECK(content == message_id(b, MessageIdMode::content));
  CHECK(content != message_id(c, MessageIdMode::content));
  CHECK(message_id(Message{}, MessageIdMode::author_seqno).empty());
}
