#include "handshake/handshake_messages.hpp"

#include "handshake.pb.h"

#include <algorithm>
#include <climits>
#include <string>

namespace weft::handshake {
namespace {

Error malformed(const std::string& detail) { return Error(Errc::handshake_malformed, detail); }

template <class Message>
bool parse_into(Message& message, ByteView bytes) {
  return bytes.size() <= static_cast<std::size_t>(INT_MAX) &&
         message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
}

template <std::size_t N>
Result<std::array<std::uint8_t, N>> fixed_field(const std::string& field, const char* name) {
  if (field.size() != N) {
    return malformed(std::string(name) + " is " + std::to_string(field.size()) + " bytes, want " +
                     std::to_string(N));
  }
  std::array<std::uint8_t, N> out{};
  std::copy(field.begin(), field.end(), out.begin());
  return out;
}

template <class Repeated>
Result<std::vector<std::uint32_t>> version_list(const Repeated& versions, bool allow_empty) {
  if (static_cast<std::size_t>(versions.size()) > kMaxVersions || (!allow_empty && versions.empty())) {
    return malformed(std::to_string(versions.size()) + " versions, want " + (allow_empty ? "0" : "1") + ".." +
                     std::to_string(kMaxVersions));
  }
  return std::vector<std::uint32_t>(versions.begin(), versions.end());
}

Bytes bytes_of(const std::string& s) { return Bytes(s.begin(), s.end()); }
std::string string_of(ByteView b) { return std::string(as_chars(b)); }

template <class Message>
Bytes serialize(const Message& message) {
  Bytes out(message.ByteSizeLong());
  message.SerializeToArray(out.data(), static_cast<int>(out.size()));
  return out;
}

}  // namespace

std::string format_versions(const std::vector<std::uint32_t>& versions) {
  std::string out = "[";
  for (std::size_t i = 0; i < versions.size(); ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(versions[i]);
  }
  return out + "]";
}

Result<HelloMessage> parse_hello(ByteView body) {
  wire::Hello wire;
  if (!parse_into(wire, body)) return malformed("Hello does not parse");
  if (wire.magic() != kHelloMagic) return Error(Errc::handshake_bad_magic, "magic " + std::to_string(wire.magic()));
  HelloMessage hello;
  BOOST_OUTCOME_TRY(versions, version_list(wire.versions(), false));
  BOOST_OUTCOME_TRY(key, fixed_field<kX25519KeyBytes>(wire.ephemeral_key(), "Hello ephemeral_key"));
  BOOST_OUTCOME_TRY(nonce, fixed_field<kNonceBytes>(wire.nonce(), "Hello nonce"));
  hello.versions = std::move(versions);
  hello.ephemeral_key = key;
  hello.nonce = nonce;
  hello.timestamp_ms = wire.timestamp_ms();
  return hello;
}

Result<AcceptMessage> parse_accept(ByteView accept_bytes) {
  wire::Accept wire;
  if (!parse_into(wire, accept_bytes)) return malformed("Accept does not parse");
  BOOST_OUTCOME_TRY(key, fixed_field<kX25519KeyBytes>(wire.ephemeral_key(), "Accept ephemeral_key"));
  BOOST_OUTCOME_TRY(nonce, fixed_field<kNonceBytes>(wire.nonce(), "Accept nonce"));
  AcceptMessage accept;
  accept.version = wire.version();
  accept.ephemeral_key = key;
  accept.nonce = nonce;
  accept.timestamp_ms = wire.timestamp_ms();
  return accept;
}

Result<HelloAckMessage> parse_hello_ack(ByteView body) {
  wire::HelloAck wire;
  if (!parse_into(wire, body)) return malformed("HelloAck does not parse");
  HelloAckMessage ack;
  if (wire.has_reject()) {
    if (!wire.accept().empty() || !wire.sealed_identity().empty()) {
      return malformed("HelloAck has both a reject and an accept");
    }
    const auto& reject = wire.reject();
    if (reject.reason() != wire::Reject::VERSION_MISMATCH && reject.reason() != wire::Reject::CLOCK_SKEW) {
      return malformed("Reject reason " + std::to_string(static_cast<int>(reject.reason())));
    }
    BOOST_OUTCOME_TRY(versions, version_list(reject.versions(), true));
    ack.reject = RejectMessage{static_cast<RejectReason>(reject.reason()), std::move(versions), reject.timestamp_ms()};
    return ack;
  }
  if (wire.sealed_identity().size() < util::kAeadTagBytes) {
    return malformed("HelloAck sealed_identity is " + std::to_string(wire.sealed_identity().size()) + " bytes");
  }
  ack.accept_bytes = bytes_of(wire.accept());
  BOOST_OUTCOME_TRY(accept, parse_accept(ack.accept_bytes));
  ack.accept = accept;
  ack.sealed_identity = bytes_of(wire.sealed_identity());
  return ack;
}

namespace {
Result<IdentityProofMessage> proof_from_wire(const wire::IdentityProof& wire) {
  if (wire.public_key().empty() || wire.public_key().size() > kMaxIdentityKeyBytes) {
    return malformed("identity key is " + std::to_string(wire.public_key().size()) + " bytes");
  }
  BOOST_OUTCOME_TRY(signature, fixed_field<kEd25519SignatureBytes>(wire.signature(), "signature"));
  return IdentityProofMessage{bytes_of(wire.public_key()), signature};
}
}  // namespace

Result<IdentityProofMessage> parse_identity_proof(ByteView plaintext) {
  wire::IdentityProof wire;
  if (!parse_into(wire, plaintext)) return malformed("IdentityProof does not parse");
  return proof_from_wire(wire);
}

Result<Bytes> parse_auth(ByteView body) {
  wire::Auth wire;
  if (!parse_into(wire, body)) return malformed("Auth does not parse");
  if (wire.sealed().size() < util::kAeadTagBytes) {
    return malformed("Auth sealed is " + std::to_string(wire.sealed().size()) + " bytes");
  }
  return bytes_of(wire.sealed());
}

Result<AuthPayloadMessage> parse_auth_payload(ByteView plaintext, std::size_t max_early_data_bytes) {
  wire::AuthPayload wire;
  if (!parse_into(wire, plaintext)) return malformed("AuthPayload does not parse");
  if (!wire.has_proof()) return malformed("AuthPayload has no proof");
  if (wire.early_data().size() > max_early_data_bytes) {
    return malformed("early data is " + std::to_string(wire.early_data().size()) + " bytes, max " +
                     std::to_string(max_early_data_bytes));
  }
  BOOST_OUTCOME_TRY(proof, proof_from_wire(wire.proof()));
  return AuthPayloadMessage{std::move(proof), bytes_of(wire.early_data())};
}

Result<EarlyData> parse_early_data(ByteView early_data) {
  wire::EarlyData wire;
  if (!parse_into(wire, early_data)) return malformed("EarlyData does not parse");
  EarlyData out;
  for (const auto& addr : wire.listen_addrs()) out.listen_addrs.push_back(bytes_of(addr));
  // Protocol ids travel as bytes (protobuf would log every non-UTF-8 string); weft
  // accepts ids of 1..kMaxProtocolIdBytes printable ASCII characters ("/weft/ping/1").
  for (const auto& id : wire.protocols()) {
    const bool printable = std::all_of(id.begin(), id.end(), [](char c) { return c > 0x20 && c < 0x7f; });
    if (id.empty() || id.size() > kMaxProtocolIdBytes || !printable) {
      return malformed("protocol id " + std::to_string(out.protocols.size()) + " is not 1.." +
                       std::to_string(kMaxProtocolIdBytes) + " printable ASCII characters");
    }
    out.protocols.push_back(id);
  }
  return out;
}

Result<Bytes> parse_finished(ByteView body) {
  wire::Finished wire;
  if (!parse_into(wire, body)) return malformed("Finished does not parse");
  if (wire.sealed().size() != kFinishedSealedBytes) {
    return malformed("Finished sealed is " + std::to_string(wire.sealed().size()) + " bytes, want " +
                     std::to_string(kFinishedSealedBytes));
  }
  return bytes_of(wire.sealed());
}

Bytes serialize_hello(const HelloMessage& hello) {
  wire::Hello wire;
  wire.set_magic(kHelloMagic);
  for (auto v : hello.versions) wire.add_versions(v);
  wire.set_ephemeral_key(string_of(hello.ephemeral_key));
  wire.set_nonce(string_of(hello.nonce));
  wire.set_timestamp_ms(hello.timestamp_ms);
  return serialize(wire);
}

Bytes serialize_accept(const AcceptMessage& accept) {
  wire::Accept wire;
  wire.set_version(accept.version);
  wire.set_ephemeral_key(string_of(accept.ephemeral_key));
  wire.set_nonce(string_of(accept.nonce));
  wire.set_timestamp_ms(accept.timestamp_ms);
  return serialize(wire);
}

Bytes serialize_hello_ack_accept(ByteView accept_bytes, ByteView sealed_identity) {
  wire::HelloAck wire;
  wire.set_accept(string_of(accept_bytes));
  wire.set_sealed_identity(string_of(sealed_identity));
  return serialize(wire);
}

Bytes serialize_hello_ack_reject(const RejectMessage& reject) {
  wire::HelloAck wire;
  auto* r = wire.mutable_reject();
  r->set_reason(static_cast<wire::Reject::Reason>(reject.reason));
  for (auto v : reject.versions) r->add_versions(v);
  r->set_timestamp_ms(reject.timestamp_ms);
  return serialize(wire);
}

namespace {
void fill_proof(wire::IdentityProof& wire, const IdentityProofMessage& proof) {
  wire.set_public_key(string_of(proof.public_key));
  wire.set_signature(string_of(proof.signature));
}
}  // namespace

Bytes serialize_identity_proof(const IdentityProofMessage& proof) {
  wire::IdentityProof wire;
  fill_proof(wire, proof);
  return serialize(wire);
}

Bytes serialize_auth(ByteView sealed) {
  wire::Auth wire;
  wire.set_sealed(string_of(sealed));
  return serialize(wire);
}

Bytes serialize_auth_payload(const AuthPayloadMessage& payload) {
  wire::AuthPayload wire;
  fill_proof(*wire.mutable_proof(), payload.proof);
  wire.set_early_data(string_of(payload.early_data));
  return serialize(wire);
}

Bytes serialize_early_data(const EarlyData& early_data) {
  wire::EarlyData wire;
  for (const auto& addr : early_data.listen_addrs) wire.add_listen_addrs(string_of(addr));
  for (const auto& protocol : early_data.protocols) wire.add_protocols(protocol);
  return serialize(wire);
}

Bytes serialize_finished(ByteView sealed) {
  wire::Finished wire;
  wire.set_sealed(string_of(sealed));
  return serialize(wire);
}

}  // namespace weft::handshake
