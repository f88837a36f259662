#include "channel/frame_sealer.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace weft::channel {
namespace {

[[noreturn]] void precondition_failed(const char* what) {
  std::fprintf(stderr, "weft: FrameSealer: precondition violated: %s\n", what);
  std::abort();
}

}  // namespace

FrameSealer::FrameSealer(const util::SecretKey& send_key, const ChannelConfig& config, util::AeadCipher cipher)
    : keys_(send_key, config.rekey_interval_frames), max_plaintext_(config.max_frame_plaintext_bytes), cipher_(cipher) {
  if (max_plaintext_ == 0 || max_plaintext_ > std::numeric_limits<std::uint32_t>::max() - util::kAeadTagBytes) {
    precondition_failed("max_frame_plaintext_bytes must be >= 1 and, plus 16, fit 32 bits");
  }
}

void FrameSealer::seal(ByteView plaintext, Bytes& out) {
  if (plaintext.size() > max_plaintext_) precondition_failed("plaintext above max_frame_plaintext_bytes");
  if (keys_.spent()) precondition_failed("seal() on a moved-from sealer");
  const auto length = static_cast<std::uint32_t>(plaintext.size() + util::kAeadTagBytes);
  const std::array<std::uint8_t, 4> header{
      static_cast<std::uint8_t>(length >> 24), static_cast<std::uint8_t>(length >> 16),
      static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length)};
  out.insert(out.end(), header.begin(), header.end());
  util::aead_seal(keys_.key(), keys_.counter(), header, plaintext, out, cipher_);
  keys_.advance();
  ++frames_sealed_;
}

std::size_t FrameSealer::seal_all(ByteView data, Bytes& out) {
  out.reserve(out.size() + sealed_size(data.size()));
  std::size_t frames = 0;
  while (!data.empty()) {
    const std::size_t take = std::min(data.size(), max_plaintext_);
    seal(data.first(take), out);
    data = data.subspan(take);
    ++frames;
  }
  return frames;
}

std::size_t FrameSealer::sealed_size(std::size_t plaintext_bytes) const noexcept {
  const std::size_t frames = (plaintext_bytes + max_plaintext_ - 1) / max_plaintext_;
  return plaintext_bytes + frames * kFrameOverheadBytes;
}

}  // namespace weft::channel
