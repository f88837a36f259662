#include "channel/frame_sealer.hpp"

#include <algorithm>
#include <cassert>
#include <string_view>

namespace weft::channel {

util::SecretKey next_channel_key(const util::SecretKey& key) {
  return util::blake2b_keyed(key, {as_bytes(std::string_view("weft/channel/rekey"))});
}

FrameSealer::FrameSealer(const util::SecretKey& send_key, const ChannelConfig& config)
    : key_(send_key), config_(config) {}

void FrameSealer::seal(ByteView plaintext, Bytes& out) {
  assert(plaintext.size() <= config_.max_frame_plaintext_bytes);
  if (counter_ == config_.rekey_interval_frames) {
    key_ = next_channel_key(key_);
    counter_ = 0;
  }
  const auto length = static_cast<std::uint32_t>(plaintext.size() + util::kAeadTagBytes);
  const std::uint8_t header[kFrameHeaderBytes] = {
      static_cast<std::uint8_t>(length >> 24), static_cast<std::uint8_t>(length >> 16),
      static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length)};
  out.insert(out.end(), header, header + kFrameHeaderBytes);
  util::aead_seal(key_, counter_, ByteView(header, kFrameHeaderBytes), plaintext, out);
  ++counter_;
  ++frames_sealed_;
}

void FrameSealer::seal_all(ByteView data, Bytes& out) {
  const std::size_t max = config_.max_frame_plaintext_bytes;
  const std::size_t frames = data.empty() ? 1 : (data.size() + max - 1) / max;
  out.reserve(out.size() + data.size() + frames * (kFrameHeaderBytes + util::kAeadTagBytes));
  std::size_t at = 0;
  do {
    const std::size_t n = std::min(max, data.size() - at);
    seal(data.subspan(at, n), out);
    at += n;
  } while (at < data.size());
}

}  // namespace weft::channel
