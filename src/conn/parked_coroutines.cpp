#include "conn/parked_coroutines.hpp"

#include <memory>

namespace weft::conn {

/// One per io_context: the list of live ParkedCoroutines, so that its shutdown can release
/// the coroutines still parked (their frames hold the connections that hold them).
class ParkedCoroutines::Service : public asio::execution_context::service {
 public:
  using key_type = Service;
  static inline asio::execution_context::id id;

  explicit Service(asio::execution_context& context) : asio::execution_context::service(context) {}

  void link(ParkedCoroutines* p) noexcept {
    p->service_ = this;
    p->prev_ = nullptr;
    p->next_ = head_;
    if (head_ != nullptr) head_->prev_ = p;
    head_ = p;
  }

  void unlink(ParkedCoroutines* p) noexcept {
    if (p->prev_ != nullptr) p->prev_->next_ = p->next_;
    if (p->next_ != nullptr) p->next_->prev_ = p->prev_;
    if (head_ == p) head_ = p->next_;
    p->service_ = nullptr;
    p->prev_ = p->next_ = nullptr;
  }

 private:
  void shutdown() override {
    // Destroying a Resumer hands its coroutine's destruction to the (shutting down)
    // scheduler, which destroys it without resuming it: nothing runs here re-entrantly.
    while (head_ != nullptr) {
      ParkedCoroutines* p = head_;
      unlink(p);
      std::vector<Parked> released;
      released.swap(p->parked_);
    }
  }

  ParkedCoroutines* head_ = nullptr;
};

ParkedCoroutines::ParkedCoroutines(asio::execution_context& context) {
  asio::use_service<Service>(context).link(this);
}

ParkedCoroutines::~ParkedCoroutines() {
  if (service_ != nullptr) service_->unlink(this);
}

asio::awaitable<void> ParkedCoroutines::park(mux::StreamId id, Event event) {
  return asio::async_initiate<decltype(asio::use_awaitable), void()>(
      [this, id, event](Resumer resumer) {
        for (std::size_t i = 0; i < parked_.size(); ++i) {
          if (parked_[i].id == id && parked_[i].event == event) {
            remove(i);  // one per (id, event): the one parked before is released
            break;
          }
        }
        parked_.push_back(Parked{id, event, std::move(resumer)});
      },
      asio::use_awaitable);
}

void ParkedCoroutines::remove(std::size_t i) noexcept {
  // Resumer has no move assignment: the last entry is moved into the hole by reconstruction.
  if (i + 1 != parked_.size()) {
    std::destroy_at(&parked_[i]);
    std::construct_at(&parked_[i], std::move(parked_.back()));
  }
  parked_.pop_back();
}

void ParkedCoroutines::take(mux::StreamId id, bool readers, bool writers, std::vector<Resumer>& out) {
  for (std::size_t i = parked_.size(); i-- > 0;) {
    const Parked& p = parked_[i];
    if (p.id != id || !(p.event == Event::readable ? readers : writers)) continue;
    out.push_back(std::move(parked_[i].resumer));
    remove(i);
  }
}

void ParkedCoroutines::take_all(std::vector<Resumer>& out) {
  for (auto& p : parked_) out.push_back(std::move(p.resumer));
  parked_.clear();
}

}  // namespace weft::conn
