#include "conn/parked_coroutines.hpp"

namespace weft::conn {

/// One per io_context: the circular list of live ParkedCoroutines, so that its shutdown
/// can release the coroutines still parked (their frames hold the connections that hold
/// them).
class ParkedCoroutines::Service : public asio::execution_context::service {
 public:
  using key_type = Service;
  static inline asio::execution_context::id id;

  explicit Service(asio::execution_context& context) : asio::execution_context::service(context) {
    head_.prev = head_.next = &head_;
  }

  void link(detail::ParkedLink* p) noexcept {
    p->prev = &head_;
    p->next = head_.next;
    head_.next->prev = p;
    head_.next = p;
  }

  static void unlink(detail::ParkedLink* p) noexcept {
    if (p->next == nullptr) return;  // never linked, or released at shutdown
    p->prev->next = p->next;
    p->next->prev = p->prev;
    p->prev = p->next = nullptr;
  }

 private:
  void shutdown() override {
    // Destroying a Resumer hands its coroutine's destruction to the (shutting down)
    // scheduler, which destroys it without resuming it: nothing runs here re-entrantly.
    while (head_.next != &head_) {
      auto* p = static_cast<ParkedCoroutines*>(head_.next);
      unlink(p);
      const std::unique_ptr<Lists> released = std::move(p->lists_);
    }
  }

  detail::ParkedLink head_;  ///< the list's sentinel
};

ParkedCoroutines::ParkedCoroutines(asio::execution_context& context) {
  asio::use_service<Service>(context).link(this);
}

ParkedCoroutines::~ParkedCoroutines() { Service::unlink(this); }

asio::awaitable<void> ParkedCoroutines::park(mux::StreamId id, Event event) {
  return asio::async_initiate<decltype(asio::use_awaitable), void()>(
      [this, id, event](Resumer resumer) {
        if (!lists_) lists_ = std::make_unique<Lists>();
        auto& parked = lists_->parked;
        for (std::size_t i = 0; i < parked.size(); ++i) {
          if (parked[i].id == id && parked[i].event == event) {
            remove_parked(i);  // one per (id, event): the one parked before is released
            break;
          }
        }
        parked.push_back(Parked{id, event, std::move(resumer)});
      },
      asio::use_awaitable);
}

void ParkedCoroutines::remove_parked(std::size_t i) noexcept {
  // Resumer has no move assignment: the last entry is moved into the hole by reconstruction.
  auto& parked = lists_->parked;
  if (i + 1 != parked.size()) {
    std::destroy_at(&parked[i]);
    std::construct_at(&parked[i], std::move(parked.back()));
  }
  parked.pop_back();
}

void ParkedCoroutines::wake(mux::StreamId id, bool readers, bool writers) {
  if (!has_parked()) return;
  auto& parked = lists_->parked;
  for (std::size_t i = parked.size(); i-- > 0;) {
    const Parked& p = parked[i];
    if (p.id != id || !(p.event == Event::readable ? readers : writers)) continue;
    lists_->woken.push_back(std::move(parked[i].resumer));
    remove_parked(i);
  }
}

void ParkedCoroutines::wake_all() {
  if (!has_parked()) return;
  for (auto& p : lists_->parked) lists_->woken.push_back(std::move(p.resumer));
  lists_->parked.clear();
}

std::optional<ParkedCoroutines::Resumer> ParkedCoroutines::take_woken() {
  if (!has_woken()) return std::nullopt;
  std::optional<Resumer> resumer(std::move(lists_->woken[lists_->next_woken++]));
  if (lists_->next_woken == lists_->woken.size()) {  // all taken: keep the capacity
    lists_->woken.clear();
    lists_->next_woken = 0;
  }
  return resumer;
}

}  // namespace weft::conn
