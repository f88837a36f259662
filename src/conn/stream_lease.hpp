#pragma once
// A stream on a pooled connection, on loan from the ConnectionPool (RAII). Moving it
// moves the loan; destroying it ends the stream (reset unless it finished cleanly) and
// gives the slot back to the table. Destroy it on the network thread or any other: the
// return is posted to the network thread when needed.

#include "conn/lease_tracker.hpp"
#include "conn/stream.hpp"

#include <memory>
#include <optional>

namespace weft::conn {

/// Takes ended leases back (the pool). A StreamLease holds it weakly: a lease that outlives
/// its pool still ends its stream, and returns nothing.
class LeaseReturn {
 public:
  /// Called once per lease when it ends, on the thread that ends it: (lease, the stream
  /// failed). Moves the return to the network thread itself when needed.
  virtual void return_lease(LeaseId lease, bool failed) noexcept = 0;

 protected:
  LeaseReturn() = default;
  LeaseReturn(const LeaseReturn&) = default;
  LeaseReturn& operator=(const LeaseReturn&) = default;
  ~LeaseReturn() = default;
};

class StreamLease {
 public:
  StreamLease() = default;
  /// No allocation: `owner` is a weak reference (one count), not a type-erased callback.
  StreamLease(Stream&& stream, LeaseId lease, std::weak_ptr<LeaseReturn> owner)
      : stream_(std::move(stream)), lease_(lease), owner_(std::move(owner)), live_(true) {}
  StreamLease(StreamLease&& other) noexcept
      : stream_(std::move(other.stream_)), lease_(other.lease_), owner_(std::move(other.owner_)), live_(other.live_) {
    other.stream_.reset();
    other.live_ = false;
  }
  StreamLease& operator=(StreamLease&& other) noexcept {
    if (this != &other) {
      give_back();
      stream_ = std::move(other.stream_);
      other.stream_.reset();
      lease_ = other.lease_;
      owner_ = std::move(other.owner_);
      live_ = other.live_;
      other.live_ = false;
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
    if (!live_) return;
    live_ = false;
    const bool failed = stream_ && stream_->failed();
    stream_.reset();  // resets the stream unless it finished
    const auto owner = owner_.lock();
    owner_.reset();
    if (owner) owner->return_lease(lease_, failed);
  }

  std::optional<Stream> stream_;
  LeaseId lease_ = 0;
  std::weak_ptr<LeaseReturn> owner_;
  bool live_ = false;  ///< the lease is still owed back (once)
};

}  // namespace weft::conn
