#include <weft/multiaddr.hpp>

#include "identity/multiaddr_protocols.hpp"
#include "identity/multiaddr_values.hpp"
#include "identity/varint.hpp"

#include <algorithm>
#include <array>
#include <cstring>

namespace weft {
namespace {

using identity::MultiaddrProtocol;
using identity::ValueSize;

/// One component located in a binary form: [begin, value_begin) is the code and any
/// length prefix, [value_begin, end) the value.
struct RawComponent {
  const MultiaddrProtocol* protocol = nullptr;
  std::size_t begin = 0;
  std::size_t value_begin = 0;
  std::size_t end = 0;
};

/// One component located in a text form, before its value is converted.
struct TextComponent {
  const MultiaddrProtocol* protocol = nullptr;
  std::string_view value;
};

/// "component 2" / "component 2 'tcp'": components are numbered from 1 in messages.
std::string where(std::size_t index) { return "component " + std::to_string(index + 1); }
std::string where(std::size_t index, std::string_view name) {
  return where(index) + " '" + std::string(name) + "'";
}

/// Protocol names are lower-case letters, digits and '-', starting with a letter; a text
/// segment that cannot be one reads as a value.
bool could_be_protocol_name(std::string_view s) noexcept {
  if (s.empty() || s.front() < 'a' || s.front() > 'z') return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

/// Reads the component of index `index` at `offset` (structure only: code, length, bounds;
/// the value is not checked). Returns the offset after it.
Result<std::size_t> read_component(ByteView bytes, std::size_t offset, std::size_t index, RawComponent& out) {
  auto code = identity::decode_uvarint(bytes.subspan(offset));
  if (!code) {
    if (code.error() == Errc::varint_truncated) {
      return Error(Errc::multiaddr_truncated, where(index) + ": protocol code runs past the end");
    }
    return code.error().with_context(where(index) + ": protocol code");
  }
  const MultiaddrProtocol* protocol = identity::find_multiaddr_protocol(code.value().value);
  if (protocol == nullptr) {
    return Error(Errc::multiaddr_unknown_protocol,
                 where(index) + ": unknown protocol code " + std::to_string(code.value().value));
  }
  out.protocol = protocol;
  out.begin = offset;
  out.value_begin = offset + code.value().length;
  const std::size_t left = bytes.size() - out.value_begin;
  std::uint64_t value_bytes = 0;
  switch (protocol->size) {
    case ValueSize::none: break;
    case ValueSize::fixed:
      value_bytes = protocol->fixed_bytes;
      if (value_bytes > left) {
        return Error(Errc::multiaddr_truncated, where(index, protocol->name) + ": value needs " +
                                                    std::to_string(value_bytes) + " bytes, " + std::to_string(left) +
                                                    " left");
      }
      break;
    case ValueSize::variable: {
      auto length = identity::decode_uvarint(bytes.subspan(out.value_begin));
      if (!length) {
        if (length.error() == Errc::varint_truncated) {
          return Error(Errc::multiaddr_truncated, where(index, protocol->name) + ": value length runs past the end");
        }
        return length.error().with_context(where(index, protocol->name) + ": value length");
      }
      out.value_begin += length.value().length;
      value_bytes = length.value().value;
      if (value_bytes == 0) {
        return Error(Errc::multiaddr_missing_value, where(index, protocol->name) + ": value length is 0");
      }
      if (value_bytes > left - length.value().length) {
        return Error(Errc::multiaddr_truncated, where(index, protocol->name) + ": value of " +
                                                    std::to_string(value_bytes) + " bytes runs past the end (" +
                                                    std::to_string(left - length.value().length) + " left)");
      }
      break;
    }
  }
  out.end = out.value_begin + static_cast<std::size_t>(value_bytes);
  return out.end;
}

/// Calls fn(const RawComponent&) for each component of bytes already validated.
template <class Fn>
void for_each_component(ByteView bytes, Fn&& fn) {
  std::size_t offset = 0;
  for (std::size_t index = 0; offset < bytes.size(); ++index) {
    RawComponent c;
    auto next = read_component(bytes, offset, index, c);
    if (!next) return;  // unreachable for a valid form
    fn(c);
    offset = next.value();
  }
}

ByteView value_of(ByteView bytes, const RawComponent& c) {
  return bytes.subspan(c.value_begin, c.end - c.value_begin);
}

/// Appends "/name[/value]" (for a path protocol the value carries its own leading '/').
void append_component_text(std::string& out, ByteView bytes, const RawComponent& c) {
  out += '/';
  out += c.protocol->name;
  if (!c.protocol->has_value()) return;
  if (!c.protocol->path) out += '/';
  out += identity::multiaddr_value_to_text(c.protocol->codec, value_of(bytes, c));
}

/// Everything a Multiaddr's bytes must satisfy: non-empty, within every bound (including
/// the length of the canonical text, so that the text form always parses back), each
/// component well-framed with a value its codec accepts, a path protocol only last.
Result<void> validate(ByteView bytes) {
  if (bytes.empty()) return Error(Errc::multiaddr_empty, "no bytes");
  if (bytes.size() > kMaxMultiaddrBytes) {
    return Error(Errc::multiaddr_too_long,
                 std::to_string(bytes.size()) + " bytes, at most " + std::to_string(kMaxMultiaddrBytes));
  }
  // Structure first, so that an oversized component count is refused before any value work.
  std::array<RawComponent, kMaxMultiaddrComponents> components;
  std::size_t count = 0;
  for (std::size_t offset = 0; offset < bytes.size();) {
    if (count == kMaxMultiaddrComponents) {
      return Error(Errc::multiaddr_too_many_components,
                   "more than " + std::to_string(kMaxMultiaddrComponents) + " components");
    }
    BOOST_OUTCOME_TRY(next, read_component(bytes, offset, count, components[count]));
    if (count > 0 && components[count - 1].protocol->path) {
      return Error(Errc::multiaddr_invalid_value, where(count - 1, components[count - 1].protocol->name) +
                                                      ": a path protocol must be the last component, but " +
                                                      where(count, components[count].protocol->name) + " follows");
    }
    ++count;
    offset = next;
  }
  std::size_t text_chars = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const auto& c = components[i];
    const ByteView value = value_of(bytes, c);
    if (auto ok = identity::check_multiaddr_value(c.protocol->codec, value); !ok) {
      return ok.error().with_context(where(i, c.protocol->name));
    }
    text_chars += 1 + c.protocol->name.size();
    if (c.protocol->has_value()) {
      text_chars += (c.protocol->path ? 0 : 1) + identity::multiaddr_value_to_text(c.protocol->codec, value).size();
    }
  }
  if (text_chars > kMaxMultiaddrTextChars) {
    return Error(Errc::multiaddr_too_long, "text form would be " + std::to_string(text_chars) +
                                               " characters, at most " + std::to_string(kMaxMultiaddrTextChars));
  }
  return success();
}

/// Appends code, length prefix (variable-size protocols) and value.
void append_component(Bytes& out, const MultiaddrProtocol& protocol, ByteView value) {
  identity::append_uvarint(out, protocol.code);
  if (protocol.size == ValueSize::variable) identity::append_uvarint(out, value.size());
  out.insert(out.end(), value.begin(), value.end());
}

}  // namespace

std::string MultiaddrComponent::value_text() const {
  const MultiaddrProtocol* protocol = identity::find_multiaddr_protocol(code);
  if (protocol == nullptr || !protocol->has_value()) return {};
  if (!identity::check_multiaddr_value(protocol->codec, value)) return {};
  return identity::multiaddr_value_to_text(protocol->codec, value);
}

Result<Multiaddr> Multiaddr::parse(std::string_view text) {
  if (text.empty()) return Error(Errc::multiaddr_empty, "empty text");
  if (text.size() > kMaxMultiaddrTextChars) {
    return Error(Errc::multiaddr_too_long, std::to_string(text.size()) + " characters, at most " +
                                               std::to_string(kMaxMultiaddrTextChars));
  }
  if (text.front() != '/') {
    return Error(Errc::multiaddr_no_leading_slash,
                 "text begins with " + identity::quote_for_message(text.substr(0, 1)));
  }
  if (text == "/") return Error(Errc::multiaddr_empty, "no components in \"/\"");

  // Pass 1: split into components and look up the names; no value work yet.
  std::array<TextComponent, kMaxMultiaddrComponents> components;
  std::size_t count = 0;
  std::string_view rest = text.substr(1);  // after a '/'
  for (bool more = true; more;) {
    const std::size_t slash = rest.find('/');
    const std::string_view name = rest.substr(0, slash);
    if (name.empty()) {
      return Error(Errc::multiaddr_empty_component,
                   where(count) + ": no protocol name (\"//\" or a trailing '/')");
    }
    if (count == kMaxMultiaddrComponents) {
      return Error(Errc::multiaddr_too_many_components,
                   "more than " + std::to_string(kMaxMultiaddrComponents) + " components");
    }
    const MultiaddrProtocol* protocol = identity::find_multiaddr_protocol(name);
    if (protocol == nullptr) {
      if (count > 0 && !components[count - 1].protocol->has_value() && !could_be_protocol_name(name)) {
        const auto* previous = components[count - 1].protocol;
        return Error(Errc::multiaddr_unexpected_value, where(count - 1, previous->name) +
                                                           ": takes no value, got " +
                                                           identity::quote_for_message(name));
      }
      return Error(Errc::multiaddr_unknown_protocol,
                   where(count) + ": unknown protocol " + identity::quote_for_message(name));
    }
    more = slash != std::string_view::npos;
    rest = more ? rest.substr(slash + 1) : std::string_view{};
    TextComponent& c = components[count];
    c.protocol = protocol;
    if (protocol->has_value()) {
      if (!more || rest.empty()) {
        return Error(Errc::multiaddr_missing_value, where(count, protocol->name) + ": no value");
      }
      if (protocol->path) {
        c.value = std::string_view(rest.data() - 1, rest.size() + 1);  // the rest, with its leading '/'
        more = false;
      } else {
        const std::size_t value_end = rest.find('/');
        c.value = rest.substr(0, value_end);
        if (c.value.empty()) {
          return Error(Errc::multiaddr_missing_value, where(count, protocol->name) + ": empty value");
        }
        more = value_end != std::string_view::npos;
        rest = more ? rest.substr(value_end + 1) : std::string_view{};
      }
    }
    ++count;
  }

  // Pass 2: convert the values.
  Bytes out;
  out.reserve(std::min(kMaxMultiaddrBytes, 2 * text.size()));
  for (std::size_t i = 0; i < count; ++i) {
    const MultiaddrProtocol& protocol = *components[i].protocol;
    if (!protocol.has_value()) {
      identity::append_uvarint(out, protocol.code);
    } else {
      auto value = identity::multiaddr_value_from_text(protocol.codec, components[i].value);
      if (!value) return value.error().with_context(where(i, protocol.name));
      append_component(out, protocol, value.value());
    }
    if (out.size() > kMaxMultiaddrBytes) {
      return Error(Errc::multiaddr_too_long, "binary form exceeds " + std::to_string(kMaxMultiaddrBytes) +
                                                 " bytes at " + where(i, protocol.name));
    }
  }
  BOOST_OUTCOME_TRY(validate(out));
  return Multiaddr(std::move(out));
}

Result<Multiaddr> Multiaddr::from_bytes(ByteView bytes) {
  BOOST_OUTCOME_TRY(validate(bytes));
  return Multiaddr(Bytes(bytes.begin(), bytes.end()));
}

Result<Multiaddr> Multiaddr::from_tcp_endpoint(const TcpEndpoint& endpoint) {
  std::uint64_t code = multiaddr_code::ip4;
  switch (endpoint.kind) {
    case TcpEndpoint::HostKind::ip4: code = multiaddr_code::ip4; break;
    case TcpEndpoint::HostKind::ip6: code = multiaddr_code::ip6; break;
    case TcpEndpoint::HostKind::dns: code = multiaddr_code::dns; break;
    case TcpEndpoint::HostKind::dns4: code = multiaddr_code::dns4; break;
    case TcpEndpoint::HostKind::dns6: code = multiaddr_code::dns6; break;
  }
  const MultiaddrProtocol& host = *identity::find_multiaddr_protocol(code);
  const MultiaddrProtocol& tcp = *identity::find_multiaddr_protocol(multiaddr_code::tcp);
  if (endpoint.host.empty()) return Error(Errc::multiaddr_invalid_value, where(0, host.name) + ": empty host");
  if (endpoint.host.size() > kMaxMultiaddrBytes) {
    return Error(Errc::multiaddr_invalid_value, where(0, host.name) + ": host of " +
                                                    std::to_string(endpoint.host.size()) + " characters is too long");
  }
  auto value = identity::multiaddr_value_from_text(host.codec, endpoint.host);
  if (!value) return value.error().with_context(where(0, host.name));
  Bytes out;
  append_component(out, host, value.value());
  const std::uint8_t port[2] = {static_cast<std::uint8_t>(endpoint.port >> 8),
                                static_cast<std::uint8_t>(endpoint.port & 0xff)};
  append_component(out, tcp, port);
  BOOST_OUTCOME_TRY(validate(out));
  return Multiaddr(std::move(out));
}

std::string Multiaddr::to_string() const {
  std::string out;
  out.reserve(2 * bytes_.size());
  for_each_component(bytes_, [&](const RawComponent& c) { append_component_text(out, bytes_, c); });
  return out;
}

std::vector<MultiaddrComponent> Multiaddr::components() const {
  std::vector<MultiaddrComponent> out;
  for_each_component(bytes_, [&](const RawComponent& c) {
    const ByteView value = value_of(bytes_, c);
    out.push_back(MultiaddrComponent{c.protocol->code, c.protocol->name, Bytes(value.begin(), value.end())});
  });
  return out;
}

Result<Multiaddr> Multiaddr::encapsulate(const Multiaddr& inner) const {
  if (inner.empty()) return *this;
  if (empty()) return inner;
  if (bytes_.size() + inner.bytes_.size() > kMaxMultiaddrBytes) {
    return Error(Errc::multiaddr_too_long, std::to_string(bytes_.size() + inner.bytes_.size()) +
                                               " bytes, at most " + std::to_string(kMaxMultiaddrBytes));
  }
  Bytes out;
  out.reserve(bytes_.size() + inner.bytes_.size());
  out.insert(out.end(), bytes_.begin(), bytes_.end());
  out.insert(out.end(), inner.bytes_.begin(), inner.bytes_.end());
  BOOST_OUTCOME_TRY(validate(out));
  return Multiaddr(std::move(out));
}

Multiaddr Multiaddr::decapsulate(const Multiaddr& suffix) const {
  if (suffix.empty() || suffix.bytes_.size() > bytes_.size()) return *this;
  // A match starting on a component boundary covers whole components: both sides are
  // valid forms, and framing is determined by the bytes.
  std::optional<std::size_t> last;
  for_each_component(bytes_, [&](const RawComponent& c) {
    if (bytes_.size() - c.begin >= suffix.bytes_.size() &&
        std::memcmp(bytes_.data() + c.begin, suffix.bytes_.data(), suffix.bytes_.size()) == 0) {
      last = c.begin;
    }
  });
  if (!last) return *this;
  return Multiaddr(Bytes(bytes_.begin(), bytes_.begin() + static_cast<std::ptrdiff_t>(*last)));
}

std::optional<PeerId> Multiaddr::peer_id() const {
  std::optional<ByteView> last;
  for_each_component(bytes_, [&](const RawComponent& c) {
    if (c.protocol->code == multiaddr_code::p2p) last = value_of(bytes_, c);
  });
  if (!last) return std::nullopt;
  auto id = PeerId::from_bytes(*last);
  if (!id) return std::nullopt;  // unreachable: validated on construction
  return id.value();
}

Result<TcpEndpoint> Multiaddr::to_tcp_endpoint() const {
  if (empty()) return Error(Errc::multiaddr_not_tcp, "empty multiaddr");
  std::array<RawComponent, 4> parts;
  std::size_t count = 0;
  for_each_component(bytes_, [&](const RawComponent& c) {
    if (count < parts.size()) parts[count] = c;
    ++count;
  });
  TcpEndpoint endpoint;
  const RawComponent& host = parts[0];
  switch (host.protocol->code) {
    case multiaddr_code::ip4: endpoint.kind = TcpEndpoint::HostKind::ip4; break;
    case multiaddr_code::ip6: endpoint.kind = TcpEndpoint::HostKind::ip6; break;
    case multiaddr_code::dns: endpoint.kind = TcpEndpoint::HostKind::dns; break;
    case multiaddr_code::dns4: endpoint.kind = TcpEndpoint::HostKind::dns4; break;
    case multiaddr_code::dns6: endpoint.kind = TcpEndpoint::HostKind::dns6; break;
    default:
      return Error(Errc::multiaddr_not_tcp,
                   where(0, host.protocol->name) + ": expected ip4, ip6, dns, dns4 or dns6 first");
  }
  if (count < 2) return Error(Errc::multiaddr_not_tcp, "no tcp component after the host");
  if (parts[1].protocol->code != multiaddr_code::tcp) {
    return Error(Errc::multiaddr_not_tcp, where(1, parts[1].protocol->name) + ": expected tcp after the host");
  }
  if (count > 2 && parts[2].protocol->code != multiaddr_code::p2p) {
    return Error(Errc::multiaddr_not_tcp, where(2, parts[2].protocol->name) + ": only /p2p/<id> may follow tcp");
  }
  if (count > 3) {
    return Error(Errc::multiaddr_not_tcp, where(3, parts[3].protocol->name) + ": nothing may follow /p2p/<id>");
  }
  endpoint.host = identity::multiaddr_value_to_text(host.protocol->codec, value_of(bytes_, host));
  const ByteView port = value_of(bytes_, parts[1]);
  endpoint.port = static_cast<std::uint16_t>((port[0] << 8) | port[1]);
  return endpoint;
}

}  // namespace weft

std::size_t std::hash<weft::Multiaddr>::operator()(const weft::Multiaddr& addr) const noexcept {
  return std::hash<std::string_view>{}(weft::as_chars(addr.bytes()));
}
