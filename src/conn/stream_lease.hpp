#pragma once
// A stream on a pooled connection, on loan from the ConnectionPool (RAII). Moving it
// moves the loan; destroying it ends the stream (reset unless it finished cleanly) and
// gives the slot back to the table. Destroy it on the network thread or any other: the
// return is posted to the network thread when needed.

#include "conn/lease_tracker.hpp"
#include "conn/stream.hpp"

#include <functional>
#include <memory>
#include <optional>

namespace weft::conn {

class StreamLease {
 public:
  /// Called once when the lease ends: (lease, the stream failed).
  using Returner = std::function<void(LeaseId, bool)>;

  StreamLease() = default;
  StreamLease(Stream stream, LeaseId lease, Returner returner)
      : stream_(std::move(stream)), lease_(lease), returner_(std::move(returner)) {}
  StreamLease(StreamLease&& other) noexcept
      : stream_(std::move(other.stream_)), lease_(other.lease_), returner_(std::move(other.returner_)) {
    other.stream_.reset();
    other.returner_ = nullptr;
  }
  StreamLease& operator=(StreamLease&& other) noexcept {
    if (this != &other) {
      give_back();
      stream_ = std::move(other.stream_);
      other.stream_.reset();
      lease_ = other.lease_;
      returner_ = std::move(other.returner_);
      other.returner_ = nullptr;
    }
    return *this;
  }
  StreamLease(const StreamLease&) = delete;
  StreamLease& operator=(const StreamLease&) = delete;
  ~StreamLease() { give_back(); }

  Stream& stream() noexcept { return *stream_; }
  Stream* operator->() noexcept { return &*stream_; }
  LeaseId id() const noexcept { return lease_; }
  bool valid() const noexcept { return stream_.has_value() && stream_->valid(); }

 private:
  void give_back() noexcept {
    if (!returner_) return;
    const bool failed = stream_ && stream_->failed();
    stream_.reset();  // resets the stream unless it finished
    auto returner = std::move(returner_);
    returner_ = nullptr;
    returner(lease_, failed);
  }

  std::optional<Stream> stream_;
  LeaseId lease_ = 0;
  Returner returner_;
};

}  // namespace weft::conn
