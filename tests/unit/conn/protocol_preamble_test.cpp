// Tests for src/conn/protocol_preamble.cpp: the preamble round-trips through the reader fed
// in any split, the reader never asks for a byte past the name, and every malformed
// length is refused.
#include "conn/protocol_preamble.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <utility>

namespace weft::conn {
namespace {

/// Feeds `bytes` to a fresh reader in pieces of at most `piece` bytes (and never more than
/// it wants); returns the reader and how many bytes it took.
std::pair<PreambleReader, std::size_t> feed(const Bytes& bytes, std::size_t piece) {
  PreambleReader reader;
  std::size_t used = 0;
  while (used < bytes.size() && reader.wanted() > 0) {
    const std::size_t n = std::min({piece, reader.wanted(), bytes.size() - used});
    if (!reader.put(ByteView(bytes.data() + used, n))) break;
    used += n;
  }
  return {std::move(reader), used};
}

TEST_CASE("preamble: a name round-trips in every split and the bytes after it are left alone") {
  for (const std::string& name : {std::string("/a"), std::string("/weft/echo/1"), std::string(200, 'p'),
                                 std::string(kMaxProtocolNameBytes, 'x')}) {
    Bytes bytes = encode_protocol_preamble(name);
    const std::size_t preamble_size = bytes.size();
    bytes.push_back(0xEE);  // the request that follows
    for (std::size_t piece = 1; piece <= preamble_size; ++piece) {
      CAPTURE(name.size());
      CAPTURE(piece);
      auto [reader, used] = feed(bytes, piece);
      REQUIRE(reader.complete());
      CHECK(reader.protocol() == name);
      CHECK(used == preamble_size);
      CHECK(reader.wanted() == 0);
    }
  }
}

TEST_CASE("preamble: the reader asks for the length one byte at a time, then for exactly the name") {
  PreambleReader reader;
  CHECK(reader.wanted() == 1);
  const Bytes bytes = encode_protocol_preamble(std::string(130, 'n'));  // a two-byte length
  REQUIRE(bytes.size() == 132);
  REQUIRE(reader.put(ByteView(bytes.data(), 1)).has_value());
  CHECK(reader.wanted() == 1);
  REQUIRE(reader.put(ByteView(bytes.data() + 1, 1)).has_value());
  CHECK(reader.wanted() == 130);
  REQUIRE(reader.put(ByteView(bytes.data() + 2, 100)).has_value());
  CHECK(reader.wanted() == 30);
  CHECK_FALSE(reader.complete());
}

TEST_CASE("preamble: malformed lengths and over-feeding are refused, and the reader stays failed") {
  const auto refused = [](const Bytes& bytes) {
    PreambleReader reader;
    for (const auto byte : bytes) {
      if (!reader.put(ByteView(&byte, 1))) {
        CHECK(reader.failed());
        CHECK(reader.wanted() == 0);
        CHECK_FALSE(reader.put(ByteView(&byte, 1)).has_value());
        return true;
      }
    }
    return false;
  };
  CHECK(refused(Bytes{0x00}));                    // an empty name
  CHECK(refused(Bytes{0x81, 0x02}));              // 257: one past the cap
  CHECK(refused(Bytes{0x80, 0x00}));              // an overlong encoding of 0
  CHECK(refused(Bytes{0x80, 0x80, 0x01}));        // a third length byte
  CHECK(refused(Bytes{0xFF, 0xFF, 0xFF, 0x0F}));  // far past the cap
  CHECK_FALSE(refused(Bytes{0x01, 'a'}));

  PreambleReader reader;
  const Bytes two{0x02, 'a'};
  const auto error = reader.put(two);  // wants one byte first
  REQUIRE_FALSE(error.has_value());
  CHECK(error.error() == Errc::request_malformed);
  CHECK(reader.failed());
}

}  // namespace
}  // namespace weft::conn
