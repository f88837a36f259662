// libFuzzer target: every handshake message parser, and the capped frame reader, on
// untrusted bytes. The first byte picks the parser; the rest is its input. Invariant: what
// parses re-serializes to something that parses to the same values.
#include "handshake/handshake_framing.hpp"
#include "handshake/handshake_messages.hpp"
#include "handshake_fuzz_support.hpp"

#include <cstddef>
#include <cstdint>

using namespace weft;
using namespace weft::handshake;
using weft::fuzz::check;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  weft::fuzz::quiet_protobuf();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const ByteView in(data + 1, size - 1);
  switch (data[0] % 9) {
    case 0: {
      FrameReader reader(kHelloAckCapBytes);
      auto step = reader.put(in);
      if (step && step.value().complete) check(reader.body().size() <= kHelloAckCapBytes);
      if (step) check(step.value().consumed <= in.size());
      break;
    }
    case 1:
      if (auto m = parse_hello(in)) {
        auto again = parse_hello(serialize_hello(m.value()));
        check(again && again.value().nonce == m.value().nonce && again.value().versions == m.value().versions);
      }
      break;
    case 2:
      if (auto m = parse_hello_ack(in); m && !m.value().reject) {
        check(parse_hello_ack(serialize_hello_ack_accept(m.value().accept_bytes, m.value().sealed_identity)).has_value());
      }
      break;
    case 3:
      if (auto m = parse_accept(in)) check(parse_accept(serialize_accept(m.value())).has_value());
      break;
    case 4:
      if (auto m = parse_identity_proof(in)) {
        auto again = parse_identity_proof(serialize_identity_proof(m.value()));
        check(again && again.value().public_key == m.value().public_key);
      }
      break;
    case 5:
      if (auto m = parse_auth(in)) check(parse_auth(serialize_auth(m.value())).value() == m.value());
      break;
    case 6:
      if (auto m = parse_auth_payload(in, 4096)) {
        check(parse_auth_payload(serialize_auth_payload(m.value()), 4096).value().early_data == m.value().early_data);
      }
      break;
    case 7:
      if (auto m = parse_early_data(in)) check(parse_early_data(serialize_early_data(m.value())).value() == m.value());
      break;
    case 8:
      if (auto m = parse_finished(in)) check(parse_finished(serialize_finished(m.value())).value() == m.value());
      break;
  }
  return 0;
}
