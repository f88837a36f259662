// Two sessions back to back exchanging lots of data on many streams in both directions,
// with a seeded RNG choosing write sizes, read sizes and when bytes move. Every byte
// arrives in order, memory stays within the configured bounds throughout, and every stream
// is gone on both sides at the end.

#include "mux/session.hpp"

#include <doctest/doctest.h>

#include <map>
#include <random>
#include <vector>

#include "mux_test_support.hpp"

using namespace weft;
using namespace weft::mux;

namespace {

struct Flow {
  Session* writer;
  Session* reader;
  StreamId id = 0;
  Bytes data;              ///< everything the writer will send
  std::size_t written = 0;
  bool closed = false;
  Bytes received;
  bool ended = false;      ///< the reader saw the end of stream
};

Bytes pattern(std::mt19937_64& rng, std::size_t n) {
  Bytes out(n);
  for (auto& b : out) b = static_cast<std::uint8_t>(rng());
  return out;
}

void run_exchange(std::uint64_t seed, std::size_t streams_per_side, std::size_t max_bytes, SessionConfig config) {
  std::mt19937_64 rng(seed);
  test::SessionPair p(config, config);
  std::vector<Flow> flows;
  for (std::size_t i = 0; i < 2 * streams_per_side; ++i) {
    Flow f;
    const bool from_a = i % 2 == 0;
    f.writer = from_a ? &p.a : &p.b;
    f.reader = from_a ? &p.b : &p.a;
    f.id = f.writer->open_stream().value();
    f.data = pattern(rng, rng() % max_bytes);
    flows.push_back(std::move(f));
  }
  std::map<std::pair<Session*, StreamId>, Flow*> by_reader;
  for (Flow& f : flows) by_reader[{f.reader, f.id}] = &f;
  const std::size_t bound =
      config.max_streams * config.receive_window_bytes;  // per session, receive side
  for (int round = 0; round < 100000; ++round) {
    bool busy = false;
    for (Flow& f : flows) {
      if (f.written < f.data.size() && rng() % 3 != 0) {
        const std::size_t want = std::min<std::size_t>(1 + rng() % 70'000, f.data.size() - f.written);
        const std::size_t n = f.writer->write(f.id, ByteView(f.data).subspan(f.written, want)).value();
        f.written += n;
        busy = true;
      }
      if (f.written == f.data.size() && !f.closed) {
        REQUIRE(f.writer->close_write(f.id).has_value());
        f.closed = true;
        busy = true;
      }
    }
    for (Session* s : {&p.a, &p.b}) {
      while (s->accept()) {
      }
    }
    for (Flow& f : flows) {
      if (f.ended || rng() % 2 == 0) continue;
      Bytes buf(1 + rng() % 90'000);
      auto n = f.reader->read(f.id, buf);
      if (!n && n.error() == Errc::mux_unknown_stream) continue;  // its SYN has not arrived yet
      if (!n) {
        REQUIRE(n.error() == Errc::mux_stream_closed);
        f.ended = true;
        REQUIRE(f.reader->close_write(f.id).has_value());  // both FINs: the stream goes away
        continue;
      }
      f.received.insert(f.received.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n.value()));
      busy = busy || n.value() > 0;
    }
    // Move only part of the output sometimes, so frames cross batch boundaries.
    for (int k = 0; k < 1 + static_cast<int>(rng() % 3); ++k) {
      ByteView ab = p.a.poll_transmit();
      if (!ab.empty()) REQUIRE(p.b.handle_bytes(ab, p.now).has_value());
      ByteView ba = p.b.poll_transmit();
      if (!ba.empty()) REQUIRE(p.a.handle_bytes(ba, p.now).has_value());
      busy = busy || !ab.empty() || !ba.empty();
    }
    for (Session* s : {&p.a, &p.b}) {
      const SessionStats st = s->stats();
      REQUIRE(st.buffered_receive_bytes <= bound);
      REQUIRE(st.queued_send_bytes <= config.max_streams * config.max_send_buffer_bytes);
      REQUIRE(st.heap_bytes <= 2 * (bound + config.max_streams * config.max_send_buffer_bytes));
      while (auto e = s->poll_event()) {
        REQUIRE_FALSE(std::holds_alternative<event::SessionClosed>(*e));
        REQUIRE_FALSE(std::holds_alternative<event::StreamReset>(*e));
      }
    }
    bool done = true;
    for (const Flow& f : flows) done = done && f.ended;
    if (done) break;
    (void)busy;
  }
  REQUIRE(p.pump());
  for (const Flow& f : flows) {
    CAPTURE(f.id);
    CHECK(f.ended);
    CHECK(f.received == f.data);
  }
  CHECK(p.a.stats().open_streams == 0);
  CHECK(p.b.stats().open_streams == 0);
  CHECK(p.a.stats().heap_bytes == 0);
  CHECK(p.b.stats().heap_bytes == 0);
  CHECK_FALSE(p.a.closed());
  CHECK_FALSE(p.b.closed());
}

}  // namespace

TEST_CASE("16 streams each way, up to 1 MiB each, random write and read sizes") {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    CAPTURE(seed);
    run_exchange(seed, 16, 1 << 20, SessionConfig{});
  }
}

TEST_CASE("small frames, small batches and small send buffers do not change what arrives") {
  SessionConfig c;
  c.max_frame_payload_bytes = 1000;
  c.max_transmit_batch_bytes = 3000;
  c.max_send_buffer_bytes = 5000;
  run_exchange(42, 8, 300'000, c);
}

TEST_CASE("a larger window on both sides") {
  SessionConfig c;
  c.receive_window_bytes = 1 << 20;
  c.max_send_buffer_bytes = 1 << 20;
  run_exchange(7, 4, 4 << 20, c);
}
