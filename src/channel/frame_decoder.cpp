#include "channel/frame_decoder.hpp"

#include <sodium.h>

#include <algorithm>
#include <string>
#include <utility>

namespace weft::channel {
namespace {

void wipe(Bytes& b) noexcept { sodium_memzero(b.data(), b.size()); }

}  // namespace

FrameDecoder::FrameDecoder(const util::SecretKey& recv_key, const ChannelConfig& config, util::AeadCipher cipher)
    : keys_(recv_key, config.rekey_interval_frames), max_plaintext_(config.max_frame_plaintext_bytes), cipher_(cipher) {}

FrameDecoder::FrameDecoder(FrameDecoder&& other) noexcept
    : keys_(std::move(other.keys_)),
      max_plaintext_(other.max_plaintext_),
      cipher_(other.cipher_),
      frames_decoded_(other.frames_decoded_),
      body_(std::move(other.body_)),
      first_(std::move(other.first_)),
      pending_(std::move(other.pending_)),
      pending_head_(other.pending_head_),
      error_(std::move(other.error_)),
      header_(other.header_),
      header_have_(other.header_have_),
      failed_(other.failed_),
      has_first_(std::exchange(other.has_first_, false)) {
  other.become_moved_from();
}

FrameDecoder& FrameDecoder::operator=(FrameDecoder&& other) noexcept {
  if (this == &other) return *this;
  wipe_pending();
  keys_ = std::move(other.keys_);
  max_plaintext_ = other.max_plaintext_;
  cipher_ = other.cipher_;
  frames_decoded_ = other.frames_decoded_;
  body_ = std::move(other.body_);
  first_ = std::move(other.first_);
  pending_ = std::move(other.pending_);
  pending_head_ = other.pending_head_;
  error_ = std::move(other.error_);
  header_ = other.header_;
  header_have_ = other.header_have_;
  failed_ = other.failed_;
  has_first_ = std::exchange(other.has_first_, false);
  other.become_moved_from();
  return *this;
}

FrameDecoder::~FrameDecoder() { wipe_pending(); }

void FrameDecoder::wipe_pending() noexcept {
  if (has_first_) wipe(first_);
  for (std::size_t i = pending_head_; i < pending_.size(); ++i) wipe(pending_[i]);
}

void FrameDecoder::become_moved_from() noexcept {
  Bytes().swap(body_);
  Bytes().swap(first_);
  has_first_ = false;
  release_queue();
  header_have_ = 0;
  failed_ = true;
  try {
    error_ = Error(Errc::channel_closed, "decoder moved from");
  } catch (...) {
    error_ = Error(Errc::channel_closed);
  }
}

std::size_t FrameDecoder::heap_bytes() const noexcept {
  std::size_t n = body_.capacity() + pending_.capacity() * sizeof(Bytes) + first_.capacity();
  for (std::size_t i = pending_head_; i < pending_.size(); ++i) n += pending_[i].capacity();
  return n;
}

Result<std::size_t> FrameDecoder::fail(Error error) {
  Bytes().swap(body_);
  failed_ = true;
  error_ = std::move(error);
  return error_;
}

Result<std::uint32_t> FrameDecoder::check_header() {
  const std::uint32_t length = std::uint32_t{header_[0]} << 24 | std::uint32_t{header_[1]} << 16 |
                               std::uint32_t{header_[2]} << 8 | std::uint32_t{header_[3]};
  if (length > max_plaintext_ + util::kAeadTagBytes) {
    return Error(Errc::channel_frame_too_large, "length " + std::to_string(length) + " above the cap " +
                                                    std::to_string(max_plaintext_ + util::kAeadTagBytes));
  }
  if (length < util::kAeadTagBytes) {
    return Error(Errc::channel_frame_too_short,
                 "length " + std::to_string(length) + " below the " + std::to_string(util::kAeadTagBytes) +
                     "-byte tag");
  }
  return length;
}

Result<void> FrameDecoder::open_frame(ByteView body) {
  auto plaintext = util::aead_open(keys_.key(), keys_.counter(), header_, body, cipher_);
  if (!plaintext) {
    return Error(Errc::channel_auth_failed, "frame " + std::to_string(frames_decoded_) + " (key " +
                                                std::to_string(keys_.rekeys()) + ", counter " +
                                                std::to_string(keys_.counter()) + ")");
  }
  keys_.advance();
  ++frames_decoded_;
  if (!has_first_ && pending_head_ == pending_.size()) {
    first_ = std::move(*plaintext);
    has_first_ = true;
  } else {
    pending_.push_back(std::move(*plaintext));
  }
  header_have_ = 0;
  return success();
}

Result<std::size_t> FrameDecoder::put(ByteView in) {
  if (failed_) return error_;
  std::size_t used = 0;
  while (used < in.size()) {
    if (header_have_ < header_.size()) {
      const std::size_t take = std::min(header_.size() - header_have_, in.size() - used);
      std::copy_n(in.begin() + static_cast<std::ptrdiff_t>(used), take, header_.begin() + header_have_);
      header_have_ = static_cast<std::uint8_t>(header_have_ + take);
      used += take;
      if (header_have_ < header_.size()) break;
      auto length = check_header();
      if (!length) return fail(length.error());
      if (in.size() - used >= length.value()) {
        // The whole frame is in this put: open it where it lies, nothing is buffered.
        if (auto opened = open_frame(in.subspan(used, length.value())); !opened) return fail(opened.error());
        used += length.value();
      } else {
        // Only now, with a checked length, does this frame get a buffer.
        body_.reserve(length.value());
        body_.assign(in.begin() + static_cast<std::ptrdiff_t>(used), in.end());
        used = in.size();
      }
      continue;
    }
    // Inside a buffered frame: header_ holds its checked length.
    const std::size_t length = std::size_t{header_[0]} << 24 | std::size_t{header_[1]} << 16 |
                               std::size_t{header_[2]} << 8 | std::size_t{header_[3]};
    const std::size_t take = std::min(length - body_.size(), in.size() - used);
    body_.insert(body_.end(), in.begin() + static_cast<std::ptrdiff_t>(used),
                 in.begin() + static_cast<std::ptrdiff_t>(used + take));
    used += take;
    if (body_.size() < length) break;
    auto opened = open_frame(body_);
    Bytes().swap(body_);  // between frames the decoder holds no buffer
    if (!opened) return fail(opened.error());
  }
  return used;
}

std::optional<Bytes> FrameDecoder::poll_frame() {
  if (has_first_) {
    has_first_ = false;
    std::optional<Bytes> frame(std::move(first_));
    Bytes().swap(first_);  // a moved-from vector is empty in practice; this makes it certain
    return frame;
  }
  if (pending_head_ == pending_.size()) return std::nullopt;
  Bytes frame = std::move(pending_[pending_head_++]);
  if (pending_head_ == pending_.size()) release_queue();
  return frame;
}

void FrameDecoder::release_queue() noexcept {
  std::vector<Bytes>().swap(pending_);
  pending_head_ = 0;
}

}  // namespace weft::channel
