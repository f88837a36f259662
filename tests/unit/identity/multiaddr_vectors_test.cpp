// Multiaddr text form against the JavaScript reference (tests/vectors/multiaddr_js.jsonl;
// fields in tests/differential/README.md). The binary form is in multiaddr_bytes_vectors_test.cpp;
// the checks both share are in tests/support/multiaddr_vectors_support.hpp.
//
// Where js deviates from go-multiaddr / rust-multiaddr / the spec, weft follows go and
// rust (docs/multiaddr.md, "Where the references disagree"). Every difference is listed
// with the evidence, as an exact table entry (text vectors, below; two binary vectors) or a
// rule stating precisely what weft must do instead (binary vectors); the binary ones are in
// multiaddr_bytes_vectors_test.cpp. Only two kinds of vector are not compared with js, and
// weft must still be self-consistent on them: those flagged known_diff, and binary vectors
// holding js's memory encoding, which frames differently from go/rust's. Any other
// disagreement fails, and the summary at the end of each test case counts the failures per
// category and lists the first 30.

#include <weft/multiaddr.hpp>

#include "jsonl.hpp"
#include "multiaddr_vectors_support.hpp"
#include "test_bytes.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace weft {
namespace {

using nlohmann::json;
using test::json_quote;
using test::str_field;
using test::to_hex;

using test::category;
using test::check_reference_printing;
using test::describe;
using test::hex_field;
using test::self_consistency;

const std::vector<json>& text_vectors() {
  static const std::vector<json> vectors = test::read_jsonl(test::vectors_path("multiaddr_js.jsonl"));
  return vectors;
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


}  // namespace weft
