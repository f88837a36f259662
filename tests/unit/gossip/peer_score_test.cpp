// PeerScore: each of P1-P7 alone with exact values, topic weight and cap, decay, retained
// scores after disconnect with their cap, delivery records with theirs.

#include "gossip/peer_score.hpp"

#include "test_peer_id.hpp"

#include <doctest/doctest.h>

using namespace weft;
using namespace weft::gossip;
using weft::test::test_peer;

namespace {

const TimePoint t0 = TimePoint{} + std::chrono::hours(5);
const TopicId kTopic = "t";

/// Only the parameter under test is non-zero.
PeerScoreParams quiet() {
  PeerScoreParams p;
  TopicScoreParams t;
  t.time_in_mesh_weight = 0;
  t.first_message_deliveries_weight = 0;
  t.mesh_message_deliveries_weight = 0;
  t.mesh_failure_penalty_weight = 0;
  t.invalid_message_deliveries_weight = 0;
  p.default_topic = t;
  p.app_specific_weight = 0;
  p.ip_colocation_factor_weight = 0;
  p.behaviour_penalty_weight = 0;
  p.topic_score_cap = 0;
  return p;
}

}  // namespace

TEST_CASE("score: unknown peers score 0") {
  PeerScore s(PeerScoreParams{});
  CHECK(s.score(test_peer(1), t0) == 0.0);
}

TEST_CASE("score: P1 counts whole quanta in the mesh, capped, and stops on prune") {
  PeerScoreParams p = quiet();
  p.default_topic->time_in_mesh_weight = 0.5;
  p.default_topic->time_in_mesh_quantum_ms = 1000;
  p.default_topic->time_in_mesh_cap = 10;
  PeerScore s(p);
  const PeerId a = test_peer(1);
  s.add_peer(a, "", t0);
  s.graft(a, kTopic, t0);
  CHECK(s.score(a, t0 + std::chrono::milliseconds(999)) == 0.0);
  CHECK(s.score(a, t0 + std::chrono::milliseconds(3500)) == doctest::Approx(1.5));
  CHECK(s.score(a, t0 + std::chrono::seconds(100)) == doctest::Approx(5.0));
  s.prune(a, kTopic, t0 + std::chrono::seconds(100));
  CHECK(s.score(a, t0 + std::chrono::seconds(100)) == 0.0);
}

TEST_CASE("score: P2 counts first deliveries, capped at increment, decaying to zero") {
  PeerScoreParams p = quiet();
  p.default_topic->first_message_deliveries_weight = 2;
  p.default_topic->first_message_deliveries_cap = 3;
  p.default_topic->first_message_deliveries_decay = 0.5;
  p.decay_to_zero = 0.3;
  PeerScore s(p);
  const PeerId a = test_peer(1);
  s.add_peer(a, "", t0);
  for (int i = 0; i < 5; ++i) {
    s.validate_message("m" + std::to_string(i), t0);
    s.deliver_message(a, "m" + std::to_string(i), kTopic, t0);
  }
  CHECK(s.score(a, t0) == doctest::Approx(6.0));
  s.refresh(t0);
  CHECK(s.score(a, t0) == doctest::Approx(3.0));   // 1.5
  s.refresh(t0);
  CHECK(s.score(a, t0) == doctest::Approx(1.5));   // 0.75
  s.refresh(t0);
  CHECK(s.score(a, t0) == doctest::Approx(0.75));  // 0.375
  s.refresh(t0);
  CHECK(s.score(a, t0) == 0.0);                    // 0.1875 < 0.3: zero
}

TEST_CASE("score: P3 penalizes a mesh delivery deficit after activation; near-first copies count") {
  PeerScoreParams p = quiet();
  TopicScoreParams& t = *p.default_topic;
  t.mesh_message_deliveries_weight = -1;
  t.mesh_message_deliveries_threshold = 3;
  t.mesh_message_deliveries_activation_ms = 5000;
  t.mesh_message_deliveries_window_ms = 10;
  PeerScore s(p);
  const PeerId a = test_peer(1), b = test_peer(2);
  s.add_peer(a, "", t0);
  s.add_peer(b, "", t0);
  s.graft(a, kTopic, t0);
  s.graft(b, kTopic, t0);
  CHECK(s.score(a, t0 + std::chrono::seconds(5)) == 0.0);  // not yet active
  const TimePoint later = t0 + std::chrono::seconds(6);
  CHECK(s.score(a, later) == doctest::Approx(-9.0));       // deficit 3
  s.validate_message("m", later);
  s.duplicate_message(b, "m", kTopic, later);               // during validation
  s.deliver_message(a, "m", kTopic, later);
  CHECK(s.score(a, later) == doctest::Approx(-4.0));       // first: deficit 2
  CHECK(s.score(b, later) == doctest::Approx(-4.0));       // near-first during validation
  s.duplicate_message(b, "m", kTopic, later + std::chrono::milliseconds(10));  // inside the window
  CHECK(s.score(b, later) == doctest::Approx(-1.0));
  s.duplicate_message(b, "m", kTopic, later + std::chrono::milliseconds(11));  // outside: no credit
  CHECK(s.score(b, later) == doctest::Approx(-1.0));
}

TEST_CASE("score: P3b keeps the deficit at prune time, sticky and decaying") {
  PeerScoreParams p = quiet();
  TopicScoreParams& t = *p.default_topic;
  t.mesh_message_deliveries_threshold = 2;
  t.mesh_message_deliveries_activation_ms = 1000;
  t.mesh_failure_penalty_weight = -1;
  t.mesh_failure_penalty_decay = 0.5;
  PeerScore s(p);
  const PeerId a = test_peer(1);
  s.add_peer(a, "", t0);
  s.graft(a, kTopic, t0);
  s.prune(a, kTopic, t0 + std::chrono::milliseconds(500));  // before activation: nothing
  CHECK(s.score(a, t0 + std::chrono::seconds(1)) == 0.0);
  s.graft(a, kTopic, t0);
  s.prune(a, kTopic, t0 + std::chrono::seconds(2));
  CHECK(s.score(a, t0 + std::chrono::seconds(2)) == doctest::Approx(-4.0));
  s.refresh(t0 + std::chrono::seconds(3));
  CHECK(s.score(a, t0 + std::chrono::seconds(3)) == doctest::Approx(-2.0));
}

TEST_CASE("score: P4 squares invalid deliveries, including copies of rejected messages") {
  PeerScoreParams p = quiet();
  p.default_topic->invalid_message_deliveries_weight = -10;
  p.default_topic->invalid_message_deliveries_decay = 0.5;
  PeerScore s(p);
  const PeerId a = test_peer(1), b = test_peer(2), c = test_peer(3);
  for (const PeerId& x : {a, b, c}) s.add_peer(x, "", t0);
  s.validate_message("bad", t0);
  s.duplicate_message(b, "bad", kTopic, t0);  // while validating
  s.reject_message(a, "bad", kTopic, t0);
  CHECK(s.score(a, t0) == doctest::Approx(-10.0));
  CHECK(s.score(b, t0) == doctest::Approx(-10.0));
  s.duplicate_message(c, "bad", kTopic, t0);  // after the verdict
  CHECK(s.score(c, t0) == doctest::Approx(-10.0));
  s.invalid_message(a, kTopic);
  CHECK(s.score(a, t0) == doctest::Approx(-40.0));
  s.refresh(t0);
  CHECK(s.score(a, t0) == doctest::Approx(-10.0));
  // Ignored messages cost nothing, before or after the verdict.
  s.validate_message("meh", t0);
  s.duplicate_message(c, "meh", kTopic, t0);
  s.ignore_message("meh", t0);
  s.duplicate_message(c, "meh", kTopic, t0);
  CHECK(s.score(c, t0) == doctest::Approx(-2.5));  // only the decayed earlier penalty
}

TEST_CASE("score: topic weight, per-topic parameters, unscored topics and the topic cap") {
  PeerScoreParams p = quiet();
  p.default_topic->first_message_deliveries_weight = 1;
  TopicScoreParams heavy = *p.default_topic;
  heavy.topic_weight = 3;
  p.topics["heavy"] = heavy;
  PeerScore s(p);
  const PeerId a = test_peer(1);
  s.add_peer(a, "", t0);
  s.deliver_message(a, "1", "heavy", t0);
  s.deliver_message(a, "2", "other", t0);
  CHECK(s.score(a, t0) == doctest::Approx(4.0));
  p.topic_score_cap = 2.5;
  p.default_topic.reset();
  PeerScore capped(p);
  capped.add_peer(a, "", t0);
  capped.deliver_message(a, "1", "heavy", t0);
  capped.deliver_message(a, "2", "unscored", t0);
  CHECK(capped.score(a, t0) == doctest::Approx(2.5));
}

TEST_CASE("score: P5 is the application's score times its weight") {
  PeerScoreParams p = quiet();
  p.app_specific_weight = 2;
  PeerScore s(p);
  s.add_peer(test_peer(1), "", t0);
  s.set_app_score(test_peer(1), -3);
  s.set_app_score(test_peer(9), 100);  // unknown: nothing
  CHECK(s.score(test_peer(1), t0) == doctest::Approx(-6.0));
  CHECK(s.score(test_peer(9), t0) == 0.0);
}

TEST_CASE("score: P6 penalizes peers past the per-IP threshold, except whitelisted and unknown IPs") {
  PeerScoreParams p = quiet();
  p.ip_colocation_factor_weight = -5;
  p.ip_colocation_factor_threshold = 2;
  p.ip_colocation_whitelist = {"10.0.0.9"};
  PeerScore s(p);
  for (std::uint8_t i = 1; i <= 2; ++i) s.add_peer(test_peer(i), "10.0.0.1", t0);
  CHECK(s.score(test_peer(1), t0) == 0.0);
  s.add_peer(test_peer(3), "10.0.0.1", t0);
  s.add_peer(test_peer(4), "10.0.0.1", t0);
  CHECK(s.score(test_peer(1), t0) == doctest::Approx(-20.0));  // surplus 2
  for (std::uint8_t i = 10; i < 20; ++i) s.add_peer(test_peer(i), "10.0.0.9", t0);
  for (std::uint8_t i = 20; i < 30; ++i) s.add_peer(test_peer(i), "", t0);
  CHECK(s.score(test_peer(10), t0) == 0.0);
  CHECK(s.score(test_peer(20), t0) == 0.0);
  s.remove_peer(test_peer(4), t0);
  CHECK(s.score(test_peer(1), t0) == doctest::Approx(-5.0));
}

TEST_CASE("score: P7 squares the penalties above the threshold and decays") {
  PeerScoreParams p = quiet();
  p.behaviour_penalty_weight = -10;
  p.behaviour_penalty_threshold = 1;
  p.behaviour_penalty_decay = 0.5;
  PeerScore s(p);
  const PeerId a = test_peer(1);
  s.add_peer(a, "", t0);
  s.add_penalty(a, 1);
  CHECK(s.score(a, t0) == 0.0);
  s.add_penalty(a, 1);
  CHECK(s.score(a, t0) == doctest::Approx(-10.0));
  s.add_penalty(a, 1);
  CHECK(s.score(a, t0) == doctest::Approx(-40.0));
  s.refresh(t0);  // 1.5
  CHECK(s.score(a, t0) == doctest::Approx(-2.5));
}

TEST_CASE("score: a non-positive score survives a reconnect until retain_score; a positive one does not") {
  PeerScoreParams p = quiet();
  p.behaviour_penalty_weight = -10;
  p.behaviour_penalty_threshold = 0;
  p.app_specific_weight = 1;
  p.retain_score_ms = 60'000;
  PeerScore s(p);
  const PeerId bad = test_peer(1), good = test_peer(2);
  s.add_peer(bad, "", t0);
  s.add_peer(good, "", t0);
  s.add_penalty(bad, 2);
  s.set_app_score(good, 5);
  s.remove_peer(bad, t0);
  s.remove_peer(good, t0);
  CHECK(s.tracked_peers() == 1);
  CHECK(s.score(bad, t0) < 0);
  s.add_peer(bad, "", t0 + std::chrono::seconds(30));
  CHECK(s.score(bad, t0 + std::chrono::seconds(30)) < 0);
  s.add_peer(good, "", t0);
  CHECK(s.score(good, t0) == 0.0);  // starts over
  s.remove_peer(bad, t0 + std::chrono::seconds(30));
  s.refresh(t0 + std::chrono::seconds(90) - std::chrono::milliseconds(1));
  CHECK(s.score(bad, t0) < 0);
  s.refresh(t0 + std::chrono::seconds(90));
  CHECK(s.score(bad, t0) == 0.0);
}

TEST_CASE("score: retained peers are capped; the oldest go first and are counted") {
  PeerScoreParams p = quiet();
  p.max_retained_peers = 2;
  PeerScore s(p);
  for (std::uint8_t i = 1; i <= 3; ++i) s.add_peer(test_peer(i), "", t0);
  s.remove_peer(test_peer(1), t0);
  s.remove_peer(test_peer(2), t0 + std::chrono::seconds(1));
  CHECK(s.tracked_peers() == 3);
  CHECK(s.retained_evicted() == 0);
  s.remove_peer(test_peer(3), t0 + std::chrono::seconds(2));
  CHECK(s.tracked_peers() == 2);
  CHECK(s.retained_evicted() == 1);
}

TEST_CASE("score: delivery records are capped and expire") {
  PeerScoreParams p = quiet();
  p.max_delivery_records = 2;
  p.delivery_record_ttl_ms = 1000;
  PeerScore s(p);
  s.validate_message("a", t0);
  s.validate_message("b", t0);
  s.validate_message("a", t0);  // known: nothing
  CHECK(s.delivery_records() == 2);
  s.validate_message("c", t0 + std::chrono::milliseconds(1));
  CHECK(s.delivery_records() == 2);
  CHECK(s.records_evicted() == 1);
  s.refresh(t0 + std::chrono::milliseconds(1000));
  CHECK(s.delivery_records() == 1);
  s.refresh(t0 + std::chrono::milliseconds(1001));
  CHECK(s.delivery_records() == 0);
}
