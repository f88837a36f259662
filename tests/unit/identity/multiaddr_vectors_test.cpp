// Multiaddr text and binary forms against the JavaScript reference
// (tests/vectors/multiaddr_js.jsonl and multiaddr_bytes_js.jsonl; fields in
// tests/differential/README.md).
//
// Where js deviates from go-multiaddr / rust-multiaddr / the spec, weft follows go and
// rust (docs/multiaddr.md, "Where the references disagree"). Every difference is listed
// below with the evidence, as an exact table entry (text vectors, two binary vectors) or a
// rule stating precisely what weft must do instead (binary vectors). Only two kinds of
// vector are not compared with js, and weft must still be self-consistent on them: those
// flagged known_diff, and binary vectors holding js's memory encoding, which frames
// differently from go/rust's. Any other disagreement fails, and the summary at the end of
// each test case counts the failures per category and lists the first 30.

#include <weft/multiaddr.hpp>

#include "identity/hex.hpp"
#include "identity/multiaddr_protocols.hpp"
#include "jsonl.hpp"
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

const std::vector<json>& text_vectors() {
  static const std::vector<json> vectors = test::read_jsonl(test::vectors_path("multiaddr_js.jsonl"));
  return vectors;
}

const std::vector<json>& bytes_vectors() {
  static const std::vector<json> vectors = test::read_jsonl(test::vectors_path("multiaddr_bytes_js.jsonl"));
  return vectors;
}

Bytes hex_field(const json& record, const char* key) {
  const std::string text = str_field(record, key);
  auto bytes = identity::hex_decode(text);
  REQUIRE_MESSAGE(bytes.has_value(), key << " is not hex: " << text);
  return std::move(bytes).value();
}

/// weft's answer in one line: "ok <text> [<hex>]" or "error: <message>".
std::string describe(const Result<Multiaddr>& r) {
  if (!r) return "error: " + r.error().message();
  return "ok " + json_quote(r.value().to_string()) + " [" + to_hex(r.value().bytes()) + "]";
}

/// A short category for a mismatch: `what`, plus weft's error with quoted values and
/// numbers blanked, so that one cause shows up as one line in the summary.
std::string category(std::string_view what, const Result<Multiaddr>& weft) {
  std::string out(what);
  if (weft) return out;
  out += ": ";
  bool quoted = false;
  for (const char c : weft.error().message()) {
    if (c == '\'') {
      if (!quoted) out += "'...'";
      quoted = !quoted;
    } else if (quoted) {
      continue;
    } else if (c >= '0' && c <= '9') {
      if (out.back() != '#') out += '#';
    } else {
      out += c;
    }
  }
  return out;
}

/// Self-consistency of an address weft accepted: its text parses back to the same bytes,
/// and its bytes decode back to the same text. Returns "" or what failed.
std::string self_consistency(const Multiaddr& addr) {
  const std::string text = addr.to_string();
  auto reparsed = Multiaddr::parse(text);
  if (!reparsed) return "its text " + json_quote(text) + " does not parse: " + reparsed.error().message();
  if (reparsed.value().bytes() != addr.bytes()) {
    return "its text " + json_quote(text) + " parses to other bytes " + to_hex(reparsed.value().bytes());
  }
  auto decoded = Multiaddr::from_bytes(addr.bytes());
  if (!decoded) return "its bytes do not decode: " + decoded.error().message();
  if (decoded.value().to_string() != text) return "its bytes decode to " + json_quote(decoded.value().to_string());
  return {};
}

// ---------------------------------------------------------------------------------------
// Text vectors (multiaddr_js.jsonl) without known_diff on which weft deliberately differs
// from js. Each entry is checked exactly, must still occur in the vectors, and js must
// still answer the other way (so the table cannot go stale).

struct TextDifference {
  std::string_view input;
  std::optional<std::string_view> canonical;  ///< weft's text; nullopt: weft refuses with `error`
  Errc error = Errc::multiaddr_invalid_value;
  std::string_view reason;
};

constexpr TextDifference kTextDifferences[] = {
    // A trailing '/' has no protocol name. rust-multiaddr refuses it (the empty segment is
    // an unknown protocol); go trims trailing slashes; js strips them. weft takes the
    // stricter choice, so that every accepted text is canonical up to value spelling.
    {"/ip4/1.2.3.4/", std::nullopt, Errc::multiaddr_empty_component, "trailing '/': rust refuses"},
    {"/ip4/1.2.3.4//", std::nullopt, Errc::multiaddr_empty_component, "trailing '//': rust refuses"},
    {"/ip4/1.2.3.4/tcp/80/", std::nullopt, Errc::multiaddr_empty_component, "trailing '/': rust refuses"},
    // Empty components elsewhere: go and rust both refuse ("//" is "empty multiaddr" to go,
    // an unknown protocol "" to both); js collapses the first run of slashes.
    {"//", std::nullopt, Errc::multiaddr_empty_component, "go and rust refuse"},
    {"///", std::nullopt, Errc::multiaddr_empty_component, "go and rust refuse"},
    {"//ip4/1.2.3.4", std::nullopt, Errc::multiaddr_empty_component, "go and rust refuse"},
    {"/ip4/1.2.3.4///tcp/80", std::nullopt, Errc::multiaddr_empty_component, "go and rust refuse"},
    // unix is a path protocol (go-multiaddr): the value is the raw rest of the text, not a
    // percent-encoded segment, so "%zz" is just three characters of a file name. js
    // decodeURIComponent()s one segment and throws "URI malformed".
    {"/unix/%zz", "/unix/%zz", {}, "go: unix value is the raw path"},
    {"/unix/%", "/unix/%", {}, "go: unix value is the raw path"},
    // A libp2p-key CID in base32upper. peer-ids spec ("Decoding"): text not starting with
    // '1' or "Qm" is a multibase CIDv1, any multibase; go-multiaddr's p2pStB uses
    // cid.Decode. js wants an explicit decoder for bases other than b, k and z.
    {"/p2p/BAFZAAJAIAEJCAO3KE66M5NVEFVRKHKGQFJXQ243FGIKXOHPCIOTDVQCIUGFVTWRJ",
     "/p2p/12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN", {}, "spec and go: any multibase CID"},
    // certhash must hold a multihash: go (certHashStB: mh.Decode) and rust
    // (Multihash::from_bytes) refuse 0x12 alone; js checks nothing.
    {"/certhash/f12", std::nullopt, Errc::multiaddr_invalid_value, "go and rust: not a multihash"},
    // plaintextv2 (0x706c61) is in the multicodec table (tag multiaddr) and go-multiaddr;
    // js's registry lacks it.
    {"/plaintextv2", "/plaintextv2", {}, "go and multicodec table know it"},
};

const TextDifference* find_text_difference(std::string_view input) {
  for (const auto& d : kTextDifferences) {
    if (d.input == input) return &d;
  }
  return nullptr;
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

/// ::ffff:0:0/96 (RFC 4291 section 2.5.5.2).
bool is_ipv4_mapped(ByteView ip6) {
  return std::all_of(ip6.begin(), ip6.begin() + 10, [](std::uint8_t b) { return b == 0; }) && ip6[10] == 0xff &&
         ip6[11] == 0xff;
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
// For the protocols js prints differently, js cannot check weft's printer, so the canonical
// value text of docs/multiaddr.md is computed here independently and compared for every
// such component weft accepts (in both files, including known_diff vectors):
//   ip6 IPv4-mapped  ::ffff:a.b.c.d (go ip6BtS, rust Ipv6Addr Display)
//   unix             the raw path (go unixBtS)
//   http-path        every byte but A-Z a-z 0-9 - . _ ~ as %XX, upper-case hex (go's
//                    QueryEscape, except that space is %20 rather than '+', as rust prints)
//   garlic32         RFC 4648 base32, lower-case, no padding (go garlic32BtS, rust)
//   garlic64         I2P base64 (A-Z a-z 0-9 - ~), padded (go garlic64BtS)

std::string radix_encode(ByteView in, std::string_view alphabet, int bits, bool pad) {
  std::string out;
  std::uint32_t buffer = 0;
  int held = 0;
  for (std::uint8_t b : in) {
    buffer = (buffer << 8) | b;
    held += 8;
    while (held >= bits) {
      held -= bits;
      out += alphabet[(buffer >> held) & ((1u << bits) - 1)];
    }
  }
  if (held > 0) out += alphabet[(buffer << (bits - held)) & ((1u << bits) - 1)];
  const std::size_t group = bits == 5 ? 8 : 4;
  while (pad && out.size() % group != 0) out += '=';
  return out;
}

std::optional<std::string> reference_value_text(const MultiaddrComponent& c) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  const ByteView v = c.value;
  if (c.name == "ip6") {
    if (!is_ipv4_mapped(v)) return std::nullopt;  // checked against js's text instead
    return "::ffff:" + std::to_string(v[12]) + "." + std::to_string(v[13]) + "." + std::to_string(v[14]) + "." +
           std::to_string(v[15]);
  }
  if (c.name == "unix") return std::string(as_chars(v));
  if (c.name == "http-path") {
    std::string out;
    for (std::uint8_t b : v) {
      if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '-' || b == '.' ||
          b == '_' || b == '~') {
        out += static_cast<char>(b);
      } else {
        out += '%';
        out += kHex[b >> 4];
        out += kHex[b & 0xf];
      }
    }
    return out;
  }
  if (c.name == "garlic32") return radix_encode(v, "abcdefghijklmnopqrstuvwxyz234567", 5, false);
  if (c.name == "garlic64") {
    return radix_encode(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-~", 6, true);
  }
  return std::nullopt;
}

/// "" or the first component whose value text differs from reference_value_text().
std::string check_reference_printing(const Multiaddr& addr) {
  for (const auto& c : addr.components()) {
    const auto expected = reference_value_text(c);
    if (expected && c.value_text() != *expected) {
      return std::string(c.name) + " value prints as " + json_quote(c.value_text()) + ", expected " +
             json_quote(*expected);
    }
  }
  return {};
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

TEST_CASE("multiaddr_js: text vectors") {
  test::MismatchLog log("multiaddr_js");
  std::vector<bool> difference_seen(std::size(kTextDifferences), false);
  std::size_t agreed_ok = 0, agreed_reject = 0, known_diff_count = 0, deliberate = 0;
  for (const auto& v : text_vectors()) {
    const std::string input = str_field(v, "input");
    const bool js_ok = v.value("ok", false);
    const bool known_diff = v.contains("known_diff");
    const std::string quoted = json_quote(input);
    const std::string js = js_ok ? "ok " + json_quote(str_field(v, "canonical")) + " [" + str_field(v, "hex") + "]"
                                 : "error (" + str_field(v, "stage") + "): " + str_field(v, "error");
    const auto weft = Multiaddr::parse(input);
    const std::string got = describe(weft);
    CAPTURE(quoted);
    CAPTURE(js);
    CAPTURE(got);
    const auto mismatch = [&](std::string_view what, const std::string& more = {}) {
      log.add(category(what, weft), quoted + ": js " + js + "; weft " + got + more);
    };

    // Whatever js says: what weft accepts, it prints and encodes consistently.
    if (weft) {
      const std::string problem = self_consistency(weft.value());
      CHECK_MESSAGE(problem.empty(), problem);
      if (!problem.empty()) mismatch("weft not self-consistent", " — " + problem);
      const std::string printing = check_reference_printing(weft.value());
      CHECK_MESSAGE(printing.empty(), printing);
      if (!printing.empty()) mismatch("weft's canonical text differs from docs/multiaddr.md", " — " + printing);
    }
    if (known_diff) {
      ++known_diff_count;
      continue;
    }

    if (const TextDifference* d = find_text_difference(input)) {
      ++deliberate;
      difference_seen[static_cast<std::size_t>(d - kTextDifferences)] = true;
      CAPTURE(d->reason);
      CHECK(js_ok == !d->canonical.has_value());  // listed only where js answers the other way
      if (d->canonical) {
        CHECK(weft.has_value());
        if (weft) CHECK(weft.value().to_string() == *d->canonical);
        if (!weft || weft.value().to_string() != *d->canonical) mismatch("deliberate difference not met");
      } else {
        CHECK(test::outcome_of(weft) == d->error);
        if (!(test::outcome_of(weft) == d->error)) mismatch("deliberate difference not met");
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
    CHECK(weft.has_value());
    if (!weft) {
      mismatch("js accepts, weft rejects");
      continue;
    }
    const std::string canonical = str_field(v, "canonical");
    const std::string hex = str_field(v, "hex");
    CHECK(weft.value().to_string() == canonical);
    CHECK(to_hex(weft.value().bytes()) == hex);
    if (weft.value().to_string() != canonical) {
      mismatch("text differs");
    } else if (to_hex(weft.value().bytes()) != hex) {
      mismatch("bytes differ");
    } else {
      auto decoded = Multiaddr::from_bytes(hex_field(v, "hex"));
      CHECK(decoded.has_value());
      if (decoded) {
        CHECK(decoded.value() == weft.value());
        CHECK(decoded.value().to_string() == canonical);
        ++agreed_ok;
      } else {
        mismatch("js's bytes do not decode");
      }
    }
  }
  for (std::size_t i = 0; i < std::size(kTextDifferences); ++i) {
    CAPTURE(kTextDifferences[i].input);
    CHECK_MESSAGE(difference_seen[i], "listed deliberate difference matches no vector: remove it");
  }
  MESSAGE("multiaddr_js: " << agreed_ok << " accepted alike, " << agreed_reject << " refused by both, "
                           << deliberate << " deliberate differences, " << known_diff_count
                           << " known_diff (self-consistency only)");
  MESSAGE(log.report(text_vectors().size()));
  CHECK(log.count() == 0);
  CHECK(agreed_ok > 2500);  // the comparison is not vacuous
}

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
