// Tests for src/identity/key_file.cpp: creating, protecting and reading key files.
#include <weft/keys.hpp>
#include <weft/peer_id.hpp>

#include "identity/hex.hpp"
#include "test_bytes.hpp"

#include <doctest/doctest.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace weft {
namespace {

namespace fs = std::filesystem;

using test::outcome_of;
using test::hex;


// libp2p/specs peer-ids/peer-ids.md test vectors, and the PeerId of the Ed25519 one.
constexpr std::string_view kSpecEd25519Private =
    "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d"
    "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
constexpr std::string_view kSpecEd25519PeerId = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";
constexpr std::string_view kSpecSecp256k1Private =
    "0802122053DADF1D5A164D6B4ACDB15E24AA4C5B1D3461BDBD42ABEDB0A4404D56CED8FB";

/// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::array<std::uint8_t, 8> nonce;
    randombytes_buf(nonce.data(), nonce.size());
    path_ = fs::temp_directory_path() /
            ("weft-key-file-test-" + std::to_string(::getpid()) + "-" + identity::hex_encode(nonce));
    REQUIRE(fs::create_directory(path_));
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path_, ec);
  }
  fs::path operator/(const std::string& name) const { return path_ / name; }
  const fs::path& path() const { return path_; }

  /// Names of the entries in the directory.
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(path_)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }

 private:
  fs::path path_;
};

void write_raw(const fs::path& path, ByteView bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  REQUIRE(out);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out);
}

Bytes read_raw(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

mode_t mode_of(const fs::path& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_mode & 07777;
}

/// Sets the process umask for one scope.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : previous_(::umask(mask)) {}
  ~ScopedUmask() { ::umask(previous_); }
  ScopedUmask(const ScopedUmask&) = delete;
  ScopedUmask& operator=(const ScopedUmask&) = delete;

 private:
  mode_t previous_;
};

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("key_file: write creates exactly 0600 whatever the umask, and reads back the same key") {
  TempDir dir;
  for (mode_t mask : {0000, 0022, 0077, 0277}) {
    CAPTURE(mask);
    const fs::path path = dir / ("key-" + std::to_string(mask));
    const Keypair key = Keypair::generate();
    {
      ScopedUmask umask(mask);
      REQUIRE(write_key_file(path, key));
    }
    CHECK(mode_of(path) == 0600);
    CHECK(fs::is_regular_file(fs::symlink_status(path)));
    // The file holds exactly the marshalled PrivateKey.
    CHECK(read_raw(path) == key.to_protobuf());

    auto back = read_key_file(path);
    REQUIRE(back);
    CHECK(back.value().public_key() == key.public_key());
    CHECK(PeerId::from_public_key(back.value().public_key()) == PeerId::from_public_key(key.public_key()));
  }
  // No temporary files are left behind.
  CHECK(dir.entries() == std::vector<std::string>{"key-0", "key-18", "key-191", "key-63"});
}

TEST_CASE("key_file: a key file written by another libp2p tool reads with the expected PeerId") {
  TempDir dir;
  const fs::path path = dir / "identity.key";
  write_raw(path, hex(kSpecEd25519Private));
  auto key = read_key_file(path);
  REQUIRE(key);
  CHECK(PeerId::from_public_key(key.value().public_key()).to_base58() == kSpecEd25519PeerId);

  SUBCASE("wider permissions than 0600 are accepted (documented choice)") {
    REQUIRE(::chmod(path.c_str(), 0644) == 0);
    auto wide = read_key_file(path);
    REQUIRE(wide);
    CHECK(wide.value().public_key() == key.value().public_key());
    CHECK(mode_of(path) == 0644);  // reading never changes the file
  }
  SUBCASE("the legacy 96-byte form (seed || public || public) is accepted") {
    const fs::path legacy = dir / "legacy.key";
    Bytes bytes = hex(kSpecEd25519Private);
    bytes[3] = 0x60;
    bytes.insert(bytes.end(), bytes.end() - 32, bytes.end());
    write_raw(legacy, bytes);
    auto read = read_key_file(legacy);
    REQUIRE(read);
    CHECK(read.value().public_key() == key.value().public_key());
  }
}

TEST_CASE("key_file: an existing file is never overwritten (key_file_exists)") {
  TempDir dir;
  const fs::path path = dir / "node.key";
  const Keypair first = Keypair::generate();
  const Keypair second = Keypair::generate();
  REQUIRE(write_key_file(path, first));

  auto again = write_key_file(path, second);
  CHECK(outcome_of(again) == Errc::key_file_exists);
  CHECK(contains(again.error().detail(), path.string()));
  CHECK(read_raw(path) == first.to_protobuf());
  CHECK(read_key_file(path).value().public_key() == first.public_key());

  SUBCASE("not even a file of another kind, nor a dangling symlink") {
    const fs::path other = dir / "other.key";
    write_raw(other, test::bytes_of("precious"));
    CHECK(outcome_of(write_key_file(other, second)) == Errc::key_file_exists);
    CHECK(read_raw(other) == test::bytes_of("precious"));

    const fs::path subdir = dir / "a-directory";
    fs::create_directory(subdir);
    CHECK(outcome_of(write_key_file(subdir, second)) == Errc::key_file_exists);

    const fs::path dangling = dir / "dangling.key";
    fs::create_symlink(dir / "nowhere", dangling);
    CHECK(outcome_of(write_key_file(dangling, second)) == Errc::key_file_exists);
    CHECK_FALSE(fs::exists(dir / "nowhere"));  // nothing was written through the link
  }
  // Refusals leave no temporary files behind.
  for (const auto& name : dir.entries()) CHECK(name.find(".tmp-") == std::string::npos);
}

TEST_CASE("key_file: write failures are key_file_io with the path and the OS reason") {
  TempDir dir;
  const Keypair key = Keypair::generate();

  const fs::path missing_dir = dir / "no-such-dir" / "node.key";
  auto result = write_key_file(missing_dir, key);
  CHECK(outcome_of(result) == Errc::key_file_io);
  CHECK(contains(result.error().detail(), (dir / "no-such-dir").string()));
  CHECK(contains(result.error().detail(), "No such file or directory"));

  CHECK(outcome_of(write_key_file(fs::path(), key)) == Errc::key_file_io);
  CHECK(outcome_of(write_key_file(dir.path() / "", key)) == Errc::key_file_io);  // a directory name, no file

  if (::geteuid() != 0) {  // root ignores directory permissions
    const fs::path locked = dir / "locked";
    fs::create_directory(locked);
    REQUIRE(::chmod(locked.c_str(), 0500) == 0);
    auto denied = write_key_file(locked / "node.key", key);
    CHECK(outcome_of(denied) == Errc::key_file_io);
    CHECK(contains(denied.error().detail(), "Permission denied"));
  }
}

TEST_CASE("key_file: read refuses bad files with the documented errors") {
  TempDir dir;
  const Bytes good = Keypair::generate().to_protobuf();

  SUBCASE("missing file: key_file_io naming the path and reason") {
    const fs::path path = dir / "absent.key";
    auto result = read_key_file(path);
    CHECK(outcome_of(result) == Errc::key_file_io);
    CHECK(contains(result.error().detail(), path.string()));
    CHECK(contains(result.error().detail(), "No such file or directory"));
  }
  SUBCASE("a directory instead of a file: key_file_io") {
    auto result = read_key_file(dir.path());
    CHECK(outcome_of(result) == Errc::key_file_io);
    CHECK(contains(result.error().detail(), "directory"));
  }
  SUBCASE("a FIFO is refused without blocking: key_file_io") {
    const fs::path fifo = dir / "fifo.key";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK(outcome_of(read_key_file(fifo)) == Errc::key_file_io);
  }
  SUBCASE("empty file: key_malformed") {
    const fs::path path = dir / "empty.key";
    write_raw(path, Bytes{});
    auto result = read_key_file(path);
    CHECK(outcome_of(result) == Errc::key_malformed);
    CHECK(contains(result.error().detail(), path.string()));
  }
  SUBCASE("truncated file: key_malformed at every length") {
    const fs::path path = dir / "truncated.key";
    for (std::size_t n = 1; n < good.size(); ++n) {
      CAPTURE(n);
      write_raw(path, ByteView(good).first(n));
      CHECK(outcome_of(read_key_file(path)) == Errc::key_malformed);
    }
  }
  SUBCASE("wrong key type: key_unsupported_type") {
    const fs::path path = dir / "secp256k1.key";
    write_raw(path, hex(kSpecSecp256k1Private));
    auto result = read_key_file(path);
    CHECK(outcome_of(result) == Errc::key_unsupported_type);
    CHECK(contains(result.error().detail(), path.string()));
  }
  SUBCASE("wrong length: key_bad_length") {
    const fs::path path = dir / "short.key";
    Bytes short_key(good.begin(), good.end() - 1);  // 63 bytes of Data
    short_key[3] = 63;
    write_raw(path, short_key);
    CHECK(outcome_of(read_key_file(path)) == Errc::key_bad_length);
  }
  SUBCASE("public half not matching the seed: key_mismatch") {
    const fs::path path = dir / "mismatch.key";
    Bytes bad = good;
    bad[50] ^= 0x04;
    write_raw(path, bad);
    CHECK(outcome_of(read_key_file(path)) == Errc::key_mismatch);
  }
  SUBCASE("oversized file: key_file_io, even if it starts with a valid key") {
    const fs::path path = dir / "big.key";
    Bytes big = good;
    big.resize(kMaxKeyFileBytes + 1, 0);
    write_raw(path, big);
    auto result = read_key_file(path);
    CHECK(outcome_of(result) == Errc::key_file_io);
    CHECK(contains(result.error().detail(), std::to_string(kMaxKeyFileBytes)));
    // At exactly the limit the bytes are read and judged as a key.
    big.resize(kMaxKeyFileBytes);
    write_raw(path, big);
    CHECK(outcome_of(read_key_file(path)) == Errc::key_malformed);
  }
  SUBCASE("unreadable file: key_file_io") {
    if (::geteuid() == 0) return;  // root reads anything
    const fs::path path = dir / "unreadable.key";
    write_raw(path, good);
    REQUIRE(::chmod(path.c_str(), 0000) == 0);
    auto result = read_key_file(path);
    CHECK(outcome_of(result) == Errc::key_file_io);
    CHECK(contains(result.error().detail(), "Permission denied"));
  }
}

}  // namespace weft
