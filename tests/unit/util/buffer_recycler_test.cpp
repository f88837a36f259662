// The per-thread buffer recycler (src/util/buffer_recycler): exact sizes, reuse of
// recycled storage, and its bounds (count and size).

#include "util/buffer_recycler.hpp"

#include <doctest/doctest.h>

#include <thread>
#include <vector>

namespace weft {
namespace {

/// Empties this thread's free list (takes everything it may hold).
void drain_recycler() {
  for (std::size_t i = 0; i < util::kMaxRecycledBuffers; ++i) (void)util::take_buffer(util::kMaxRecycledBytes);
}

TEST_CASE("take_buffer gives exactly the size asked for, recycled or new") {
  drain_recycler();
  CHECK(util::take_buffer(0).size() == 0);
  Bytes b = util::take_buffer(100);
  CHECK(b.size() == 100);
  util::recycle_buffer(b);
  CHECK(b.empty());
  CHECK(b.capacity() == 0);
  CHECK(util::take_buffer(40).size() == 40);
  CHECK(util::take_buffer(3000).size() == 3000);
}

TEST_CASE("recycled storage serves the next take that fits, on the same thread only") {
  drain_recycler();
  Bytes b = util::take_buffer(1024);
  const std::uint8_t* storage = b.data();
  util::recycle_buffer(b);
  std::thread([storage] { CHECK(util::take_buffer(512).data() != storage); }).join();
  Bytes too_big = util::take_buffer(4096);  // does not fit: a new buffer
  CHECK(too_big.data() != storage);
  Bytes again = util::take_buffer(512);
  CHECK(again.data() == storage);
  CHECK(again.size() == 512);
}

TEST_CASE("the recycler keeps at most kMaxRecycledBuffers buffers of at most kMaxRecycledBytes") {
  drain_recycler();
  // Distinct capacities tell the recycled buffers apart from new ones (a new 1-byte
  // buffer has capacity 1).
  const std::size_t count = util::kMaxRecycledBuffers + 3;
  std::vector<Bytes> buffers;
  for (std::size_t i = 0; i < count; ++i) buffers.push_back(util::take_buffer(256 + i));
  for (auto& b : buffers) util::recycle_buffer(b);  // the first kMaxRecycledBuffers are kept
  std::size_t reused = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const Bytes b = util::take_buffer(1);
    CHECK(b.size() == 1);
    if (b.capacity() >= 256) {
      ++reused;
      CHECK(b.capacity() < 256 + util::kMaxRecycledBuffers);
    }
  }
  CHECK(reused == util::kMaxRecycledBuffers);

  drain_recycler();
  Bytes large = util::take_buffer(util::kMaxRecycledBytes + 1);
  util::recycle_buffer(large);  // freed, not kept
  CHECK(large.capacity() == 0);
  CHECK(util::take_buffer(1).capacity() == 1);  // a new buffer: nothing was kept
}

}  // namespace
}  // namespace weft
