// Tests for src/handshake/handshake_machine.cpp: honest handshakes end to end, version
// negotiation, the put() contract (bytes consumed, any split of the input, channel bytes
// after Finished, a finished machine), and tampering with every byte of every phase.
#include "handshake/handshake_machine.hpp"

#include "handshake_test_support.hpp"
#include "test_bytes.hpp"

#include <doctest/doctest.h>

namespace weft::test {
namespace {

using P = HandshakePair;

void check_matching_sessions(const HandshakePair& pair) {
  REQUIRE(pair.both_succeeded());
  const Established& i = P::session(*pair.initiator);
  const Established& r = P::session(*pair.responder);
  CHECK(i.peer == PeerId::from_public_key(pair.responder_key.public_key()));
  CHECK(r.peer == PeerId::from_public_key(pair.initiator_key.public_key()));
  CHECK(i.peer_key == pair.responder_key.public_key());
  CHECK(r.peer_key == pair.initiator_key.public_key());
  CHECK(i.version == r.version);
  CHECK(i.keys.send == r.keys.recv);
  CHECK(i.keys.recv == r.keys.send);
  CHECK_FALSE(i.keys.send == i.keys.recv);
  CHECK(i.peer_early_data == EarlyData{});
}

TEST_CASE("an honest handshake establishes matching keys and delivers early data") {
  HandshakePair pair;
  pair.early_data = {{test::bytes({0x04, 127, 0, 0, 1, 0x06, 0x0f, 0xa1})}, {"/weft/ping/1", "/weft/gossip/1"}};
  pair.expected_peer = PeerId::from_public_key(pair.responder_key.public_key());
  pair.run();
  check_matching_sessions(pair);
  CHECK(P::session(*pair.responder).peer_early_data == pair.early_data);
  CHECK(P::session(*pair.initiator).version == kHandshakeVersion2);  // the highest of the defaults
  REQUIRE(pair.frames.size() == 4);
  CHECK(pair.cache->size() == 1);
}

TEST_CASE("the handshake works in both directions between the same two identities") {
  HandshakePair ab;
  ab.run();
  HandshakePair ba;
  std::swap(ba.initiator_key, ba.responder_key);
  ba.run();
  check_matching_sessions(ab);
  check_matching_sessions(ba);
  CHECK(P::session(*ab.initiator).peer == P::session(*ba.responder).peer);
  CHECK_FALSE(P::session(*ab.initiator).keys.send == P::session(*ba.initiator).keys.send);
}

TEST_CASE("the same inputs give the same session; new randomness gives new keys") {
  HandshakePair a, b, c;
  a.run();
  b.run();
  c.initiator_seed = 99;
  c.run();
  CHECK(P::session(*a.initiator).keys.send == P::session(*b.initiator).keys.send);
  CHECK_FALSE(P::session(*a.initiator).keys.send == P::session(*c.initiator).keys.send);
}

TEST_CASE("the responder picks the highest common version") {
  HandshakePair pair;
  pair.initiator_config.versions = {1, 2, 3, 7};
  pair.responder_config.versions = {5, 3, 2};
  pair.run();
  check_matching_sessions(pair);
  CHECK(P::session(*pair.initiator).version == 3);
}

TEST_CASE("no common version: the responder sends a Reject and both sides fail") {
  HandshakePair pair;
  pair.initiator_config.versions = {1, 2};
  pair.responder_config.versions = {3, 4};
  pair.run();
  REQUIRE(P::failed_with(*pair.responder, Errc::handshake_version_mismatch));
  REQUIRE(P::failed_with(*pair.initiator, Errc::handshake_version_mismatch));
  CHECK(P::failure(*pair.responder).detail() == "initiator speaks [1, 2], we speak [3, 4]");
  CHECK(P::failure(*pair.initiator).detail() == "responder speaks [3, 4], we offered [1, 2]");
  REQUIRE(pair.frames.size() == 2);
  auto ack = parse_hello_ack(ManualPeer::frame_body(pair.frames[1]));
  REQUIRE(ack.has_value());
  REQUIRE(ack.value().reject.has_value());
  CHECK(ack.value().reject->reason == RejectReason::version_mismatch);
  CHECK(ack.value().reject->versions == std::vector<std::uint32_t>{3, 4});
  CHECK(pair.cache->size() == 0);  // refused before the replay cache
}

TEST_CASE("input split at every byte gives the same session on both sides") {
  HandshakePair reference;
  reference.early_data = {{}, {"/weft/ping/1"}};
  reference.run();
  REQUIRE(reference.both_succeeded());
  const std::size_t messages = reference.frames.size();
  for (std::size_t message = 0; message < messages; ++message) {
    for (std::size_t cut = 0; cut <= reference.frames[message].size(); ++cut) {
      CAPTURE(message);
      CAPTURE(cut);
      HandshakePair pair;
      pair.early_data = reference.early_data;
      pair.deliver = [&, message, cut](std::size_t index, ByteView bytes, HandshakeMachine& to, WallTime now) {
        if (index != message) {
          CHECK(to.put(bytes, now).value() == bytes.size());
          return;
        }
        auto first = to.put(bytes.first(cut), now);
        REQUIRE(first.has_value());
        CHECK(first.value() == cut);
        if (cut < bytes.size()) CHECK_FALSE(to.finished());
        auto second = to.put(bytes.subspan(cut), now);
        REQUIRE(second.has_value());
        CHECK(second.value() == bytes.size() - cut);
      };
      pair.run();
      REQUIRE(pair.both_succeeded());
      CHECK(pair.frames == reference.frames);
      CHECK(P::session(*pair.initiator).keys.send == P::session(*reference.initiator).keys.send);
      CHECK(P::session(*pair.responder).keys.send == P::session(*reference.responder).keys.send);
      CHECK(P::session(*pair.responder).peer_early_data == reference.early_data);
    }
  }
}

TEST_CASE("a whole transcript fed one byte at a time") {
  HandshakePair pair;
  pair.deliver = [](std::size_t, ByteView bytes, HandshakeMachine& to, WallTime now) {
    for (std::size_t i = 0; i < bytes.size(); ++i) REQUIRE(to.put(bytes.subspan(i, 1), now).value() == 1);
  };
  pair.run();
  check_matching_sessions(pair);
}

TEST_CASE("bytes after Finished belong to the channel and are not consumed") {
  HandshakePair pair;
  pair.deliver = [](std::size_t index, ByteView bytes, HandshakeMachine& to, WallTime now) {
    if (index != 3) {
      (void)to.put(bytes, now);
      return;
    }
    const Bytes channel = test::bytes({0, 0, 0, 17, 0xAA, 0xBB});
    const Bytes head(bytes.begin(), bytes.begin() + 5);
    REQUIRE(to.put(head, now).value() == 5);
    const Bytes rest = concat(Bytes(bytes.begin() + 5, bytes.end()), channel);
    auto used = to.put(rest, now);
    REQUIRE(used.has_value());
    CHECK(used.value() == bytes.size() - 5);
    CHECK(to.finished());
    CHECK(to.put(channel, now).value() == 0);  // a finished machine consumes nothing
  };
  pair.run();
  check_matching_sessions(pair);
  CHECK(pair.responder->put(test::bytes({1, 2, 3}), kT0).value() == 0);
  CHECK(pair.responder->take_output().empty());
}

TEST_CASE("extra bytes right after a phase, before our reply, are unexpected_data") {
  for (std::size_t message : {0u, 1u, 2u}) {
    CAPTURE(message);
    HandshakePair pair;
    pair.tamper = [message](std::size_t index, Bytes& bytes) {
      if (index == message) bytes.push_back(0x00);
    };
    pair.run();
    HandshakeMachine& victim = message == 1 ? *pair.initiator : *pair.responder;
    REQUIRE(P::failed_with(victim, Errc::handshake_unexpected_data));
    CHECK(P::failure(victim).detail().starts_with("1 bytes after "));
  }
}

TEST_CASE("a byte flipped at any offset of any phase never yields a session") {
  HandshakePair reference;
  reference.run();
  REQUIRE(reference.frames.size() == 4);
  for (std::size_t message = 0; message < 4; ++message) {
    for (std::size_t offset = 0; offset < reference.frames[message].size(); ++offset) {
      for (std::uint8_t mask : {std::uint8_t{0x01}, std::uint8_t{0x80}}) {
        CAPTURE(message);
        CAPTURE(offset);
        CAPTURE(mask);
        HandshakePair pair;
        pair.tamper = [&, message, offset, mask](std::size_t index, Bytes& bytes) {
          if (index == message) bytes[offset] ^= mask;
        };
        pair.run();
        CHECK_FALSE(P::succeeded(*pair.initiator));
        if (message < 3) CHECK_FALSE(P::succeeded(*pair.responder));
        // Either someone refused, or a length grew and the receiver waits (the driver's
        // deadline ends it).
        const bool refused = (pair.initiator->finished() && !P::succeeded(*pair.initiator)) ||
                             (pair.responder->finished() && !P::succeeded(*pair.responder));
        CHECK((refused || !pair.initiator->finished()));
      }
    }
  }
}

TEST_CASE("tampering with Finished is decrypt_failed at the initiator") {
  HandshakePair pair;
  pair.tamper = [](std::size_t index, Bytes& bytes) {
    if (index == 3) bytes.back() ^= 0x01;
  };
  pair.run();
  CHECK(P::succeeded(*pair.responder));
  CHECK(P::failed_with(*pair.initiator, Errc::handshake_decrypt_failed));
}

TEST_CASE("a Finished sealed correctly over a wrong MAC is decrypt_failed") {
  HandshakePair pair;
  pair.start();
  ManualPeer fake(7);
  const Bytes hello = pair.initiator->take_output();
  AcceptMessage accept{1, {}, {}, static_cast<std::uint64_t>(kT0.time_since_epoch().count())};
  const Bytes ack = fake.hello_ack(hello, accept, pair.responder_key.public_key().to_protobuf(), &pair.responder_key);
  REQUIRE(pair.initiator->put(ack, kT0).value() == ack.size());
  const Bytes auth = pair.initiator->take_output();
  REQUIRE_FALSE(auth.empty());
  const util::Hash t4 = transcript_next(fake.t3, auth);
  Bytes sealed;
  util::aead_seal(fake.keys.responder, 1, t4, Bytes(32, 0x00), sealed);  // right key, wrong MAC
  const Bytes finished = frame_message(serialize_finished(sealed));
  CHECK(outcome_of(pair.initiator->put(finished, kT0)) == Errc::handshake_decrypt_failed);
  CHECK(detail_of(*pair.initiator->result()) == "Finished MAC does not match");
}

TEST_CASE("an initiator whose own early data is over the cap fails at once, sending nothing") {
  HandshakePair pair;
  pair.initiator_config.max_early_data_bytes = 8;
  pair.early_data.protocols = {"/a/protocol/longer/than/eight"};
  pair.start();
  CHECK(P::failed_with(*pair.initiator, Errc::handshake_too_large));
  CHECK(pair.initiator->take_output().empty());
  CHECK(pair.initiator->put(test::bytes({1}), kT0).value() == 0);
}

TEST_CASE("roles and a moved machine") {
  HandshakePair pair;
  pair.start();
  CHECK(pair.initiator->role() == Role::initiator);
  CHECK(pair.responder->role() == Role::responder);
  HandshakeMachine moved = std::move(*pair.initiator);
  CHECK(moved.role() == Role::initiator);
  CHECK_FALSE(moved.finished());
  CHECK_FALSE(moved.take_output().empty());
  CHECK(moved.take_output().empty());
}

}  // namespace
}  // namespace weft::test
