// ValidationCompletion (include/weft/topic_validation.hpp): one shared answer slot per
// message; the last copy's end answers ignore if nobody answered.

#include <weft/topic_validation.hpp>

#include <mutex>
#include <utility>

namespace weft {

struct ValidationCompletion::State {
  explicit State(Report r) : report(std::move(r)) {}
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  ~State() {
    if (report) report(ValidationResult::ignore);  // dropped unanswered
  }

  /// The report, taken by the first answer.
  Report take() {
    std::lock_guard lock(mutex);
    return std::exchange(report, nullptr);
  }

  mutable std::mutex mutex;
  Report report;  ///< guarded by mutex; empty once answered
};

ValidationCompletion::ValidationCompletion(Report report) : state_(std::make_shared<State>(std::move(report))) {}

void ValidationCompletion::operator()(ValidationResult result) const {
  if (!state_) return;  // moved from
  if (Report report = state_->take()) report(result);
}

bool ValidationCompletion::completed() const {
  if (!state_) return true;  // moved from: its answer went with the move
  std::lock_guard lock(state_->mutex);
  return !state_->report;
}

const char* to_string(ValidationResult result) noexcept {
  switch (result) {
    case ValidationResult::accept:
      return "accept";
    case ValidationResult::reject:
      return "reject";
    case ValidationResult::ignore:
      return "ignore";
  }
  return "unknown";
}

}  // namespace weft
