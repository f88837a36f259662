// Tests for src/handshake/handshake_initiator.cpp: every check the initiator makes on
// HelloAck, against hand-built responders and men in the middle.
#include "handshake/handshake_machine.hpp"

#include "handshake_test_support.hpp"
#include "test_bytes.hpp"

#include <doctest/doctest.h>

namespace weft::test {
namespace {

using P = HandshakePair;

std::uint64_t ms(WallTime t) { return static_cast<std::uint64_t>(t.time_since_epoch().count()); }

struct Initiator {
  Keypair key = keypair(1);
  Keypair responder_key = keypair(2);
  HandshakeConfig config;
  std::optional<PeerId> expected;
  std::optional<HandshakeMachine> machine;
  Bytes hello;
  ManualPeer fake{7};

  void start() {
    machine.emplace(HandshakeMachine::initiator(key, config, seeded_random(11), kT0, expected));
    hello = machine->take_output();
  }
  Bytes ack(AcceptMessage accept) {
    return fake.hello_ack(hello, accept, responder_key.public_key().to_protobuf(), &responder_key);
  }
  auto put(const Bytes& bytes, WallTime now = kT0) { return machine->put(bytes, now); }
};

AcceptMessage accept_v(std::uint32_t version, WallTime now = kT0) { return {version, {}, {}, ms(now)}; }

TEST_CASE("a hand-built HelloAck is accepted and answered with Auth") {
  Initiator i;
  i.start();
  const Bytes ack = i.ack(accept_v(1));
  CHECK(i.put(ack).value() == ack.size());
  CHECK_FALSE(i.machine->take_output().empty());
}

TEST_CASE("a version the initiator did not offer") {
  Initiator i;
  i.config.versions = {1, 2};
  i.start();
  CHECK(outcome_of(i.put(i.ack(accept_v(3)))) == Errc::handshake_version_mismatch);
  CHECK(detail_of(*i.machine->result()) == "responder chose version 3, we offered [1, 2]");
}

TEST_CASE("the initiator checks the responder's timestamp, inclusive window") {
  for (std::int64_t skew : {300'000, -300'000}) {
    Initiator i;
    i.start();
    CHECK(i.put(i.ack(accept_v(1, at(skew)))).has_value());
  }
  for (std::int64_t skew : {300'001, -300'001}) {
    CAPTURE(skew);
    Initiator i;
    i.start();
    CHECK(outcome_of(i.put(i.ack(accept_v(1, at(skew))))) == Errc::handshake_clock_skew);
    CHECK(detail_of(*i.machine->result()).starts_with("skew 300001 ms, window ±300000 ms"));
  }
}

TEST_CASE("a HelloAck that arrives after the window has passed is clock skew") {
  HandshakePair pair;
  pair.initiator_now = kT0;
  pair.start();
  pair.initiator_now = at(300'001);  // the initiator's clock when the HelloAck arrives
  pair.pump();
  CHECK(P::succeeded(*pair.responder) == false);
  CHECK(P::failed_with(*pair.initiator, Errc::handshake_clock_skew));
}

TEST_CASE("a CLOCK_SKEW reject the initiator cannot confirm still fails with clock_skew") {
  Initiator i;
  i.start();
  const Bytes reject = frame_message(serialize_hello_ack_reject({RejectReason::clock_skew, {1}, ms(kT0)}));
  CHECK(outcome_of(i.put(reject)) == Errc::handshake_clock_skew);
  CHECK(detail_of(*i.machine->result()).starts_with("responder rejected our clock; we measure"));
}

TEST_CASE("a low-order responder ephemeral key is bad_key, before anything is opened") {
  for (const X25519Key& key : low_order_keys()) {
    Initiator i;
    i.start();
    AcceptMessage accept = accept_v(1);
    accept.ephemeral_key = key;
    const Bytes ack = frame_message(serialize_hello_ack_accept(serialize_accept(accept), Bytes(120, 0)));
    CHECK(outcome_of(i.put(ack)) == Errc::handshake_bad_key);
  }
}

TEST_CASE("sealed_identity that does not open is decrypt_failed") {
  Initiator i;
  i.start();
  AcceptMessage accept = accept_v(1);
  accept.ephemeral_key = i.fake.ephemeral_public;
  const Bytes ack = frame_message(serialize_hello_ack_accept(serialize_accept(accept), Bytes(120, 0)));
  CHECK(outcome_of(i.put(ack)) == Errc::handshake_decrypt_failed);
}

TEST_CASE("an invalid responder identity key is bad_key") {
  Initiator i;
  i.start();
  const Bytes ack = i.fake.hello_ack(i.hello, accept_v(1), invalid_identity_key(), nullptr, Signature{});
  CHECK(outcome_of(i.put(ack)) == Errc::handshake_bad_key);
}

TEST_CASE("a malformed identity proof inside a valid seal is malformed") {
  Initiator i;
  i.start();
  const Bytes ack = i.fake.hello_ack(i.hello, accept_v(1), Bytes{}, nullptr, Signature{});
  CHECK(outcome_of(i.put(ack)) == Errc::handshake_malformed);
}

TEST_CASE("dialing ourselves") {
  HandshakePair pair;
  pair.responder_key = pair.initiator_key;
  pair.run();
  CHECK(P::failed_with(*pair.initiator, Errc::handshake_self_dial));
  CHECK_FALSE(pair.responder->finished());  // it waits for an Auth that never comes
}

TEST_CASE("a responder other than the PeerId dialed") {
  HandshakePair pair;
  const PeerId wanted = PeerId::from_public_key(keypair(3).public_key());
  pair.expected_peer = wanted;
  pair.run();
  REQUIRE(P::failed_with(*pair.initiator, Errc::handshake_peer_id_mismatch));
  const PeerId got = PeerId::from_public_key(pair.responder_key.public_key());
  CHECK(P::failure(*pair.initiator).detail() == "expected " + wanted.to_string() + ", got " + got.to_string());
  CHECK(pair.frames.size() == 2);  // no Auth: our identity is never revealed to it
}

TEST_CASE("a responder signature by another key is bad_signature") {
  Initiator i;
  i.start();
  const Keypair other = keypair(8);
  const Bytes ack = i.fake.hello_ack(i.hello, accept_v(1), i.responder_key.public_key().to_protobuf(), &other);
  CHECK(outcome_of(i.put(ack)) == Errc::handshake_bad_signature);
}

/// A full man in the middle: its own ephemeral key towards each side, so it can open the
/// responder's identity proof and re-seal it for the initiator. `edit` changes the Hello
/// it forwards. Returns the initiator's outcome.
void run_mitm(HandshakePair& pair, const std::function<void(HelloMessage&)>& edit) {
  pair.start();
  const Bytes hello_i = pair.initiator->take_output();
  HelloMessage hello = parse_hello(ManualPeer::frame_body(hello_i)).value();
  ManualPeer to_responder(201), to_initiator(202);
  hello.ephemeral_key = to_responder.ephemeral_public;
  edit(hello);
  const Bytes hello_r = frame_message(serialize_hello(hello));
  to_responder.t1 = transcript_start(hello_r);
  REQUIRE(pair.responder->put(hello_r, kT0).has_value());
  const Bytes ack_r = pair.responder->take_output();
  to_responder.on_hello_ack(ack_r);
  const HelloAckMessage ack = parse_hello_ack(ManualPeer::frame_body(ack_r)).value();
  auto plaintext = util::aead_open(to_responder.keys.responder, 0, to_responder.t2, ack.sealed_identity);
  REQUIRE(plaintext.has_value());  // the MITM reads the responder's proof...
  const IdentityProofMessage proof = parse_identity_proof(*plaintext).value();
  AcceptMessage accept = ack.accept;
  accept.ephemeral_key = to_initiator.ephemeral_public;
  // ...and re-seals it for the initiator, which opens it but finds the signature is over
  // another transcript.
  const Bytes ack_i = to_initiator.hello_ack(hello_i, accept, proof.public_key, nullptr, proof.signature);
  (void)pair.initiator->put(ack_i, kT0);
}

TEST_CASE("a man in the middle that swaps the ephemeral keys: bad_signature") {
  HandshakePair pair;
  run_mitm(pair, [](HelloMessage&) {});
  CHECK(P::failed_with(*pair.initiator, Errc::handshake_bad_signature));
}

TEST_CASE("a downgrade: the MITM strips the initiator's best version: bad_signature") {
  HandshakePair pair;
  pair.initiator_config.versions = {1, 2};
  pair.responder_config.versions = {1, 2};
  run_mitm(pair, [](HelloMessage& hello) { hello.versions = {1}; });
  CHECK(P::failed_with(*pair.initiator, Errc::handshake_bad_signature));
}

TEST_CASE("a naive swap of the Hello ephemeral key (no re-sealing) fails to open") {
  HandshakePair pair;
  pair.tamper = [](std::size_t index, Bytes& bytes) {
    if (index != 0) return;
    HelloMessage hello = parse_hello(ManualPeer::frame_body(bytes)).value();
    hello.ephemeral_key = ManualPeer(99).ephemeral_public;
    bytes = frame_message(serialize_hello(hello));
  };
  pair.run();
  CHECK(P::failed_with(*pair.initiator, Errc::handshake_decrypt_failed));
}

TEST_CASE("HelloAck framing and parse failures") {
  SUBCASE("a length above 512") {
    Initiator i;
    i.start();
    CHECK(outcome_of(i.put(test::bytes({0x81, 0x04}))) == Errc::handshake_too_large);
  }
  SUBCASE("an overflowing varint") {
    Initiator i;
    i.start();
    CHECK(outcome_of(i.put(Bytes(10, 0xFF))) == Errc::handshake_too_large);
  }
  SUBCASE("a reject and an accept together") {
    Initiator i;
    i.start();
    Bytes body = serialize_hello_ack_reject({RejectReason::version_mismatch, {2}, 0});
    body = concat(body, test::bytes({0x0A, 0x01, 0x00}));  // field 1 (accept), 1 byte
    CHECK(outcome_of(i.put(frame_message(body))) == Errc::handshake_malformed);
  }
  SUBCASE("bytes after HelloAck") {
    Initiator i;
    i.start();
    CHECK(outcome_of(i.put(concat(i.ack(accept_v(1)), test::bytes({0})))) == Errc::handshake_unexpected_data);
  }
  SUBCASE("an empty HelloAck") {
    Initiator i;
    i.start();
    CHECK(outcome_of(i.put(test::bytes({0}))) == Errc::handshake_malformed);
  }
}

TEST_CASE("Finished framing: cap 128 and exact sealed size") {
  HandshakePair pair;
  pair.tamper = [](std::size_t index, Bytes& bytes) {
    if (index == 3) bytes = test::bytes({0x81, 0x01});  // 129
  };
  pair.run();
  CHECK(P::failed_with(*pair.initiator, Errc::handshake_too_large));
  HandshakePair short_mac;
  short_mac.tamper = [](std::size_t index, Bytes& bytes) {
    if (index == 3) bytes = frame_message(serialize_finished(Bytes(47, 0)));
  };
  short_mac.run();
  CHECK(P::failed_with(*short_mac.initiator, Errc::handshake_malformed));
}

}  // namespace
}  // namespace weft::test
