// Writes the seed corpus of fuzz/mux_frames.cpp: valid frame sequences a peer sends
// (open, data, window updates, FIN, RST, ping, go-away), for both roles and each
// configuration, interleaved with application calls. Built with -Dfuzz=true, run by hand:
//   build-fuzz/fuzz/make_mux_seeds fuzz/corpus/mux_frames
// Deterministic: the same files every run.

#include "mux/frame_header.hpp"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

using namespace weft;
using namespace weft::mux;

namespace {

void write(const std::string& dir, const std::string& name, const Bytes& bytes) {
  std::ofstream out(dir + "/" + name, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::fprintf(stderr, "cannot write %s/%s\n", dir.c_str(), name.c_str());
    std::exit(1);
  }
}

Bytes frame(FrameType type, std::uint16_t flags, StreamId id, std::uint32_t length, std::size_t payload = 0) {
  Bytes out;
  append_header(FrameHeader{type, flags, id, length}, out);
  for (std::size_t i = 0; i < payload; ++i) out.push_back(static_cast<std::uint8_t>('a' + i % 26));
  return out;
}

// Appends "feed these bytes" ops (op 0, at most 255 bytes each).
void feed(Bytes& input, const Bytes& peer) {
  for (std::size_t at = 0; at < peer.size(); at += 255) {
    const std::size_t n = std::min<std::size_t>(255, peer.size() - at);
    input.push_back(0);
    input.push_back(static_cast<std::uint8_t>(n));
    input.insert(input.end(), peer.begin() + static_cast<std::ptrdiff_t>(at),
                 peer.begin() + static_cast<std::ptrdiff_t>(at + n));
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  int written = 0;
  for (std::uint8_t config = 0; config < 4; ++config) {
    for (std::uint8_t role = 0; role < 2; ++role) {
      const std::uint8_t mode = static_cast<std::uint8_t>(config << 1 | role);
      // The peer's ids: odd when we are the responder, even when we are the initiator.
      const StreamId p1 = role ? 1 : 2, p2 = role ? 3 : 4;
      const StreamId ours = role ? 2 : 1;
      const std::vector<Bytes> scripts = {
          // The peer opens a stream with data, we accept, read, write back, both FIN.
          [&] {
            Bytes in = {mode};
            Bytes peer = frame(FrameType::data, kFlagSyn, p1, 10, 10);
            feed(in, peer);
            in.insert(in.end(), {2, 4, 3, 20, 5});
            feed(in, frame(FrameType::data, kFlagFin, p1, 5, 5));
            in.insert(in.end(), {4, 9, 8});
            return in;
          }(),
          // We open, the peer ACKs, grants window, sends data, resets.
          [&] {
            Bytes in = {mode, 1, 3, 200, 8};
            Bytes peer = frame(FrameType::window_update, kFlagAck, ours, 1000);
            const Bytes d = frame(FrameType::data, 0, ours, 30, 30);
            peer.insert(peer.end(), d.begin(), d.end());
            feed(in, peer);
            in.insert(in.end(), {4, 3, 3, 255});
            feed(in, frame(FrameType::window_update, kFlagRst, ours, 0));
            return in;
          }(),
          // Pings both ways, keep-alive on the clock, go-away.
          [&] {
            Bytes in = {mode, 9, 8};
            Bytes peer = frame(FrameType::ping, kFlagSyn, 0, 7);
            const Bytes pong = frame(FrameType::ping, kFlagAck, 0, 1);
            peer.insert(peer.end(), pong.begin(), pong.end());
            feed(in, peer);
            in.insert(in.end(), {7, 200, 7, 200, 10});
            feed(in, frame(FrameType::go_away, 0, 0, 0));
            return in;
          }(),
          // Two peer streams, one refused at small caps, window updates and FINs.
          [&] {
            Bytes in = {mode};
            Bytes peer = frame(FrameType::window_update, kFlagSyn, p1, 0);
            for (const Bytes& f : {frame(FrameType::window_update, kFlagSyn, p2, 500),
                                   frame(FrameType::data, 0, p1, 40, 40),
                                   frame(FrameType::window_update, kFlagFin, p2, 0)}) {
              peer.insert(peer.end(), f.begin(), f.end());
            }
            feed(in, peer);
            in.insert(in.end(), {2, 2, 0x14, 0x13, 50, 0x15, 6, 11});
            return in;
          }(),
      };
      for (std::size_t k = 0; k < scripts.size(); ++k) {
        write(dir, "seed-c" + std::to_string(config) + "-r" + std::to_string(role) + "-s" + std::to_string(k),
              scripts[k]);
        ++written;
      }
    }
  }
  std::printf("%d seeds written to %s\n", written, dir.c_str());
  return 0;
}
