// A child process for the kill -9 test (peerstore_db_test.cpp): opens the peerstore at
// argv[1], loads it, then rewrites it in a tight loop, one generation per flush, until
// killed. Generation g leaves, in one transaction:
//   - kStablePeers peers, each with successes == g and protocols {"gen/<g>", "peer/<i>"};
//   - exactly one churn peer, numbered kChurnBase + g (the previous one removed).
// After each committed flush it prints "flushed <g>" and flushes stdout, so the test knows
// the last generation that must have survived.

#include "peer/peerstore.hpp"
#include "peer/peerstore_db.hpp"

#include "peer_test_support.hpp"

#include <chrono>
#include <cstdio>
#include <string>

using namespace weft;
using namespace weft::peer;

namespace {
constexpr std::uint32_t kStablePeers = 20;
constexpr std::uint32_t kChurnBase = 1'000'000;
}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: peerstore_writer PATH\n");
    return 2;
  }
  Peerstore store;
  auto db = PeerstoreDb::open(argv[1]);
  if (!db) {
    std::fprintf(stderr, "open: %s\n", db.error().message().c_str());
    return 3;
  }
  // Far-future TTLs: nothing expires while the test runs, whatever the clock says.
  const auto now = std::chrono::system_clock::now();
  if (auto loaded = db.value().load(store, now); !loaded) {
    std::fprintf(stderr, "load: %s\n", loaded.error().message().c_str());
    return 4;
  }
  std::uint32_t generation = 0;
  if (const PeerRecord* first = store.find(test::numbered_peer(0))) generation = first->successes;

  for (;;) {
    ++generation;
    for (std::uint32_t i = 0; i < kStablePeers; ++i) {
      const PeerId peer = test::numbered_peer(i);
      store.add_addresses(peer, {test::subnet_address(i)}, AddressSource::config, std::nullopt, now);
      store.record_connected(peer, now);
      // successes == generation also when a store written by an earlier run lost nothing.
      if (store.find(peer)->successes != generation) {
        std::fprintf(stderr, "peer %u: successes %u, generation %u\n", i, store.find(peer)->successes, generation);
        return 5;
      }
      store.set_protocols(peer, {"gen/" + std::to_string(generation), "peer/" + std::to_string(i)});
    }
    store.remove(test::numbered_peer(kChurnBase + generation - 1));
    store.add_addresses(test::numbered_peer(kChurnBase + generation), {test::subnet_address(kStablePeers)},
                        AddressSource::config, std::nullopt, now);
    if (auto flushed = db.value().flush(store); !flushed) {
      std::fprintf(stderr, "flush: %s\n", flushed.error().message().c_str());
      return 6;
    }
    std::printf("flushed %u\n", generation);
    std::fflush(stdout);
  }
}
