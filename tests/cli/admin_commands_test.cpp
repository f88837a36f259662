// Black-box tests of `weft status`, `weft peers` and `weft connect` against `weft node run`
// processes: they find the node through <data-dir>/api.addr (or --api), print readable
// lines or the API's JSON, and fail with one line and exit 1 (no node) or 2 (bad arguments).

#include "background_process.hpp"
#include "run_process.hpp"
#include "weft_cli.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

using weft::test::BackgroundProcess;
using weft::test::ProcessResult;
using weft::test::run_weft;
using weft::test::TempDir;
using weft::test::weft_binary;
using json = nlohmann::json;

namespace {

/// `weft node run` on an ephemeral loopback port with its own data directory.
struct AdminNode {
  TempDir dir;
  BackgroundProcess process;
  std::string address;  ///< full listen address
  std::string peer;     ///< its PeerId

  AdminNode()
      : process(weft_binary(), {"node", "run", "--listen", "/ip4/127.0.0.1/tcp/0", "--data-dir", dir.path().string()}) {
    auto line = process.wait_for_line("listening ");
    REQUIRE_MESSAGE(line.has_value(), "the node did not start; stderr: " << process.err());
    address = line->substr(std::string("listening ").size());
    peer = address.substr(address.find("/p2p/") + 5);
  }
  std::string data_dir() const { return dir.path().string(); }
  std::string api_address() const { return weft::test::read_file(dir.path() / "api.addr").substr(0, 128); }
};

json json_out(const ProcessResult& r) {
  INFO("stdout: " << r.out << " stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  const json out = json::parse(r.out, nullptr, false);
  REQUIRE(!out.is_discarded());
  return out;
}

/// Runs `weft peers --json` on `node` until it lists `peer` (the accepting side learns of
/// a connection once its handshake has finished there); the run's output.
ProcessResult peers_until_listed(const AdminNode& node, const std::string& peer) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (;;) {
    ProcessResult r = run_weft({"peers", "--data-dir", node.data_dir()});
    if (r.exit_code == 0 && r.out.find(peer) != std::string::npos) return r;
    if (std::chrono::steady_clock::now() > give_up) return r;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

TEST_CASE("status --json returns the running node's PeerId, addresses and counts") {
  AdminNode node;
  const json status = json_out(run_weft({"status", "--data-dir", node.data_dir(), "--json"}));
  CHECK(status.at("peer_id") == node.peer);
  CHECK(status.at("listen_addrs") == json::array({node.address}));
  CHECK(status.at("connections").at("open") == 0);
  CHECK(status.at("pool").contains("summary"));
}

TEST_CASE("status prints readable lines; --api reaches the node without the data dir") {
  AdminNode node;
  const ProcessResult r = run_weft({"status", "--data-dir", node.data_dir()});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  const auto lines = r.out_lines();
  REQUIRE(lines.size() == 7);
  CHECK(lines[0] == "PeerId       " + node.peer);
  CHECK(lines[1] == "Listening    " + node.address);
  CHECK(lines[2].rfind("Uptime       ", 0) == 0);
  CHECK(lines[3] == "Connections  0 open (0 inbound, 0 outbound) to 0 peers");
  CHECK(lines[4].rfind("Pool         connections 0", 0) == 0);
  CHECK(lines[5].rfind("Peers        0 connected (watermarks 32/64), 0 known, 0 banned; exchanges 0 sent", 0) == 0);
  CHECK(lines[6] == "Peerstore    " + (std::filesystem::path(node.data_dir()) / "peerstore.db").string());

  std::string api = node.api_address();
  api = api.substr(0, api.find('\n'));
  const json via_api = json_out(run_weft({"status", "--api", api, "--json"}));
  CHECK(via_api.at("peer_id") == node.peer);
}

TEST_CASE("connect makes one node dial the other; peers on both sides lists the other") {
  AdminNode a;
  AdminNode b;
  const ProcessResult connected = run_weft({"connect", b.address, "--data-dir", a.data_dir()});
  INFO("stderr: " << connected.err);
  CHECK(connected.exit_code == 0);
  CHECK(connected.out == "connected to " + b.peer + "\n");

  const ProcessResult on_a = peers_until_listed(a, b.peer);
  REQUIRE(on_a.exit_code == 0);
  REQUIRE(on_a.out_lines().size() == 1);
  const std::string b_host = b.address.substr(0, b.address.find("/p2p/"));
  CHECK(on_a.out_lines()[0].rfind(b.peer + " score ", 0) == 0);  // the peerstore's score
  CHECK(on_a.out_lines()[0].find("  outbound " + b_host + " age ") != std::string::npos);
  CHECK(on_a.out_lines()[0].find(" healthy") != std::string::npos);

  const ProcessResult on_b = peers_until_listed(b, a.peer);
  REQUIRE(on_b.exit_code == 0);
  REQUIRE(on_b.out_lines().size() == 1);
  CHECK(on_b.out_lines()[0].rfind(a.peer + " score ", 0) == 0);
  CHECK(on_b.out_lines()[0].find("  inbound /ip4/127.0.0.1/tcp/") != std::string::npos);

  const json peers = json_out(run_weft({"peers", "--data-dir", a.data_dir(), "--json"}));
  REQUIRE(peers.at("peers").size() == 1);
  CHECK(peers.at("peers").at(0).at("peer_id") == b.peer);
  CHECK(peers.at("peers").at(0).at("connections").at(0).at("direction") == "outbound");

  const json connect_json = json_out(run_weft({"connect", b.address, "--data-dir", a.data_dir(), "--json"}));
  CHECK(connect_json == json{{"peer_id", b.peer}});  // already connected: reused
}

TEST_CASE("peers with no connection says so") {
  AdminNode node;
  const ProcessResult r = run_weft({"peers", "--data-dir", node.data_dir()});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "no peers connected\n");
  CHECK(json_out(run_weft({"peers", "--data-dir", node.data_dir(), "--json"})) == json{{"peers", json::array()}});
}

TEST_CASE("a node's clean stop removes api.addr; then the commands find no node") {
  AdminNode node;
  REQUIRE(std::filesystem::exists(node.dir.path() / "api.addr"));
  CHECK(node.process.stop() == 0);
  CHECK(!std::filesystem::exists(node.dir.path() / "api.addr"));
  const ProcessResult r = run_weft({"status", "--data-dir", node.data_dir()});
  CHECK(r.exit_code == 1);
  REQUIRE(r.err_lines().size() == 1);
  CHECK(r.err_lines()[0].find("no node running") != std::string::npos);
}

TEST_CASE("with no node running every admin command exits 1 with one line") {
  TempDir empty;
  TempDir stale;
  // A stale api.addr (a killed node's): port 1 on loopback, where nothing listens.
  std::ofstream(stale.path() / "api.addr") << "127.0.0.1:1\n";
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"status", "--data-dir", empty.path().string()},
           {"peers", "--data-dir", empty.path().string(), "--json"},
           {"connect", "/ip4/127.0.0.1/tcp/1/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA", "--data-dir",
            empty.path().string()},
           {"status", "--data-dir", stale.path().string()},
           {"status", "--api", "127.0.0.1:1"},
       }) {
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    CAPTURE(joined);
    const ProcessResult r = run_weft(args);
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    REQUIRE(r.err_lines().size() == 1);
    CHECK(r.err_lines()[0].find("no node running") != std::string::npos);
  }
  // The default data dir is $HOME/.weft.
  const ProcessResult home = run_weft({"status"}, {{"HOME", empty.path().string()}});
  CHECK(home.exit_code == 1);
  CHECK(home.err.find((empty.path() / ".weft" / "api.addr").string()) != std::string::npos);
}

TEST_CASE("connect to a peer the node cannot reach exits 1 with the reason") {
  AdminNode node;
  const ProcessResult r = run_weft(
      {"connect", "/ip4/127.0.0.1/tcp/1/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA", "--data-dir",
       node.data_dir()});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  REQUIRE(r.err_lines().size() == 1);
  CHECK(r.err_lines()[0].find("dial failed") != std::string::npos);
}

TEST_CASE("admin commands refuse bad arguments with one line and exit 2") {
  TempDir dir;
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"connect"},
           {"connect", "nonsense", "--data-dir", dir.path().string()},
           {"connect", "/ip4/127.0.0.1/tcp/1", "--data-dir", dir.path().string()},
           {"connect", "/ip4/127.0.0.1/udp/1/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA"},
           {"status", "--api", "localhost:5001"},
           {"status", "--api", "127.0.0.1"},
           {"peers", "--timeout-ms", "0"},
           {"status", "extra"},
       }) {
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    CAPTURE(joined);
    const ProcessResult r = run_weft(args);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err_lines().size() == 1);
  }
}
