// Tests for src/handshake/handshake_responder.cpp: every check the responder makes on
// Hello and Auth, in the documented order, against hand-built initiators.
#include "handshake/handshake_machine.hpp"

#include "handshake.pb.h"
#include "handshake_test_support.hpp"
#include "test_bytes.hpp"

#include <doctest/doctest.h>

namespace weft::test {
namespace {

using P = HandshakePair;

struct Responder {
  explicit Responder(std::uint8_t seed = 22) : machine(HandshakeMachine::responder(key, config, seeded_random(seed), cache)) {}
  Keypair key = keypair(2);
  HandshakeConfig config;
  ReplayCache cache;
  HandshakeMachine machine;
};

Bytes framed_hello(const wire::Hello& hello) {
  Bytes body(hello.ByteSizeLong());
  hello.SerializeToArray(body.data(), static_cast<int>(body.size()));
  return frame_message(body);
}

wire::Hello valid_wire_hello() {
  wire::Hello hello;
  hello.set_magic(kHelloMagic);
  hello.add_versions(1);
  hello.set_ephemeral_key(std::string(32, 'k'));
  hello.set_nonce(std::string(32, 'n'));
  hello.set_timestamp_ms(static_cast<std::uint64_t>(kT0.time_since_epoch().count()));
  return hello;
}

TEST_CASE("a valid hand-built Hello is accepted") {
  Responder r;
  CHECK(r.machine.put(framed_hello(valid_wire_hello()), kT0).has_value());
  CHECK_FALSE(r.machine.finished());
  CHECK_FALSE(r.machine.take_output().empty());
}

TEST_CASE("Hello: bad magic, malformed fields and too many versions, with no reply") {
  SUBCASE("bad magic") {
    auto hello = valid_wire_hello();
    hello.set_magic(0x77656675);
    Responder r;
    CHECK(outcome_of(r.machine.put(framed_hello(hello), kT0)) == Errc::handshake_bad_magic);
  }
  SUBCASE("no magic at all") {
    auto hello = valid_wire_hello();
    hello.clear_magic();
    Responder r;
    CHECK(outcome_of(r.machine.put(framed_hello(hello), kT0)) == Errc::handshake_bad_magic);
  }
  SUBCASE("magic is checked before field sizes") {
    auto hello = valid_wire_hello();
    hello.set_magic(1);
    hello.set_nonce("short");
    Responder r;
    CHECK(outcome_of(r.machine.put(framed_hello(hello), kT0)) == Errc::handshake_bad_magic);
  }
  SUBCASE("nonce of 31 bytes") {
    auto hello = valid_wire_hello();
    hello.set_nonce(std::string(31, 'n'));
    Responder r;
    CHECK(outcome_of(r.machine.put(framed_hello(hello), kT0)) == Errc::handshake_malformed);
  }
  SUBCASE("ephemeral key of 33 bytes") {
    auto hello = valid_wire_hello();
    hello.set_ephemeral_key(std::string(33, 'k'));
    Responder r;
    CHECK(outcome_of(r.machine.put(framed_hello(hello), kT0)) == Errc::handshake_malformed);
  }
  SUBCASE("no versions") {
    auto hello = valid_wire_hello();
    hello.clear_versions();
    Responder r;
    CHECK(outcome_of(r.machine.put(framed_hello(hello), kT0)) == Errc::handshake_malformed);
  }
  SUBCASE("17 versions") {
    auto hello = valid_wire_hello();
    for (int i = 0; i < 16; ++i) hello.add_versions(100 + i);
    Responder r;
    CHECK(outcome_of(r.machine.put(framed_hello(hello), kT0)) == Errc::handshake_malformed);
  }
  SUBCASE("not a protobuf") {
    Responder r;
    CHECK(outcome_of(r.machine.put(test::bytes({3, 0xFF, 0xFF, 0xFF}), kT0)) == Errc::handshake_malformed);
  }
  Responder unused;
  CHECK(unused.cache.size() == 0);
}

TEST_CASE("Hello framing: caps and varints, refused before the body arrives") {
  SUBCASE("a length one above the cap") {
    Responder r;
    Bytes prefix;
    prefix.push_back(0x81);
    prefix.push_back(0x02);  // 257
    CHECK(outcome_of(r.machine.put(prefix, kT0)) == Errc::handshake_too_large);
    CHECK(detail_of(*r.machine.result()) == "Hello: length 257, cap 256 bytes");
  }
  SUBCASE("a length of exactly the cap waits for the body") {
    Responder r;
    CHECK(r.machine.put(test::bytes({0x80, 0x02}), kT0).value() == 2);
    CHECK_FALSE(r.machine.finished());
  }
  SUBCASE("0xFF... is refused at the second byte, before it could overflow") {
    Responder r;
    CHECK(r.machine.put(test::bytes({0xFF}), kT0).value() == 1);
    CHECK(outcome_of(r.machine.put(test::bytes({0xFF}), kT0)) == Errc::handshake_too_large);
  }
  SUBCASE("a non-minimal length") {
    Responder r;
    CHECK(outcome_of(r.machine.put(test::bytes({0x80, 0x00}), kT0)) == Errc::handshake_malformed);
  }
  SUBCASE("an empty Hello has no magic") {
    Responder r;
    CHECK(outcome_of(r.machine.put(test::bytes({0x00}), kT0)) == Errc::handshake_bad_magic);
  }
}

TEST_CASE("clock skew: exactly at the window is accepted, 1 ms past is rejected with a Reject") {
  for (std::int64_t direction : {1, -1}) {
    CAPTURE(direction);
    HandshakePair edge;
    edge.responder_now = at(direction * 300'000);
    edge.run();
    CHECK(edge.both_succeeded());

    HandshakePair past;
    past.responder_now = at(direction * 300'001);
    past.run();
    REQUIRE(P::failed_with(*past.responder, Errc::handshake_clock_skew));
    REQUIRE(P::failed_with(*past.initiator, Errc::handshake_clock_skew));
    const std::string side = direction > 0 ? "behind" : "ahead";
    CHECK(P::failure(*past.responder).detail() == "skew 300001 ms, window ±300000 ms (peer " + side + ")");
    CHECK(P::failure(*past.initiator).detail().starts_with("responder rejected our clock: skew 300001 ms"));
    auto ack = parse_hello_ack(ManualPeer::frame_body(past.frames[1])).value();
    REQUIRE(ack.reject.has_value());
    CHECK(ack.reject->reason == RejectReason::clock_skew);
    CHECK(ack.reject->timestamp_ms == static_cast<std::uint64_t>(past.responder_now.time_since_epoch().count()));
    CHECK(past.cache->size() == 0);
  }
}

TEST_CASE("a configured window is honoured") {
  HandshakePair pair;
  pair.responder_config.max_clock_skew_ms = 1000;
  pair.initiator_config.max_clock_skew_ms = 1000;
  pair.responder_now = at(1001);
  pair.run();
  CHECK(P::failed_with(*pair.responder, Errc::handshake_clock_skew));
}

TEST_CASE("a replayed Hello is refused by the shared nonce cache, before any DH") {
  HandshakePair first;
  first.run();
  REQUIRE(first.both_succeeded());
  Responder second;
  ReplayCache& shared = *first.cache;
  auto replay = HandshakeMachine::responder(second.key, second.config, seeded_random(5), shared);
  CHECK(outcome_of(replay.put(first.frames[0], at(1000))) == Errc::handshake_replayed_nonce);
  CHECK(replay.take_output().empty());
  // A listener with a fresh cache would accept it (the Auth replay test covers what follows).
  CHECK(second.machine.put(first.frames[0], at(1000)).has_value());
}

TEST_CASE("a replayed Auth into a new responder fails to open") {
  HandshakePair first;
  first.run();
  REQUIRE(first.both_succeeded());
  // Its own cache, so the Hello passes. (With the first responder's randomness it would
  // draw the same ephemeral key, and the Auth would open: the protection is the fresh key.)
  Responder fresh(23);
  REQUIRE(fresh.machine.put(first.frames[0], kT0).has_value());
  CHECK(outcome_of(fresh.machine.put(first.frames[2], kT0)) == Errc::handshake_decrypt_failed);
}

TEST_CASE("a low-order ephemeral key in Hello is bad_key") {
  for (const X25519Key& key : low_order_keys()) {
    Responder r;
    ManualPeer peer(3);
    CHECK(outcome_of(r.machine.put(peer.hello(kT0, {1}, key), kT0)) == Errc::handshake_bad_key);
    CHECK(r.machine.take_output().empty());
  }
}

struct AuthFixture {
  Responder r;
  ManualPeer peer{3};
  Keypair initiator_key = keypair(1);
  AuthFixture() {
    REQUIRE(r.machine.put(peer.hello(kT0), kT0).has_value());
    peer.on_hello_ack(r.machine.take_output());
  }
};

TEST_CASE("Auth checks: each in its order") {
  SUBCASE("honest hand-built Auth is accepted") {
    AuthFixture f;
    const Bytes early = serialize_early_data({{}, {"/x"}});
    CHECK(f.r.machine.put(f.peer.auth_by(f.initiator_key, early), kT0).has_value());
    REQUIRE(P::succeeded(f.r.machine));
    CHECK(P::session(f.r.machine).peer_early_data.protocols == std::vector<std::string>{"/x"});
  }
  SUBCASE("an invalid identity key") {
    AuthFixture f;
    CHECK(outcome_of(f.r.machine.put(f.peer.auth(invalid_identity_key(), Signature{}, {}), kT0)) ==
          Errc::handshake_bad_key);
  }
  SUBCASE("our own identity key (self-dial)") {
    AuthFixture f;
    CHECK(outcome_of(f.r.machine.put(f.peer.auth_by(f.r.key, {}), kT0)) == Errc::handshake_self_dial);
  }
  SUBCASE("a signature by another key") {
    AuthFixture f;
    const Keypair other = keypair(9);
    const Signature wrong = other.sign(initiator_signed_bytes(f.peer.t3, {}));
    CHECK(outcome_of(f.r.machine.put(f.peer.auth(f.initiator_key.public_key().to_protobuf(), wrong, {}), kT0)) ==
          Errc::handshake_bad_signature);
  }
  SUBCASE("a signature over other early data") {
    AuthFixture f;
    const Bytes early = serialize_early_data({{}, {"/x"}});
    const Signature sig = f.initiator_key.sign(initiator_signed_bytes(f.peer.t3, {}));
    CHECK(outcome_of(f.r.machine.put(f.peer.auth(f.initiator_key.public_key().to_protobuf(), sig, early), kT0)) ==
          Errc::handshake_bad_signature);
  }
  SUBCASE("signed early data that does not parse") {
    AuthFixture f;
    CHECK(outcome_of(f.r.machine.put(f.peer.auth_by(f.initiator_key, test::bytes({0xFF})), kT0)) ==
          Errc::handshake_malformed);
  }
  SUBCASE("early data over the responder's cap") {
    AuthFixture f;
    const Bytes early = serialize_early_data({{Bytes(4100, 1)}, {}});
    CHECK(outcome_of(f.r.machine.put(f.peer.auth_by(f.initiator_key, early), kT0)) == Errc::handshake_malformed);
  }
  SUBCASE("an Auth that does not parse") {
    AuthFixture f;
    CHECK(outcome_of(f.r.machine.put(test::bytes({2, 0x0A, 0x05}), kT0)) == Errc::handshake_malformed);
  }
  SUBCASE("an Auth whose sealed part is shorter than a tag") {
    AuthFixture f;
    CHECK(outcome_of(f.r.machine.put(frame_message(serialize_auth(Bytes(15, 0))), kT0)) ==
          Errc::handshake_malformed);
  }
  SUBCASE("an Auth length above max_early_data_bytes + 512") {
    AuthFixture f;
    Bytes prefix;
    prefix.push_back(0x81);
    prefix.push_back(0x24);  // 4609
    CHECK(outcome_of(f.r.machine.put(prefix, kT0)) == Errc::handshake_too_large);
  }
  SUBCASE("bytes after Auth") {
    AuthFixture f;
    const Bytes auth = concat(f.peer.auth_by(f.initiator_key, {}), test::bytes({0}));
    CHECK(outcome_of(f.r.machine.put(auth, kT0)) == Errc::handshake_unexpected_data);
  }
}

}  // namespace
}  // namespace weft::test
