#pragma once
// The peer exchange protocol's messages (protocol/peer_exchange.proto) and the answering
// side's cut of its sample to the limits. Pure functions: no I/O, no clock, no randomness
// (the sample comes from the peerstore).
//
// Decoding policy (docs/peer_manager.md, "Peer exchange"):
//  - Over a limit (message size, records, addresses per record, bytes per address or
//    PeerId) or not a valid protobuf: the whole message is refused with an error. These are
//    checked by walking the wire format before protobuf allocates anything; the caller
//    reports the sender (MisbehaviourKind::invalid_peer_exchange).
//  - Within the limits, entries that do not validate are dropped and counted, the rest
//    kept: a PeerId that PeerId::from_bytes rejects drops its record; a multiaddr that
//    Multiaddr::from_bytes rejects, or whose /p2p/ names another peer, or that repeats one
//    before it, is dropped; a record left without addresses, or naming a peer an earlier
//    record named, is dropped. (A newer peer may send address kinds we do not parse yet;
//    that is no reason to throw away the rest.)

#include <weft/bytes.hpp>
#include <weft/error.hpp>
#include <weft/multiaddr.hpp>
#include <weft/peer_id.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace weft::peer {

inline constexpr std::string_view kPeerExchangeProtocol = "/weft/px/1.0.0";

struct PeerExchangeLimits {
  /// Bytes of one encoded response. The default holds max_peers_per_response records of
  /// max_addrs_per_peer addresses of max_addr_bytes each (about 68 KB) with room to spare.
  std::size_t max_message_bytes = 96 * 1024;
  /// Bytes of one encoded request (it has one small field).
  std::size_t max_request_bytes = 64;
  /// Records in one response; also the most a request may get.
  std::size_t max_peers_per_response = 32;
  std::size_t max_addrs_per_peer = 8;
  /// Bytes of one binary multiaddr, and of one PeerId.
  std::size_t max_addr_bytes = 256;
};

struct PeerExchangeRequest {
  /// How many peers the asker wants; 0 (or more than max_peers_per_response) means
  /// max_peers_per_response.
  std::uint32_t max_peers = 0;
};

struct ExchangeRecord {
  PeerId peer;
  std::vector<Multiaddr> addrs;  ///< best first

  friend bool operator==(const ExchangeRecord&, const ExchangeRecord&) = default;
};

struct PeerExchangeResponse {
  std::vector<ExchangeRecord> peers;
};

/// A decoded response and what validation dropped from it.
struct DecodedPeerExchange {
  PeerExchangeResponse response;
  std::size_t dropped_records = 0;  ///< bad or repeated PeerId, or no valid address left
  std::size_t dropped_addrs = 0;    ///< bad, foreign /p2p/, or repeated addresses
};

/// The protobuf encoding of a request (no length prefix: the stream frames it).
Bytes encode_request(const PeerExchangeRequest& request);

/// Errors: px_message_too_large (above max_request_bytes), px_malformed.
Result<PeerExchangeRequest> decode_request(ByteView body, const PeerExchangeLimits& limits);

/// How many records to answer `request` with: its max_peers, capped at
/// max_peers_per_response (0 means the cap).
std::size_t requested_peers(const PeerExchangeRequest& request, const PeerExchangeLimits& limits) noexcept;

/// The protobuf encoding of a response. We hold ourselves to the limits we enforce:
/// errors px_too_many_peers, px_too_many_addrs, px_addr_too_long, px_message_too_large.
Result<Bytes> encode_response(const PeerExchangeResponse& response, const PeerExchangeLimits& limits);

/// Errors: px_message_too_large, px_malformed, px_too_many_peers, px_too_many_addrs,
/// px_addr_too_long (the first limit crossed in wire order). See the policy above.
Result<DecodedPeerExchange> decode_response(ByteView body, const PeerExchangeLimits& limits);

/// The answer to `requester` made from a sample the peerstore drew
/// (Peerstore::exchange_sample, the one sampler), cut to what `limits` allow: records naming
/// the requester, repeating an earlier PeerId or with a PeerId above max_addr_bytes are
/// dropped; each keeps its first max_addrs_per_peer addresses within max_addr_bytes, and a
/// record left without one is dropped; at most max_peers_per_response records, in the
/// sample's order. The result always encodes within `limits`.
std::vector<ExchangeRecord> fit_to_limits(std::vector<ExchangeRecord> sample, const PeerId& requester,
                                      const PeerExchangeLimits& limits);

}  // namespace weft::peer
