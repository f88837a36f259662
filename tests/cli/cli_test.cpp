// Black-box tests of the `weft` program: run the built binary (WEFT_BIN) and check what
// a user sees — stdout, stderr and the exit code.

#include "run_process.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include <cstdlib>
#include <string>
#include <vector>

using weft::test::ProcessResult;
using weft::test::TempDir;

namespace {

std::string weft_bin() {
  const char* path = std::getenv("WEFT_BIN");
  REQUIRE_MESSAGE(path != nullptr, "WEFT_BIN must point at the weft binary");
  return path;
}

ProcessResult run_weft(const std::vector<std::string>& args, const std::string& input = {},
                   const std::map<std::string, std::string>& env = {}) {
  return weft::test::run_process(weft_bin(), args, input, env);
}

// A usage error: exit 2 and exactly one line on stderr, nothing on stdout.
void check_usage_error(const ProcessResult& r) {
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  REQUIRE(r.err_lines().size() == 1);
  CHECK(r.err_lines()[0].rfind("weft: ", 0) == 0);
}

std::vector<nlohmann::json> json_lines(const std::string& out) {
  std::vector<nlohmann::json> objects;
  for (const auto& line : weft::test::split_lines(out)) objects.push_back(nlohmann::json::parse(line));
  return objects;
}

}  // namespace

TEST_CASE("help and version exit 0") {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--help"}, {"multiaddr", "--help"}, {"multiaddr", "inspect", "--help"}, {"id", "--help"},
           {"id", "new", "--help"}, {"id", "show", "--help"}}) {
    CAPTURE(args.front());
    const auto r = run_weft(args);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("Usage") != std::string::npos);
  }
  const auto version = run_weft({"--version"});
  CHECK(version.exit_code == 0);
  CHECK(version.out.find('.') != std::string::npos);
}

TEST_CASE("bad arguments give one line on stderr and exit 2") {
  check_usage_error(run_weft({}));
  check_usage_error(run_weft({"frobnicate"}));
  check_usage_error(run_weft({"--no-such-flag"}));
  check_usage_error(run_weft({"multiaddr"}));
  check_usage_error(run_weft({"multiaddr", "inspect"}));
  check_usage_error(run_weft({"multiaddr", "inspect", "--bogus", "/ip4/1.2.3.4"}));
  check_usage_error(run_weft({"id"}));
  check_usage_error(run_weft({"id", "show"}));
  check_usage_error(run_weft({"id", "new", "--out"}));
}

TEST_CASE("multiaddr inspect prints canonical text, bytes and components") {
  const auto r = run_weft({"multiaddr", "inspect", "/ip4/127.0.0.1/tcp/4001"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  const auto lines = r.out_lines();
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "/ip4/127.0.0.1/tcp/4001");
  CHECK(lines[1] == "  bytes 047f000001060fa1");
  CHECK(lines[2] == "  ip4 (4) 127.0.0.1");
  CHECK(lines[3] == "  tcp (6) 4001");
}

TEST_CASE("multiaddr inspect --json gives one object per input") {
  const auto r = run_weft({"multiaddr", "inspect", "--json", "/ipfs/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/p2p-circuit",
                       "/ip4/1.2.3.4/tcp/70000"});
  CHECK(r.exit_code == 2);
  const auto objects = json_lines(r.out);
  REQUIRE(objects.size() == 2);

  const auto& ok = objects[0];
  CHECK(ok["input"] == "/ipfs/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/p2p-circuit");
  CHECK(ok["text"] == "/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/p2p-circuit");
  CHECK(ok["bytes"] == "a503221220d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a68911c0ba202");
  REQUIRE(ok["components"].size() == 2);
  CHECK(ok["components"][0]["name"] == "p2p");
  CHECK(ok["components"][0]["code"] == 421);
  CHECK(ok["components"][0]["value"] == "QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC");
  CHECK(ok["components"][1]["name"] == "p2p-circuit");
  CHECK(ok["components"][1]["code"] == 290);
  CHECK(ok["components"][1]["value"].is_null());
  CHECK_FALSE(ok.contains("error"));

  const auto& bad = objects[1];
  CHECK(bad["input"] == "/ip4/1.2.3.4/tcp/70000");
  CHECK_FALSE(bad.contains("text"));
  const std::string error = bad["error"];
  CHECK(error.find("tcp") != std::string::npos);
  CHECK(error.find("70000") != std::string::npos);
}

TEST_CASE("multiaddr inspect reports invalid inputs on stderr in text mode and exits 2") {
  const auto r = run_weft({"multiaddr", "inspect", "/ip4/1.2.3.4", "/nope/1", "/udp/53"});
  CHECK(r.exit_code == 2);
  const auto out = r.out_lines();
  CHECK(out.front() == "/ip4/1.2.3.4");
  CHECK(r.out.find("/udp/53") != std::string::npos);
  const auto err = r.err_lines();
  REQUIRE(err.size() == 1);
  CHECK(err[0].find("'/nope/1'") != std::string::npos);
  CHECK(err[0].find("nope") != std::string::npos);
}

TEST_CASE("multiaddr inspect - reads one input per line from stdin") {
  const std::string input = "/ip4/10.0.0.1/udp/9\r\n\n/dns4/example.com/tcp/443/wss\n/ip6/::1/tcp/1";  // no final newline
  const auto r = run_weft({"multiaddr", "inspect", "--json", "-"}, input);
  CHECK(r.exit_code == 0);
  const auto objects = json_lines(r.out);
  REQUIRE(objects.size() == 3);
  CHECK(objects[0]["text"] == "/ip4/10.0.0.1/udp/9");
  CHECK(objects[1]["text"] == "/dns4/example.com/tcp/443/wss");
  CHECK(objects[2]["text"] == "/ip6/::1/tcp/1");

  // Positional inputs and '-' mix, in order.
  const auto mixed = run_weft({"multiaddr", "inspect", "--json", "/tcp/1", "-", "/tcp/3"}, "/tcp/2\n");
  const auto mixed_objects = json_lines(mixed.out);
  REQUIRE(mixed_objects.size() == 3);
  CHECK(mixed_objects[0]["text"] == "/tcp/1");
  CHECK(mixed_objects[1]["text"] == "/tcp/2");
  CHECK(mixed_objects[2]["text"] == "/tcp/3");
}

TEST_CASE("an overlong stdin line is refused without harm to the next one") {
  const std::string huge = "/dns/" + std::string(100000, 'a');
  const auto r = run_weft({"multiaddr", "inspect", "--json", "-"}, huge + "\n/tcp/80\n");
  CHECK(r.exit_code == 2);
  const auto objects = json_lines(r.out);
  REQUIRE(objects.size() == 2);
  CHECK(objects[0].contains("error"));
  CHECK(objects[0]["input"].get<std::string>().size() < huge.size());
  CHECK(objects[1]["text"] == "/tcp/80");
}

TEST_CASE("multiaddr inspect --from-hex decodes the binary form") {
  const auto r = run_weft({"multiaddr", "inspect", "--json", "--from-hex", "047f000001060fa1", "047f0000", "zz", "047F000001060FA1"});
  CHECK(r.exit_code == 2);
  const auto objects = json_lines(r.out);
  REQUIRE(objects.size() == 4);
  CHECK(objects[0]["text"] == "/ip4/127.0.0.1/tcp/4001");
  CHECK(objects[0]["input"] == "047f000001060fa1");
  CHECK(objects[1].contains("error"));
  CHECK(objects[2].contains("error"));
  CHECK(objects[3]["bytes"] == "047f000001060fa1");
}

TEST_CASE("invalid UTF-8 in an input still yields valid JSON") {
  const auto r = run_weft({"multiaddr", "inspect", "--json", "-"}, std::string("/dns/\xff\xfe\n"));
  const auto objects = json_lines(r.out);
  REQUIRE(objects.size() == 1);
}

TEST_CASE("id new writes a 0600 key file and id show reads it back") {
  TempDir dir;
  const auto key = (dir.path() / "node.key").string();
  const auto created = run_weft({"id", "new", "--out", key});
  CHECK(created.exit_code == 0);
  const auto lines = created.out_lines();
  REQUIRE(lines.size() == 1);
  const std::string peer_id = lines[0];
  CHECK(peer_id.rfind("12D3KooW", 0) == 0);

  struct stat st {};
  REQUIRE(stat(key.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(weft::test::read_file(key).size() == 68);  // 08 01 12 40 || seed || public key

  const auto shown = run_weft({"id", "show", key});
  CHECK(shown.exit_code == 0);
  CHECK(shown.out == peer_id + "\n");

  const auto json = run_weft({"id", "show", "--json", key});
  CHECK(json.exit_code == 0);
  const auto object = nlohmann::json::parse(json.out);
  CHECK(object["peer_id"] == peer_id);
  CHECK(object["key_type"] == "Ed25519");
  CHECK(object["public_key"].get<std::string>().rfind("08011220", 0) == 0);
  CHECK(object["public_key"].get<std::string>().size() == 72);
  CHECK(object["public_key_raw"].get<std::string>().size() == 64);
  CHECK(object["peer_id_cid"].get<std::string>().rfind("bafz", 0) == 0);

  // Never replaces an existing identity.
  const auto again = run_weft({"id", "new", "--out", key});
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("exists") != std::string::npos);
  CHECK(run_weft({"id", "show", key}).out == peer_id + "\n");
}

TEST_CASE("id new without --out creates the default identity under HOME") {
  TempDir home;
  const auto r = run_weft({"id", "new", "--json"}, {}, {{"HOME", home.path().string()}});
  CHECK(r.exit_code == 0);
  const auto object = nlohmann::json::parse(r.out);
  const auto expected = home.path() / ".weft" / "identity.key";
  CHECK(object["file"] == expected.string());
  CHECK(std::filesystem::exists(expected));
  CHECK(run_weft({"id", "show", expected.string()}).out == object["peer_id"].get<std::string>() + "\n");
}

TEST_CASE("id show reports unreadable and invalid key files in one line, exit 1") {
  TempDir dir;
  const auto missing = run_weft({"id", "show", (dir.path() / "absent.key").string()});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err_lines().size() == 1);

  const auto junk_path = dir.path() / "junk.key";
  std::ofstream(junk_path) << "not a key";
  const auto junk = run_weft({"id", "show", junk_path.string()});
  CHECK(junk.exit_code == 1);
  CHECK(junk.err_lines().size() == 1);
  CHECK(junk.out.empty());
}
