// Writes the seed corpora of the handshake fuzz targets (valid messages of a deterministic
// honest handshake) into fuzz/corpus/. Built with -Dfuzz=true; run by hand when the wire
// format changes:  build-fuzz/fuzz/make_handshake_seeds fuzz/corpus
#include "handshake/handshake_framing.hpp"
#include "handshake/handshake_messages.hpp"
#include "handshake_fuzz_support.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

using namespace weft;
using namespace weft::fuzz;

namespace {

std::filesystem::path root;

void write(const std::string& target, const std::string& name, std::uint8_t selector, ByteView body) {
  const auto dir = root / target;
  std::filesystem::create_directories(dir);
  std::ofstream out(dir / name, std::ios::binary);
  out.put(static_cast<char>(selector));
  out.write(reinterpret_cast<const char*>(body.data()), static_cast<std::streamsize>(body.size()));
}

ByteView body(const Bytes& frame) {
  std::size_t prefix = 1;
  while (frame[prefix - 1] & 0x80) ++prefix;
  return ByteView(frame).subspan(prefix);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_handshake_seeds CORPUS_DIR\n";
    return 2;
  }
  root = argv[1];
  const HonestRun run(4);
  // HonestRun(4) stops once the responder has sent Finished.
  if (!run.responder.finished() || !run.responder.result()->has_value()) {
    std::cerr << "the honest handshake failed\n";
    return 1;
  }
  // Responder: Hello (selector 0), Auth after an accepted Hello (selector 1).
  write("handshake_responder", "hello", 0, run.hello);
  write("handshake_responder", "auth", 1, run.auth);
  // Initiator: HelloAck (0), Finished after an accepted HelloAck (1), a Reject (0).
  write("handshake_initiator", "hello_ack", 0, run.hello_ack);
  write("handshake_initiator", "finished", 1, run.finished);
  write("handshake_initiator", "reject", 0,
        frame_message(serialize_hello_ack_reject({RejectReason::version_mismatch, {2, 3}, 1'700'000'000'000})));
  // Messages: selector = parser (see handshake_messages.cpp).
  write("handshake_messages", "frame_hello_ack", 0, run.hello_ack);
  write("handshake_messages", "hello", 1, body(run.hello));
  write("handshake_messages", "hello_ack", 2, body(run.hello_ack));
  const auto ack = parse_hello_ack(body(run.hello_ack)).value();
  write("handshake_messages", "accept", 3, ack.accept_bytes);
  IdentityProofMessage proof{run.responder_key.public_key().to_protobuf(), run.responder_key.sign(Bytes{1})};
  write("handshake_messages", "identity_proof", 4, serialize_identity_proof(proof));
  write("handshake_messages", "auth", 5, body(run.auth));
  const Bytes early = serialize_early_data({{Bytes{0x04, 127, 0, 0, 1, 0x06, 0x0f, 0xa1}}, {"/weft/ping/1"}});
  write("handshake_messages", "auth_payload", 6, serialize_auth_payload({proof, early}));
  write("handshake_messages", "early_data", 7, early);
  write("handshake_messages", "finished", 8, body(run.finished));
  write("handshake_messages", "reject", 2,
        serialize_hello_ack_reject({RejectReason::clock_skew, {1}, 1'700'000'000'000}));
  return 0;
}
