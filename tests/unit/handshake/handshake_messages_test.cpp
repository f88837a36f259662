// Tests for src/handshake/handshake_messages.cpp: every parser round-trips its serializer
// and refuses wrong field sizes and garbage.
#include "handshake/handshake_messages.hpp"

#include "test_bytes.hpp"

#include <doctest/doctest.h>

namespace weft::test {
namespace {

using namespace weft::handshake;

HelloMessage sample_hello() {
  HelloMessage h;
  h.versions = {1, 2};
  h.ephemeral_key.fill(5);
  h.nonce.fill(6);
  h.timestamp_ms = 1234;
  return h;
}

TEST_CASE("Hello round-trips; the checks come in the documented order") {
  auto parsed = parse_hello(serialize_hello(sample_hello()));
  REQUIRE(parsed.has_value());
  CHECK(parsed.value().versions == std::vector<std::uint32_t>{1, 2});
  CHECK(parsed.value().nonce == sample_hello().nonce);
  CHECK(parsed.value().timestamp_ms == 1234);
  CHECK(outcome_of(parse_hello(bytes({0xFF}))) == Errc::handshake_malformed);
  CHECK(outcome_of(parse_hello(bytes({}))) == Errc::handshake_bad_magic);
  HelloMessage many = sample_hello();
  many.versions.assign(17, 1);
  CHECK(outcome_of(parse_hello(serialize_hello(many))) == Errc::handshake_malformed);
  many.versions.assign(16, 1);
  CHECK(parse_hello(serialize_hello(many)).has_value());
}

TEST_CASE("HelloAck: accept, reject, and neither") {
  AcceptMessage accept{3, {}, {}, 99};
  accept.ephemeral_key.fill(1);
  accept.nonce.fill(2);
  const Bytes accept_bytes = serialize_accept(accept);
  auto ack = parse_hello_ack(serialize_hello_ack_accept(accept_bytes, Bytes(16, 0)));
  REQUIRE(ack.has_value());
  CHECK_FALSE(ack.value().reject.has_value());
  CHECK(ack.value().accept_bytes == accept_bytes);
  CHECK(ack.value().accept.version == 3);
  CHECK(outcome_of(parse_hello_ack(serialize_hello_ack_accept(accept_bytes, Bytes(15, 0)))) ==
        Errc::handshake_malformed);
  CHECK(outcome_of(parse_hello_ack(serialize_hello_ack_accept(bytes({0x12, 0x01, 0x00}), Bytes(16, 0)))) ==
        Errc::handshake_malformed);
  auto reject = parse_hello_ack(serialize_hello_ack_reject({RejectReason::clock_skew, {1, 4}, 77}));
  REQUIRE(reject.has_value());
  REQUIRE(reject.value().reject.has_value());
  CHECK(reject.value().reject->versions == std::vector<std::uint32_t>{1, 4});
  CHECK(reject.value().reject->timestamp_ms == 77);
  CHECK(outcome_of(parse_hello_ack(bytes({0x1A, 0x00}))) == Errc::handshake_malformed);  // reason 0
  CHECK(outcome_of(parse_hello_ack(bytes({}))) == Errc::handshake_malformed);
}

TEST_CASE("IdentityProof, Auth, AuthPayload, EarlyData and Finished") {
  IdentityProofMessage proof{Bytes(36, 1), {}};
  proof.signature.fill(2);
  auto p = parse_identity_proof(serialize_identity_proof(proof));
  REQUIRE(p.has_value());
  CHECK(p.value().public_key == proof.public_key);
  CHECK(outcome_of(parse_identity_proof(serialize_identity_proof({Bytes(65, 1), proof.signature}))) ==
        Errc::handshake_malformed);
  CHECK(outcome_of(parse_identity_proof(bytes({0x12, 0x01, 0x00}))) == Errc::handshake_malformed);

  CHECK(parse_auth(serialize_auth(Bytes(16, 0))).value() == Bytes(16, 0));
  CHECK(outcome_of(parse_auth(serialize_auth(Bytes(15, 0)))) == Errc::handshake_malformed);

  const EarlyData early{{bytes({4, 1, 2, 3, 4})}, {"/a", "/b"}};
  const Bytes early_bytes = serialize_early_data(early);
  auto payload = parse_auth_payload(serialize_auth_payload({proof, early_bytes}), early_bytes.size());
  REQUIRE(payload.has_value());
  CHECK(payload.value().early_data == early_bytes);
  CHECK(parse_early_data(payload.value().early_data).value() == early);
  CHECK(outcome_of(parse_auth_payload(serialize_auth_payload({proof, early_bytes}), early_bytes.size() - 1)) ==
        Errc::handshake_malformed);
  CHECK(outcome_of(parse_auth_payload(bytes({0x12, 0x00}), 10)) == Errc::handshake_malformed);  // no proof
  CHECK(outcome_of(parse_early_data(bytes({0x12, 0x01, 0xFF}))) == Errc::handshake_malformed);  // not ASCII
  CHECK(outcome_of(parse_early_data(bytes({0x12, 0x01, ' '}))) == Errc::handshake_malformed);   // not printable
  CHECK(outcome_of(parse_early_data(bytes({0x12, 0x00}))) == Errc::handshake_malformed);        // empty id
  CHECK(parse_early_data(bytes({0x12, 0x01, 'a'})).value().protocols == std::vector<std::string>{"a"});
  {
    Bytes longest{0x12, 0x80, 0x02};  // field 2, length 256
    longest.resize(3 + 256, 'p');
    CHECK(parse_early_data(longest).has_value());
    Bytes too_long{0x12, 0x81, 0x02};  // length 257
    too_long.resize(3 + 257, 'p');
    CHECK(outcome_of(parse_early_data(too_long)) == Errc::handshake_malformed);
  }

  CHECK(parse_finished(serialize_finished(Bytes(48, 3))).has_value());
  CHECK(outcome_of(parse_finished(serialize_finished(Bytes(49, 3)))) == Errc::handshake_malformed);
}

TEST_CASE("format_versions") {
  CHECK(format_versions({}) == "[]");
  CHECK(format_versions({1, 22}) == "[1, 22]");
}

}  // namespace
}  // namespace weft::test
