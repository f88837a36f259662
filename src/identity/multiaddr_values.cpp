#include "identity/multiaddr_values.hpp"

#include "identity/base32.hpp"
#include "identity/base58.hpp"
#include "identity/base64.hpp"
#include "identity/multibase.hpp"
#include "identity/multihash.hpp"

#include <weft/peer_id.hpp>

#include <array>
#include <cstdint>
#include <optional>

namespace weft::identity {
namespace {

constexpr std::size_t kMaxQuotedChars = 64;

Error invalid(std::string detail) { return Error(Errc::multiaddr_invalid_value, std::move(detail)); }

}  // namespace

std::string quote_for_message(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "'";
  for (std::size_t i = 0; i < text.size() && i < kMaxQuotedChars; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'') {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  if (text.size() > kMaxQuotedChars) out += "...";
  out += '\'';
  return out;
}

namespace {

std::string quote(std::string_view text) { return quote_for_message(text); }

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

enum class LeadingZeros { refused, accepted };

/// Decimal: digits only, no sign, `min`..`max`. Leading zeros ("080") are refused unless
/// `zeros` accepts them. `what` names the value in messages ("port").
Result<std::uint64_t> parse_decimal(std::string_view text, std::uint64_t min, std::uint64_t max,
                                    std::string_view what, LeadingZeros zeros = LeadingZeros::refused) {
  const std::string range = std::to_string(min) + ".." + std::to_string(max);
  if (text.empty()) return invalid("empty " + std::string(what));
  for (char c : text) {
    if (!is_digit(c)) return invalid(std::string(what) + " " + quote(text) + " is not a decimal number");
  }
  if (zeros == LeadingZeros::refused && text.size() > 1 && text.front() == '0') {
    return invalid(std::string(what) + " " + quote(text) + " has a leading zero");
  }
  std::string_view digits = text;
  while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
  // 20 digits can exceed 2^64-1; anything longer surely does.
  if (digits.size() > 20) return invalid(std::string(what) + " " + quote(text) + " out of range " + range);
  std::uint64_t value = 0;
  for (char c : digits) {
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) {
      return invalid(std::string(what) + " " + std::string(text) + " out of range " + range);
    }
    value = value * 10 + digit;
  }
  if (value < min || value > max) {
    return invalid(std::string(what) + " " + std::string(text) + " out of range " + range);
  }
  return value;
}

void append_be(Bytes& out, std::uint64_t value, std::size_t bytes) {
  for (std::size_t i = bytes; i-- > 0;) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

std::uint64_t read_be(ByteView in) noexcept {
  std::uint64_t value = 0;
  for (std::uint8_t b : in) value = (value << 8) | b;
  return value;
}

Result<void> check_size(ByteView value, std::size_t expected, std::string_view what) {
  if (value.size() != expected) {
    return invalid(std::string(what) + " must be " + std::to_string(expected) + " bytes, got " +
                   std::to_string(value.size()));
  }
  return success();
}

// --- ip4 ---------------------------------------------------------------------------

/// Dotted decimal, exactly four octets 0..255 without leading zeros (as Go's
/// net.ParseIP since Go 1.17, Rust's Ipv4Addr and @chainsafe/is-ip).
std::optional<std::array<std::uint8_t, 4>> parse_ip4(std::string_view text) {
  std::array<std::uint8_t, 4> out{};
  std::size_t pos = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    if (i > 0) {
      if (pos >= text.size() || text[pos] != '.') return std::nullopt;
      ++pos;
    }
    std::size_t end = pos;
    while (end < text.size() && is_digit(text[end]) && end - pos < 4) ++end;
    const std::size_t len = end - pos;
    if (len == 0 || len > 3 || (len > 1 && text[pos] == '0')) return std::nullopt;
    unsigned value = 0;
    for (std::size_t k = pos; k < end; ++k) value = value * 10 + static_cast<unsigned>(text[k] - '0');
    if (value > 255) return std::nullopt;
    out[i] = static_cast<std::uint8_t>(value);
    pos = end;
  }
  if (pos != text.size()) return std::nullopt;
  return out;
}

void append_ip4_text(std::string& out, ByteView b) {
  for (std::size_t i = 0; i < 4; ++i) {
    if (i > 0) out += '.';
    out += std::to_string(b[i]);
  }
}

// --- ip6 ---------------------------------------------------------------------------

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// RFC 4291 section 2.2 text: up to eight groups of 1..4 hex digits, at most one "::"
/// standing for at least one zero group, optionally a dotted IPv4 address in the last
/// 32 bits. No zone ("%eth0"), no bare IPv4.
std::optional<std::array<std::uint8_t, 16>> parse_ip6(std::string_view s) {
  std::array<std::uint8_t, 16> ip{};
  std::size_t n = 0;  // bytes filled
  int ellipsis = -1;  // byte offset where "::" stands
  std::size_t i = 0;
  if (s.size() >= 2 && s[0] == ':' && s[1] == ':') {
    ellipsis = 0;
    i = 2;
  } else if (!s.empty() && s[0] == ':') {
    return std::nullopt;
  }
  while (i < s.size()) {
    std::size_t end = s.find(':', i);
    if (end == std::string_view::npos) end = s.size();
    const std::string_view token = s.substr(i, end - i);
    if (token.find('.') != std::string_view::npos) {
      // An embedded IPv4 address ends the text and fills 4 bytes.
      if (end != s.size() || n + 4 > 16) return std::nullopt;
      const auto v4 = parse_ip4(token);
      if (!v4) return std::nullopt;
      for (auto b : *v4) ip[n++] = b;
      i = end;
      break;
    }
    if (token.empty() || token.size() > 4 || n + 2 > 16) return std::nullopt;
    unsigned group = 0;
    for (char c : token) {
      const int v = hex_value(c);
      if (v < 0) return std::nullopt;
      group = group * 16 + static_cast<unsigned>(v);
    }
    ip[n++] = static_cast<std::uint8_t>(group >> 8);
    ip[n++] = static_cast<std::uint8_t>(group);
    i = end;
    if (i == s.size()) break;
    ++i;  // the ':'
    if (i == s.size()) return std::nullopt;  // a single trailing ':'
    if (s[i] == ':') {
      if (ellipsis >= 0) return std::nullopt;  // a second "::"
      ellipsis = static_cast<int>(n);
      ++i;
    }
  }
  if (n < 16) {
    if (ellipsis < 0) return std::nullopt;
    const std::size_t shift = 16 - n;
    const auto at = static_cast<std::size_t>(ellipsis);
    for (std::size_t k = n; k-- > at;) ip[k + shift] = ip[k];
    for (std::size_t k = at; k < at + shift; ++k) ip[k] = 0;
  } else if (ellipsis >= 0) {
    return std::nullopt;  // "::" must stand for at least one zero group
  }
  return ip;
}

/// RFC 5952: lower-case hex without leading zeros, the longest run of two or more zero
/// groups (the first of equal runs) as "::", IPv4-mapped addresses as ::ffff:a.b.c.d.
void append_ip6_text(std::string& out, ByteView b) {
  static constexpr char kHex[] = "0123456789abcdef";
  bool mapped = b[10] == 0xff && b[11] == 0xff;
  for (std::size_t k = 0; k < 10; ++k) mapped = mapped && b[k] == 0;
  if (mapped) {
    out += "::ffff:";
    append_ip4_text(out, b.subspan(12));
    return;
  }
  std::array<unsigned, 8> groups{};
  for (std::size_t g = 0; g < 8; ++g) groups[g] = (unsigned{b[2 * g]} << 8) | b[2 * g + 1];
  int best_start = -1;
  int best_len = 1;  // runs of one zero group stay as "0"
  for (int g = 0; g < 8;) {
    if (groups[static_cast<std::size_t>(g)] != 0) {
      ++g;
      continue;
    }
    int end = g;
    while (end < 8 && groups[static_cast<std::size_t>(end)] == 0) ++end;
    if (end - g > best_len) {
      best_start = g;
      best_len = end - g;
    }
    g = end;
  }
  for (int g = 0; g < 8; ++g) {
    if (g == best_start) {
      out += "::";
      g += best_len - 1;
      continue;
    }
    if (g > 0 && g != best_start + best_len) out += ':';
    const unsigned v = groups[static_cast<std::size_t>(g)];
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      const unsigned digit = (v >> shift) & 0xf;
      if (digit != 0 || started || shift == 0) {
        out += kHex[digit];
        started = true;
      }
    }
  }
}

// --- strings -------------------------------------------------------------------------

Result<void> check_name(ByteView value, std::string_view what) {
  if (value.empty()) return invalid("empty " + std::string(what));
  for (std::uint8_t b : value) {
    if (b == '/') return invalid(std::string(what) + " " + quote(as_chars(value)) + " contains '/'");
  }
  if (!is_valid_utf8(value)) return invalid(std::string(what) + " " + quote(as_chars(value)) + " is not valid UTF-8");
  return success();
}

Result<void> check_unix_path(ByteView value) {
  const std::string_view path = as_chars(value);
  if (path.size() < 2 || path.front() != '/') {
    return invalid("unix path " + quote(path) + " must begin with '/' and name something");
  }
  if (path.back() == '/') return invalid("unix path " + quote(path) + " must not end in '/'");
  if (!is_valid_utf8(value)) return invalid("unix path " + quote(path) + " is not valid UTF-8");
  return success();
}

// --- http-path -------------------------------------------------------------------------

bool is_unreserved(unsigned char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

/// RFC 3986 pchar, less '%' (handled as an escape) and '+' (refused: go-multiaddr reads it
/// as a space, the others as '+').
bool is_plain_pchar(unsigned char c) noexcept {
  if (is_unreserved(c)) return true;
  switch (c) {
    case '!': case '$': case '&': case '\'': case '(': case ')': case '*': case ',': case ';': case '=':
    case ':': case '@':
      return true;
    default:
      return false;
  }
}

Result<Bytes> http_path_from_text(std::string_view text) {
  Bytes out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '%') {
      const int hi = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
      const int lo = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return invalid("http-path " + quote(text) + ": '%' at offset " + std::to_string(i) +
                       " is not followed by two hex digits");
      }
      out.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
      i += 2;
    } else if (c == '+') {
      return invalid("http-path " + quote(text) +
                     ": '+' is ambiguous (a space to go-multiaddr, '+' to others); write %2B or %20");
    } else if (is_plain_pchar(c)) {
      out.push_back(c);
    } else {
      return invalid("http-path " + quote(text) + ": character at offset " + std::to_string(i) +
                     " must be percent-encoded");
    }
  }
  return out;
}

std::string http_path_to_text(ByteView value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (std::uint8_t c : value) {
    if (is_unreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

// --- onion ---------------------------------------------------------------------------

Result<Bytes> onion_from_text(std::string_view text, std::size_t host_chars, std::size_t host_bytes,
                              std::string_view what) {
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) return invalid(std::string(what) + " address " + quote(text) + " has no ':port'");
  const std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  if (port_text.find(':') != std::string_view::npos) {
    return invalid(std::string(what) + " address " + quote(text) + " has more than one ':'");
  }
  if (host.size() != host_chars) {
    return invalid(std::string(what) + " host " + quote(host) + " must be " + std::to_string(host_chars) +
                   " base32 characters, got " + std::to_string(host.size()));
  }
  // go, rust and js all accept either case here (Tor addresses are case-insensitive);
  // the canonical text is lower-case.
  auto decoded = base32_decode(host, Base32Case::any);
  if (!decoded) return invalid(std::string(what) + " host " + quote(host) + ": " + decoded.error().message());
  if (decoded.value().size() != host_bytes) {
    return invalid(std::string(what) + " host " + quote(host) + " does not decode to " +
                   std::to_string(host_bytes) + " bytes");
  }
  // go, rust and js all read "080" as port 80 here (js, which refuses it in /tcp/080,
  // checks onion ports with parseInt), so weft does too; the canonical text is "80".
  BOOST_OUTCOME_TRY(port, parse_decimal(port_text, 1, 65535, std::string(what) + " port", LeadingZeros::accepted));
  Bytes out = std::move(decoded).value();
  append_be(out, port, 2);
  return out;
}

Result<void> check_onion(ByteView value, std::size_t host_bytes, std::string_view what) {
  BOOST_OUTCOME_TRY(check_size(value, host_bytes + 2, what));
  if (read_be(value.subspan(host_bytes)) == 0) return invalid(std::string(what) + " port 0 out of range 1..65535");
  return success();
}

std::string onion_to_text(ByteView value, std::size_t host_bytes) {
  return base32_encode(value.first(host_bytes)) + ":" + std::to_string(read_be(value.subspan(host_bytes)));
}

// --- garlic ---------------------------------------------------------------------------

Result<void> check_garlic64(ByteView value) {
  if (value.size() < kMinGarlic64Bytes || value.size() > kMaxGarlic64Bytes) {
    return invalid("garlic64 destination of " + std::to_string(value.size()) + " bytes, expected " +
                   std::to_string(kMinGarlic64Bytes) + ".." + std::to_string(kMaxGarlic64Bytes));
  }
  return success();
}

Result<void> check_garlic32(ByteView value) {
  if (value.size() != kGarlic32HashBytes && value.size() < kMinGarlic32LongBytes) {
    return invalid("garlic32 address of " + std::to_string(value.size()) + " bytes, expected " +
                   std::to_string(kGarlic32HashBytes) + " or at least " + std::to_string(kMinGarlic32LongBytes));
  }
  return success();
}

}  // namespace

bool is_valid_utf8(ByteView bytes) noexcept {
  std::size_t i = 0;
  while (i < bytes.size()) {
    const std::uint8_t c = bytes[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    std::uint32_t min = 0;
    if ((c & 0xe0) == 0xc0) {
      len = 2, cp = c & 0x1f, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3, cp = c & 0x0f, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4, cp = c & 0x07, min = 0x10000;
    } else {
      return false;
    }
    if (bytes.size() - i < len) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const std::uint8_t cc = bytes[i + k];
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += len;
  }
  return true;
}

Result<Bytes> multiaddr_value_from_text(ValueCodec codec, std::string_view text) {
  switch (codec) {
    case ValueCodec::none: return invalid("protocol takes no value");
    case ValueCodec::ip4: {
      const auto ip = parse_ip4(text);
      if (!ip) return invalid(quote(text) + " is not an IPv4 address (dotted decimal, no leading zeros)");
      return Bytes(ip->begin(), ip->end());
    }
    case ValueCodec::ip6: {
      const auto ip = parse_ip6(text);
      if (!ip) return invalid(quote(text) + " is not an IPv6 address");
      return Bytes(ip->begin(), ip->end());
    }
    case ValueCodec::port: {
      BOOST_OUTCOME_TRY(port, parse_decimal(text, 0, 65535, "port"));
      Bytes out;
      append_be(out, port, 2);
      return out;
    }
    case ValueCodec::ipcidr: {
      BOOST_OUTCOME_TRY(mask, parse_decimal(text, 0, 255, "mask"));
      return Bytes{static_cast<std::uint8_t>(mask)};
    }
    case ValueCodec::memory: {
      BOOST_OUTCOME_TRY(id, parse_decimal(text, 0, UINT64_MAX, "memory address"));
      Bytes out;
      append_be(out, id, 8);
      return out;
    }
    case ValueCodec::onion: return onion_from_text(text, 16, 10, "onion");
    case ValueCodec::onion3: return onion_from_text(text, 56, 35, "onion3");
    case ValueCodec::garlic64: {
      // Padded as go-multiaddr prints it, or unpadded as rust-multiaddr does.
      const auto padding = text.find('=') != std::string_view::npos ? Base64Padding::padded : Base64Padding::none;
      auto decoded = base64_decode(text, Base64Alphabet::i2p, padding);
      if (!decoded) return invalid("garlic64 " + quote(text) + ": " + decoded.error().message());
      BOOST_OUTCOME_TRY(check_garlic64(decoded.value()));
      return std::move(decoded).value();
    }
    case ValueCodec::garlic32: {
      auto decoded = base32_decode(text, Base32Case::lower);
      if (!decoded) return invalid("garlic32 " + quote(text) + ": " + decoded.error().message());
      BOOST_OUTCOME_TRY(check_garlic32(decoded.value()));
      return std::move(decoded).value();
    }
    case ValueCodec::p2p: {
      auto id = PeerId::parse(text);
      if (!id) return invalid("PeerId " + quote(text) + ": " + id.error().message());
      return id.value().bytes();
    }
    case ValueCodec::certhash: {
      auto decoded = multibase_decode(text);
      if (!decoded) return invalid("certhash " + quote(text) + ": " + decoded.error().message());
      BOOST_OUTCOME_TRY(check_multiaddr_value(codec, decoded.value()));
      return std::move(decoded).value();
    }
    case ValueCodec::dns:
    case ValueCodec::ip6zone:
    case ValueCodec::unix_path: {
      Bytes out(text.begin(), text.end());
      BOOST_OUTCOME_TRY(check_multiaddr_value(codec, out));
      return out;
    }
    case ValueCodec::http_path: {
      BOOST_OUTCOME_TRY(out, http_path_from_text(text));
      BOOST_OUTCOME_TRY(check_multiaddr_value(codec, out));
      return out;
    }
  }
  return invalid("unknown value codec");
}

Result<void> check_multiaddr_value(ValueCodec codec, ByteView value) {
  switch (codec) {
    case ValueCodec::none: return check_size(value, 0, "value");
    case ValueCodec::ip4: return check_size(value, 4, "ip4 address");
    case ValueCodec::ip6: return check_size(value, 16, "ip6 address");
    case ValueCodec::port: return check_size(value, 2, "port");
    case ValueCodec::ipcidr: return check_size(value, 1, "mask");
    case ValueCodec::memory: return check_size(value, 8, "memory address");
    case ValueCodec::onion: return check_onion(value, 10, "onion");
    case ValueCodec::onion3: return check_onion(value, 35, "onion3");
    case ValueCodec::garlic64: return check_garlic64(value);
    case ValueCodec::garlic32: return check_garlic32(value);
    case ValueCodec::p2p: {
      auto id = PeerId::from_bytes(value);
      if (!id) return invalid(id.error().message());
      return success();
    }
    case ValueCodec::certhash: {
      auto hash = decode_multihash(value);
      if (!hash) return invalid("certhash is not a multihash: " + hash.error().message());
      return success();
    }
    case ValueCodec::dns: return check_name(value, "name");
    case ValueCodec::ip6zone: return check_name(value, "zone");
    case ValueCodec::unix_path: return check_unix_path(value);
    case ValueCodec::http_path:
      if (value.empty()) return invalid("empty http-path");
      if (!is_valid_utf8(value)) return invalid("http-path is not valid UTF-8");
      return success();
  }
  return invalid("unknown value codec");
}

std::string multiaddr_value_to_text(ValueCodec codec, ByteView value) {
  std::string out;
  switch (codec) {
    case ValueCodec::none: break;
    case ValueCodec::ip4: append_ip4_text(out, value); break;
    case ValueCodec::ip6: append_ip6_text(out, value); break;
    case ValueCodec::port:
    case ValueCodec::ipcidr:
    case ValueCodec::memory: out = std::to_string(read_be(value)); break;
    case ValueCodec::onion: out = onion_to_text(value, 10); break;
    case ValueCodec::onion3: out = onion_to_text(value, 35); break;
    case ValueCodec::garlic64: out = base64_encode(value, Base64Alphabet::i2p, Base64Padding::padded); break;
    case ValueCodec::garlic32: out = base32_encode(value); break;
    case ValueCodec::p2p: out = base58_encode(value); break;
    case ValueCodec::certhash: out = multibase_encode(Multibase::base64url, value); break;
    case ValueCodec::dns:
    case ValueCodec::ip6zone:
    case ValueCodec::unix_path: out.assign(as_chars(value)); break;
    case ValueCodec::http_path: out = http_path_to_text(value); break;
  }
  return out;
}

}  // namespace weft::identity
