#pragma once
// Shared by weft-bench's subcommands: timing and the closing JSON line.

#include <weft/error.hpp>

#include <chrono>
#include <cstdio>
#include <string>

namespace weft::bench {

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// Prints why a benchmark's dial failed.
inline void report_dial_failure(const Error& error) {
  std::fprintf(stderr, "weft-bench: dial failed: %s\n", error.message().c_str());
}

/// `weft-bench handshake`, `channel`, `pool` and `idle` (each prints its figures, then one
/// JSON line).
int run_handshake_bench(int argc, char** argv);
int run_channel_bench(int argc, char** argv);
int run_pool_bench(int argc, char** argv);
int run_idle_bench(int argc, char** argv);
/// `weft-bench gossip` (the js-libp2p gossipsub anchor's method) and its node processes
/// (hidden subcommand `gossip-worker`).
int run_gossip_bench(int argc, char** argv);
int run_gossip_worker(int argc, char** argv);
/// `weft-bench gossip-compare JS_DIR WEFT_DIR`: the race's table (gossip_race.sh).
int run_gossip_compare(int argc, char** argv);
/// The measured side of `weft-bench idle`, run by it in a child process (hidden subcommand).
int run_idle_server(int argc, char** argv);

}  // namespace weft::bench
