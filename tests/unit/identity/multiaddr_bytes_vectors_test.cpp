// Multiaddr binary form against the JavaScript reference (tests/vectors/multiaddr_bytes_js.jsonl;
// fields in tests/differential/README.md). How and why weft may differ from js is described
// at the top of multiaddr_vectors_test.cpp.

#include <weft/multiaddr.hpp>

#include "identity/multiaddr_protocols.hpp"
#include "jsonl.hpp"
#include "multiaddr_vectors_support.hpp"
#include "test_bytes.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace weft {
namespace {

using identity::MultiaddrProtocol;
using identity::ValueCodec;
using identity::ValueSize;
using nlohmann::json;
using test::json_quote;
using test::str_field;
using test::to_hex;

using test::category;
using test::check_reference_printing;
using test::describe;
using test::hex_field;
using test::is_ipv4_mapped;
using test::self_consistency;

const std::vector<json>& bytes_vectors() {
  static const std::vector<json> vectors = test::read_jsonl(test::vectors_path("multiaddr_bytes_js.jsonl"));
  return vectors;
}

// ---------------------------------------------------------------------------------------
// A model of how js-multiaddr 13 prints values, for the binary vectors. js prints a few
// protocols differently from go/rust (and weft) even when it decodes the same value:
//
//   ip6        IPv4-mapped addresses in hex (::ffff:102:304); go/rust: ::ffff:1.2.3.4
//   unix       encodeURIComponent(path), one segment; go: the raw path (path protocol)
//   http-path  js's binary value keeps a leading '/', so js prints
//              encodeURIComponent(value.substring(1)), dropping the first character of a
//              go/rust value; go/rust/weft print the whole value percent-encoded
//   garlic32   the bytes as (lossy) UTF-8 text; go/rust: base32 of the bytes
//   garlic64   the bytes as (lossy) UTF-8 text; go/rust: I2P base64 of the bytes
//
// js_style_text() prints weft's decoded components the js way. When it reproduces js's
// text exactly, the two decoded the same values and differ only in these printing rules.

/// Appends code point `cp` as UTF-8.
void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

/// The WHATWG Encoding Standard's UTF-8 decoder (what js's TextDecoder does): each
/// maximal invalid subsequence becomes U+FFFD. Returns UTF-8; `replaced` tells whether any
/// replacement happened, i.e. whether the input was not valid UTF-8.
std::string whatwg_utf8_decode(ByteView in, bool* replaced = nullptr) {
  constexpr std::uint32_t kReplacement = 0xfffd;
  std::string out;
  std::uint32_t cp = 0;
  int needed = 0;  // continuation bytes the current sequence still needs
  std::uint8_t lower = 0x80, upper = 0xbf;  // bounds of the next continuation byte
  bool any = false;
  const auto replace = [&] {
    append_utf8(out, kReplacement);
    any = true;
    cp = 0;
    needed = 0;
    lower = 0x80;
    upper = 0xbf;
  };
  for (std::size_t i = 0; i < in.size();) {
    const std::uint8_t b = in[i];
    if (needed == 0) {
      ++i;
      if (b < 0x80) {
        out += static_cast<char>(b);
      } else if (b >= 0xc2 && b <= 0xdf) {
        needed = 1;
        cp = b & 0x1f;
      } else if (b >= 0xe0 && b <= 0xef) {
        if (b == 0xe0) lower = 0xa0;
        if (b == 0xed) upper = 0x9f;
        needed = 2;
        cp = b & 0x0f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        if (b == 0xf0) lower = 0x90;
        if (b == 0xf4) upper = 0x8f;
        needed = 3;
        cp = b & 0x07;
      } else {
        replace();
      }
      continue;
    }
    if (b < lower || b > upper) {
      replace();  // `b` is not consumed: it starts the next sequence
      continue;
    }
    ++i;
    lower = 0x80;
    upper = 0xbf;
    cp = (cp << 6) | (b & 0x3f);
    if (--needed == 0) {
      append_utf8(out, cp);
      cp = 0;
    }
  }
  if (needed != 0) replace();
  if (replaced != nullptr) *replaced = any;
  return out;
}

bool is_utf8(ByteView in) {
  bool replaced = false;
  whatwg_utf8_decode(in, &replaced);
  return !replaced;
}

/// ECMAScript encodeURIComponent of a well-formed UTF-8 string: everything but
/// A-Z a-z 0-9 - _ . ! ~ * ' ( ) as %XX (upper-case) of its UTF-8 bytes.
std::string encode_uri_component(std::string_view utf8) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  static constexpr std::string_view kKept = "-_.!~*'()";
  std::string out;
  for (const char ch : utf8) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        kKept.find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

std::string hex_group(std::uint8_t hi, std::uint8_t lo) {
  static constexpr char kHex[] = "0123456789abcdef";
  const unsigned v = (unsigned{hi} << 8) | lo;
  std::string out;
  for (int shift = 12; shift >= 0; shift -= 4) {
    const unsigned digit = (v >> shift) & 0xf;
    if (digit != 0 || !out.empty() || shift == 0) out += kHex[digit];
  }
  return out;
}

/// The value text js prints for one component weft decoded.
std::string js_value_text(const MultiaddrComponent& c) {
  const ByteView v = c.value;
  if (c.name == "ip6") {
    if (is_ipv4_mapped(v)) return "::ffff:" + hex_group(v[12], v[13]) + ":" + hex_group(v[14], v[15]);
    return c.value_text();  // the WHATWG serializer otherwise agrees with RFC 5952
  }
  if (c.name == "unix") return encode_uri_component(whatwg_utf8_decode(v));
  if (c.name == "http-path") {
    // js's substring(1) drops the first UTF-16 unit; an astral first character would leave
    // a lone surrogate, on which encodeURIComponent throws.
    const std::string text = whatwg_utf8_decode(v);
    const auto lead = static_cast<unsigned char>(text.front());
    if (lead >= 0xf0) return "<js throws URIError>";
    const std::size_t first = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : 3;
    return encode_uri_component(std::string_view(text).substr(first));
  }
  if (c.name == "garlic32" || c.name == "garlic64") return whatwg_utf8_decode(v);
  return c.value_text();
}

std::string js_style_text(const Multiaddr& addr) {
  std::string out;
  for (const auto& c : addr.components()) {
    out += '/';
    out += c.name;
    const auto* protocol = identity::find_multiaddr_protocol(c.code);
    if (protocol != nullptr && protocol->has_value()) out += "/" + js_value_text(c);
  }
  return out;
}

/// Names of the components whose value js prints differently from weft, e.g. "ip6, http-path".
std::string js_printing_differences(const Multiaddr& addr) {
  std::string out;
  for (const auto& c : addr.components()) {
    const auto* protocol = identity::find_multiaddr_protocol(c.code);
    if (protocol == nullptr || !protocol->has_value() || js_value_text(c) == c.value_text()) continue;
    const std::string name(c.name);
    if (out.find(name) != std::string::npos) continue;
    out += (out.empty() ? "" : ", ") + name;
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Binary vectors js accepts (framing_ok true) that hold a value go and/or rust refuse.
// js checks almost no value read from bytes. Each rule below is evaluated on the components
// as js frames them (same sizes as weft, except memory: variable in js), independently of
// weft's decoder; a vector that breaks a rule must be refused by weft with
// multiaddr_invalid_value naming one of the offending components.

/// Reads an unsigned varint; nullopt at the end of the input.
std::optional<std::uint64_t> read_uvarint(ByteView in, std::size_t& offset) {
  std::uint64_t value = 0;
  for (int shift = 0; offset < in.size() && shift < 64; shift += 7) {
    const std::uint8_t b = in[offset++];
    value |= std::uint64_t{b & 0x7fu} << shift;
    if ((b & 0x80) == 0) return value;
  }
  return std::nullopt;
}

/// A valid multihash: varint code, varint length, exactly that many digest bytes.
std::optional<std::uint64_t> multihash_code_of(ByteView value, std::size_t* digest_bytes = nullptr) {
  std::size_t offset = 0;
  const auto code = read_uvarint(value, offset);
  if (!code) return std::nullopt;
  const auto length = read_uvarint(value, offset);
  if (!length || *length != value.size() - offset) return std::nullopt;
  if (digest_bytes != nullptr) *digest_bytes = static_cast<std::size_t>(*length);
  return code;
}

/// Why `value` is not a PeerId multihash, or "": go (p2pVal) and rust (PeerId::from_bytes)
/// want sha2-256 with 32 bytes or identity; rust also bounds identity to 42 bytes (the
/// peer-ids spec inlines keys up to 42 bytes), go does not.
std::string peer_id_problem(ByteView value) {
  std::size_t digest = 0;
  const auto code = multihash_code_of(value, &digest);
  if (!code || !((*code == 0x12 && digest == 32) || *code == 0x00)) {
    return "p2p value that is not a sha2-256 or identity multihash (go/rust refuse)";
  }
  if (*code == 0x00 && digest > 42) return "identity PeerId over 42 bytes (rust refuses, go accepts)";
  return "";
}

struct JsComponent {
  std::uint64_t code = 0;
  const MultiaddrProtocol* protocol = nullptr;  ///< nullptr for memory in js's format
  ByteView value;
};

/// The components as js-multiaddr frames them; nullopt if that fails (not expected when
/// framing_ok is true).
std::optional<std::vector<JsComponent>> js_components(ByteView bytes) {
  std::vector<JsComponent> out;
  for (std::size_t offset = 0; offset < bytes.size();) {
    const auto code = read_uvarint(bytes, offset);
    if (!code) return std::nullopt;
    const MultiaddrProtocol* protocol = identity::find_multiaddr_protocol(*code);
    if (protocol == nullptr || *code == 7367777) return std::nullopt;  // js lacks plaintextv2
    std::uint64_t size = protocol->fixed_bytes;
    if (*code == 777 || protocol->size == ValueSize::variable) {
      const auto length = read_uvarint(bytes, offset);
      if (!length) return std::nullopt;
      size = *length;
    }
    if (size > bytes.size() - offset) return std::nullopt;
    out.push_back({*code, *code == 777 ? nullptr : protocol, bytes.subspan(offset, size)});
    offset += size;
  }
  return out;
}

/// The first go/rust rule component `c` (at `index` of `count`) breaks, or "".
std::string broken_rule(const JsComponent& c, std::size_t index, std::size_t count) {
  if (c.protocol == nullptr) return "";  // memory: handled separately
  const ByteView v = c.value;
  switch (c.protocol->codec) {
    case ValueCodec::dns:
    case ValueCodec::ip6zone:
      if (std::find(v.begin(), v.end(), '/') != v.end()) return "name or zone containing '/' (go refuses)";
      if (!is_utf8(v)) return "text value that is not UTF-8 (rust refuses)";
      return "";
    case ValueCodec::unix_path:
      if (!is_utf8(v)) return "text value that is not UTF-8 (rust refuses)";
      if (v.size() < 2 || v.front() != '/') return "unix path not starting with '/' (go refuses)";
      if (v.back() == '/') return "unix path ending in '/' (go refuses)";
      if (index + 1 != count) return "component after the unix path (go refuses)";
      return "";
    case ValueCodec::http_path: return is_utf8(v) ? "" : "text value that is not UTF-8 (rust refuses)";
    case ValueCodec::p2p: return peer_id_problem(v);
    case ValueCodec::certhash: return multihash_code_of(v) ? "" : "certhash that is not a multihash (go/rust refuse)";
    case ValueCodec::onion:
    case ValueCodec::onion3:
      return v[v.size() - 2] == 0 && v[v.size() - 1] == 0 ? "onion port 0 (go refuses)" : "";
    case ValueCodec::garlic32:
      return v.size() == 32 || v.size() >= 35 ? "" : "garlic32 not 32 or >= 35 bytes (go/rust refuse)";
    case ValueCodec::garlic64:
      return v.size() >= 387 && v.size() <= 462 ? "" : "garlic64 outside 387..462 bytes (go/rust refuse)";
    default: return "";
  }
}

// Binary vectors with broken framing that weft accepts on purpose: the generator's framing
// check uses js's protocol table. Exact expectations.
struct BytesDifference {
  std::string_view hex;
  std::string_view canonical;
  std::string_view reason;
};

constexpr BytesDifference kBytesDifferences[] = {
    {"e1d8c103", "/plaintextv2", "plaintextv2 (0x706c61): go-multiaddr and the multicodec table; js lacks it"},
    {"890600000000000004d2", "/memory/1234",
     "memory as go and rust encode it (8-byte big-endian u64); js expects a length-prefixed string"},
};

const BytesDifference* find_bytes_difference(std::string_view hex) {
  for (const auto& d : kBytesDifferences) {
    if (d.hex == hex) return &d;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("multiaddr_bytes_js: binary vectors") {
  test::MismatchLog log("multiaddr_bytes_js");
  std::vector<bool> difference_seen(std::size(kBytesDifferences), false);
  std::size_t agreed_ok = 0, agreed_reject = 0, printing = 0, refused_by_rule = 0, js_memory = 0, deliberate = 0;
  std::map<std::string, std::size_t> per_rule;  // go/rust rule or js printing rule -> vectors
  for (const auto& v : bytes_vectors()) {
    const std::string hex = str_field(v, "hex");
    const bool js_ok = v.value("ok", false);
    const bool framing_ok = v.value("framing_ok", false);
    const std::string note = str_field(v, "note");
    const std::string js_text = str_field(v, "text");
    const std::string js = js_ok ? "ok " + json_quote(js_text) : "error: " + str_field(v, "error");
    const Bytes bytes = hex_field(v, "hex");
    const auto weft = Multiaddr::from_bytes(bytes);
    const std::string got = describe(weft);
    CAPTURE(hex);
    CAPTURE(note);
    CAPTURE(framing_ok);
    CAPTURE(js);
    CAPTURE(got);
    const auto mismatch = [&](std::string_view what, const std::string& more = {}) {
      log.add(category(what, weft), "hex " + hex + " (" + note + "): js " + js + "; weft " + got + more);
    };

    if (weft) {
      const std::string problem = self_consistency(weft.value());
      CHECK_MESSAGE(problem.empty(), problem);
      if (!problem.empty()) mismatch("weft not self-consistent", " — " + problem);
      const std::string printing = check_reference_printing(weft.value());
      CHECK_MESSAGE(printing.empty(), printing);
      if (!printing.empty()) mismatch("weft's canonical text differs from docs/multiaddr.md", " — " + printing);
      CHECK(to_hex(weft.value().bytes()) == hex);
    }

    if (const BytesDifference* d = find_bytes_difference(hex)) {
      ++deliberate;
      difference_seen[static_cast<std::size_t>(d - kBytesDifferences)] = true;
      CAPTURE(d->reason);
      CHECK_FALSE(framing_ok);
      CHECK(weft.has_value());
      if (weft) CHECK(weft.value().to_string() == d->canonical);
      if (!weft || weft.value().to_string() != d->canonical) mismatch("deliberate difference not met");
      continue;
    }

    if (!framing_ok) {
      CHECK_FALSE(weft.has_value());
      if (weft) {
        mismatch("framing is broken, weft accepts");
      } else {
        ++agreed_reject;
      }
      continue;
    }
    if (!js_ok) {
      CHECK_FALSE(weft.has_value());
      if (weft) {
        mismatch("js rejects, weft accepts");
      } else {
        ++agreed_reject;
      }
      continue;
    }

    // js accepts and the framing is sound. Look at the values as js framed them.
    const auto components = js_components(bytes);
    CHECK(components.has_value());
    if (!components) {
      mismatch("test model cannot frame the bytes as js does");
      continue;
    }
    // memory: js's binary form (varint length, decimal text) and go/rust's (8 fixed bytes)
    // frame differently, so js's text describes other bytes than weft reads: only weft's
    // self-consistency (checked above) applies.
    if (std::any_of(components->begin(), components->end(), [](const JsComponent& c) { return c.code == 777; })) {
      ++js_memory;
      continue;
    }
    std::vector<std::string> broken;  // "component N 'name'" of each value go/rust refuse
    std::string rule;
    for (std::size_t i = 0; i < components->size(); ++i) {
      const std::string why = broken_rule((*components)[i], i, components->size());
      if (why.empty()) continue;
      if (rule.empty()) rule = why;
      broken.push_back("component " + std::to_string(i + 1) + " '" + std::string((*components)[i].protocol->name) +
                       "'");
    }
    if (!broken.empty()) {
      CAPTURE(rule);
      CHECK(test::outcome_of(weft) == Errc::multiaddr_invalid_value);
      if (!(test::outcome_of(weft) == Errc::multiaddr_invalid_value)) {
        mismatch("weft accepts a value go/rust refuse", " — " + rule);
        continue;
      }
      const std::string message = weft.error().message();
      const bool names_one = std::any_of(broken.begin(), broken.end(),
                                         [&](const std::string& c) { return message.find(c) != std::string::npos; });
      CHECK_MESSAGE(names_one, "weft refuses, but not for an offending component");
      if (names_one) {
        ++refused_by_rule;
        ++per_rule["refused: " + rule];
      } else {
        mismatch("weft refuses for another reason than the go/rust rule", " — " + rule);
      }
      continue;
    }

    CHECK(weft.has_value());
    if (!weft) {
      mismatch("js accepts, weft rejects");
      continue;
    }
    const std::string text = weft.value().to_string();
    if (text == js_text) {
      ++agreed_ok;
      continue;
    }
    // Differences in how js prints a few protocols (see js_style_text()).
    const std::string js_style = js_style_text(weft.value());
    const std::string differing = js_printing_differences(weft.value());
    CAPTURE(js_style);
    CAPTURE(differing);
    CHECK(js_style == js_text);
    CHECK_FALSE(differing.empty());
    if (js_style == js_text && !differing.empty()) {
      ++printing;
      ++per_rule["printed the js way: " + differing];
    } else {
      mismatch("text differs");
    }
  }
  for (std::size_t i = 0; i < std::size(kBytesDifferences); ++i) {
    CAPTURE(kBytesDifferences[i].hex);
    CHECK_MESSAGE(difference_seen[i], "listed deliberate difference matches no vector: remove it");
  }
  MESSAGE("multiaddr_bytes_js: " << agreed_ok << " same text, " << printing << " same values printed the js way, "
                                 << refused_by_rule << " refused as go/rust do, " << agreed_reject
                                 << " refused by both, " << deliberate << " deliberate differences, " << js_memory
                                 << " with js-format memory (self-consistency only)");
  std::string rules = "multiaddr_bytes_js: deliberate differences by rule:";
  for (const auto& [rule, n] : per_rule) rules += "\n  " + std::to_string(n) + " x " + rule;
  MESSAGE(rules);
  MESSAGE(log.report(bytes_vectors().size()));
  CHECK(log.count() == 0);
  CHECK(agreed_ok > 500);  // the comparison is not vacuous
}

}  // namespace weft
