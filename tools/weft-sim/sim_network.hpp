#pragma once
// The simulated network: links and the nodes' upload.
//
// - A link joins two nodes both ways. Its one-way latency is drawn once, uniformly from
//   [latency_min, latency_max], and stays fixed, so RPCs on a link arrive in the order they
//   were sent (like a stream).
// - Loss drops a whole RPC with probability `loss`, drawn per RPC (the worst case of a
//   lossy path: the gossip layer, not a transport, has to recover).
// - Each node has one upload of `bandwidth_bps` bits/s shared by all its links (0:
//   unlimited): an RPC occupies it for size x 8 / bandwidth, in the order sent.
// - A link can go down (churn): everything in flight on it is lost; it counts epochs so a
//   late arrival can tell.

#include "event_queue.hpp"
#include "sim_rng.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace weft::sim {

struct NetworkParams {
  SimTime latency_min = 30 * kMillisecond;
  SimTime latency_max = 70 * kMillisecond;
  double loss = 0.0;            ///< probability that one RPC is lost, in [0, 1]
  double bandwidth_bps = 0.0;   ///< upload per node, bits per second; 0 = unlimited
};

/// What became of one RPC handed to send().
struct Transmission {
  bool lost = false;
  SimTime arrival = 0;       ///< when it reaches the other end (if not lost)
  std::uint32_t epoch = 0;   ///< the link's epoch at sending
};

class SimNetwork {
 public:
  SimNetwork(std::size_t nodes, NetworkParams params, std::uint64_t seed);

  /// Joins `a` and `b` (a new link, up); returns its index. The latency is drawn here.
  std::uint32_t add_link(std::uint32_t a, std::uint32_t b);
  /// The link joining a and b, if any (linear in a's links).
  std::optional<std::uint32_t> link_between(std::uint32_t a, std::uint32_t b) const;
  /// Each node's links: (neighbour, link index), in the order added.
  const std::vector<std::pair<std::uint32_t, std::uint32_t>>& links_of(std::uint32_t node) const {
    return adjacency_[node];
  }
  SimTime latency(std::uint32_t link) const { return links_[link].latency; }
  /// The nodes a link joins, in the order given to add_link.
  std::pair<std::uint32_t, std::uint32_t> ends(std::uint32_t link) const { return {links_[link].a, links_[link].b}; }
  bool up(std::uint32_t link) const { return links_[link].up; }
  /// Takes a link down (what is in flight on it is lost) or back up.
  void set_up(std::uint32_t link, bool up);
  /// True when an RPC sent in `epoch` may still arrive (the link did not go down since).
  bool alive(std::uint32_t link, std::uint32_t epoch) const {
    return links_[link].up && links_[link].epoch == epoch;
  }

  /// When `node`'s upload can start the next RPC (<= now: idle).
  SimTime upload_free_at(std::uint32_t node) const { return upload_free_at_[node]; }
  bool unlimited_bandwidth() const noexcept { return params_.bandwidth_bps <= 0; }

  /// Sends `bytes` from `from` over `link` at `now`: occupies the upload (from the later of
  /// now and when it frees), then the link's latency; the loss draw happens here. The link
  /// must be up.
  Transmission send(std::uint32_t from, std::uint32_t link, std::size_t bytes, SimTime now);

  std::size_t link_count() const noexcept { return links_.size(); }
  const NetworkParams& params() const noexcept { return params_; }

 private:
  struct Link {
    std::uint32_t a = 0, b = 0;
    SimTime latency = 0;
    bool up = true;
    std::uint32_t epoch = 0;
  };
  NetworkParams params_;
  SimRng rng_;
  std::vector<Link> links_;
  std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> adjacency_;
  std::vector<SimTime> upload_free_at_;
};

}  // namespace weft::sim
