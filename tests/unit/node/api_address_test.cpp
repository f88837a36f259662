// The admin API's address and discovery file (src/node/api_address): parsing, the atomic
// write, the guarded removal and every read error.

#include "node/api_address.hpp"
#include "run_process.hpp"  // TempDir, read_file

#include <doctest/doctest.h>

#include <fstream>

namespace weft::node {

TEST_CASE("api address: <ip>:<port> and [<ipv6>]:<port> parse and format back") {
  for (const char* text : {"127.0.0.1:5001", "0.0.0.0:0", "[::1]:65535", "[fe80::1]:80"}) {
    CAPTURE(text);
    auto endpoint = parse_api_address(text);
    REQUIRE(endpoint.has_value());
    CHECK(format_api_address(endpoint.value()) == text);
  }
  CHECK(parse_api_address("127.0.0.1:43123").value().port() == 43123);
  CHECK(parse_api_address("[::1]:1").value().address().is_v6());
}

TEST_CASE("api address: anything else is config_invalid") {
  for (const char* text : {"", ":", "127.0.0.1", "127.0.0.1:", ":5001", "127.0.0.1:65536", "127.0.0.1:-1",
                           "127.0.0.1:5x", "127.0.0.1:+5", "localhost:5001", "::1:5001", "[127.0.0.1]:5001",
                           "[::1:5001", "[]:1", "1.2.3:4", " 127.0.0.1:1"}) {
    CAPTURE(text);
    auto endpoint = parse_api_address(text);
    REQUIRE(!endpoint.has_value());
    CHECK(endpoint.error() == Errc::config_invalid);
  }
}

TEST_CASE("api address file: written whole, read back, removed only while it is ours") {
  test::TempDir dir;
  REQUIRE(write_api_address_file(dir.path(), "127.0.0.1:43123").has_value());
  CHECK(test::read_file(dir.path() / "api.addr") == "127.0.0.1:43123\n");
  auto read = read_api_address_file(dir.path());
  REQUIRE(read.has_value());
  CHECK(format_api_address(read.value()) == "127.0.0.1:43123");
  // No temporary file is left behind.
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) ++files;
  CHECK(files == 1);

  // Replaced by another node: ours is no longer there, so it is not removed.
  REQUIRE(write_api_address_file(dir.path(), "[::1]:5001").has_value());
  remove_api_address_file(dir.path(), "127.0.0.1:43123");
  CHECK(std::filesystem::exists(dir.path() / "api.addr"));
  remove_api_address_file(dir.path(), "[::1]:5001");
  CHECK(!std::filesystem::exists(dir.path() / "api.addr"));
  remove_api_address_file(dir.path(), "[::1]:5001");  // nothing to remove: fine
}

TEST_CASE("api address file: a missing file means no node is running") {
  test::TempDir dir;
  auto read = read_api_address_file(dir.path());
  REQUIRE(!read.has_value());
  CHECK(read.error() == Errc::node_not_running);
  CHECK(read.error().detail().find((dir.path() / "api.addr").string()) != std::string::npos);
  CHECK(read_api_address_file(dir.path() / "no-such-dir").error() == Errc::node_not_running);
}

TEST_CASE("api address file: a file that holds no address is config_invalid naming the file") {
  test::TempDir dir;
  for (const std::string& content : {std::string(""), std::string("garbage\n"), std::string(200, '1'),
                                    std::string("127.0.0.1:5001 extra\n")}) {
    std::ofstream(dir.path() / "api.addr", std::ios::binary | std::ios::trunc) << content;
    auto read = read_api_address_file(dir.path());
    REQUIRE(!read.has_value());
    CHECK(read.error() == Errc::config_invalid);
    CHECK(read.error().detail().find("api.addr") != std::string::npos);
  }
}

TEST_CASE("api address file: a directory that cannot take the file is a system error") {
  test::TempDir dir;
  auto missing_dir = write_api_address_file(dir.path() / "missing", "127.0.0.1:1");
  REQUIRE(!missing_dir.has_value());
  CHECK(missing_dir.error().code() == std::errc::no_such_file_or_directory);
  CHECK(missing_dir.error().detail().find("missing") != std::string::npos);

  std::filesystem::create_directory(dir.path() / "api.addr");  // a directory where the file belongs
  CHECK(!read_api_address_file(dir.path()).has_value());
  auto unreplaceable = write_api_address_file(dir.path(), "127.0.0.1:1");
  REQUIRE(!unreplaceable.has_value());
  CHECK(unreplaceable.error().detail().find("api.addr") != std::string::npos);
}

}  // namespace weft::node
