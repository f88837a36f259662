#include "identity/multiaddr_protocols.hpp"

#include <algorithm>
#include <array>

namespace weft::identity {
namespace {

constexpr MultiaddrProtocol none(std::uint64_t code, std::string_view name) {
  return {code, name, ValueSize::none, 0, false, ValueCodec::none};
}
constexpr MultiaddrProtocol fixed(std::uint64_t code, std::string_view name, std::size_t bytes, ValueCodec codec) {
  return {code, name, ValueSize::fixed, bytes, false, codec};
}
constexpr MultiaddrProtocol variable(std::uint64_t code, std::string_view name, ValueCodec codec, bool path = false) {
  return {code, name, ValueSize::variable, 0, path, codec};
}

// Sorted by code (checked below). Sources: multiformats/multiaddr protocols.csv, and
// go-multiaddr / rust-multiaddr for the value sizes and codecs (memory is 8 fixed bytes as
// in both; the csv says "V").
constexpr std::array kProtocols = {
    fixed(4, "ip4", 4, ValueCodec::ip4),
    fixed(6, "tcp", 2, ValueCodec::port),
    fixed(33, "dccp", 2, ValueCodec::port),
    fixed(41, "ip6", 16, ValueCodec::ip6),
    variable(42, "ip6zone", ValueCodec::ip6zone),
    fixed(43, "ipcidr", 1, ValueCodec::ipcidr),
    variable(53, "dns", ValueCodec::dns),
    variable(54, "dns4", ValueCodec::dns),
    variable(55, "dns6", ValueCodec::dns),
    variable(56, "dnsaddr", ValueCodec::dns),
    fixed(132, "sctp", 2, ValueCodec::port),
    fixed(273, "udp", 2, ValueCodec::port),
    none(275, "p2p-webrtc-star"),
    none(276, "p2p-webrtc-direct"),
    none(277, "p2p-stardust"),
    none(280, "webrtc-direct"),
    none(281, "webrtc"),
    none(290, "p2p-circuit"),
    none(301, "udt"),
    none(302, "utp"),
    variable(400, "unix", ValueCodec::unix_path, /*path=*/true),
    variable(421, "p2p", ValueCodec::p2p),
    none(443, "https"),
    fixed(444, "onion", 12, ValueCodec::onion),
    fixed(445, "onion3", 37, ValueCodec::onion3),
    variable(446, "garlic64", ValueCodec::garlic64),
    variable(447, "garlic32", ValueCodec::garlic32),
    none(448, "tls"),
    variable(449, "sni", ValueCodec::dns),
    none(454, "noise"),
    none(460, "quic"),
    none(461, "quic-v1"),
    none(465, "webtransport"),
    variable(466, "certhash", ValueCodec::certhash),
    none(477, "ws"),
    none(478, "wss"),
    none(479, "p2p-websocket-star"),
    none(480, "http"),
    variable(481, "http-path", ValueCodec::http_path),
    fixed(777, "memory", 8, ValueCodec::memory),
    none(7367777, "plaintextv2"),
};

static_assert(std::is_sorted(kProtocols.begin(), kProtocols.end(),
                             [](const auto& a, const auto& b) { return a.code < b.code; }));

struct Alias {
  std::string_view name;
  std::uint64_t code;
};
constexpr std::array kAliases = {Alias{"ipfs", 421}};

}  // namespace

const MultiaddrProtocol* find_multiaddr_protocol(std::uint64_t code) noexcept {
  const auto it = std::lower_bound(kProtocols.begin(), kProtocols.end(), code,
                                   [](const MultiaddrProtocol& p, std::uint64_t c) { return p.code < c; });
  return it != kProtocols.end() && it->code == code ? &*it : nullptr;
}

const MultiaddrProtocol* find_multiaddr_protocol(std::string_view name) noexcept {
  for (const auto& p : kProtocols) {
    if (p.name == name) return &p;
  }
  for (const auto& alias : kAliases) {
    if (alias.name == name) return find_multiaddr_protocol(alias.code);
  }
  return nullptr;
}

std::span<const MultiaddrProtocol> multiaddr_protocols() noexcept { return kProtocols; }

}  // namespace weft::identity
