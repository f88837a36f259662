// Writes the seed corpus of fuzz/secure_frames.cpp: valid sealed streams under the fuzz
// key for each configuration, in several splits, plus round-trip inputs. Built with
// -Dfuzz=true, run by hand:  build-fuzz/fuzz/make_channel_seeds fuzz/corpus/secure_frames
// Deterministic: the same files every run.

#include "channel/frame_sealer.hpp"

#include "secure_frames_support.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

using namespace weft;

namespace {

void write(const std::string& dir, const std::string& name, const Bytes& bytes) {
  std::ofstream out(dir + "/" + name, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::fprintf(stderr, "cannot write %s/%s\n", dir.c_str(), name.c_str());
    std::exit(1);
  }
}

Bytes pattern(std::size_t size, std::uint8_t start) {
  Bytes out(size);
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::uint8_t>(start + i * 7);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const std::vector<Bytes> splits = {{}, {1}, {3, 5}, {4, 0, 17}, {200, 1, 30, 2}};
  int written = 0;
  for (std::uint8_t config_index = 0; config_index < 4; ++config_index) {
    const auto config = fuzz::fuzz_config(static_cast<std::uint8_t>(config_index << 1));
    const std::size_t max = std::min<std::size_t>(config.max_frame_plaintext_bytes, 200);
    const std::vector<std::vector<std::size_t>> streams = {
        {0}, {1}, {max}, {0, 1, max, 2, 5, 0, max, 3}, {1, 1, 1, 1, 1, 1, 1}};
    for (std::size_t s = 0; s < streams.size(); ++s) {
      for (std::size_t k = 0; k < splits.size(); ++k) {
        if ((s + k) % 2 == 1) continue;  // a spread of combinations, not all of them
        channel::FrameSealer sealer(fuzz::fuzz_key(), config);
        Bytes input = {static_cast<std::uint8_t>(config_index << 1), static_cast<std::uint8_t>(splits[k].size())};
        input.insert(input.end(), splits[k].begin(), splits[k].end());
        for (std::size_t f = 0; f < streams[s].size(); ++f) {
          sealer.seal(pattern(std::min(streams[s][f], max), static_cast<std::uint8_t>(f)), input);
        }
        write(dir, "decode-c" + std::to_string(config_index) + "-s" + std::to_string(s) + "-k" + std::to_string(k),
              input);
        ++written;
      }
    }
    // Round trip: split bytes choose the first frame sizes, the payload is the data.
    for (std::size_t k = 0; k < splits.size(); k += 2) {
      Bytes input = {static_cast<std::uint8_t>(config_index << 1 | 1), static_cast<std::uint8_t>(splits[k].size())};
      input.insert(input.end(), splits[k].begin(), splits[k].end());
      const Bytes data = pattern(150, static_cast<std::uint8_t>(k));
      input.insert(input.end(), data.begin(), data.end());
      write(dir, "roundtrip-c" + std::to_string(config_index) + "-k" + std::to_string(k), input);
      ++written;
    }
  }
  std::printf("%d seeds written to %s\n", written, dir.c_str());
  return 0;
}
