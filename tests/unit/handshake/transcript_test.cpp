// Tests for src/handshake/transcript.cpp: the hash chain, X25519, the key schedule and the
// signed bytes, checked against libsodium called directly.
#include "handshake/transcript.hpp"

#include "test_bytes.hpp"

#include <doctest/doctest.h>
#include <sodium.h>

namespace weft::test {
namespace {

using namespace weft::handshake;

util::SecretKey secret(std::uint8_t b) {
  util::SecretKey k;
  k.bytes().fill(b);
  return k;
}

TEST_CASE("T1 is BLAKE2b-256 of the label and the frame; T(n+1) chains") {
  const Bytes frame = bytes({1, 2, 3});
  const util::Hash t1 = transcript_start(frame);
  Bytes input = bytes_of("weft/handshake/1");
  input.insert(input.end(), frame.begin(), frame.end());
  util::Hash direct{};
  crypto_generichash(direct.data(), direct.size(), input.data(), input.size(), nullptr, 0);
  CHECK(t1 == direct);
  CHECK(transcript_next(t1, frame) == util::blake2b({t1, frame}));
  CHECK_FALSE(transcript_next(t1, frame) == transcript_next(t1, bytes({1, 2, 4})));
}

TEST_CASE("X25519 agreement is symmetric; low-order keys are refused") {
  const util::SecretKey a = secret(1), b = secret(2);
  const auto ab = x25519_shared(a, x25519_public(b));
  const auto ba = x25519_shared(b, x25519_public(a));
  REQUIRE(ab.has_value());
  REQUIRE(ba.has_value());
  CHECK(*ab == *ba);
  CHECK_FALSE(x25519_shared(a, X25519Key{}).has_value());
}

TEST_CASE("handshake and session keys are distinct, and each side's send is the other's recv") {
  const util::SecretKey dh = secret(7);
  const util::Hash t{};
  const HandshakeKeys keys = derive_handshake_keys(dh, t);
  CHECK_FALSE(keys.initiator == keys.responder);
  CHECK_FALSE(keys.finished == keys.responder);
  CHECK(keys.responder == kdf(dh, "weft/hs/r2i", t));
  const auto i = derive_session_keys(dh, t, true);
  const auto r = derive_session_keys(dh, t, false);
  CHECK(i.send == r.recv);
  CHECK(i.recv == r.send);
  CHECK(i.send == kdf(dh, "weft/session/i2r", t));
  CHECK_FALSE(finished_mac(keys.finished, t) == finished_mac(keys.responder, t));
}

TEST_CASE("the signed bytes are the label, the transcript and (initiator) H(early data)") {
  util::Hash t{};
  t.fill(0x33);
  const Bytes r = responder_signed_bytes(t);
  CHECK(r.size() == std::string_view("weft/handshake/1 responder").size() + 32);
  const Bytes i = initiator_signed_bytes(t, bytes({9}));
  CHECK(i.size() == std::string_view("weft/handshake/1 initiator").size() + 64);
  CHECK_FALSE(i == initiator_signed_bytes(t, bytes({8})));
}

}  // namespace
}  // namespace weft::test
