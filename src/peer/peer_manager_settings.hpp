#pragma once
// NodeConfig's peer manager settings (public, include/weft/node_config.hpp) onto the
// configs of src/peer, with the checks that keep them consistent. The composition root
// calls these; nothing else reads PeerManagerSettings.

#include <weft/error.hpp>
#include <weft/node_config.hpp>

#include "peer/peer_exchange.hpp"
#include "peer/peer_manager_config.hpp"
#include "peer/peerstore.hpp"

namespace weft::peer {

/// Errors: config_invalid naming the key — low_watermark above high_watermark; a zero
/// max_trims_per_tick or tick_interval_ms; dial_backoff_multiplier below 1;
/// dial_backoff_min_ms above dial_backoff_max_ms; ban_threshold not above 0.
Result<PeerManagerConfig> to_peer_manager_config(const PeerManagerSettings& settings);

/// The gate's limits; the pending-handshake caps come from config.handshake.
InboundGateConfig to_inbound_gate_config(const NodeConfig& config);

/// Errors: config_invalid naming the key — a zero count; max_addr_bytes below 64 (a
/// PeerId must fit); max_message_bytes too small for a full response under the other
/// limits (so that every sample we choose encodes).
Result<PeerExchangeLimits> to_peer_exchange_limits(const PeerExchangeSettings& settings);

/// Errors: config_invalid naming the key (peerstore.*): what peer::validate refuses, and a
/// zero flush_interval_ms.
Result<PeerstoreConfig> to_peerstore_config(const PeerstoreSettings& settings);

}  // namespace weft::peer
