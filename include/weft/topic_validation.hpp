#pragma once
// Gossip message validation (Node::set_validator): the application judges each new message
// on a topic before the node delivers or forwards it, like go-libp2p-pubsub's topic
// validators and rust-libp2p's validation mode.
//
//   node->set_validator("blocks", [](const weft::TopicMessage& m, weft::ValidationCompletion done) {
//     done(m.data.empty() ? weft::ValidationResult::reject : weft::ValidationResult::accept);
//   });
//
// The validator runs on the network thread, once per message id (copies are dropped as
// duplicates meanwhile). It answers through `done`, at once or later:
//   - at once: call done(result) before returning (the fast path);
//   - later: keep `done` (copy or move it anywhere) and call it from any thread. Until then
//     the message waits in the topic's bounded pending queue (gossip
//     max_pending_validations_per_topic); past it a new message is ignored and counted
//     (GossipStatistics ignored), and a later copy of it gets another chance.
// Only the first call counts; later ones do nothing. If every copy of `done` is destroyed
// without a call, the message counts as ignore (nothing leaks, nothing waits forever on
// it). A validator that throws counts as reject (a validator that cannot judge a message
// should answer ignore instead).
//
// Verdicts (gossipsub v1.1): accept delivers the message to the topic's handler and
// forwards it to the mesh; reject drops it and penalizes the peers it came from (their
// score's P4); ignore drops it without a penalty. Nothing is forwarded before accept.

#include <functional>
#include <memory>

namespace weft {

struct TopicMessage;

enum class ValidationResult { accept, reject, ignore };

/// "accept", "reject" or "ignore".
const char* to_string(ValidationResult result) noexcept;

/// A validator's answer channel for one message. Copies share one answer; callable from
/// any thread; only the first call counts; destroyed (every copy) without a call = ignore.
class ValidationCompletion {
 public:
  /// What the node does with the answer (made by the node; tests may make their own).
  using Report = std::function<void(ValidationResult)>;

  explicit ValidationCompletion(Report report);

  /// Answers; a second answer (from any copy) does nothing.
  void operator()(ValidationResult result) const;
  /// Whether some copy has answered.
  bool completed() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace weft
