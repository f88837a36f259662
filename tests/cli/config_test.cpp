// Black-box tests of `weft config default` and `weft node run --config FILE` with its
// overrides: the default file runs a node, each kind of bad file or flag is one line and
// exit 2, and the flags win over the file.

#include "background_process.hpp"
#include "run_process.hpp"
#include "weft_cli.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <thread>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using weft::test::BackgroundProcess;
using weft::test::ProcessResult;
using weft::test::run_weft;
using weft::test::TempDir;
using weft::test::weft_binary;

namespace {

std::string write(const TempDir& dir, const std::string& name, const std::string& text) {
  const auto path = dir.path() / name;
  std::ofstream(path) << text;
  return path.string();
}

}  // namespace

TEST_CASE("weft config default prints a commented file with every section") {
  const ProcessResult r = run_weft({"config", "default"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  for (const std::string section : {"[handshake]", "[channel]", "[mux]", "[connections]", "[connections.backoff]",
                                    "[connections.circuit]", "[connections.health]", "[connections.usage]",
                                    "[requests]", "[admin]", "[gossip]"}) {
    CHECK_MESSAGE(r.out.find("\n" + section + "\n") != std::string::npos, section);
  }
  // The topic-stream bounds and the gossip queue caps are there, with their defaults.
  for (const std::string key : {"max_subscribers = 8", "stream_queue_messages = 1024", "stream_queue_bytes = 8388608",
                                "max_pending_validations_per_topic = 1024", "max_pending_signature_checks = 4096",
                                "max_seen_entries = 262144", "max_cached_messages = 65536"}) {
    CHECK_MESSAGE(r.out.find("\n" + key + "\n") != std::string::npos, key);
  }
  CHECK(r.out.find("\nwarmup_peers = []\n") != std::string::npos);
  CHECK(r.out.find("\nlisten = [\"/ip4/0.0.0.0/tcp/4001\"]\n") != std::string::npos);
  CHECK(run_weft({"config"}).exit_code == 2);  // a subcommand is required
}

TEST_CASE("node run --config: the default file with --listen, --data-dir and --log-level overrides runs a node") {
  TempDir dir;
  const std::string file = write(dir, "weft.toml", run_weft({"config", "default"}).out);
  const auto data = dir.path() / "data";
  BackgroundProcess node(weft_binary(), {"node", "run", "--config", file, "--listen", "/ip4/127.0.0.1/tcp/0",
                                         "--data-dir", data.string(), "--log-level", "debug"});
  auto line = node.wait_for_line("listening ");
  REQUIRE_MESSAGE(line.has_value(), "stderr: " << node.err());
  CHECK(line->rfind("listening /ip4/127.0.0.1/tcp/", 0) == 0);  // --listen replaced the file's 0.0.0.0:4001
  CHECK(std::filesystem::exists(data / "identity.key"));       // created on first start
  const std::string address = line->substr(std::string("listening ").size());
  CHECK(run_weft({"ping", address, "--count", "1"}).exit_code == 0);
  CHECK(node.stop() == 0);  // SIGTERM: clean exit
  CHECK(node.err().find("created identity") != std::string::npos);
}

TEST_CASE("node run --bootstrap dials the peer at start") {
  TempDir dir;
  BackgroundProcess first(weft_binary(), {"node", "run", "--listen", "/ip4/127.0.0.1/tcp/0", "--data-dir",
                                          (dir.path() / "a").string()});
  auto line = first.wait_for_line("listening ");
  REQUIRE(line.has_value());
  const std::string address = line->substr(std::string("listening ").size());
  BackgroundProcess second(weft_binary(), {"node", "run", "--listen", "/ip4/127.0.0.1/tcp/0", "--data-dir",
                                           (dir.path() / "b").string(), "--bootstrap", address});
  REQUIRE(second.wait_for_line("listening ").has_value());
  // The warm-up dial runs after start: wait for the first node to log it (a bound against a
  // hang, not a performance assertion).
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (first.err().find("accepted 12D3KooW") == std::string::npos && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(first.err().find("accepted 12D3KooW") != std::string::npos);
  CHECK(second.stop() == 0);
  CHECK(first.stop() == 0);
}

TEST_CASE("node run --config and override errors: one line, exit 2") {
  TempDir dir;
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--config", write(dir, "syntax.toml", "listen = [\n")}, "syntax.toml:1:"},
      {{"--config", write(dir, "unknown.toml", "[mux]\nmax_streamz = 1\n")}, "unknown key 'mux.max_streamz'"},
      {{"--config", write(dir, "type.toml", "[connections]\nidle_timeout_ms = \"soon\"\n")},
       "key 'connections.idle_timeout_ms': expected a non-negative integer, got string"},
      {{"--config", write(dir, "range.toml", "[handshake]\nmax_pending_handshakes = 0\n")},
       "handshake.max_pending_handshakes: must be positive"},
      {{"--config", write(dir, "pending.toml", "[gossip]\nmax_pending_validations_per_topic = 0\n")},
       "gossip.max_pending_validations_per_topic: must be positive"},
      {{"--config", write(dir, "streams.toml", "[admin]\nstream_queue_messages = 0\n")},
       "admin.stream_queue_messages: must be positive"},
      {{"--config", write(dir, "subscribers.toml", "[admin]\nmax_subscribers = -1\n")},
       "key 'admin.max_subscribers': expected an integer in 0.."},
      {{"--config", write(dir, "level.toml", "log_level = \"loud\"\n")}, "log_level: 'loud'"},
      {{"--config", write(dir, "listen.toml", "listen = [\"/ip4/1.2.3.4/udp/1\"]\n")}, "listen '/ip4/1.2.3.4/udp/1'"},
      {{"--config", write(dir, "warm.toml", "[connections]\nwarmup_peers = [\"/ip4/1.2.3.4/tcp/1\"]\n")},
       "connections.warmup_peers"},
      {{"--config", (dir.path() / "missing.toml").string()}, "missing.toml"},
      {{"--bootstrap", "/ip4/127.0.0.1/tcp/1"}, "must end in /p2p/"},
      {{"--bootstrap", "nonsense"}, "connections.warmup_peers 'nonsense'"},
      {{"--log-level", "loud"}, "--log-level"},
  };
  for (const auto& c : cases) {
    const auto& extra = c.first;
    const std::string& expected = c.second;  // (clang 14: no structured binding in CAPTURE)
    // No --listen: it would override the file's. Every case fails before listening.
    std::vector<std::string> args{"node", "run", "--data-dir", (dir.path() / "data").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    CAPTURE(expected);
    const ProcessResult r = run_weft(args);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    REQUIRE(r.err_lines().size() == 1);
    CHECK(r.err_lines()[0].find(expected) != std::string::npos);
  }
}

TEST_CASE("node run: a data directory that cannot be created fails with exit 1") {
  TempDir dir;
  const std::string file = write(dir, "file", "x");
  const ProcessResult r =
      run_weft({"node", "run", "--listen", "/ip4/127.0.0.1/tcp/0", "--data-dir", file + "/sub"});
  CHECK(r.exit_code == 1);
  REQUIRE(r.err_lines().size() == 1);
  CHECK(r.err_lines()[0].find(file) != std::string::npos);
}
