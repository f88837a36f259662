// The pubsub RPC codec: libp2p field numbers byte for byte, field presence kept, every
// limit hit exactly (at the limit passes, one past fails with its own error) both in
// decode_rpc and check_rpc_limits, and malformed wire data refused.

#include "gossip/rpc_codec.hpp"

#include "identity/varint.hpp"
#include "test_bytes.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace weft;
using namespace weft::gossip;
using weft::test::bytes;
using weft::test::bytes_of;
using weft::test::outcome_of;
using weft::test::to_hex;

namespace {

MessagePtr message(std::string topic, std::string data) {
  Message m;
  m.from = bytes({0x00, 0x01, 0x02});
  m.data = bytes_of(data);
  m.seqno = bytes({0, 0, 0, 0, 0, 0, 0, 7});
  m.topic = std::move(topic);
  m.signature = Bytes(64, 0xAB);
  m.key = bytes({0x08, 0x01});
  return std::make_shared<const Message>(std::move(m));
}

Rpc full_rpc() {
  Rpc r;
  r.subscriptions = {{true, "blocks"}, {false, "old"}};
  r.publish = {message("blocks", "hello"), message("txs", std::string(300, 'x'))};
  r.control.ihave = {{"blocks", {"id1", std::string("\xff\x00\x01", 3)}}};
  r.control.iwant = {{{"id2", "id3"}}};
  r.control.graft = {{"blocks"}};
  r.control.prune = {{"txs", {{bytes({1, 2}), bytes({3})}, {bytes({4}), {}}}, 60}};
  r.control.idontwant = {{{"id4"}}};
  return r;
}

// A length-delimited protobuf field.
Bytes field(std::uint32_t number, const Bytes& payload) {
  Bytes out;
  identity::append_uvarint(out, (std::uint64_t{number} << 3) | 2);
  identity::append_uvarint(out, payload.size());
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}
Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}
Bytes repeat(const Bytes& part, std::size_t n) {
  Bytes out;
  for (std::size_t i = 0; i < n; ++i) out.insert(out.end(), part.begin(), part.end());
  return out;
}

RpcLimits small_limits() {
  RpcLimits l;
  l.max_rpc_bytes = 4096;
  l.max_message_bytes = 100;
  l.max_topic_bytes = 8;
  l.max_subscriptions_per_rpc = 3;
  l.max_messages_per_rpc = 2;
  l.max_control_entries_per_rpc = 4;
  l.max_ids_per_control_entry = 5;
  return l;
}

// The same limit checked on the wire (decode_rpc) and in memory (check_rpc_limits).
void check_both(const Rpc& rpc, const RpcLimits& limits, Errc expected) {
  CHECK(outcome_of(decode_rpc(encode_rpc(rpc), limits)) == expected);
  CHECK(outcome_of(check_rpc_limits(rpc, limits)) == expected);
}
void check_both_ok(const Rpc& rpc, const RpcLimits& limits) {
  CHECK(outcome_of(decode_rpc(encode_rpc(rpc), limits)).ok());
  CHECK(outcome_of(check_rpc_limits(rpc, limits)).ok());
}

}  // namespace

TEST_CASE("rpc codec: a full RPC round-trips") {
  const Rpc r = full_rpc();
  auto back = decode_rpc(encode_rpc(r), RpcLimits{});
  REQUIRE(back.has_value());
  CHECK(back.value() == r);
  CHECK(!back.value().empty());
  CHECK(Rpc{}.empty());
  auto empty = decode_rpc({}, RpcLimits{});
  REQUIRE(empty.has_value());
  CHECK(empty.value().empty());
}

TEST_CASE("rpc codec: libp2p field numbers on the wire") {
  Rpc sub;
  sub.subscriptions = {{true, "a"}};
  // RPC.subscriptions(1) { subscribe(1)=1, topicid(2)="a" }
  CHECK(to_hex(encode_rpc(sub)) == "0a050801120161");

  Rpc ctl;
  ctl.control.graft = {{"t"}};
  ctl.control.idontwant = {{{"i"}}};
  // RPC.control(3) { graft(3){topicID(1)="t"}, idontwant(5){messageIDs(1)="i"} }
  CHECK(to_hex(encode_rpc(ctl)) == "1a0a1a030a01742a030a0169");

  Message m;
  m.from = bytes({0xAA});
  m.data = bytes({0xBB});
  m.seqno = bytes({0xCC});
  m.topic = "t";
  m.signature = bytes({0xDD});
  m.key = bytes({0xEE});
  // Message{from(1), data(2), seqno(3), topic(4), signature(5), key(6)}
  Rpc pub;
  pub.publish = {std::make_shared<const Message>(m)};
  CHECK(to_hex(encode_rpc(pub)) == "1212" "0a01aa" "1201bb" "1a01cc" "220174" "2a01dd" "3201ee");
  // The signed form: fields 1-4 only, in field order.
  CHECK(to_hex(encode_message_for_signing(m)) == "0a01aa1201bb1a01cc220174");

  Rpc prune;
  prune.control.prune = {{"t", {{bytes({1}), {}}}, 60}};
  // ControlPrune{topicID(1)="t", peers(2)=PeerInfo{peerID(1)=01}, backoff(3)=60}
  CHECK(to_hex(encode_rpc(prune)) == "1a0c220a0a017412030a0101183c");
}

TEST_CASE("rpc codec: field presence is kept (it is part of the signed bytes)") {
  Message absent;
  absent.topic = "t";
  Message empty = absent;
  empty.data = Bytes{};
  CHECK(encode_message_for_signing(absent) != encode_message_for_signing(empty));
  Rpc r;
  r.publish = {std::make_shared<const Message>(absent), std::make_shared<const Message>(empty)};
  auto back = decode_rpc(encode_rpc(r), RpcLimits{});
  REQUIRE(back.has_value());
  CHECK_FALSE(back.value().publish[0]->data.has_value());
  REQUIRE(back.value().publish[1]->data.has_value());
  CHECK(back.value().publish[1]->data->empty());
  CHECK_FALSE(back.value().publish[0]->from.has_value());
}

TEST_CASE("rpc codec: bytes that are not UTF-8 in topics and ids decode") {
  Rpc r;
  r.subscriptions = {{true, std::string("\xff\xfe", 2)}};
  r.control.iwant = {{{std::string("\x00\xc3\x28", 3)}}};
  auto back = decode_rpc(encode_rpc(r), RpcLimits{});
  REQUIRE(back.has_value());
  CHECK(back.value() == r);
}

TEST_CASE("rpc codec: unknown fields are skipped") {
  const Bytes body = cat({field(9, bytes({1, 2, 3})), encode_rpc(full_rpc()), bytes({0x58, 0x05})});
  auto back = decode_rpc(body, RpcLimits{});
  REQUIRE(back.has_value());
  CHECK(back.value() == full_rpc());
}

TEST_CASE("rpc codec: RPC size limit") {
  RpcLimits l;
  l.max_rpc_bytes = 7;
  Rpc sub;
  sub.subscriptions = {{true, "a"}};  // encodes to 7 bytes
  REQUIRE(encode_rpc(sub).size() == 7);
  CHECK(outcome_of(decode_rpc(encode_rpc(sub), l)).ok());
  l.max_rpc_bytes = 6;
  CHECK(outcome_of(decode_rpc(encode_rpc(sub), l)) == Errc::gossip_rpc_too_large);
}

TEST_CASE("rpc codec: message size limit") {
  const RpcLimits l = small_limits();
  Rpc r;
  r.publish = {message("t", std::string(100, 'x'))};
  check_both_ok(r, l);
  r.publish = {message("t", std::string(101, 'x'))};
  check_both(r, l, Errc::gossip_message_too_large);
}

TEST_CASE("rpc codec: topic length limit, wherever a topic appears") {
  const RpcLimits l = small_limits();
  const std::string ok(8, 't'), long_topic(9, 't');
  Rpc r;
  r.subscriptions = {{true, ok}};
  check_both_ok(r, l);
  r.subscriptions = {{true, long_topic}};
  check_both(r, l, Errc::gossip_topic_too_long);

  r = Rpc{};
  r.publish = {message(ok, "d")};
  check_both_ok(r, l);
  r.publish = {message(long_topic, "d")};
  check_both(r, l, Errc::gossip_topic_too_long);

  r = Rpc{};
  r.control.ihave = {{ok, {"a"}}};
  check_both_ok(r, l);
  r.control.ihave = {{long_topic, {"a"}}};
  check_both(r, l, Errc::gossip_topic_too_long);

  r = Rpc{};
  r.control.graft = {{ok}};
  check_both_ok(r, l);
  r.control.graft = {{long_topic}};
  check_both(r, l, Errc::gossip_topic_too_long);

  r = Rpc{};
  r.control.prune = {{ok, {}, std::nullopt}};
  check_both_ok(r, l);
  r.control.prune = {{long_topic, {}, std::nullopt}};
  check_both(r, l, Errc::gossip_topic_too_long);
}

TEST_CASE("rpc codec: subscriptions per RPC limit") {
  const RpcLimits l = small_limits();
  Rpc r;
  r.subscriptions = {{true, "a"}, {true, "b"}, {false, "c"}};
  check_both_ok(r, l);
  r.subscriptions.push_back({true, "d"});
  check_both(r, l, Errc::gossip_too_many_subscriptions);
}

TEST_CASE("rpc codec: messages per RPC limit") {
  const RpcLimits l = small_limits();
  Rpc r;
  r.publish = {message("t", "1"), message("t", "2")};
  check_both_ok(r, l);
  r.publish.push_back(message("t", "3"));
  check_both(r, l, Errc::gossip_too_many_messages);
}

TEST_CASE("rpc codec: control entries per RPC limit counts every kind and PX peers") {
  const RpcLimits l = small_limits();  // 4 entries
  Rpc r;
  r.control.ihave = {{"t", {"a"}}};
  r.control.iwant = {{{"b"}}};
  r.control.graft = {{"t"}};
  r.control.idontwant = {{{"c"}}};
  check_both_ok(r, l);
  Rpc five = r;
  five.control.prune = {{"t", {}, std::nullopt}};
  check_both(five, l, Errc::gossip_too_many_control);

  Rpc px;
  px.control.prune = {{"t", {{bytes({1}), {}}, {bytes({2}), {}}, {bytes({3}), {}}}, 10}};  // 1 + 3
  check_both_ok(px, l);
  px.control.prune[0].peers.push_back({bytes({4}), {}});
  check_both(px, l, Errc::gossip_too_many_control);

  // Control split across several `control` fields still counts as one RPC's entries.
  Rpc one;
  one.control.graft = {{"t"}, {"u"}, {"v"}};
  Rpc two;
  two.control.graft = {{"w"}, {"x"}};
  const Bytes merged = cat({encode_rpc(one), encode_rpc(two)});
  CHECK(outcome_of(decode_rpc(merged, l)) == Errc::gossip_too_many_control);
  RpcLimits roomy = l;
  roomy.max_control_entries_per_rpc = 5;
  auto back = decode_rpc(merged, roomy);
  REQUIRE(back.has_value());
  CHECK(back.value().control.graft.size() == 5);
}

TEST_CASE("rpc codec: message ids per control entry limit, for IHAVE, IWANT and IDONTWANT") {
  const RpcLimits l = small_limits();  // 5 ids
  const std::vector<MessageId> five{"1", "2", "3", "4", "5"};
  std::vector<MessageId> six = five;
  six.push_back("6");
  Rpc r;
  r.control.ihave = {{"t", five}};
  check_both_ok(r, l);
  r.control.ihave = {{"t", six}};
  check_both(r, l, Errc::gossip_too_many_ids);
  r = Rpc{};
  r.control.iwant = {{five}};
  check_both_ok(r, l);
  r.control.iwant = {{six}};
  check_both(r, l, Errc::gossip_too_many_ids);
  r = Rpc{};
  r.control.idontwant = {{five}};
  check_both_ok(r, l);
  r.control.idontwant = {{six}};
  check_both(r, l, Errc::gossip_too_many_ids);
}

TEST_CASE("rpc codec: the wire walk refuses before protobuf allocates") {
  // 100,000 empty subscriptions in 200 KB: refused at the 257th by the walk.
  const Bytes body = repeat(field(1, {}), 100'000);
  CHECK(outcome_of(decode_rpc(body, RpcLimits{})) == Errc::gossip_too_many_subscriptions);
  CHECK(weft::test::detail_of(decode_rpc(body, RpcLimits{})) == "more than 256 subscriptions");
}

TEST_CASE("rpc codec: malformed wire data") {
  const RpcLimits l;
  const Errc bad = Errc::gossip_rpc_malformed;
  CHECK(outcome_of(decode_rpc(bytes({0x0a}), l)) == bad);              // length missing
  CHECK(outcome_of(decode_rpc(bytes({0x0a, 0x05, 0x08}), l)) == bad);  // length past the end
  CHECK(outcome_of(decode_rpc(bytes({0x00, 0x01}), l)) == bad);        // field number 0
  CHECK(outcome_of(decode_rpc(bytes({0x0b}), l)) == bad);              // start group
  CHECK(outcome_of(decode_rpc(bytes({0x0f}), l)) == bad);              // wire type 7
  CHECK(outcome_of(decode_rpc(bytes({0x09, 1, 2, 3}), l)) == bad);     // fixed64 truncated
  CHECK(outcome_of(decode_rpc(bytes({0x0d, 1, 2, 3}), l)) == bad);     // fixed32 truncated
  CHECK(outcome_of(decode_rpc(bytes({0x08, 0x80}), l)) == bad);        // varint truncated
  CHECK(outcome_of(decode_rpc(repeat(bytes({0x80}), 10), l)) == bad);  // varint too long
  CHECK(outcome_of(decode_rpc(cat({bytes({0x08}), repeat(bytes({0xFF}), 9), bytes({0x02})}), l)) == bad);
  // Nested: a subscription whose body is broken.
  CHECK(outcome_of(decode_rpc(field(1, bytes({0x12, 0x09})), l)) == bad);
  CHECK(outcome_of(decode_rpc(field(3, field(1, bytes({0x12}))), l)) == bad);
  // Wire-valid but not an RPC protobuf can parse: subscribe(1) as a length-delimited field
  // of a SubOpts is unknown-field-compatible, while a nested message with a bad group is not.
  CHECK(outcome_of(decode_rpc(field(3, field(4, bytes({0x13}))), l)) == bad);
  // Fixed-width fields are skipped by the walk and accepted as unknown by protobuf.
  CHECK(outcome_of(decode_rpc(bytes({0x49, 1, 2, 3, 4, 5, 6, 7, 8, 0x4d, 1, 2, 3, 4}), l)).ok());
}

TEST_CASE("rpc codec: framed encoding is a minimal uvarint length then the body") {
  const Rpc r = full_rpc();
  const Bytes body = encode_rpc(r);
  const Bytes frame = encode_rpc_frame(r);
  auto prefix = identity::decode_uvarint(frame);
  REQUIRE(prefix.has_value());
  CHECK(prefix.value().value == body.size());
  CHECK(Bytes(frame.begin() + static_cast<std::ptrdiff_t>(prefix.value().length), frame.end()) == body);
}

TEST_CASE("rpc codec: estimated_rpc_bytes is an upper bound") {
  Rpc sub;
  sub.subscriptions = {{true, "a"}};
  for (const Rpc& r : {full_rpc(), Rpc{}, sub}) CHECK(estimated_rpc_bytes(r) >= encode_rpc(r).size());
  Rpc big;
  big.publish = {message("t", std::string(200'000, 'x'))};
  CHECK(estimated_rpc_bytes(big) >= encode_rpc(big).size());
  CHECK(estimated_rpc_bytes(big) < encode_rpc(big).size() + 200);
}
