#pragma once
// Multiaddr (github.com/multiformats/multiaddr): self-describing network addresses.
//
// Binary form: a sequence of components, each varint(protocol code) followed by the value
// — fixed-size for some protocols, varint(length) || bytes for variable-size ones, nothing
// for the rest. Text form: "/name/value/name/value...". Both directions follow the
// multiaddr spec's protocol table and produce the same bytes and the same canonical text
// as go-multiaddr / rust-multiaddr / js-multiaddr (ip6 compressed per RFC 5952, p2p as
// base58btc PeerIds, certhash as base64url multibase, "ipfs" parsed and printed as "p2p").
//
// A Multiaddr always holds valid bytes: every constructor validates.

#include <weft/bytes.hpp>
#include <weft/error.hpp>
#include <weft/peer_id.hpp>

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace weft {

/// Size bounds; anything larger is refused with multiaddr_too_long /
/// multiaddr_too_many_components before further work.
inline constexpr std::size_t kMaxMultiaddrBytes = 1024;
inline constexpr std::size_t kMaxMultiaddrTextChars = 4096;
inline constexpr std::size_t kMaxMultiaddrComponents = 64;

/// Codes of the protocols weft's code refers to by name (the table has them all).
namespace multiaddr_code {
inline constexpr std::uint64_t ip4 = 4;
inline constexpr std::uint64_t tcp = 6;
inline constexpr std::uint64_t ip6 = 41;
inline constexpr std::uint64_t dns = 53;
inline constexpr std::uint64_t dns4 = 54;
inline constexpr std::uint64_t dns6 = 55;
inline constexpr std::uint64_t dnsaddr = 56;
inline constexpr std::uint64_t udp = 273;
inline constexpr std::uint64_t p2p = 421;
inline constexpr std::uint64_t p2p_circuit = 290;
}  // namespace multiaddr_code

/// One "/name/value" component.
struct MultiaddrComponent {
  std::uint64_t code = 0;
  std::string_view name;  ///< canonical protocol name (static storage)
  Bytes value;            ///< raw value bytes, without the length prefix; empty if none

  /// Canonical text of the value ("" for protocols without a value, and for a hand-built
  /// component whose code is unknown or whose value its protocol rejects). For a path
  /// protocol (unix) the text is the path itself, with its leading '/'.
  std::string value_text() const;
};

/// A host and port to dial or listen on over TCP. `host` is an IP address in canonical
/// text (kind ip4 / ip6) or a DNS name (kind dns / dns4 / dns6).
struct TcpEndpoint {
  enum class HostKind { ip4, ip6, dns, dns4, dns6 };
  HostKind kind = HostKind::ip4;
  std::string host;
  std::uint16_t port = 0;

  friend bool operator==(const TcpEndpoint&, const TcpEndpoint&) = default;
};

class Multiaddr {
 public:
  /// The empty multiaddr (no components; text ""). Not produced by parse().
  Multiaddr() = default;

  /// Parses text. Errors name the offending component (numbered from 1, with its protocol)
  /// and why: multiaddr_empty ("" or "/"), multiaddr_too_long (text or resulting binary
  /// form), multiaddr_too_many_components, multiaddr_no_leading_slash,
  /// multiaddr_empty_component ("//" or a trailing "/"), multiaddr_unknown_protocol,
  /// multiaddr_missing_value, multiaddr_unexpected_value, multiaddr_invalid_value.
  /// Sizes and the component count are checked before any value is decoded.
  static Result<Multiaddr> parse(std::string_view text);

  /// Parses the binary form. Errors as parse(), plus multiaddr_truncated for a code,
  /// length or value that runs past the end, and varint errors in codes or lengths.
  /// A component after a path protocol (unix) is multiaddr_invalid_value; bytes whose
  /// canonical text would exceed kMaxMultiaddrTextChars are multiaddr_too_long.
  static Result<Multiaddr> from_bytes(ByteView bytes);

  /// `/ip4/a.b.c.d/tcp/port`, `/ip6/.../tcp/port` or `/dns*/name/tcp/port`.
  /// Errors: multiaddr_invalid_value for a host the protocol rejects; multiaddr_too_long
  /// for a DNS name that does not fit the size bounds.
  static Result<Multiaddr> from_tcp_endpoint(const TcpEndpoint& endpoint);

  /// Canonical text.
  std::string to_string() const;

  /// Binary form.
  const Bytes& bytes() const noexcept { return bytes_; }

  std::vector<MultiaddrComponent> components() const;

  bool empty() const noexcept { return bytes_.empty(); }

  /// This address followed by `inner`. Errors: the size bounds above, and
  /// multiaddr_invalid_value when this address ends in a path protocol (unix).
  Result<Multiaddr> encapsulate(const Multiaddr& inner) const;

  /// Everything before the last occurrence of `suffix` as a run of whole components;
  /// unchanged when `suffix` does not occur (or is empty). As go-multiaddr's Decapsulate.
  Multiaddr decapsulate(const Multiaddr& suffix) const;

  /// The PeerId of the last /p2p/ component, if any.
  std::optional<PeerId> peer_id() const;

  /// Host and port of an address made of ip4 | ip6 | dns | dns4 | dns6, then tcp, then
  /// optionally /p2p/<id>. Errors: multiaddr_not_tcp (detail says what does not fit).
  Result<TcpEndpoint> to_tcp_endpoint() const;

  friend bool operator==(const Multiaddr&, const Multiaddr&) = default;
  friend std::strong_ordering operator<=>(const Multiaddr& a, const Multiaddr& b) noexcept {
    return a.bytes_ <=> b.bytes_;
  }

 private:
  explicit Multiaddr(Bytes bytes) : bytes_(std::move(bytes)) {}
  Bytes bytes_;  ///< always a valid binary multiaddr within the size bounds
};

}  // namespace weft

template <>
struct std::hash<weft::Multiaddr> {
  std::size_t operator()(const weft::Multiaddr& addr) const noexcept;
};
