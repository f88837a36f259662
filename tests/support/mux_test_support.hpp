#pragma once
// Helpers shared by the stream multiplexer tests: raw frames, event descriptions, and a
// pair of sessions wired back to back with a fake clock.

#include <weft/bytes.hpp>
#include <weft/error.hpp>

#include "mux/frame_header.hpp"
#include "mux/session.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

namespace weft::test {

/// A fixed start for the fake clock.
inline mux::TimePoint t0() { return mux::TimePoint{} + std::chrono::hours(1); }

/// One frame's wire bytes: header plus payload (for data frames `length` is the payload
/// size unless given).
inline Bytes frame(mux::FrameType type, std::uint16_t flags, mux::StreamId id, std::uint32_t length,
                   ByteView payload = {}) {
  Bytes out;
  mux::append_header(mux::FrameHeader{type, flags, id, length}, out);
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

inline Bytes data_frame(std::uint16_t flags, mux::StreamId id, ByteView payload) {
  return frame(mux::FrameType::data, flags, id, static_cast<std::uint32_t>(payload.size()), payload);
}

inline Bytes window_update(std::uint16_t flags, mux::StreamId id, std::uint32_t delta) {
  return frame(mux::FrameType::window_update, flags, id, delta);
}

inline Bytes ping_frame(std::uint16_t flags, std::uint32_t opaque) {
  return frame(mux::FrameType::ping, flags, 0, opaque);
}

inline Bytes go_away_frame(mux::GoAwayCode code) {
  return frame(mux::FrameType::go_away, 0, 0, static_cast<std::uint32_t>(code));
}

inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline Bytes filled(std::size_t n, std::uint8_t seed = 0) {
  Bytes out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(seed + i * 31 + (i >> 8));
  return out;
}

/// "Readable 3", "StreamReset 5 weft:…", "SessionClosed mux_…: detail", "PingRtt 20ms".
inline std::string describe(const mux::Event& e) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, mux::event::InboundStream>) return "InboundStream " + std::to_string(v.id);
        if constexpr (std::is_same_v<T, mux::event::Readable>) return "Readable " + std::to_string(v.id);
        if constexpr (std::is_same_v<T, mux::event::Writable>) return "Writable " + std::to_string(v.id);
        if constexpr (std::is_same_v<T, mux::event::ReadClosed>) return "ReadClosed " + std::to_string(v.id);
        if constexpr (std::is_same_v<T, mux::event::StreamReset>) {
          return "StreamReset " + std::to_string(v.id) + " " + v.reason.message();
        }
        if constexpr (std::is_same_v<T, mux::event::SessionClosed>) return "SessionClosed " + v.reason.message();
        if constexpr (std::is_same_v<T, mux::event::PingRtt>) {
          return "PingRtt " + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(v.rtt).count()) + "ms";
        }
      },
      e);
}

inline std::vector<std::string> events_of(mux::Session& s) {
  std::vector<std::string> out;
  while (auto e = s.poll_event()) out.push_back(describe(*e));
  return out;
}

/// Everything poll_transmit() has, concatenated.
inline Bytes transmit_all(mux::Session& s) {
  Bytes out;
  for (ByteView b = s.poll_transmit(); !b.empty(); b = s.poll_transmit()) out.insert(out.end(), b.begin(), b.end());
  return out;
}

/// The headers of a byte stream of whole frames (payloads skipped).
inline std::vector<mux::FrameHeader> headers_of(ByteView bytes) {
  std::vector<mux::FrameHeader> out;
  for (std::size_t at = 0; at + mux::kHeaderBytes <= bytes.size();) {
    auto h = mux::decode_header(bytes.subspan(at).first<mux::kHeaderBytes>());
    if (!h) break;
    out.push_back(h.value());
    at += mux::kHeaderBytes + h.value().payload_bytes();
  }
  return out;
}

inline std::string describe(const mux::FrameHeader& h) {
  static const char* kTypes[] = {"data", "window_update", "ping", "go_away"};
  std::string flags;
  if (h.has(mux::kFlagSyn)) flags += "S";
  if (h.has(mux::kFlagAck)) flags += "A";
  if (h.has(mux::kFlagFin)) flags += "F";
  if (h.has(mux::kFlagRst)) flags += "R";
  return std::string(kTypes[static_cast<int>(h.type)]) + " " + (flags.empty() ? "-" : flags) + " " +
         std::to_string(h.stream_id) + " " + std::to_string(h.length);
}

/// "data S 1 5", "window_update A 2 0", … for each frame of `bytes`.
inline std::vector<std::string> frames_of(ByteView bytes) {
  std::vector<std::string> out;
  for (const auto& h : headers_of(bytes)) out.push_back(describe(h));
  return out;
}

/// An initiator (a) and a responder (b) wired back to back, with a shared fake clock.
struct SessionPair {
  mux::TimePoint now = t0();
  mux::Session a;
  mux::Session b;

  explicit SessionPair(mux::SessionConfig config = {})
      : a(mux::Role::initiator, config, t0()), b(mux::Role::responder, config, t0()) {}
  SessionPair(mux::SessionConfig ca, mux::SessionConfig cb)
      : a(mux::Role::initiator, ca, t0()), b(mux::Role::responder, cb, t0()) {}

  /// Moves bytes both ways until neither side has any; returns false if a side failed.
  bool pump() {
    for (;;) {
      const Bytes ab = transmit_all(a);
      const Bytes ba = transmit_all(b);
      if (ab.empty() && ba.empty()) return true;
      if (!ab.empty() && !b.handle_bytes(ab, now)) return false;
      if (!ba.empty() && !a.handle_bytes(ba, now)) return false;
    }
  }
};

}  // namespace weft::test
