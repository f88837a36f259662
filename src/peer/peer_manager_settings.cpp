#include "peer/peer_manager_settings.hpp"

#include <string>

namespace weft::peer {
namespace {

Error invalid(const std::string& key, const std::string& why) {
  return Error(Errc::config_invalid, "peer_manager." + key + ": " + why);
}

}  // namespace

Result<PeerManagerConfig> to_peer_manager_config(const PeerManagerSettings& s) {
  if (s.low_watermark > s.high_watermark) return invalid("low_watermark", "above high_watermark");
  if (s.max_trims_per_tick == 0) return invalid("max_trims_per_tick", "must be at least 1");
  if (s.tick_interval_ms == 0) return invalid("tick_interval_ms", "must be at least 1");
  if (!(s.dial_backoff_multiplier >= 1.0)) return invalid("dial_backoff_multiplier", "must be at least 1");
  if (s.dial_backoff_min_ms > s.dial_backoff_max_ms) return invalid("dial_backoff_min_ms", "above dial_backoff_max_ms");
  if (!(s.ban_threshold > 0.0)) return invalid("ban_threshold", "must be above 0");

  const auto ms = [](std::uint64_t v) { return milliseconds(static_cast<milliseconds::rep>(v)); };
  PeerManagerConfig c;
  c.low_watermark = s.low_watermark;
  c.high_watermark = s.high_watermark;
  c.grace_period_ms = ms(s.grace_period_ms);
  c.max_trims_per_tick = s.max_trims_per_tick;
  c.tick_interval_ms = ms(s.tick_interval_ms);
  c.max_concurrent_dials = s.max_concurrent_dials;
  c.dial_timeout_ms = ms(s.dial_timeout_ms);
  c.dial_backoff_initial_ms = ms(s.dial_backoff_initial_ms);
  c.dial_backoff_multiplier = s.dial_backoff_multiplier;
  c.dial_backoff_max_ms = ms(s.dial_backoff_max_ms);
  c.dial_backoff_min_ms = ms(s.dial_backoff_min_ms);
  c.penalties = {s.penalty_protocol_violation, s.penalty_bad_handshake_signature, s.penalty_flood,
                 s.penalty_invalid_message, s.penalty_invalid_peer_exchange};
  c.ban_threshold = s.ban_threshold;
  c.penalty_half_life_ms = ms(s.penalty_half_life_ms);
  c.ban_duration_ms = ms(s.ban_duration_ms);
  c.max_banned_peers = s.max_banned_peers;
  c.max_tracked_peers = s.max_tracked_peers;
  return c;
}

InboundGateConfig to_inbound_gate_config(const NodeConfig& config) {
  const InboundSettings& s = config.peer_manager.inbound;
  InboundGateConfig c;
  c.max_connections_per_ipv4 = s.max_connections_per_ipv4;
  c.max_connections_per_ipv6_56 = s.max_connections_per_ipv6_56;
  c.max_pending_handshakes = config.handshake.max_pending_handshakes;
  c.max_pending_handshakes_per_ip = config.handshake.max_pending_handshakes_per_ip;
  c.accept_rate_per_s = s.accept_rate_per_s;
  c.accept_burst = s.accept_burst;
  c.max_banned_ips = s.max_banned_ips;
  return c;
}

Result<PeerExchangeLimits> to_peer_exchange_limits(const PeerExchangeSettings& s) {
  const auto key = [](const char* k) { return std::string("exchange.") + k; };
  if (s.max_peers_per_response == 0) return invalid(key("max_peers_per_response"), "must be at least 1");
  if (s.max_addrs_per_peer == 0) return invalid(key("max_addrs_per_peer"), "must be at least 1");
  if (s.max_addr_bytes < 64) return invalid(key("max_addr_bytes"), "must be at least 64");
  // Upper bounds that keep the size arithmetic below far from overflow.
  if (s.max_peers_per_response > 4096) return invalid(key("max_peers_per_response"), "must be at most 4096");
  if (s.max_addrs_per_peer > 4096) return invalid(key("max_addrs_per_peer"), "must be at most 4096");
  if (s.max_addr_bytes > 65536) return invalid(key("max_addr_bytes"), "must be at most 65536");
  // Each field costs its bytes plus a tag and a length of at most 3 bytes each; a record
  // is a PeerId and its addresses plus its own tag and length (at most 6 bytes).
  const std::size_t field = s.max_addr_bytes + 4;
  const std::size_t record = field * (s.max_addrs_per_peer + 1) + 6;
  const std::size_t needed = record * s.max_peers_per_response;
  if (s.max_message_bytes < needed) {
    return invalid(key("max_message_bytes"), "below " + std::to_string(needed) + ", what a full response may take");
  }
  PeerExchangeLimits l;
  l.max_message_bytes = s.max_message_bytes;
  l.max_peers_per_response = s.max_peers_per_response;
  l.max_addrs_per_peer = s.max_addrs_per_peer;
  l.max_addr_bytes = s.max_addr_bytes;
  return l;
}

Result<PeerstoreConfig> to_peerstore_config(const PeerstoreSettings& s) {
  if (s.flush_interval_ms == 0) return invalid("peerstore.flush_interval_ms", "must be at least 1");
  PeerstoreConfig c;
  c.max_peers = s.max_peers;
  c.max_banned_peers = s.max_banned_peers;
  c.max_addresses_per_peer = s.max_addresses_per_peer;
  c.max_addresses_per_subnet = s.max_addresses_per_subnet;
  c.peer_exchange_ttl_ms = std::chrono::milliseconds(static_cast<std::chrono::milliseconds::rep>(s.peer_exchange_ttl_ms));
  c.inbound_ttl_ms = std::chrono::milliseconds(static_cast<std::chrono::milliseconds::rep>(s.inbound_ttl_ms));
  if (auto valid = validate(c); !valid) return valid.error().with_context("peer_manager.peerstore");
  return c;
}

}  // namespace weft::peer
