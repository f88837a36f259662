#pragma once
// Peer scores (gossipsub v1.1 "The Score Function"):
//   score = min(cap, sum over topics of weight_t * (w1 P1 + w2 P2 + w3 P3 + w3b P3b + w4 P4))
//           + w5 P5 + w6 P6 + w7 P7
// The router reports events (grafts, prunes, deliveries, invalid messages, penalties);
// refresh() decays the counters once per decay interval. A disconnected peer's score is
// kept for retain_score_ms unless it was positive, so a misbehaving peer cannot reset it by
// reconnecting. Memory is bounded: retained peers and per-message records have caps.

#include <weft/peer_id.hpp>

#include "gossip/gossip_time.hpp"
#include "gossip/rpc.hpp"
#include "gossip/score_params.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

namespace weft::gossip {

class PeerScore {
 public:
  explicit PeerScore(PeerScoreParams params);

  void add_peer(const PeerId& peer, const std::string& ip, TimePoint now);
  void remove_peer(const PeerId& peer, TimePoint now);
  void graft(const PeerId& peer, const TopicId& topic, TimePoint now);
  void prune(const PeerId& peer, const TopicId& topic, TimePoint now);

  /// A message seen for the first time (signature checked) goes to validation.
  void validate_message(const MessageId& id, TimePoint now);
  /// The first copy's sender after Accept: P2 and P3 for it, P3 for copies that came
  /// during validation.
  void deliver_message(const PeerId& source, const MessageId& id, const TopicId& topic, TimePoint now);
  /// Reject: P4 for the source and for every peer that sent a copy during validation.
  void reject_message(const PeerId& source, const MessageId& id, const TopicId& topic, TimePoint now);
  /// Ignore: no score change; later copies are neutral too.
  void ignore_message(const MessageId& id, TimePoint now);
  /// A message that fails its signature checks: P4 for the sender only (its id proves nothing).
  void invalid_message(const PeerId& peer, const TopicId& topic);
  /// A copy of a message already seen: near-first credit (P3), P4 if it was rejected.
  void duplicate_message(const PeerId& peer, const MessageId& id, const TopicId& topic, TimePoint now);

  /// P7: `count` behaviour penalties.
  void add_penalty(const PeerId& peer, double count);
  /// P5: the application's score for the peer.
  void set_app_score(const PeerId& peer, double value);

  /// Decays the counters and expires retained peers and records. Call once per decay
  /// interval (the router does it in its heartbeat).
  void refresh(TimePoint now);

  double score(const PeerId& peer, TimePoint now) const;

  const PeerScoreParams& params() const noexcept { return params_; }
  std::size_t tracked_peers() const noexcept { return peers_.size(); }
  std::size_t delivery_records() const noexcept { return records_.size(); }
  std::uint64_t retained_evicted() const noexcept { return retained_evicted_; }
  std::uint64_t records_evicted() const noexcept { return records_evicted_; }

 private:
  struct TopicStats {
    bool in_mesh = false;
    TimePoint graft_time{};
    double first_deliveries = 0;
    double mesh_deliveries = 0;
    double mesh_failure_penalty = 0;
    double invalid_deliveries = 0;
  };
  struct PeerStats {
    bool connected = true;
    TimePoint expires{};     ///< when a retained (disconnected) record is forgotten
    std::string ip;
    double behaviour_penalty = 0;
    double app_score = 0;
    std::map<TopicId, TopicStats> topics;
  };
  enum class Status { validating, valid, invalid, ignored };
  struct Record {
    Status status = Status::validating;
    TimePoint first_seen{};
    TimePoint validated{};
    std::set<PeerId> peers;  ///< copies that arrived while validating
  };

  const TopicScoreParams* topic_params(const TopicId& topic) const;
  TopicStats* topic_stats(const PeerId& peer, const TopicId& topic);
  void mark_first_delivery(const PeerId& peer, const TopicId& topic);
  void mark_near_first(const PeerId& peer, const TopicId& topic);
  void mark_invalid(const PeerId& peer, const TopicId& topic);
  void apply_mesh_failure(const TopicScoreParams& p, TopicStats& s, TimePoint now) const;
  double mesh_deficit(const TopicScoreParams& p, const TopicStats& s, TimePoint now) const;
  void drop_ip(const PeerId& peer, const std::string& ip);

  PeerScoreParams params_;
  std::map<PeerId, PeerStats> peers_;
  std::map<std::string, std::set<PeerId>> peers_by_ip_;  ///< connected peers only
  std::unordered_map<MessageId, Record> records_;
  std::deque<std::pair<TimePoint, MessageId>> record_order_;  ///< oldest first
  std::uint64_t retained_evicted_ = 0;
  std::uint64_t records_evicted_ = 0;
};

}  // namespace weft::gossip
