#include <weft/error.hpp>

namespace weft {
namespace {

class WeftCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "weft"; }

  std::string message(int value) const override {
    switch (static_cast<Errc>(value)) {
      case Errc::varint_truncated: return "varint truncated";
      case Errc::varint_overlong: return "varint not minimally encoded";
      case Errc::varint_overflow: return "varint overflows 63 bits / 9 bytes";
      case Errc::base58_invalid_char: return "invalid base58 character";
      case Errc::base58_too_long: return "base58 input too long";
      case Errc::base36_invalid_char: return "invalid base36 character";
      case Errc::base36_too_long: return "base36 input too long";
      case Errc::base32_invalid_char: return "invalid base32 character";
      case Errc::base32_invalid_length: return "invalid base32 length";
      case Errc::base32_nonzero_padding_bits: return "base32 padding bits are not zero";
      case Errc::base64_invalid_char: return "invalid base64 character";
      case Errc::base64_invalid_length: return "invalid base64 length";
      case Errc::base64_nonzero_padding_bits: return "base64 padding bits are not zero";
      case Errc::hex_invalid_char: return "invalid hex character";
      case Errc::hex_odd_length: return "hex input has an odd length";
      case Errc::multibase_empty: return "empty multibase string";
      case Errc::multibase_unsupported: return "unsupported multibase prefix";
      case Errc::multibase_invalid_char: return "invalid multibase character";
      case Errc::multibase_invalid_length: return "invalid multibase length";
      case Errc::multibase_nonzero_padding_bits: return "multibase padding bits are not zero";
      case Errc::multibase_too_long: return "multibase input too long";
      case Errc::multihash_truncated: return "multihash truncated";
      case Errc::multihash_trailing_bytes: return "trailing bytes after multihash";
      case Errc::multihash_bad_digest_length: return "multihash digest has the wrong length";
      case Errc::multihash_digest_too_long: return "multihash digest too long";
      case Errc::multiaddr_empty: return "empty multiaddr";
      case Errc::multiaddr_too_long: return "multiaddr too long";
      case Errc::multiaddr_too_many_components: return "multiaddr has too many components";
      case Errc::multiaddr_no_leading_slash: return "multiaddr must begin with '/'";
      case Errc::multiaddr_empty_component: return "empty multiaddr component";
      case Errc::multiaddr_unknown_protocol: return "unknown multiaddr protocol";
      case Errc::multiaddr_missing_value: return "multiaddr protocol is missing its value";
      case Errc::multiaddr_unexpected_value: return "multiaddr protocol takes no value";
      case Errc::multiaddr_invalid_value: return "invalid multiaddr value";
      case Errc::multiaddr_truncated: return "multiaddr bytes truncated";
      case Errc::multiaddr_not_tcp: return "multiaddr is not a TCP address";
      case Errc::peer_id_invalid: return "invalid PeerId";
      case Errc::peer_id_bad_encoding: return "PeerId text is neither base58btc nor a libp2p-key CID";
      case Errc::key_malformed: return "malformed key encoding";
      case Errc::key_unsupported_type: return "unsupported key type";
      case Errc::key_bad_length: return "key has the wrong length";
      case Errc::key_mismatch: return "public key does not match the private seed";
      case Errc::key_invalid: return "invalid key";
      case Errc::key_file_io: return "key file I/O error";
      case Errc::key_file_exists: return "key file already exists";
      case Errc::handshake_malformed: return "malformed handshake message";
      case Errc::handshake_too_large: return "handshake message too large";
      case Errc::handshake_bad_magic: return "not a weft handshake (bad magic)";
      case Errc::handshake_version_mismatch: return "no common handshake version";
      case Errc::handshake_clock_skew: return "clock skew outside the handshake window";
      case Errc::handshake_replayed_nonce: return "replayed handshake nonce";
      case Errc::handshake_bad_key: return "invalid handshake key";
      case Errc::handshake_bad_signature: return "bad handshake signature";
      case Errc::handshake_decrypt_failed: return "handshake message does not authenticate";
      case Errc::handshake_peer_id_mismatch: return "PeerId mismatch";
      case Errc::handshake_self_dial: return "dialed ourselves";
      case Errc::handshake_unexpected_data: return "unexpected handshake data";
      case Errc::handshake_timeout: return "handshake timed out";
      case Errc::handshake_closed: return "connection closed during the handshake";
      case Errc::channel_frame_too_large: return "secure frame too large";
      case Errc::channel_frame_too_short: return "secure frame too short";
      case Errc::channel_auth_failed: return "secure frame does not authenticate";
      case Errc::channel_closed: return "secure channel closed";
      case Errc::mux_protocol_error: return "stream multiplexer protocol error";
      case Errc::mux_window_exceeded: return "stream data beyond the receive window";
      case Errc::mux_unknown_stream: return "frame for an unknown stream";
      case Errc::mux_stream_id_reused: return "stream id reused or invalid";
      case Errc::mux_too_many_streams: return "too many streams";
      case Errc::mux_stream_reset: return "stream reset";
      case Errc::mux_stream_closed: return "stream closed";
      case Errc::mux_session_closed: return "multiplexed session closed";
      case Errc::mux_keepalive_timeout: return "keep-alive ping timed out";
      case Errc::dial_failed: return "dial failed";
      case Errc::listener_busy: return "too many pending handshakes";
      case Errc::connect_timeout: return "connect timed out";
      case Errc::pool_exhausted: return "connection pool exhausted";
      case Errc::circuit_open: return "circuit breaker open";
      case Errc::pool_closed: return "connection table closed";
      case Errc::peer_gone: return "peer connection gone";
      case Errc::connection_degraded: return "connection degraded";
      case Errc::gossip_rpc_too_large: return "gossip RPC too large";
      case Errc::gossip_rpc_malformed: return "malformed gossip RPC";
      case Errc::gossip_message_too_large: return "gossip message too large";
      case Errc::gossip_topic_too_long: return "gossip topic id too long";
      case Errc::gossip_too_many_subscriptions: return "too many subscriptions in one gossip RPC";
      case Errc::gossip_too_many_messages: return "too many messages in one gossip RPC";
      case Errc::gossip_too_many_control: return "too many control entries in one gossip RPC";
      case Errc::gossip_too_many_ids: return "too many message ids in one gossip control entry";
      case Errc::gossip_message_invalid: return "gossip message lacks a required field";
      case Errc::gossip_bad_signature: return "gossip message signature missing or invalid";
      case Errc::gossip_author_mismatch: return "gossip message author does not match its key";
      case Errc::gossip_message_rejected: return "gossip message rejected by its validator";
      case Errc::gossip_too_many_topics: return "peer subscribed to too many gossip topics";
      case Errc::gossip_ihave_flood: return "too many IHAVE advertisements in one heartbeat";
      case Errc::gossip_broken_promise: return "IWANT not answered in time";
      case Errc::gossip_graft_backoff: return "GRAFT during the PRUNE backoff";
      case Errc::gossip_no_peers: return "no gossip peers to publish to";
      case Errc::gossip_config_invalid: return "invalid gossip configuration";
      case Errc::ping_malformed: return "malformed ping message";
      case Errc::ping_mismatch: return "pong does not match the ping";
      case Errc::request_unknown_protocol: return "peer does not handle the protocol";
      case Errc::request_timeout: return "request timed out";
      case Errc::request_too_large: return "request or response too large";
      case Errc::request_malformed: return "malformed request or response";
      case Errc::request_failed: return "the peer failed to handle the request";
      case Errc::node_not_running: return "the node is not running";
      case Errc::node_already_running: return "the node is already running";
      case Errc::config_invalid: return "invalid configuration";
      case Errc::peerstore_corrupt: return "peerstore file is corrupt or not a weft peerstore";
      case Errc::peerstore_io: return "peerstore file I/O error";
      case Errc::px_message_too_large: return "peer exchange message too large";
      case Errc::px_malformed: return "malformed peer exchange message";
      case Errc::px_too_many_peers: return "too many peers in a peer exchange response";
      case Errc::px_too_many_addrs: return "too many addresses for one peer in a peer exchange response";
      case Errc::px_addr_too_long: return "peer exchange address or PeerId too long";
      case Errc::peer_trimmed: return "closed by the peer manager";
      case Errc::peer_banned: return "the peer is banned";
      case Errc::inbound_refused: return "inbound connection refused by a limit";
      case Errc::gossip_slow_peer: return "gossip send queue full: RPCs to the peer dropped";
    }
    return "unknown weft error " + std::to_string(value);
  }
};

}  // namespace

const std::error_category& weft_category() noexcept {
  static const WeftCategory category;
  return category;
}

std::string Error::message() const {
  std::string text = code_.message();
  if (!detail_.empty()) {
    text += ": ";
    text += detail_;
  }
  return text;
}

Error Error::with_context(std::string_view context) const {
  if (context.empty()) return *this;  // not ": detail"
  std::string detail(context);
  if (!detail_.empty()) {
    detail += ": ";
    detail += detail_;
  }
  return Error(code_, std::move(detail));
}

}  // namespace weft
