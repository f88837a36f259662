// ByteRing: FIFO order across wrap-around and growth, partial reads, storage released
// when empty.

#include "mux/byte_ring.hpp"

#include <doctest/doctest.h>

#include <deque>
#include <random>

#include "mux_test_support.hpp"

using namespace weft;
using namespace weft::mux;

TEST_CASE("bytes come out in the order they went in, across wrap-around and growth") {
  std::mt19937_64 rng(7);
  ByteRing ring;
  std::deque<std::uint8_t> model;
  std::uint8_t next = 0;
  std::size_t peak = 0;  // the most held since the ring was last empty
  for (int round = 0; round < 2000; ++round) {
    if (rng() % 2) {
      Bytes in(rng() % 3000);
      for (auto& b : in) b = next++;
      ring.append(in);
      model.insert(model.end(), in.begin(), in.end());
    } else if (rng() % 2) {
      Bytes out(rng() % 3000);
      const std::size_t n = ring.read(out);
      REQUIRE(n == std::min(out.size(), model.size()));
      for (std::size_t i = 0; i < n; ++i) {
        REQUIRE(out[i] == model.front());
        model.pop_front();
      }
    } else {
      Bytes out = {0xEE};
      const std::size_t n = std::min<std::size_t>(rng() % 3000, model.size());
      ring.read_into(n, out);
      REQUIRE(out.size() == n + 1);
      for (std::size_t i = 0; i < n; ++i) {
        REQUIRE(out[1 + i] == model.front());
        model.pop_front();
      }
    }
    REQUIRE(ring.size() == model.size());
    peak = model.empty() ? 0 : std::max(peak, model.size());
    REQUIRE(ring.capacity() <= std::max<std::size_t>(1024, 2 * peak));
    if (model.empty()) REQUIRE(ring.capacity() == 0);
  }
}

TEST_CASE("storage is released when the ring empties, and clear() drops everything") {
  ByteRing ring;
  CHECK(ring.capacity() == 0);
  ring.append(test::filled(5000));
  CHECK(ring.capacity() >= 5000);
  Bytes out(4999);
  CHECK(ring.read(out) == 4999);
  CHECK(ring.capacity() > 0);
  CHECK(ring.read(out) == 1);
  CHECK(ring.empty());
  CHECK(ring.capacity() == 0);
  ring.append(test::filled(10));
  ring.clear();
  CHECK(ring.size() == 0);
  CHECK(ring.capacity() == 0);
  CHECK(ring.read(out) == 0);
}

TEST_CASE("growth to an exact power of two holds a full window without doubling past it") {
  ByteRing ring;
  for (int i = 0; i < 256; ++i) ring.append(test::filled(1024));
  CHECK(ring.size() == 256 * 1024);
  CHECK(ring.capacity() == 256 * 1024);
}
