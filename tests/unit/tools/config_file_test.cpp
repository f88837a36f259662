// The node's TOML config file (tools/weft/config_file): the default file round-trips,
// every key is read, and each kind of error names its key.

#include "config_file.hpp"
#include "run_process.hpp"  // TempDir

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace weft::cli {
namespace {

Error parse_error(const std::string& text) {
  auto parsed = parse_node_config(text, "test.toml");
  REQUIRE_MESSAGE(!parsed.has_value(), "expected an error for: " << text);
  CHECK(parsed.error() == Errc::config_invalid);
  CHECK(parsed.error().message().find('\n') == std::string::npos);  // one line
  return parsed.error();
}

bool mentions(const Error& e, const std::string& what) { return e.message().find(what) != std::string::npos; }

}  // namespace

TEST_CASE("config: the default file parses to the default NodeConfig") {
  const std::string text = default_config_text();
  auto parsed = parse_node_config(text);
  REQUIRE_MESSAGE(parsed.has_value(), (parsed ? "" : parsed.error().message()));
  CHECK(config_text(parsed.value()) == text);
  CHECK(config_text(parsed.value()) == config_text(NodeConfig{}));
  // Every key carries a comment line above it.
  std::size_t keys = 0;
  std::size_t comments = 0;
  std::istringstream lines(text);
  std::string previous;
  for (std::string line; std::getline(lines, line); previous = line) {
    if (line.empty() || line[0] == '#' || line[0] == '[') continue;
    ++keys;
    if (previous.rfind("# ", 0) == 0) ++comments;
  }
  CHECK(keys == 145);  // every NodeConfig field but `identity`: update with node_config.hpp
  CHECK(comments == keys);
}

TEST_CASE("config: an empty file is the defaults; a partial file changes only its keys") {
  auto empty = parse_node_config("");
  REQUIRE(empty.has_value());
  CHECK(config_text(empty.value()) == config_text(NodeConfig{}));

  auto partial = parse_node_config(
      "listen = [\"/ip4/127.0.0.1/tcp/0\"]\n"
      "log_level = \"debug\"\n"
      "[mux]\nmax_streams = 7\n"
      "[connections]\nwarmup_peers = [\"/ip4/1.2.3.4/tcp/1/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA\"]\n"
      "[connections.backoff]\nbackoff_multiplier = 1.5\n"
      "[connections.health]\nhealth_threshold = 1\n"  // an integer where a float is expected is fine
      "[handshake]\nversions = [1, 2]\n");
  REQUIRE_MESSAGE(partial.has_value(), (partial ? "" : partial.error().message()));
  const NodeConfig& c = partial.value();
  CHECK(c.listen == std::vector<std::string>{"/ip4/127.0.0.1/tcp/0"});
  CHECK(c.log_level == "debug");
  CHECK(c.mux.max_streams == 7);
  CHECK(c.connections.warmup_peers.size() == 1);
  CHECK(c.connections.backoff.backoff_multiplier == 1.5);
  CHECK(c.connections.health.health_threshold == 1.0);
  CHECK(c.handshake.versions == std::vector<std::uint32_t>{1, 2});
  CHECK(c.mux.max_accept_backlog == NodeConfig{}.mux.max_accept_backlog);
}

TEST_CASE("config: a changed config round-trips through its text") {
  NodeConfig config;
  config.data_dir = "/var/lib/weft \"quoted\" \\ dir";
  config.listen = {"/ip4/127.0.0.1/tcp/1", "/ip6/::1/tcp/2"};
  config.connections.max_total_connections = 12;
  config.connections.health.rtt_ewma_alpha = 0.3;
  config.connections.usage.max_tracked_peers = 9;
  config.requests.default_timeout_ms = 1;
  config.channel.rekey_interval_frames = 5;
  config.admin.enabled = false;
  config.admin.listen = "[::1]:5001";
  config.admin.max_connections = 3;
  config.admin.max_header_bytes = 1000;
  config.admin.max_body_bytes = 2000;
  config.admin.request_timeout_ms = 4000;
  config.admin.max_subscribers = 2;
  config.admin.stream_queue_messages = 5;
  config.admin.stream_queue_bytes = 6000;
  config.gossip.max_pending_validations_per_topic = 11;
  config.gossip.max_pending_signature_checks = 12;
  config.gossip.max_seen_entries = 13;
  config.gossip.max_cached_messages = 14;
  config.peer_manager.low_watermark = 3;
  config.peer_manager.penalty_flood = 12.5;
  config.peer_manager.inbound.accept_rate_per_s = 0.5;
  config.peer_manager.exchange.max_addrs_per_peer = 4;
  auto parsed = parse_node_config(config_text(config));
  REQUIRE_MESSAGE(parsed.has_value(), (parsed ? "" : parsed.error().message()));
  CHECK(config_text(parsed.value()) == config_text(config));
  CHECK(parsed.value().data_dir == config.data_dir);
  CHECK(parsed.value().connections.health.rtt_ewma_alpha == 0.3);
  CHECK(parsed.value().peer_manager.low_watermark == 3);
  CHECK(parsed.value().peer_manager.penalty_flood == 12.5);
  CHECK(parsed.value().peer_manager.inbound.accept_rate_per_s == 0.5);
  CHECK(parsed.value().peer_manager.exchange.max_addrs_per_peer == 4);
  const AdminSettings& admin = parsed.value().admin;
  CHECK(!admin.enabled);
  CHECK(admin.listen == "[::1]:5001");
  CHECK(admin.max_connections == 3);
  CHECK(admin.max_header_bytes == 1000);
  CHECK(admin.max_body_bytes == 2000);
  CHECK(admin.request_timeout_ms == 4000);
  CHECK(admin.max_subscribers == 2);
  CHECK(admin.stream_queue_messages == 5);
  CHECK(admin.stream_queue_bytes == 6000);
  const GossipSettings& gossip = parsed.value().gossip;
  CHECK(gossip.max_pending_validations_per_topic == 11);
  CHECK(gossip.max_pending_signature_checks == 12);
  CHECK(gossip.max_seen_entries == 13);
  CHECK(gossip.max_cached_messages == 14);
}

TEST_CASE("config: the gossip queue caps and the admin topic-stream bounds are read, with their defaults") {
  CHECK(NodeConfig{}.gossip.max_pending_validations_per_topic == 1024);
  CHECK(NodeConfig{}.admin.max_subscribers == 8);
  auto parsed = parse_node_config(
      "[gossip]\nmax_pending_validations_per_topic = 16\nmax_pending_signature_checks = 32\n"
      "max_seen_entries = 1000\nmax_cached_messages = 500\n"
      "[admin]\nmax_subscribers = 1\nstream_queue_messages = 10\nstream_queue_bytes = 4096\n");
  REQUIRE_MESSAGE(parsed.has_value(), (parsed ? "" : parsed.error().message()));
  const NodeConfig& c = parsed.value();
  CHECK(c.gossip.max_pending_validations_per_topic == 16);
  CHECK(c.gossip.max_pending_signature_checks == 32);
  CHECK(c.gossip.max_seen_entries == 1000);
  CHECK(c.gossip.max_cached_messages == 500);
  CHECK(c.admin.max_subscribers == 1);
  CHECK(c.admin.stream_queue_messages == 10);
  CHECK(c.admin.stream_queue_bytes == 4096);
  CHECK(c.gossip.d == GossipSettings{}.d);
  // The default file has each of them, with its default.
  const std::string text = default_config_text();
  for (const char* line : {"max_pending_validations_per_topic = 1024\n", "max_pending_signature_checks = 4096\n",
                           "max_seen_entries = 262144\n", "max_cached_messages = 65536\n", "max_subscribers = 8\n",
                           "stream_queue_messages = 1024\n", "stream_queue_bytes = 8388608\n"}) {
    CAPTURE(line);
    CHECK(text.find(line) != std::string::npos);
  }
  CHECK(mentions(parse_error("[gossip]\nmax_pending_validations_per_topic = -1\n"),
                 "key 'gossip.max_pending_validations_per_topic': expected an integer in 0.."));
  CHECK(mentions(parse_error("[admin]\nmax_subscribers = 1.5\n"),
                 "key 'admin.max_subscribers': expected a non-negative integer, got float"));
  CHECK(mentions(parse_error("[admin]\nstream_queue_bytes = \"8 MiB\"\n"),
                 "key 'admin.stream_queue_bytes': expected a non-negative integer, got string"));
}

TEST_CASE("config: the admin table is read; enabled is a boolean") {
  auto parsed = parse_node_config("[admin]\nenabled = false\nlisten = \"127.0.0.1:5001\"\n");
  REQUIRE_MESSAGE(parsed.has_value(), (parsed ? "" : parsed.error().message()));
  CHECK(!parsed.value().admin.enabled);
  CHECK(parsed.value().admin.listen == "127.0.0.1:5001");
  CHECK(parsed.value().admin.max_body_bytes == AdminSettings{}.max_body_bytes);
  CHECK(NodeConfig{}.admin.enabled);  // on by default, on loopback with a free port
  CHECK(NodeConfig{}.admin.listen == "127.0.0.1:0");
  CHECK(mentions(parse_error("[admin]\nenabled = 1\n"), "key 'admin.enabled': expected true or false, got integer"));
  CHECK(mentions(parse_error("[admin]\nenabled = \"yes\"\n"), "key 'admin.enabled': expected true or false, got string"));
}

TEST_CASE("config: each error names its key or place") {
  SUBCASE("TOML syntax") { CHECK(mentions(parse_error("listen = [\n"), "test.toml:1:")); }
  SUBCASE("an unknown top-level key") { CHECK(mentions(parse_error("bogus = 1\n"), "unknown key 'bogus'")); }
  SUBCASE("an unknown key in a table") {
    CHECK(mentions(parse_error("[mux]\nmax_streamz = 1\n"), "unknown key 'mux.max_streamz'"));
  }
  SUBCASE("an unknown key in a nested table") {
    CHECK(mentions(parse_error("[connections.backoff]\nretries = 1\n"), "unknown key 'connections.backoff.retries'"));
  }
  SUBCASE("an unknown table") { CHECK(mentions(parse_error("[blocks]\nd = 6\n"), "unknown key 'blocks'")); }
  SUBCASE("a scalar where a table belongs") {
    CHECK(mentions(parse_error("mux = 1\n"), "key 'mux': expected a table, got integer"));
  }
  SUBCASE("a string where an integer belongs") {
    CHECK(mentions(parse_error("[mux]\nmax_streams = \"many\"\n"),
                   "key 'mux.max_streams': expected a non-negative integer, got string"));
  }
  SUBCASE("a float where an integer belongs") {
    CHECK(mentions(parse_error("shutdown_timeout_ms = 1.5\n"), "key 'shutdown_timeout_ms': expected a non-negative integer, got float"));
  }
  SUBCASE("a negative integer") {
    CHECK(mentions(parse_error("[connections]\nidle_timeout_ms = -1\n"), "key 'connections.idle_timeout_ms': expected an integer in 0.."));
  }
  SUBCASE("an integer above a 32-bit field") {
    CHECK(mentions(parse_error("[mux]\nreceive_window_bytes = 4294967296\n"), "key 'mux.receive_window_bytes'"));
  }
  SUBCASE("an integer where a string belongs") {
    CHECK(mentions(parse_error("log_level = 3\n"), "key 'log_level': expected a string, got integer"));
  }
  SUBCASE("a string where a number belongs") {
    CHECK(mentions(parse_error("[connections.health]\nrtt_weight = \"x\"\n"),
                   "key 'connections.health.rtt_weight': expected a number, got string"));
  }
  SUBCASE("a negative or infinite float") {
    CHECK(mentions(parse_error("[connections.health]\nrtt_weight = -0.5\n"), "connections.health.rtt_weight"));
    CHECK(mentions(parse_error("[connections.health]\nrtt_weight = inf\n"), "connections.health.rtt_weight"));
  }
  SUBCASE("a scalar where an array belongs") {
    CHECK(mentions(parse_error("listen = \"/ip4/1.2.3.4/tcp/1\"\n"), "key 'listen': expected an array, got string"));
  }
  SUBCASE("an array element of the wrong type") {
    CHECK(mentions(parse_error("listen = [1]\n"), "key 'listen[0]': expected a string, got integer"));
    CHECK(mentions(parse_error("[handshake]\nversions = [1, \"two\"]\n"), "key 'handshake.versions[1]'"));
  }
  SUBCASE("a boolean") { CHECK(mentions(parse_error("[mux]\nmax_streams = true\n"), "got boolean")); }
  SUBCASE("the error names the file") { CHECK(mentions(parse_error("bogus = 1\n"), "test.toml: unknown key")); }
}

TEST_CASE("config: read_node_config reads a file, and fails on one it cannot read") {
  test::TempDir dir;
  const auto path = dir.path() / "weft.toml";
  std::ofstream(path) << "[requests]\nmax_request_bytes = 10\n";
  auto read = read_node_config(path);
  REQUIRE(read.has_value());
  CHECK(read.value().requests.max_request_bytes == 10);

  auto missing = read_node_config(dir.path() / "missing.toml");
  REQUIRE(!missing.has_value());
  CHECK(missing.error() == Errc::config_invalid);
  CHECK(mentions(missing.error(), "missing.toml"));
}

}  // namespace weft::cli
