// Fuzzes the peer exchange decoders (what the /weft/px/1.0.0 stream handler calls on a
// peer's bytes) and the answering side's cut to the limits. Input: byte 0 picks the limits
// (bit 0: small ones) and the message (bit 1: a request, else a response); bytes 1-8 pick
// the requester; the rest is the peer's message body. Invariants:
// - a decoded response is within the limits, has no repeated PeerId, no record without
//   addresses, and re-encodes within the limits to bytes that decode to the same records
//   with nothing dropped;
// - the decoded records cut for one of them as the requester (fit_to_limits) are within
//   the limits, leave the requester out and encode.

#include "peer/peer_exchange.hpp"

#include <cstddef>
#include <cstdint>
#include <set>

using namespace weft;
using namespace weft::peer;

namespace {

PeerExchangeLimits limits_for(std::uint8_t mode) {
  PeerExchangeLimits l;
  if ((mode & 1) == 0) return l;
  l.max_message_bytes = 512;
  l.max_request_bytes = 8;
  l.max_peers_per_response = 3;
  l.max_addrs_per_peer = 2;
  l.max_addr_bytes = 48;
  return l;
}

void check_response(ByteView body, const PeerExchangeLimits& limits, std::uint64_t seed) {
  auto decoded = decode_response(body, limits);
  if (!decoded) return;
  const auto& peers = decoded.value().response.peers;
  if (peers.size() > limits.max_peers_per_response) __builtin_trap();
  std::set<PeerId> ids;
  for (const ExchangeRecord& r : peers) {
    if (r.addrs.empty() || r.addrs.size() > limits.max_addrs_per_peer) __builtin_trap();
    if (!ids.insert(r.peer).second) __builtin_trap();
  }
  auto again = encode_response(decoded.value().response, limits);
  if (!again) __builtin_trap();
  auto back = decode_response(again.value(), limits);
  if (!back || !(back.value().response.peers == peers) || back.value().dropped_records != 0 ||
      back.value().dropped_addrs != 0) {
    __builtin_trap();
  }

  if (peers.empty()) return;
  const PeerId& requester = peers[seed % peers.size()].peer;
  const auto sample = fit_to_limits(peers, requester, limits);
  if (sample.size() > limits.max_peers_per_response) __builtin_trap();
  for (const ExchangeRecord& r : sample) {
    if (r.peer == requester) __builtin_trap();
  }
  if (!encode_response({sample}, limits)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 9) return 0;
  const std::uint8_t mode = data[0];
  std::uint64_t seed = 0;
  for (int i = 1; i <= 8; ++i) seed = seed << 8 | data[i];
  const PeerExchangeLimits limits = limits_for(mode);
  const ByteView body(data + 9, size - 9);
  if ((mode & 2) != 0) {
    auto request = decode_request(body, limits);
    if (request && requested_peers(request.value(), limits) > limits.max_peers_per_response) __builtin_trap();
    return 0;
  }
  check_response(body, limits, seed);
  return 0;
}
