// Black-box tests of `weft node run` and `weft ping`: two weft processes on loopback
// handshake and ping; failures print their reason and exit non-zero.

#include "background_process.hpp"
#include "run_process.hpp"
#include "weft_cli.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <string>
#include <vector>

using weft::test::BackgroundProcess;
using weft::test::ProcessResult;
using weft::test::run_weft;
using weft::test::TempDir;
using weft::test::weft_binary;

namespace {

/// A node on an ephemeral loopback port with a fresh key file; `address` is its full
/// "/ip4/127.0.0.1/tcp/<port>/p2p/<id>".
struct RunningNode {
  TempDir dir;
  BackgroundProcess process;
  std::string address;

  explicit RunningNode(std::vector<std::string> extra = {})
      : process(weft_binary(), [&] {
          // --data-dir too: the node writes its admin API's api.addr there (not in $HOME/.weft).
          std::vector<std::string> args{"node", "run", "--listen", "/ip4/127.0.0.1/tcp/0", "--key",
                                        (dir.path() / "node.key").string(), "--data-dir", dir.path().string()};
          args.insert(args.end(), extra.begin(), extra.end());
          return args;
        }()) {
    auto line = process.wait_for_line("listening ");
    REQUIRE_MESSAGE(line.has_value(), "the node did not print its address; stderr: " << process.err());
    address = line->substr(std::string("listening ").size());
  }
};

}  // namespace

TEST_CASE("node run prints its full listen address; ping completes the handshake and pings") {
  RunningNode node;
  CHECK(node.address.rfind("/ip4/127.0.0.1/tcp/", 0) == 0);
  const auto p2p = node.address.find("/p2p/12D3KooW");
  REQUIRE(p2p != std::string::npos);
  const std::string peer = node.address.substr(p2p + 5);

  const ProcessResult r = run_weft({"ping", node.address, "--count", "3", "--interval-ms", "0"});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  const auto lines = r.out_lines();
  REQUIRE(lines.size() == 5);
  CHECK(lines[0].rfind("connected to " + peer + " (handshake ", 0) == 0);
  for (int i = 1; i <= 3; ++i) {
    CHECK(lines[static_cast<std::size_t>(i)].rfind("pong " + std::to_string(i) + " from " + peer + ": time=", 0) == 0);
  }
  CHECK(lines[4].rfind("3 pings, rtt min/avg/max = ", 0) == 0);

  // The node logged the accepted handshake and keeps serving: a second ping works too.
  CHECK(run_weft({"ping", node.address, "--count", "1"}).exit_code == 0);
  CHECK(node.process.stop() == 0);  // SIGTERM: clean exit
  CHECK(node.process.err().find("accepted 12D3KooW") != std::string::npos);
}

TEST_CASE("ping to the wrong PeerId fails with the reason; the node logs the refused handshake") {
  RunningNode node;
  const std::string host_part = node.address.substr(0, node.address.find("/p2p/"));
  const std::string other = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";
  const ProcessResult r = run_weft({"ping", host_part + "/p2p/" + other, "--count", "1"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  REQUIRE(r.err_lines().size() == 1);
  CHECK(r.err_lines()[0].find("PeerId mismatch: expected " + other + ", got 12D3KooW") != std::string::npos);
  CHECK(node.process.stop() == 0);
  CHECK(node.process.err().find("refused 127.0.0.1:") != std::string::npos);
}

TEST_CASE("ping without /p2p/ accepts whoever answers") {
  RunningNode node;
  const std::string host_part = node.address.substr(0, node.address.find("/p2p/"));
  const ProcessResult r = run_weft({"ping", host_part, "--count", "1"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find(node.address.substr(node.address.find("/p2p/") + 5)) != std::string::npos);
}

TEST_CASE("ping to a closed port fails with a dial error and exit 1") {
  // Port 1 on loopback: nothing listens there (and it is privileged, so no test binds it).
  const ProcessResult r = run_weft({"ping", "/ip4/127.0.0.1/tcp/1", "--count", "1"});
  CHECK(r.exit_code == 1);
  REQUIRE(r.err_lines().size() == 1);
  CHECK(r.err_lines()[0].find("dial failed") != std::string::npos);
}

TEST_CASE("node run and ping refuse bad arguments with one line and exit 2") {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"node", "run", "--listen", "/ip4/1.2.3.4/udp/1"},
           {"node", "run", "--listen", "/dns4/example.com/tcp/1"},
           {"node", "run", "--listen", "not-an-address"},
           {"node", "run", "--max-pending-handshakes", "0"},
           {"ping"},
           {"ping", "/ip4/127.0.0.1/udp/1"},
           {"ping", "/ip4/999.0.0.1/tcp/1"},
           {"ping", "/ip4/127.0.0.1/tcp/1", "--count", "0"},
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

TEST_CASE("node run with an unusable key file fails with exit 1") {
  TempDir dir;
  const auto bad = dir.path() / "bad.key";
  std::ofstream(bad) << "not a key";
  const ProcessResult r = run_weft({"node", "run", "--listen", "/ip4/127.0.0.1/tcp/0", "--key", bad.string()});
  CHECK(r.exit_code == 1);
  REQUIRE(r.err_lines().size() == 1);
  CHECK(r.err_lines()[0].find(bad.string()) != std::string::npos);
}

TEST_CASE("request to the node's echo protocol prints the same bytes") {
  RunningNode node;
  const ProcessResult r = run_weft({"request", node.address, "/weft/echo/1", "hello weft"});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "hello weft\n");
  const ProcessResult raw = run_weft({"request", node.address, "/weft/echo/1", "bytes", "--raw"});
  CHECK(raw.exit_code == 0);
  CHECK(raw.out == "bytes");
}

TEST_CASE("request to a protocol the node does not serve fails with the reason and exit 1") {
  RunningNode node;
  const ProcessResult r = run_weft({"request", node.address, "/nope/1", "x"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  REQUIRE(r.err_lines().size() == 1);
  CHECK(r.err_lines()[0].find("peer does not handle the protocol: '/nope/1'") != std::string::npos);
}

TEST_CASE("request needs /p2p/ in its address: exit 2 with a one-line message") {
  const ProcessResult r = run_weft({"request", "/ip4/127.0.0.1/tcp/1", "/weft/echo/1", "x"});
  CHECK(r.exit_code == 2);
  REQUIRE(r.err_lines().size() == 1);
  CHECK(r.err_lines()[0].find("must be /ip4|ip6|dns*/<host>/tcp/<port>/p2p/<PeerId>") != std::string::npos);
}

TEST_CASE("request to a closed port fails with a dial error and exit 1") {
  const ProcessResult r =
      run_weft({"request", "/ip4/127.0.0.1/tcp/1/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA",
                "/weft/echo/1", "x", "--timeout-ms", "2000"});
  CHECK(r.exit_code == 1);
  REQUIRE(r.err_lines().size() == 1);
  CHECK(r.err_lines()[0].find("dial failed") != std::string::npos);
}
