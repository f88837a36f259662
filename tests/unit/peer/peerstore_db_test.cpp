// PeerstoreDb: the SQLite file round trip, incremental and full flushes, damaged and
// foreign files (open errors and open_or_recover), invalid rows, and kill -9 while writing.

#include "peer/peerstore_db.hpp"

#include "background_process.hpp"
#include "peer_test_support.hpp"
#include "run_process.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace weft;
using namespace weft::peer;
using weft::test::ma;
using weft::test::ms;
using weft::test::numbered_peer;
using weft::test::subnet_address;
using weft::test::t0;
using weft::test::TempDir;
namespace fs = std::filesystem;

namespace {

/// Runs SQL on the file through a separate connection (to craft or inspect files).
void raw_sql(const fs::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  INFO(sql, " -> ", (message ? message : ""));
  sqlite3_free(message);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

/// The first column of the first row of `sql`, as text.
std::string raw_query(const fs::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    out = text ? text : "";
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

void write_bytes(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

/// A store holding two very different peers: one with every field set, one with the minimum.
Peerstore full_store() {
  Peerstore store;
  const PeerId rich = numbered_peer(1);
  store.add_addresses(rich, {ma("/ip4/192.0.2.1/tcp/4001"), ma("/ip6/2001:db8::1/tcp/4001")},
                      AddressSource::peer_exchange, ms(3'600'000), t0());
  store.add_addresses(rich, {ma("/dns4/boot.example/tcp/4001")}, AddressSource::bootstrap, std::nullopt, t0());
  store.add_addresses(rich, {ma("/ip4/192.0.2.9/tcp/9")}, AddressSource::inbound, ms(60'000), t0() + ms(10));
  store.record_connected(rich, t0() + ms(20));
  store.record_dial_failure(rich, t0() + ms(30));
  store.record_disconnected(rich, t0() + ms(40));
  store.adjust_score(rich, 0.375, t0());
  store.set_public_key(rich, Bytes{8, 1, 18, 32, 7, 7, 7});
  store.set_protocols(rich, {"/weft/ping/1", "/weft/px/1", "/ünïcode/1"});

  store.ban(numbered_peer(2), t0() + std::chrono::hours(2), t0() + ms(50));
  store.add_addresses(numbered_peer(3), {ma("/ip4/203.0.113.5/tcp/1")}, AddressSource::config, std::nullopt, t0());
  return store;
}

void check_same_records(const Peerstore& a, const Peerstore& b) {
  CHECK(a.size() == b.size());
  a.for_each([&](const PeerRecord& r) {
    const PeerRecord* other = b.find(r.id);
    REQUIRE(other);
    CHECK(*other == r);
  });
  CHECK(a.address_count() == b.address_count());
  CHECK(a.banned_count() == b.banned_count());
}

Peerstore load_fresh(const fs::path& path, WallTime now) {
  Peerstore store;
  auto db = PeerstoreDb::open(path);
  REQUIRE(db.has_value());
  auto loaded = db.value().load(store, now);
  REQUIRE(loaded.has_value());
  return store;
}

}  // namespace

TEST_CASE("PeerstoreDb: every field survives a flush and a reopen") {
  TempDir dir;
  const fs::path path = dir.path() / "peerstore.db";
  Peerstore store = full_store();
  {
    auto db = PeerstoreDb::open(path);
    REQUIRE(db.has_value());
    CHECK(db.value().path() == path);
    auto written = db.value().flush(store);
    REQUIRE(written.has_value());
    CHECK(written.value() == 3);
    CHECK(db.value().flush(store).value() == 0);  // nothing changed since
  }
  Peerstore loaded;
  auto db = PeerstoreDb::open(path);
  REQUIRE(db.has_value());
  auto report = db.value().load(loaded, t0() + ms(100));
  REQUIRE(report.has_value());
  CHECK(report.value().peers_loaded == 3);
  CHECK(report.value().rows_skipped == 0);
  CHECK(report.value().records_over_caps == 0);
  check_same_records(store, loaded);
  CHECK(loaded.is_banned(numbered_peer(2), t0() + ms(100)));  // bans persist
  CHECK(loaded.find(numbered_peer(1))->score == 1.0 - 1.0 + 0.375);
  CHECK(loaded.take_changes().empty());  // a load is not a change

  // The file is what docs/peerstore.md says.
  CHECK(raw_query(path, "PRAGMA journal_mode") == "wal");
  CHECK(raw_query(path, "PRAGMA user_version") == std::to_string(kPeerstoreSchemaVersion));
  CHECK(raw_query(path, "PRAGMA application_id") == std::to_string(kPeerstoreApplicationId));
}

TEST_CASE("PeerstoreDb: flush writes changed peers and deletes removed ones") {
  TempDir dir;
  const fs::path path = dir.path() / "peerstore.db";
  Peerstore store = full_store();
  auto db = PeerstoreDb::open(path);
  REQUIRE(db.has_value());
  REQUIRE(db.value().flush(store).has_value());

  store.remove(numbered_peer(3));
  store.set_protocols(numbered_peer(1), {"/only/1"});
  store.add_addresses(numbered_peer(4), {subnet_address(4)}, AddressSource::inbound, std::nullopt, t0());
  CHECK(db.value().flush(store).value() == 3);
  check_same_records(store, load_fresh(path, t0()));
  CHECK(raw_query(path, "SELECT count(*) FROM protocols") == "1");

  // A full rewrite replaces every row.
  store.remove(numbered_peer(4));
  store.mark_all_changed();
  CHECK(db.value().flush(store).value() == 2);
  check_same_records(store, load_fresh(path, t0()));
  CHECK(raw_query(path, "SELECT count(*) FROM peers") == "2");
}

TEST_CASE("PeerstoreDb: load drops what expired while the node was down") {
  TempDir dir;
  const fs::path path = dir.path() / "peerstore.db";
  Peerstore store = full_store();
  {
    auto db = PeerstoreDb::open(path);
    REQUIRE(db.value().flush(store).has_value());
  }
  const Peerstore later = load_fresh(path, t0() + std::chrono::hours(3));
  // The ban ended and the banned peer held nothing else; the rich peer keeps its bootstrap address.
  CHECK(later.find(numbered_peer(2)) == nullptr);
  REQUIRE(later.find(numbered_peer(1)));
  CHECK(later.find(numbered_peer(1))->addresses.size() == 1);
  CHECK(later.find(numbered_peer(3)) != nullptr);
}

TEST_CASE("PeerstoreDb: load enforces the store's caps, best score first") {
  TempDir dir;
  const fs::path path = dir.path() / "peerstore.db";
  {
    Peerstore big;
    for (std::uint32_t n = 0; n < 10; ++n) {
      big.add_addresses(numbered_peer(n), {subnet_address(n)}, AddressSource::config, std::nullopt, t0());
      big.adjust_score(numbered_peer(n), n, t0());
    }
    auto db = PeerstoreDb::open(path);
    REQUIRE(db.value().flush(big).has_value());
  }
  PeerstoreConfig small;
  small.max_peers = 3;
  small.max_banned_peers = 1;
  Peerstore store(small);
  auto db = PeerstoreDb::open(path);
  auto report = db.value().load(store, t0());
  REQUIRE(report.has_value());
  CHECK(report.value().peers_loaded == 3);
  CHECK(report.value().records_over_caps == 7);
  CHECK(store.find(numbered_peer(9)) != nullptr);
  CHECK(store.find(numbered_peer(8)) != nullptr);
  CHECK(store.find(numbered_peer(7)) != nullptr);
  // The next flush makes the file match the store.
  CHECK(store.take_changes().full_rewrite);
  store.mark_all_changed();
  CHECK(db.value().flush(store).value() == 3);
  CHECK(raw_query(path, "SELECT count(*) FROM peers") == "3");
}

TEST_CASE("PeerstoreDb: rows with invalid content are skipped, the rest loads") {
  TempDir dir;
  const fs::path path = dir.path() / "peerstore.db";
  Peerstore store = full_store();
  {
    auto db = PeerstoreDb::open(path);
    REQUIRE(db.value().flush(store).has_value());
  }
  std::string rich = "x'";
  const PeerId rich_id = numbered_peer(1);
  for (auto b : rich_id.bytes()) {
    rich += "0123456789abcdef"[b >> 4];
    rich += "0123456789abcdef"[b & 15];
  }
  rich += "'";
  raw_sql(path,
          "INSERT INTO peers VALUES(x'1234', NULL, 0, 0, 0, 0, 0, NULL, NULL, 0.0, NULL);"       // not a PeerId
          "INSERT INTO peers VALUES(x'1220" + std::string(64, 'a') + "', NULL, 0, 0, -1, 0, 0, NULL, NULL, 0.0, NULL);"  // negative count
          "INSERT INTO peers VALUES(x'1220" + std::string(64, 'b') + "', NULL, 9223372036854775807, 0, 0, 0, 0, NULL, NULL, 0.0, NULL);"  // time out of range
          "INSERT INTO peers VALUES(x'1220" + std::string(64, 'c') + "', NULL, 0, 0, 0, 0, 0, NULL, NULL, 0.0, 19385680844416);"  // ns overflow
          "INSERT INTO addresses VALUES(" + rich + ", 10, x'ff', 3, NULL);"                     // not a multiaddr
          "INSERT INTO addresses VALUES(" + rich + ", 11, x'04c000020a0601bb', 9, NULL);"      // unknown source
          "INSERT INTO protocols VALUES(" + rich + ", 10, '');");                               // empty name
  Peerstore loaded;
  auto db = PeerstoreDb::open(path);
  REQUIRE(db.has_value());
  auto report = db.value().load(loaded, t0());
  REQUIRE(report.has_value());
  CHECK(report.value().rows_skipped == 6);
  CHECK(report.value().records_over_caps == 1);  // the empty protocol name
  CHECK(report.value().peers_loaded == 3);
  check_same_records(store, loaded);
  // The next flush rewrites the file without them.
  CHECK(loaded.take_changes().full_rewrite);
  loaded.mark_all_changed();
  REQUIRE(db.value().flush(loaded).has_value());
  CHECK(raw_query(path, "SELECT count(*) FROM peers") == "3");
  CHECK(raw_query(path, "SELECT count(*) FROM addresses WHERE position >= 10") == "0");
}

TEST_CASE("PeerstoreDb: a failed flush commits nothing and asks for a full rewrite") {
  TempDir dir;
  const fs::path path = dir.path() / "peerstore.db";
  Peerstore store = full_store();
  auto db = PeerstoreDb::open(path);
  REQUIRE(db.value().flush(store).has_value());
  raw_sql(path, "DROP TABLE protocols");  // someone broke the file under us
  store.record_connected(numbered_peer(3), t0() + ms(1));
  auto failed = db.value().flush(store);
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error() == Errc::peerstore_corrupt);
  CHECK(failed.error().detail().find(path.string()) != std::string::npos);
  CHECK(store.take_changes().full_rewrite);
  CHECK(raw_query(path, "SELECT successes FROM peers WHERE successes > 0") == "1");  // peer 1 only: unchanged
}

TEST_CASE("PeerstoreDb: open refuses damaged and foreign files with peerstore_corrupt") {
  TempDir dir;
  const fs::path path = dir.path() / "peerstore.db";

  SUBCASE("garbage") {
    write_bytes(path, std::string(4096, 'x') + "not a database at all");
  }
  SUBCASE("a truncated peerstore") {
    {
      Peerstore store;
      for (std::uint32_t n = 0; n < 300; ++n) {
        store.add_addresses(numbered_peer(n), {subnet_address(n)}, AddressSource::config, std::nullopt, t0());
        store.set_protocols(numbered_peer(n), {std::string(100, 'p')});
      }
      auto db = PeerstoreDb::open(path);
      REQUIRE(db.value().flush(store).has_value());
    }  // closing checkpoints the WAL into the main file
    REQUIRE(!fs::exists(path.string() + "-wal"));
    const auto size = fs::file_size(path);
    REQUIRE(size > 3 * 4096);
    fs::resize_file(path, size / 2);
  }
  SUBCASE("a header cut short") {
    { REQUIRE(PeerstoreDb::open(path).has_value()); }
    fs::resize_file(path, 60);
  }
  SUBCASE("another program's database") {
    raw_sql(path, "CREATE TABLE things(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO things VALUES(1, 'x');");
  }
  SUBCASE("a newer schema version") {
    { REQUIRE(PeerstoreDb::open(path).has_value()); }
    raw_sql(path, "PRAGMA user_version=2");
  }
  SUBCASE("our id and version but other tables") {
    raw_sql(path, "CREATE TABLE peers(x); PRAGMA application_id=" + std::to_string(kPeerstoreApplicationId) +
                      "; PRAGMA user_version=" + std::to_string(kPeerstoreSchemaVersion));
  }
  const std::string before = test::read_file(path);
  Error error;
  {
    auto db = PeerstoreDb::open(path);
    if (db) {
      Peerstore store;
      auto loaded = db.value().load(store, t0());
      REQUIRE_FALSE(loaded.has_value());
      error = loaded.error();
    } else {
      error = db.error();
    }
  }
  CHECK(error == Errc::peerstore_corrupt);
  CHECK(error.message().find(path.string()) != std::string::npos);
  MESSAGE(error.message());
  CHECK(test::read_file(path) == before);  // a refused file is never modified

  // open_or_recover sets it aside (untouched) and starts empty.
  Peerstore recovered;
  recovered.record_connected(numbered_peer(77), t0());  // stale content is cleared
  auto opened = open_or_recover(path, recovered, t0());
  REQUIRE(opened.has_value());
  REQUIRE(opened.value().set_aside.has_value());
  const auto& aside = *opened.value().set_aside;
  CHECK(aside.cause == Errc::peerstore_corrupt);
  CHECK(aside.moved_to == fs::path(path.string() + ".corrupt-20261101T000000Z"));
  CHECK(test::read_file(aside.moved_to) == before);
  CHECK(recovered.size() == 0);
  CHECK(opened.value().load.peers_loaded == 0);
  // The new file works.
  recovered.add_addresses(numbered_peer(1), {subnet_address(1)}, AddressSource::config, std::nullopt, t0());
  REQUIRE(opened.value().db.flush(recovered).has_value());
  CHECK(load_fresh(path, t0()).size() == 1);
}

TEST_CASE("PeerstoreDb: open_or_recover keeps a good file and numbers repeated set-asides") {
  TempDir dir;
  const fs::path path = dir.path() / "peerstore.db";
  {
    Peerstore store = full_store();
    auto opened = open_or_recover(path, store, t0());  // a missing file is created, not recovered
    REQUIRE(opened.has_value());
    CHECK_FALSE(opened.value().set_aside.has_value());
    REQUIRE(opened.value().db.flush(store).has_value());
  }
  {
    Peerstore store;
    auto opened = open_or_recover(path, store, t0());
    REQUIRE(opened.has_value());
    CHECK_FALSE(opened.value().set_aside.has_value());
    CHECK(opened.value().load.peers_loaded == 3);
  }

  for (int round = 0; round < 3; ++round) {
    write_bytes(path, std::string(8192, static_cast<char>('a' + round)));
    write_bytes(path.string() + "-wal", "junk wal");
    Peerstore fresh;
    auto again = open_or_recover(path, fresh, t0());
    REQUIRE(again.has_value());
    REQUIRE(again.value().set_aside.has_value());
    const std::string expected =
        path.string() + ".corrupt-20261101T000000Z" + (round == 0 ? "" : "-" + std::to_string(round));
    CHECK(again.value().set_aside->moved_to.string() == expected);
    CHECK(test::read_file(expected) == std::string(8192, static_cast<char>('a' + round)));
    // SQLite itself discards a WAL that does not belong to a database; nothing of it is reused.
    CHECK(test::read_file(path.string() + "-wal").find("junk") == std::string::npos);
  }
}

TEST_CASE("PeerstoreDb: paths that cannot be opened are peerstore_io, and are not set aside") {
  TempDir dir;
  SUBCASE("a missing directory") {
    const fs::path path = dir.path() / "no-such-dir" / "peerstore.db";
    auto db = PeerstoreDb::open(path);
    REQUIRE_FALSE(db.has_value());
    CHECK(db.error() == Errc::peerstore_io);
    CHECK(db.error().detail().find("does not exist") != std::string::npos);
    Peerstore store;
    auto recovered = open_or_recover(path, store, t0());
    REQUIRE_FALSE(recovered.has_value());
    CHECK(recovered.error() == Errc::peerstore_io);
    CHECK_FALSE(fs::exists(dir.path() / "no-such-dir"));
  }
  SUBCASE("a directory where the file should be") {
    const fs::path path = dir.path() / "peerstore.db";
    fs::create_directory(path);
    auto db = PeerstoreDb::open(path);
    REQUIRE_FALSE(db.has_value());
    CHECK(db.error() == Errc::peerstore_io);
    Peerstore store;
    CHECK(open_or_recover(path, store, t0()).error() == Errc::peerstore_io);
    CHECK(fs::is_directory(path));
  }
  SUBCASE("a file another process holds locked") {
    const fs::path path = dir.path() / "peerstore.db";
    { REQUIRE(PeerstoreDb::open(path).has_value()); }
    sqlite3* other = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &other) == SQLITE_OK);
    REQUIRE(sqlite3_exec(other, "PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; DELETE FROM peers;", nullptr, nullptr,
                         nullptr) == SQLITE_OK);
    auto db = PeerstoreDb::open(path);
    CHECK_FALSE(db.has_value());
    if (!db) CHECK(db.error() == Errc::peerstore_io);
    Peerstore store;
    auto recovered = open_or_recover(path, store, t0());  // a live file is never set aside
    CHECK_FALSE(recovered.has_value());
    if (!recovered) CHECK(recovered.error() == Errc::peerstore_io);
    sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(other);
    CHECK(fs::exists(path));
    CHECK_FALSE(fs::exists(path.string() + ".corrupt-20261101T000000Z"));
    CHECK(PeerstoreDb::open(path).has_value());
  }
  SUBCASE("a file this process may not read or write") {
    if (geteuid() == 0) {
      MESSAGE("running as root: file permissions do not apply, nothing to check");
      return;
    }
    const fs::path path = dir.path() / "peerstore.db";
    { REQUIRE(PeerstoreDb::open(path).has_value()); }
    fs::permissions(path, fs::perms::none);
    auto db = PeerstoreDb::open(path);
    REQUIRE_FALSE(db.has_value());
    CHECK(db.error() == Errc::peerstore_io);
    Peerstore store;
    auto recovered = open_or_recover(path, store, t0());  // an unreadable file is set aside
    REQUIRE(recovered.has_value());
    REQUIRE(recovered.value().set_aside.has_value());
    CHECK(recovered.value().set_aside->cause == Errc::peerstore_io);
  }
}

TEST_CASE("PeerstoreDb: bit flips anywhere in the file never crash; open_or_recover always ends usable") {
  TempDir dir;
  const fs::path path = dir.path() / "peerstore.db";
  {
    Peerstore store;
    for (std::uint32_t n = 0; n < 60; ++n) {
      store.add_addresses(numbered_peer(n), {subnet_address(n)}, AddressSource::inbound, ms(3'600'000), t0());
      store.set_protocols(numbered_peer(n), {"/weft/ping/1"});
      store.record_connected(numbered_peer(n), t0());
    }
    auto db = PeerstoreDb::open(path);
    REQUIRE(db.value().flush(store).has_value());
  }
  const std::string good = test::read_file(path);
  std::mt19937 rng(1234);
  int set_aside = 0;
  for (int round = 0; round < 60; ++round) {
    std::string bad = good;
    for (int flips = 0; flips < 1 + round % 4; ++flips) {
      const std::size_t at = rng() % bad.size();
      bad[at] = static_cast<char>(bad[at] ^ (1 << (rng() % 8)));
    }
    for (const auto& entry : fs::directory_iterator(dir.path())) fs::remove(entry.path());
    write_bytes(path, bad);
    Peerstore store;
    auto opened = open_or_recover(path, store, t0());
    REQUIRE(opened.has_value());
    if (opened.value().set_aside) ++set_aside;
    // Whatever loaded respects the caps, and the store keeps working.
    CHECK(store.size() <= 60);
    store.record_connected(numbered_peer(999), t0());
    CHECK(opened.value().db.flush(store).has_value());
  }
  MESSAGE(set_aside, " of 60 damaged files were set aside");
  CHECK(set_aside > 0);
}

TEST_CASE("PeerstoreDb: kill -9 while flushing always leaves a loadable, consistent store") {
  const char* writer = std::getenv("WEFT_PEERSTORE_WRITER");
  REQUIRE_MESSAGE(writer != nullptr, "WEFT_PEERSTORE_WRITER must name the peerstore_writer program");
  TempDir dir;
  const fs::path path = dir.path() / "peerstore.db";
  std::mt19937 rng(20261123);
  std::uint32_t previous = 0;
  int commit_unreported = 0;
  for (int round = 0; round < 20; ++round) {
    CAPTURE(round);
    std::uint32_t last_reported = 0;
    {
      test::BackgroundProcess child(writer, {path.string()});
      REQUIRE(child.wait_for_line("flushed ", std::chrono::seconds(30)).has_value());
      // Then a random moment later: mid-transaction, mid-commit or mid-checkpoint.
      std::this_thread::sleep_for(std::chrono::microseconds(rng() % 20'000));
      CHECK(child.stop_with(SIGKILL) == 128 + SIGKILL);
      INFO("writer stderr: ", child.err());
      for (const auto& line : test::split_lines(child.out())) {
        if (line.rfind("flushed ", 0) == 0) last_reported = static_cast<std::uint32_t>(std::stoul(line.substr(8)));
      }
    }
    REQUIRE(last_reported > previous);

    Peerstore store;
    auto db = PeerstoreDb::open(path);
    REQUIRE_MESSAGE(db.has_value(), db.error().message());
    auto loaded = db.value().load(store, std::chrono::system_clock::now());
    REQUIRE_MESSAGE(loaded.has_value(), loaded.error().message());
    CHECK(loaded.value().rows_skipped == 0);
    // One generation, all of it: every reported flush survived, and at most the one being
    // committed when the kill came is newer.
    REQUIRE(store.find(numbered_peer(0)));
    const std::uint32_t generation = store.find(numbered_peer(0))->successes;
    CHECK(generation >= last_reported);
    CHECK(generation <= last_reported + 1);
    CHECK(store.size() == 21);
    for (std::uint32_t i = 0; i < 20; ++i) {
      const PeerRecord* r = store.find(numbered_peer(i));
      REQUIRE(r);
      CHECK(r->successes == generation);
      CHECK(r->protocols == std::vector<std::string>{"gen/" + std::to_string(generation), "peer/" + std::to_string(i)});
      CHECK(r->addresses.size() == 1);
    }
    CHECK(store.find(numbered_peer(1'000'000 + generation)) != nullptr);
    if (generation > last_reported) ++commit_unreported;
    previous = generation;
  }
  // How often the kill fell between a COMMIT and its report (for information: timing-dependent).
  MESSAGE(commit_unreported, " of 20 kills came after a commit and before its report");
}

TEST_CASE("PeerstoreDb: a moved-to handle owns the new file and closes the old one") {
  TempDir dir;
  const fs::path first = dir.path() / "a.db";
  const fs::path second = dir.path() / "b.db";
  auto a = PeerstoreDb::open(first);
  auto b = PeerstoreDb::open(second);
  REQUIRE(a.has_value());
  REQUIRE(b.has_value());
  PeerstoreDb db = std::move(a).value();
  db = std::move(b).value();
  CHECK(db.path() == second);
  // The first file was closed: its WAL was checkpointed and removed.
  CHECK_FALSE(fs::exists(first.string() + "-wal"));
  Peerstore store;
  store.add_addresses(numbered_peer(1), {subnet_address(1)}, AddressSource::config, std::nullopt, t0());
  CHECK(db.flush(store).value() == 1);
  CHECK(load_fresh(second, t0()).size() == 1);
  CHECK(load_fresh(first, t0()).size() == 0);
}
