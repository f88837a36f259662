#include "channel/frame_decoder.hpp"

#include <algorithm>
#include <string>

namespace weft::channel {

FrameDecoder::FrameDecoder(const util::SecretKey& recv_key, const ChannelConfig& config)
    : key_(recv_key), config_(config) {}

Result<std::size_t> FrameDecoder::put(ByteView in) {
  if (failed_) return *failed_;
  std::size_t at = 0;
  while (at < in.size()) {
    if (header_have_ < kFrameHeaderBytes) {
      const std::size_t n = std::min(kFrameHeaderBytes - header_have_, in.size() - at);
      std::copy_n(in.begin() + static_cast<std::ptrdiff_t>(at), n, header_.begin() + static_cast<std::ptrdiff_t>(header_have_));
      header_have_ += n;
      at += n;
      if (header_have_ < kFrameHeaderBytes) break;
      const std::size_t length = (std::size_t{header_[0]} << 24) | (std::size_t{header_[1]} << 16) |
                                 (std::size_t{header_[2]} << 8) | header_[3];
      const std::size_t max = config_.max_frame_plaintext_bytes + util::kAeadTagBytes;
      if (length > max) {
        failed_ = Error(Errc::channel_frame_too_large, std::to_string(length) + " bytes, at most " + std::to_string(max));
        return *failed_;
      }
      if (length < util::kAeadTagBytes) {
        failed_ = Error(Errc::channel_frame_too_short, std::to_string(length) + " bytes, less than the tag");
        return *failed_;
      }
      body_.resize(length);
      body_have_ = 0;
    }
    const std::size_t n = std::min(body_.size() - body_have_, in.size() - at);
    std::copy_n(in.begin() + static_cast<std::ptrdiff_t>(at), n, body_.begin() + static_cast<std::ptrdiff_t>(body_have_));
    body_have_ += n;
    at += n;
    if (body_have_ == body_.size()) {
      if (auto opened = open_current(); !opened) return opened.error();
    }
  }
  return at;
}

Result<void> FrameDecoder::open_current() {
  if (counter_ == config_.rekey_interval_frames) {
    key_ = next_channel_key(key_);
    counter_ = 0;
  }
  auto plaintext = util::aead_open(key_, counter_, ByteView(header_.data(), header_.size()), body_);
  if (!plaintext) {
    failed_ = Error(Errc::channel_auth_failed, "frame " + std::to_string(frames_opened_));
    return *failed_;
  }
  ++counter_;
  ++frames_opened_;
  ready_.push_back(std::move(*plaintext));
  header_have_ = 0;
  body_.clear();
  body_.shrink_to_fit();  // idle connections hold no frame buffer
  body_have_ = 0;
  return success();
}

std::optional<Bytes> FrameDecoder::poll_frame() {
  if (ready_.empty()) return std::nullopt;
  Bytes frame = std::move(ready_.front());
  ready_.pop_front();
  return frame;
}

}  // namespace weft::channel
