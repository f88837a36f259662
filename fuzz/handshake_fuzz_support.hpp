#pragma once
// A deterministic honest handshake for the handshake fuzz targets and their seed generator:
// fixed identities, seeded randomness and a fixed clock, so every run and every seed agree
// on the bytes of each phase.

#include "handshake/handshake_machine.hpp"
#include "util/crypto.hpp"
#include "seeded_random.hpp"  // tests/support

#include <google/protobuf/stubs/logging.h>

#include <array>
#include <memory>
#include <optional>

namespace weft::fuzz {

using namespace weft::handshake;

inline const WallTime kNow{std::chrono::milliseconds(1'700'000'000'000)};

using test::seeded_random;

inline Keypair keypair(std::uint8_t seed) { return Keypair::from_seed(Bytes(32, seed)).value(); }

/// One honest handshake's machines and the four frames, driven in order.
struct HonestRun {
  Keypair initiator_key = keypair(1);
  Keypair responder_key = keypair(2);
  HandshakeConfig config;
  ReplayCache cache;
  HandshakeMachine initiator = HandshakeMachine::initiator(initiator_key, config, seeded_random(11), kNow, {},
                                                           EarlyData{{}, {"/weft/ping/1"}});
  HandshakeMachine responder = HandshakeMachine::responder(responder_key, config, seeded_random(22), cache);
  Bytes hello, hello_ack, auth, finished;

  /// Runs the handshake up to and including phase `through` (1..4).
  explicit HonestRun(int through = 4) {
    hello = initiator.take_output();
    if (through < 2) return;
    (void)responder.put(hello, kNow);
    hello_ack = responder.take_output();
    if (through < 3) return;
    (void)initiator.put(hello_ack, kNow);
    auth = initiator.take_output();
    if (through < 4) return;
    (void)responder.put(auth, kNow);
    finished = responder.take_output();
  }
};

/// Silences protobuf's log lines (e.g. invalid UTF-8 in a string field): not failures.
inline void quiet_protobuf() { google::protobuf::SetLogHandler(nullptr); }

/// Feeds `in` as a driver would: put() until it is all consumed or the machine stops.
inline std::size_t feed(HandshakeMachine& machine, ByteView in) {
  std::size_t used = 0;
  while (used < in.size() && !machine.finished()) {
    auto n = machine.put(in.subspan(used), kNow);
    if (!n || n.value() == 0) break;
    used += n.value();
  }
  return used;
}

inline void check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace weft::fuzz
