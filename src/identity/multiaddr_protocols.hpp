#pragma once
// The multiaddr protocol table: every row of the multiaddr spec's protocols.csv (plus
// go-multiaddr's plaintextv2), with how its value is sized and which codec turns it into
// text. docs/multiaddr.md lists the table and where weft departs from a reference.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace weft::identity {

/// How a protocol's value is framed in the binary form.
enum class ValueSize : std::uint8_t {
  none,      ///< no value at all ("/tls")
  fixed,     ///< exactly `MultiaddrProtocol::fixed_bytes` bytes, no length prefix
  variable,  ///< varint(length) || bytes, length >= 1
};

/// Which value codec (src/identity/multiaddr_values) converts the value text <-> bytes.
enum class ValueCodec : std::uint8_t {
  none,
  ip4,        ///< 4 bytes, dotted decimal
  ip6,        ///< 16 bytes, RFC 5952 text
  port,       ///< 2 bytes big-endian, decimal 0..65535
  ipcidr,     ///< 1 byte, decimal 0..255
  memory,     ///< 8 bytes big-endian, decimal uint64
  onion,      ///< 10-byte hash + 2-byte port: base32 ":" port
  onion3,     ///< 35-byte key + 2-byte port: base32 ":" port
  garlic64,   ///< I2P destination, I2P base64 alphabet
  garlic32,   ///< I2P hash, lower-case base32 without padding
  p2p,        ///< PeerId multihash, base58btc text
  certhash,   ///< multihash, multibase text (printed base64url)
  dns,        ///< UTF-8 name without '/' (dns, dns4, dns6, dnsaddr, sni)
  ip6zone,    ///< UTF-8 zone id without '/'
  unix_path,  ///< UTF-8 absolute path (the rest of the text form)
  http_path,  ///< UTF-8 bytes, percent-encoded single path segment in text
};

struct MultiaddrProtocol {
  std::uint64_t code = 0;
  std::string_view name;  ///< canonical name (static storage)
  ValueSize size = ValueSize::none;
  std::size_t fixed_bytes = 0;  ///< value length when size == fixed, else 0
  bool path = false;  ///< the value is everything after the name in the text form, so it is last
  ValueCodec codec = ValueCodec::none;

  bool has_value() const noexcept { return size != ValueSize::none; }
};

/// The protocol with this code, or nullptr.
const MultiaddrProtocol* find_multiaddr_protocol(std::uint64_t code) noexcept;

/// The protocol with this canonical name or alias ("ipfs" -> p2p), or nullptr.
const MultiaddrProtocol* find_multiaddr_protocol(std::string_view name) noexcept;

/// Every row, in code order (aliases are not rows).
std::span<const MultiaddrProtocol> multiaddr_protocols() noexcept;

}  // namespace weft::identity
