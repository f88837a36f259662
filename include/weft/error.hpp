#pragma once
// weft's error model: every failure caused by bytes, peers or the environment is a value.
//
//   Errc    one enumerator per distinct failure, each with a fixed human message;
//   Error   an Errc (as std::error_code) plus optional detail naming *what* failed
//           ("component 2 'tcp': port 70000 out of range 0..65535");
//   Result  Boost.Outcome result<T, Error>. Calling value() on an error is a bug and
//           terminates (policy::terminate): check has_value() / use BOOST_OUTCOME_TRY.

#include <boost/outcome/basic_result.hpp>
#include <boost/outcome/policy/terminate.hpp>
#include <boost/outcome/success_failure.hpp>
#include <boost/outcome/try.hpp>

#include <string>
#include <system_error>
#include <utility>

namespace weft {

enum class Errc : int {
  // --- unsigned varint (src/identity/varint) ---
  varint_truncated = 1,  ///< input ends inside a varint (for incremental callers: need more)
  varint_overlong,       ///< not the minimal encoding (e.g. 0x80 0x00)
  varint_overflow,       ///< more than 9 bytes, or a value above 2^63-1

  // --- text codecs (src/identity/base*, hex, multibase) ---
  base58_invalid_char,
  base58_too_long,       ///< input above the decoder's length bound
  base36_invalid_char,
  base36_too_long,       ///< input above the decoder's length bound
  base32_invalid_char,
  base32_invalid_length,  ///< a length no whole number of bytes encodes to
  base32_nonzero_padding_bits,
  base64_invalid_char,
  base64_invalid_length,
  base64_nonzero_padding_bits,
  hex_invalid_char,
  hex_odd_length,
  multibase_empty,
  multibase_unsupported,  ///< unknown or unsupported multibase prefix character
  multibase_invalid_char,  ///< base2 / base8 / base10 (other bases have their own errors)
  multibase_invalid_length,
  multibase_nonzero_padding_bits,
  multibase_too_long,      ///< base10 input above the decoder's length bound

  // --- multihash (src/identity/multihash) ---
  multihash_truncated,       ///< header or digest shorter than declared
  multihash_trailing_bytes,  ///< bytes left after the digest
  multihash_bad_digest_length,  ///< e.g. sha2-256 digest that is not 32 bytes
  multihash_digest_too_long,    ///< declared digest length above the bound

  // --- multiaddr (include/weft/multiaddr.hpp) ---
  multiaddr_empty,
  multiaddr_too_long,          ///< text or binary form above the size bound
  multiaddr_too_many_components,
  multiaddr_no_leading_slash,
  multiaddr_empty_component,   ///< "//" or a trailing "/" where a protocol name belongs
  multiaddr_unknown_protocol,  ///< unknown name (text) or code (binary)
  multiaddr_missing_value,     ///< a protocol that takes a value has none
  multiaddr_unexpected_value,  ///< a protocol that takes no value was given one
  multiaddr_invalid_value,     ///< a value the protocol's codec rejects (bad IP, port, PeerId...)
  multiaddr_truncated,         ///< binary form ends inside a code, length or value
  multiaddr_not_tcp,           ///< not convertible to a TCP endpoint

  // --- identity: keys and PeerIds (include/weft/peer_id.hpp, keys.hpp) ---
  peer_id_invalid,          ///< not a valid PeerId (wrong multihash code or length)
  peer_id_bad_encoding,     ///< text that is neither base58btc nor a libp2p-key CID
  key_malformed,            ///< protobuf envelope does not parse
  key_unsupported_type,     ///< a key type weft does not handle (only Ed25519 today)
  key_bad_length,
  key_mismatch,             ///< the public half does not match the seed
  key_invalid,              ///< bytes that are not a valid Ed25519 point
  key_file_io,              ///< the key file cannot be read or written (detail says why)
  key_file_exists,          ///< refusing to overwrite an existing key file

  // --- handshake (src/handshake, docs/handshake.md) ---
  handshake_malformed,         ///< a message that does not parse, or a field of the wrong size
  handshake_too_large,         ///< a length prefix above the phase's cap
  handshake_bad_magic,
  handshake_version_mismatch,  ///< no common version (detail lists the peer's versions)
  handshake_clock_skew,        ///< timestamp outside the window (detail gives the skew)
  handshake_replayed_nonce,    ///< a Hello nonce already seen inside the window
  handshake_bad_key,           ///< invalid identity key, or a low-order ephemeral key
  handshake_bad_signature,     ///< the transcript signature does not verify
  handshake_decrypt_failed,    ///< a sealed part or the key confirmation does not authenticate
  handshake_peer_id_mismatch,  ///< the peer is not the PeerId dialed (detail: expected, got)
  handshake_self_dial,         ///< the peer has our own identity key
  handshake_unexpected_data,   ///< bytes the peer may not send yet (a phase out of order)
  handshake_timeout,           ///< the handshake deadline passed
  handshake_closed,            ///< the connection closed before the handshake finished

  // --- secure channel (src/channel) ---
  channel_frame_too_large,     ///< a frame length above the cap
  channel_frame_too_short,     ///< a frame shorter than its authentication tag
  channel_auth_failed,         ///< a frame that does not authenticate (tampered, replayed, reordered, dropped)
  channel_closed,              ///< the connection closed (detail: by whom, or the reason)

  // --- stream multiplexer (src/mux, yamux framing) ---
  mux_protocol_error,          ///< bad version, type or flags, or a frame the state forbids
  mux_window_exceeded,         ///< data beyond the receive window the peer was granted
  mux_unknown_stream,          ///< a frame for a stream id that is not open
  mux_stream_id_reused,        ///< SYN for an id in use, already used, or of the wrong parity
  mux_too_many_streams,        ///< the per-session stream cap or accept backlog is full
  mux_stream_reset,            ///< the stream was reset (by the peer or by us)
  mux_stream_closed,           ///< write after close, or read after the peer's FIN
  mux_session_closed,          ///< the session ended (go-away, error, or the connection closed)
  mux_keepalive_timeout,       ///< no answer to a keep-alive ping in time

  // --- connections (src/conn) ---
  dial_failed,                 ///< resolving or connecting failed (detail: address and OS reason)
  listener_busy,               ///< an inbound connection refused at a pending-handshake cap
  connect_timeout,             ///< dial plus handshake did not finish within connect_timeout_ms
  pool_exhausted,              ///< no stream within acquire_timeout_ms (detail: the limit hit)
  circuit_open,                ///< the peer's circuit breaker is open (detail: time left)
  pool_closed,                 ///< the connection table is shutting down
  peer_gone,                   ///< the peer's connection closed while we used it
  connection_degraded,         ///< a connection's health score fell below the threshold (detail: score)

  // --- gossip (src/gossip, docs/gossip.md) ---
  gossip_rpc_too_large,          ///< an RPC or its length prefix above max_rpc_bytes
  gossip_rpc_malformed,          ///< an RPC that does not parse (wire error, non-minimal prefix)
  gossip_message_too_large,      ///< a message's data above max_message_bytes
  gossip_topic_too_long,         ///< a topic id above max_topic_bytes
  gossip_too_many_subscriptions, ///< more subscription entries in one RPC than allowed
  gossip_too_many_messages,      ///< more messages in one RPC than allowed
  gossip_too_many_control,       ///< more control entries (PX peers included) in one RPC than allowed
  gossip_too_many_ids,           ///< more message ids in one IHAVE / IWANT / IDONTWANT than allowed
  gossip_message_invalid,        ///< a message without topic, author or an 8-byte seqno (StrictSign)
  gossip_bad_signature,          ///< a missing signature, or one that does not verify
  gossip_author_mismatch,        ///< `from` is not a PeerId, or not the one the key derives
  gossip_message_rejected,       ///< the topic's validator rejected the message
  gossip_too_many_topics,        ///< a peer subscribed to more topics than max_topics_per_peer
  gossip_ihave_flood,            ///< IHAVE beyond the per-heartbeat caps
  gossip_broken_promise,         ///< an IWANT the advertising peer did not answer in time
  gossip_graft_backoff,          ///< a GRAFT while the PRUNE backoff still runs
  gossip_no_peers,               ///< publish found no peer to send the message to
  gossip_config_invalid,         ///< a GossipConfig whose settings contradict each other (detail: which)

  // --- node protocols (src/node) ---
  ping_malformed,              ///< a ping message of the wrong type or size
  ping_mismatch,               ///< a pong that does not echo our ping
  request_unknown_protocol,    ///< the peer has no handler for the requested protocol
  request_timeout,             ///< no response within the request's timeout
  request_too_large,           ///< a request or response above its size cap
  request_malformed,           ///< a request/response message that does not parse
  request_failed,              ///< the peer's handler failed (detail: its message)

  // --- the node facade (include/weft/node.hpp) ---
  node_not_running,            ///< a call that needs a started node, before start() or after stop()
  node_already_running,        ///< start() on a running node
  config_invalid,              ///< a setting out of range or unparsable (detail names the key)

  // --- peerstore (src/peer, docs/peerstore.md) ---
  peerstore_corrupt,           ///< the peerstore file is not a readable weft peerstore (detail: path, why)
  peerstore_io,                ///< the peerstore file cannot be opened, read or written (detail: path, why)
  // --- peer exchange (src/peer/peer_exchange, docs/peer_manager.md) ---
  px_message_too_large,        ///< a peer exchange message above max_message_bytes
  px_malformed,                ///< a peer exchange message that does not parse
  px_too_many_peers,           ///< a response with more records than max_peers_per_response
  px_too_many_addrs,           ///< a record with more addresses than max_addrs_per_peer
  px_addr_too_long,            ///< an address (or PeerId) above max_addr_bytes
  // --- peer manager (src/node/peer_service, docs/peer_manager.md) ---
  peer_trimmed,                ///< the peer manager closed the connection (detail: why)
  peer_banned,                 ///< the peer or its address is banned (detail: until when, why)
  inbound_refused,             ///< the inbound gate refused the connection (detail: the limit)
  gossip_slow_peer,            ///< a gossip peer's send queue was full: RPCs to it were dropped
};

/// The category of weft::Errc; name() is "weft".
const std::error_category& weft_category() noexcept;

inline std::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), weft_category()};
}

/// A failure: what went wrong (code) and, optionally, where (detail).
class Error {
 public:
  /// No error (code 0). Exists because Boost.Outcome stores a default-constructed error.
  Error() = default;
  Error(Errc code) : code_(make_error_code(code)) {}  // NOLINT: implicit on purpose
  Error(Errc code, std::string detail) : code_(make_error_code(code)), detail_(std::move(detail)) {}
  Error(std::error_code code, std::string detail = {}) : code_(code), detail_(std::move(detail)) {}

  const std::error_code& code() const noexcept { return code_; }
  const std::string& detail() const noexcept { return detail_; }

  /// "<code message>" or "<code message>: <detail>".
  std::string message() const;

  /// Same error with `context` prepended to the detail ("context: detail").
  Error with_context(std::string_view context) const;

  friend bool operator==(const Error& e, Errc c) noexcept { return e.code_ == make_error_code(c); }
  friend bool operator==(const Error& a, const Error& b) noexcept {
    return a.code_ == b.code_ && a.detail_ == b.detail_;
  }

 private:
  std::error_code code_;
  std::string detail_;
};

template <class T>
using Result = boost::outcome_v2::basic_result<T, Error, boost::outcome_v2::policy::terminate>;

/// `return weft::success();` from a Result<void> function.
using boost::outcome_v2::success;

}  // namespace weft

namespace std {
template <>
struct is_error_code_enum<weft::Errc> : true_type {};
}  // namespace std
