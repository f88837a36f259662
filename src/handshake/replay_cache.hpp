#pragma once
// The responder's memory of Hello nonces, so a replayed phase 1 inside the timestamp
// window is refused (handshake_replayed_nonce) before any Diffie-Hellman work.
//
// An entry lives until the Hello that carried it could no longer pass the timestamp check
// (its timestamp plus the window), so the cache never grows past the Hellos of one window.
// It is also bounded by `capacity`: when full, the entry that expires soonest is dropped
// (counted in evictions()). Not thread-safe: one per listener, on the network thread.

#include <array>
#include <chrono>
#include <cstdint>
#include <cstddef>
#include <map>
#include <set>

namespace weft::handshake {

using Nonce = std::array<std::uint8_t, 32>;

class ReplayCache {
 public:
  explicit ReplayCache(std::size_t capacity = 65536);

  /// Records `nonce`, remembered through `expires_at_ms` inclusive (Unix ms): an entry is
  /// expired at `now_ms` once now_ms > expires_at_ms. Returns false, recording nothing, if
  /// the nonce is already present and not yet expired at `now_ms`. An entry already expired
  /// at `now_ms` is not stored (true is returned).
  bool insert(const Nonce& nonce, std::uint64_t expires_at_ms, std::uint64_t now_ms);

  std::size_t size() const noexcept;
  std::size_t capacity() const noexcept { return capacity_; }
  std::uint64_t evictions() const noexcept { return evictions_; }

 private:
  void expire(std::uint64_t now_ms);

  std::size_t capacity_;
  std::uint64_t evictions_ = 0;
  std::map<Nonce, std::uint64_t> expiry_by_nonce_;
  std::set<std::pair<std::uint64_t, Nonce>> by_expiry_;
};

}  // namespace weft::handshake
