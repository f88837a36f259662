// Fuzzes the secure channel's FrameDecoder (the entry point the connection driver calls
// with bytes from the network) and round trips through FrameSealer. Layout of the input:
// fuzz/secure_frames_support.hpp. Invariants:
// - decode: every delivered frame, re-sealed by a sealer with the same key and config, is
//   exactly the bytes it came from (so nothing unauthenticated is ever delivered); the
//   split of the stream changes neither the frames nor the error; without an error, what
//   is left is less than one whole frame; an error names what is wrong with the next frame.
// - round trip: sealed plaintexts decode, in any split, to themselves.

#include "channel/frame_decoder.hpp"
#include "channel/frame_sealer.hpp"

#include "secure_frames_support.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

using namespace weft;
using namespace weft::channel;

namespace {

struct Delivery {
  std::vector<Bytes> frames;
  std::optional<Error> error;
};

// Puts `payload` in pieces of the sizes in `splits` (cycled), polling after each put.
Delivery decode(const ChannelConfig& config, ByteView payload, ByteView splits) {
  FrameDecoder decoder(fuzz::fuzz_key(), config);
  Delivery d;
  const bool any = std::any_of(splits.begin(), splits.end(), [](std::uint8_t b) { return b != 0; });
  std::size_t at = 0, i = 0;
  do {
    const std::size_t take = any ? std::min<std::size_t>(splits[i++ % splits.size()], payload.size() - at)
                                 : payload.size() - at;
    auto used = decoder.put(payload.subspan(at, take));
    while (auto frame = decoder.poll_frame()) d.frames.push_back(std::move(*frame));
    if (!used) {
      d.error = used.error();
      auto again = decoder.put(payload.subspan(at));  // failure is final
      if (again || !(again.error() == used.error()) || decoder.poll_frame()) __builtin_trap();
      return d;
    }
    if (used.value() != take) __builtin_trap();
    at += take;
  } while (at < payload.size());
  // Drained, the decoder holds at most the buffer of one partial frame.
  if (decoder.frames_pending() != 0 ||
      decoder.heap_bytes() > config.max_frame_plaintext_bytes + util::kAeadTagBytes) {
    __builtin_trap();
  }
  return d;
}

std::uint32_t length_at(ByteView b) {
  return std::uint32_t{b[0]} << 24 | std::uint32_t{b[1]} << 16 | std::uint32_t{b[2]} << 8 | std::uint32_t{b[3]};
}

void check_decode(const ChannelConfig& config, ByteView payload, ByteView splits) {
  const Delivery split = decode(config, payload, splits);
  const Delivery whole = decode(config, payload, {});
  if (split.frames != whole.frames || split.error.has_value() != whole.error.has_value()) __builtin_trap();
  if (split.error && !(*split.error == *whole.error)) __builtin_trap();

  FrameSealer sealer(fuzz::fuzz_key(), config);
  Bytes resealed;
  for (const Bytes& frame : split.frames) sealer.seal(frame, resealed);
  if (resealed.size() > payload.size() || !std::equal(resealed.begin(), resealed.end(), payload.begin())) {
    __builtin_trap();
  }
  const ByteView rest = payload.subspan(resealed.size());
  const std::size_t cap = config.max_frame_plaintext_bytes + util::kAeadTagBytes;
  if (!split.error) {
    if (rest.size() >= 4) {
      const std::uint32_t length = length_at(rest);
      if (length > cap || length < util::kAeadTagBytes || rest.size() - 4 >= length) __builtin_trap();
    }
    return;
  }
  if (rest.size() < 4) __builtin_trap();
  const std::uint32_t length = length_at(rest);
  if (*split.error == Errc::channel_frame_too_large) {
    if (length <= cap) __builtin_trap();
  } else if (*split.error == Errc::channel_frame_too_short) {
    if (length >= util::kAeadTagBytes) __builtin_trap();
  } else if (*split.error == Errc::channel_auth_failed) {
    if (length > cap || length < util::kAeadTagBytes || rest.size() - 4 < length) __builtin_trap();
  } else {
    __builtin_trap();
  }
}

void check_round_trip(const ChannelConfig& config, ByteView payload, ByteView splits) {
  // The split bytes choose the first frames' sizes; seal_all takes the rest.
  FrameSealer sealer(fuzz::fuzz_key(), config);
  Bytes stream;
  std::vector<Bytes> expected;
  ByteView data = payload;
  for (std::uint8_t s : splits) {
    const std::size_t take = std::min<std::size_t>(s % (config.max_frame_plaintext_bytes + 1), data.size());
    sealer.seal(data.first(take), stream);
    expected.emplace_back(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(take));
    data = data.subspan(take);
  }
  const ByteView rest = data;
  while (!data.empty()) {
    const std::size_t take = std::min(data.size(), config.max_frame_plaintext_bytes);
    expected.emplace_back(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(take));
    data = data.subspan(take);
  }
  sealer.seal_all(rest, stream);
  if (stream.size() != payload.size() + expected.size() * kFrameOverheadBytes) __builtin_trap();
  if (sealer.frames_sealed() != expected.size()) __builtin_trap();
  const Delivery d = decode(config, stream, splits);
  if (d.error || d.frames != expected) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint8_t mode = data[0];
  const std::size_t n = std::min<std::size_t>(data[1] % 8, size - 2);
  const ByteView splits(data + 2, n);
  const ByteView payload(data + 2 + n, size - 2 - n);
  const ChannelConfig config = fuzz::fuzz_config(mode);
  if (mode & 1) {
    check_round_trip(config, payload, splits);
  } else {
    check_decode(config, payload, splits);
  }
  return 0;
}
