// Session, the transmit side and flow control: a writer blocked at exactly the 256 KiB
// window by a peer that never reads, resumed by a window update sent once half the window
// is consumed; a never-read stream does not stop the others; larger windows granted with
// the SYN/ACK; frame and batch size caps; round robin between streams.

#include "mux/session.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "mux_test_support.hpp"
#include "test_bytes.hpp"

using namespace weft;
using namespace weft::mux;
using weft::test::events_of;
using weft::test::frames_of;
using weft::test::outcome_of;
using weft::test::SessionPair;
using weft::test::transmit_all;
using Strings = std::vector<std::string>;

namespace {

std::size_t read_n(Session& s, StreamId id, std::size_t n) {
  Bytes buf(n);
  std::size_t got = 0;
  while (got < n) {
    auto r = s.read(id, std::span<std::uint8_t>(buf).subspan(got));
    if (!r || r.value() == 0) break;
    got += r.value();
  }
  return got;
}

}  // namespace

TEST_CASE("a peer that never reads blocks the writer at exactly 256 KiB; reading half resumes it") {
  SessionPair p;
  const StreamId id = p.a.open_stream().value();
  const Bytes big = test::filled(300 * 1024);
  auto took = p.a.write(id, big);
  REQUIRE(took.has_value());
  CHECK(took.value() == 262144);
  CHECK(p.a.write(id, big).value() == 0);
  CHECK(p.a.writable_bytes(id) == 0);
  REQUIRE(p.pump());
  REQUIRE(p.b.accept() == id);
  events_of(p.b);
  CHECK(frames_of(transmit_all(p.b)) == Strings{"window_update A 1 0"});
  CHECK(p.b.stats().buffered_receive_bytes == 262144);
  CHECK(p.a.stats().queued_send_bytes == 0);
  CHECK(p.a.write(id, big).value() == 0);  // still blocked: nothing read yet
  events_of(p.a);

  // One byte short of half the window: no update yet.
  CHECK(read_n(p.b, id, 131071) == 131071);
  CHECK_FALSE(p.b.owes_window_update(id));
  CHECK(transmit_all(p.b).empty());
  CHECK(read_n(p.b, id, 1) == 1);
  CHECK(p.b.owes_window_update(id));
  CHECK_FALSE(p.b.owes_window_update(id + 2));  // no such stream
  const Bytes update = transmit_all(p.b);
  CHECK_FALSE(p.b.owes_window_update(id));  // sent
  CHECK(frames_of(update) == Strings{"window_update - 1 131072"});
  REQUIRE(p.a.handle_bytes(update, p.now).has_value());
  CHECK(events_of(p.a) == Strings{"Writable 1"});
  CHECK(p.a.writable_bytes(id) == 131072);
  CHECK(p.a.write(id, big).value() == 131072);
  REQUIRE(p.pump());
  CHECK(p.b.stats().buffered_receive_bytes == 262144);
  // The bytes arrive in order: the rest of the first write, then the third write.
  Bytes got(262144);
  std::size_t at = 0;
  while (at < got.size()) {
    const std::size_t n = p.b.read(id, std::span<std::uint8_t>(got).subspan(at)).value();
    REQUIRE(n > 0);
    at += n;
    REQUIRE(p.pump());
  }
  CHECK(std::equal(got.begin(), got.begin() + 131072, big.begin() + 131072));
  CHECK(std::equal(got.begin() + 131072, got.end(), big.begin()));
  CHECK(p.b.read(id, got).value() == 0);
}

TEST_CASE("a stream nobody reads does not stop another stream of the same session") {
  SessionPair p;
  const StreamId stuck = p.a.open_stream().value();
  const StreamId moving = p.a.open_stream().value();
  CHECK(p.a.write(stuck, test::filled(400 * 1024)).value() == 262144);
  REQUIRE(p.pump());
  REQUIRE(p.b.accept() == stuck);
  REQUIRE(p.b.accept() == moving);
  std::size_t delivered = 0;
  const Bytes chunk = test::filled(50'000, 3);
  for (int round = 0; round < 40; ++round) {
    const std::size_t n = p.a.write(moving, chunk).value();
    CHECK(n > 0);
    REQUIRE(p.pump());
    delivered += read_n(p.b, moving, 1 << 20);
    REQUIRE(p.pump());
  }
  CHECK(delivered == 40u * 50'000);
  CHECK(p.b.stats().buffered_receive_bytes == 262144);  // only the stuck stream's window
  CHECK(p.a.writable_bytes(stuck) == 0);
}

TEST_CASE("a larger receive window is granted with the SYN and with the ACK") {
  SessionConfig big;
  big.receive_window_bytes = 1 << 20;
  big.max_send_buffer_bytes = 4 << 20;
  SessionPair p(big, big);
  const StreamId id = p.a.open_stream().value();
  const Bytes syn = transmit_all(p.a);
  CHECK(frames_of(syn) == Strings{"window_update S 1 786432"});
  REQUIRE(p.b.handle_bytes(syn, p.now).has_value());
  REQUIRE(p.b.accept() == id);
  CHECK(frames_of(transmit_all(p.b)) == Strings{"window_update A 1 786432"});
  CHECK(p.b.writable_bytes(id) == (1u << 20));
  // The SYN may ride on data: the extra window still goes first, as its own update.
  const StreamId id2 = p.a.open_stream().value();
  p.a.write(id2, as_bytes("x")).value();
  CHECK(frames_of(transmit_all(p.a)) == Strings{"window_update S 3 786432", "data - 3 1"});
}

TEST_CASE("write() never queues more than max_send_buffer_bytes even when the window is larger") {
  SessionConfig c;
  c.max_send_buffer_bytes = 1000;
  Session a(Role::initiator, c, test::t0());
  const StreamId id = a.open_stream().value();
  CHECK(a.write(id, test::filled(5000)).value() == 1000);
  CHECK(a.write(id, test::filled(5000)).value() == 0);
  transmit_all(a);
  CHECK(events_of(a) == Strings{"Writable 1"});
  CHECK(a.write(id, test::filled(5000)).value() == 1000);
  CHECK(a.stats().queued_send_bytes == 1000);
}

TEST_CASE("data frames are at most max_frame_payload_bytes and batches at most max_transmit_batch_bytes") {
  SessionConfig c;
  c.max_frame_payload_bytes = 1000;
  c.max_transmit_batch_bytes = 2500;
  Session a(Role::initiator, c, test::t0());
  const StreamId id = a.open_stream().value();
  a.write(id, test::filled(4000)).value();
  REQUIRE(a.close_write(id).has_value());
  std::vector<std::size_t> batches;
  Bytes all;
  for (ByteView b = a.poll_transmit(); !b.empty(); b = a.poll_transmit()) {
    batches.push_back(b.size());
    CHECK(b.size() <= 2500);
    all.insert(all.end(), b.begin(), b.end());
  }
  CHECK(batches == std::vector<std::size_t>{2024, 2024});
  CHECK(frames_of(all) == Strings{"data S 1 1000", "data - 1 1000", "data - 1 1000", "data F 1 1000"});
}

TEST_CASE("a batch ends early rather than split a frame, and the next batch carries on") {
  SessionConfig c;
  c.max_frame_payload_bytes = 100;
  c.max_transmit_batch_bytes = 30;
  Session a(Role::initiator, c, test::t0());
  const StreamId id = a.open_stream().value();
  a.write(id, test::filled(40)).value();
  CHECK(frames_of(a.poll_transmit()) == Strings{"data S 1 18"});
  CHECK(frames_of(a.poll_transmit()) == Strings{"data - 1 18"});
  CHECK(frames_of(a.poll_transmit()) == Strings{"data - 1 4"});
  CHECK(a.poll_transmit().empty());
}

TEST_CASE("streams with data take turns, one frame each") {
  SessionConfig c;
  c.max_frame_payload_bytes = 10;
  Session a(Role::initiator, c, test::t0());
  const StreamId x = a.open_stream().value();
  const StreamId y = a.open_stream().value();
  const StreamId z = a.open_stream().value();
  a.write(x, test::filled(30)).value();
  a.write(y, test::filled(10)).value();
  a.write(z, test::filled(20)).value();
  CHECK(frames_of(transmit_all(a)) == Strings{"data S 1 10", "data S 3 10", "data S 5 10", "data - 1 10",
                                              "data - 5 10", "data - 1 10"});
}

TEST_CASE("control frames go before stream data") {
  Session b(Role::responder, {}, test::t0());
  REQUIRE(b.handle_bytes(test::window_update(kFlagSyn, 1, 0), test::t0()));
  REQUIRE(b.accept() == StreamId{1});
  b.write(1, as_bytes("abc")).value();
  REQUIRE(b.handle_bytes(test::ping_frame(kFlagSyn, 42), test::t0()));
  CHECK(frames_of(transmit_all(b)) == Strings{"ping A 0 42", "data A 1 3"});
  CHECK(b.stats().pongs_sent == 1);
}

TEST_CASE("window updates from the peer add to the send window; Writable only after a short write") {
  Session a(Role::initiator, {}, test::t0());
  const StreamId id = a.open_stream().value();
  transmit_all(a);
  REQUIRE(a.handle_bytes(test::window_update(kFlagAck, id, 1000), test::t0()));
  CHECK(events_of(a).empty());  // nobody waited
  CHECK(a.writable_bytes(id) == 262144);  // the send buffer caps it below the window
  CHECK(a.write(id, test::filled(300'000)).value() == 262144);  // capped by the send buffer
  transmit_all(a);
  CHECK(events_of(a) == Strings{"Writable 1"});
  CHECK(a.writable_bytes(id) == 1000);
}
