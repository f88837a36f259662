#include "handshake/handshake_machine.hpp"

#include "handshake/handshake_state.hpp"

#include <algorithm>
#include <string>

namespace weft::handshake {

struct HandshakeMachine::State : HandshakeState {
  using HandshakeState::HandshakeState;
};

std::uint64_t unix_ms(WallTime now) {
  const auto count = now.time_since_epoch().count();
  return count < 0 ? 0 : static_cast<std::uint64_t>(count);
}

Result<void> check_clock(std::uint64_t peer_ms, WallTime now, std::uint64_t window_ms) {
  const std::uint64_t ours = unix_ms(now);
  const bool ahead = peer_ms >= ours;
  const std::uint64_t skew = ahead ? peer_ms - ours : ours - peer_ms;
  if (skew <= window_ms) return success();
  return Error(Errc::handshake_clock_skew, "skew " + std::to_string(skew) + " ms, window ±" +
                                               std::to_string(window_ms) + " ms (peer " +
                                               (ahead ? "ahead" : "behind") + ")");
}

Error HandshakeState::fail(Error error) {
  result.emplace(error);
  wipe();
  return error;
}

void HandshakeState::succeed(Established established) {
  result.emplace(std::move(established));
  wipe();
}

void HandshakeState::wipe() {
  phase = Phase::done;
  reader.reset(0);
  ephemeral_secret = {};
  dh.reset();
  keys = {};
  expected_mac = {};
}

void HandshakeState::generate_ephemeral(Nonce& nonce) {
  random(ephemeral_secret.bytes());
  ephemeral_public = x25519_public(ephemeral_secret);
  random(nonce);
}

HandshakeMachine HandshakeMachine::initiator(const Keypair& identity, const HandshakeConfig& config,
                                             RandomSource random, WallTime now, std::optional<PeerId> expected_peer,
                                             EarlyData our_early_data) {
  auto state = std::make_unique<State>(Role::initiator, identity, config, std::move(random));
  state->expected_peer = std::move(expected_peer);
  start_initiator(*state, now, our_early_data);
  return HandshakeMachine(std::move(state));
}

HandshakeMachine HandshakeMachine::responder(const Keypair& identity, const HandshakeConfig& config,
                                             RandomSource random, ReplayCache& replay_cache) {
  auto state = std::make_unique<State>(Role::responder, identity, config, std::move(random));
  state->replay_cache = &replay_cache;
  state->phase = Phase::await_hello;
  state->reader.reset(kHelloCapBytes);
  return HandshakeMachine(std::move(state));
}

HandshakeMachine::HandshakeMachine(std::unique_ptr<State> state) : state_(std::move(state)) {}
HandshakeMachine::HandshakeMachine(HandshakeMachine&&) noexcept = default;
HandshakeMachine& HandshakeMachine::operator=(HandshakeMachine&&) noexcept = default;
HandshakeMachine::~HandshakeMachine() = default;  // State's SecretKeys and Keypair wipe themselves

namespace {

const char* phase_name(Phase phase) {
  switch (phase) {
    case Phase::await_hello: return "Hello";
    case Phase::await_hello_ack: return "HelloAck";
    case Phase::await_auth: return "Auth";
    case Phase::await_finished: return "Finished";
    case Phase::done: break;
  }
  return "the handshake";
}

}  // namespace

Result<std::size_t> HandshakeMachine::put(ByteView in, WallTime now) {
  State& s = *state_;
  if (s.result || s.phase == Phase::done) return std::size_t{0};
  auto step = s.reader.put(in);
  if (!step) return s.fail(step.error().with_context(phase_name(s.phase)));
  const std::size_t consumed = step.value().consumed;
  if (!step.value().complete) return consumed;

  // The peer may send nothing after a message until it has our reply, which put() has not
  // produced yet; only after Finished (initiator side) do the bytes belong to the channel.
  const bool channel_follows = s.phase == Phase::await_finished;
  if (!channel_follows && consumed < in.size()) {
    return s.fail(Error(Errc::handshake_unexpected_data,
                        std::to_string(in.size() - consumed) + " bytes after " + phase_name(s.phase)));
  }
  Result<void> handled = success();
  switch (s.phase) {
    case Phase::await_hello: handled = responder_on_hello(s, now); break;
    case Phase::await_hello_ack: handled = initiator_on_hello_ack(s, now); break;
    case Phase::await_auth: handled = responder_on_auth(s); break;
    case Phase::await_finished: handled = initiator_on_finished(s); break;
    case Phase::done: break;
  }
  if (!handled) return s.fail(handled.error());
  return consumed;
}

Bytes HandshakeMachine::take_output() { return std::exchange(state_->output, {}); }

Role HandshakeMachine::role() const noexcept { return state_->role; }

bool HandshakeMachine::finished() const noexcept { return state_->result.has_value(); }

const std::optional<Result<Established>>& HandshakeMachine::result() const noexcept { return state_->result; }

}  // namespace weft::handshake
