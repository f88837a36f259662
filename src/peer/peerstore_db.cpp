#include "peer/peerstore_db.hpp"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <functional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace weft::peer {
namespace {

namespace fs = std::filesystem;

// Times are stored as milliseconds since the Unix epoch. system_clock counts nanoseconds in
// 64 bits (about ±292 years around 1970): values beyond ±9e12 ms (year ~2255) are refused on
// load, since converting them would overflow.
constexpr std::int64_t kMaxStoredMs = 9'000'000'000'000;

constexpr const char* kSchema = R"sql(
CREATE TABLE peers(
  peer_id BLOB PRIMARY KEY NOT NULL,
  public_key BLOB,
  first_seen_ms INTEGER NOT NULL,
  last_seen_ms INTEGER NOT NULL,
  successes INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  consecutive_failures INTEGER NOT NULL,
  last_connected_ms INTEGER,
  last_failure_ms INTEGER,
  score REAL NOT NULL,
  ban_until_ms INTEGER
) STRICT, WITHOUT ROWID;
CREATE TABLE addresses(
  peer_id BLOB NOT NULL,
  position INTEGER NOT NULL,
  address BLOB NOT NULL,
  source INTEGER NOT NULL,
  expires_ms INTEGER,
  PRIMARY KEY(peer_id, position)
) STRICT, WITHOUT ROWID;
CREATE TABLE protocols(
  peer_id BLOB NOT NULL,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY(peer_id, position)
) STRICT, WITHOUT ROWID;
)sql";

/// Content damage and "not ours" are peerstore_corrupt; the environment is peerstore_io.
Errc classify(int rc) {
  switch (rc & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_FORMAT:
    case SQLITE_SCHEMA:
    case SQLITE_MISMATCH:
    case SQLITE_ERROR:  // e.g. "no such table": a schema that is not ours
      return Errc::peerstore_corrupt;
    default:
      return Errc::peerstore_io;
  }
}

Error db_error(sqlite3* db, int rc, const fs::path& path, std::string_view what) {
  const char* message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return Error(classify(rc), fmt::format("{}: {}: {}", path.string(), what, message));
}

/// One prepared statement, finalized on destruction.
class Statement {
 public:
  Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }

  int prepare(sqlite3* db, const char* sql) { return sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  sqlite3_stmt* get() const noexcept { return stmt_; }
  void reset() {
    if (!stmt_) return;
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

std::int64_t to_stored(WallTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

void bind_blob(sqlite3_stmt* s, int index, ByteView bytes) {
  sqlite3_bind_blob64(s, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
}

void bind_time(sqlite3_stmt* s, int index, const std::optional<WallTime>& t) {
  if (t) {
    sqlite3_bind_int64(s, index, to_stored(*t));
  } else {
    sqlite3_bind_null(s, index);
  }
}

// --- typed column reads: nullopt when the value has the wrong type or range ---

std::optional<Bytes> column_blob(sqlite3_stmt* s, int i) {
  if (sqlite3_column_type(s, i) != SQLITE_BLOB) return std::nullopt;
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(s, i));
  const int size = sqlite3_column_bytes(s, i);
  if (size < 0 || (size > 0 && data == nullptr)) return std::nullopt;
  return Bytes(data, data + size);
}

std::optional<std::int64_t> column_int(sqlite3_stmt* s, int i, std::int64_t lo, std::int64_t hi) {
  if (sqlite3_column_type(s, i) != SQLITE_INTEGER) return std::nullopt;
  const std::int64_t v = sqlite3_column_int64(s, i);
  if (v < lo || v > hi) return std::nullopt;
  return v;
}

std::optional<WallTime> column_time(sqlite3_stmt* s, int i) {
  const auto ms = column_int(s, i, -kMaxStoredMs, kMaxStoredMs);
  if (!ms) return std::nullopt;
  return WallTime(std::chrono::duration_cast<WallTime::duration>(std::chrono::milliseconds(*ms)));
}

/// For a nullable time column: outer nullopt = invalid, inner nullopt = NULL.
std::optional<std::optional<WallTime>> column_optional_time(sqlite3_stmt* s, int i) {
  if (sqlite3_column_type(s, i) == SQLITE_NULL) return std::optional<WallTime>{};
  auto t = column_time(s, i);
  if (!t) return std::nullopt;
  return std::optional<WallTime>(*t);
}

std::optional<std::uint32_t> column_u32(sqlite3_stmt* s, int i) {
  auto v = column_int(s, i, 0, UINT32_MAX);
  if (!v) return std::nullopt;
  return static_cast<std::uint32_t>(*v);
}

std::string utc_stamp(WallTime now) {
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &tm);
  return text;
}

}  // namespace

struct PeerstoreDb::Statements {
  Statement select_peers, select_addresses, select_protocols;
  Statement upsert_peer, insert_address, insert_protocol;
  Statement delete_peer, delete_addresses, delete_protocols;
};

namespace {

/// Runs SQL with no result rows.
int exec(sqlite3* db, const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr); }

/// An integer PRAGMA's value.
Result<std::int64_t> pragma_int(sqlite3* db, const fs::path& path, const char* sql) {
  Statement s;
  if (int rc = s.prepare(db, sql); rc != SQLITE_OK) return db_error(db, rc, path, sql);
  const int rc = sqlite3_step(s.get());
  if (rc != SQLITE_ROW) return db_error(db, rc, path, sql);
  return sqlite3_column_int64(s.get(), 0);
}

/// Header, ownership, integrity and version checks, then WAL mode; creates the schema in a
/// fresh file. `prepare` prepares the statements (which checks the tables): for an
/// existing file before anything is written, so a refused file is never modified.
Result<void> check_or_create_schema(sqlite3* db, const fs::path& path, const std::function<Result<void>()>& prepare) {
  // The first read of the header: a file that is not a database fails here (NOTADB).
  BOOST_OUTCOME_TRY(application_id, pragma_int(db, path, "PRAGMA application_id"));
  BOOST_OUTCOME_TRY(version, pragma_int(db, path, "PRAGMA user_version"));
  BOOST_OUTCOME_TRY(objects, pragma_int(db, path, "SELECT count(*) FROM sqlite_schema"));

  const bool fresh = application_id == 0 && version == 0 && objects == 0;
  if (!fresh) {
    if (application_id != kPeerstoreApplicationId) {
      return Error(Errc::peerstore_corrupt,
                   fmt::format("{}: a database of another program (application_id {:#x}, {} schema objects)",
                               path.string(), application_id, objects));
    }
    if (version != kPeerstoreSchemaVersion) {
      return Error(Errc::peerstore_corrupt, fmt::format("{}: schema version {}, this weft reads version {}",
                                                        path.string(), version, kPeerstoreSchemaVersion));
    }
    Statement check;
    if (int rc = check.prepare(db, "PRAGMA quick_check(1)"); rc != SQLITE_OK) {
      return db_error(db, rc, path, "quick_check");
    }
    const int rc = sqlite3_step(check.get());
    if (rc != SQLITE_ROW) return db_error(db, rc, path, "quick_check");
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(check.get(), 0));
    const std::string result = text ? text : "";
    check.reset();
    if (result != "ok") {
      return Error(Errc::peerstore_corrupt, fmt::format("{}: integrity check failed: {}", path.string(), result));
    }
    BOOST_OUTCOME_TRYV(prepare());
  }

  // WAL: readers never block the writer and a commit is one append; NORMAL: a commit
  // survives a process crash (the WAL is in the OS's page cache), only a power loss can
  // lose the last commits, never consistency (docs/peerstore.md).
  std::string mode;
  {
    Statement wal;
    if (int rc = wal.prepare(db, "PRAGMA journal_mode=WAL"); rc != SQLITE_OK) return db_error(db, rc, path, "journal_mode");
    if (int rc = sqlite3_step(wal.get()); rc != SQLITE_ROW) return db_error(db, rc, path, "journal_mode");
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(wal.get(), 0));
    mode = text ? text : "";
  }  // finalized: no statement may be in progress when the schema transaction commits
  if (mode != "wal") {
    return Error(Errc::peerstore_io, fmt::format("{}: cannot switch to WAL mode (got '{}')", path.string(), mode));
  }
  if (int rc = exec(db, "PRAGMA synchronous=NORMAL"); rc != SQLITE_OK) return db_error(db, rc, path, "synchronous");

  if (fresh) {
    const std::string create = fmt::format("BEGIN IMMEDIATE; {} PRAGMA application_id={}; PRAGMA user_version={}; COMMIT;",
                                           kSchema, kPeerstoreApplicationId, kPeerstoreSchemaVersion);
    if (int rc = exec(db, create.c_str()); rc != SQLITE_OK) {
      Error error = db_error(db, rc, path, "creating the schema");
      exec(db, "ROLLBACK");
      return error;
    }
    BOOST_OUTCOME_TRYV(prepare());
  }
  return success();
}

}  // namespace

PeerstoreDb::PeerstoreDb(fs::path path, sqlite3* db)
    : path_(std::move(path)), db_(db), statements_(std::make_unique<Statements>()) {}

PeerstoreDb::PeerstoreDb(PeerstoreDb&& other) noexcept
    : path_(std::move(other.path_)),
      db_(std::exchange(other.db_, nullptr)),
      statements_(std::move(other.statements_)) {}

PeerstoreDb& PeerstoreDb::operator=(PeerstoreDb&& other) noexcept {
  if (this != &other) {
    statements_.reset();
    if (db_) sqlite3_close(db_);
    path_ = std::move(other.path_);
    db_ = std::exchange(other.db_, nullptr);
    statements_ = std::move(other.statements_);
  }
  return *this;
}

PeerstoreDb::~PeerstoreDb() {
  statements_.reset();  // statements are finalized before the connection closes
  if (db_) sqlite3_close(db_);
}

Result<PeerstoreDb> PeerstoreDb::open(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    return Error(Errc::peerstore_io, fmt::format("{}: is a directory", path.string()));
  }
  const fs::path parent = path.has_parent_path() ? path.parent_path() : fs::path(".");
  if (!fs::is_directory(parent, ec)) {
    return Error(Errc::peerstore_io, fmt::format("{}: directory {} does not exist", path.string(), parent.string()));
  }

  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  PeerstoreDb db(path, raw);  // owns `raw` from here, even on failure
  if (rc != SQLITE_OK) return db_error(raw, rc, path, "open");
  sqlite3_extended_result_codes(raw, 0);
  sqlite3_busy_timeout(raw, 1000);
  // Hardening against a crafted file: no schema tricks, no triggers or views run.
  sqlite3_db_config(raw, SQLITE_DBCONFIG_DEFENSIVE, 1, static_cast<int*>(nullptr));
  sqlite3_db_config(raw, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, static_cast<int*>(nullptr));
  sqlite3_db_config(raw, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, static_cast<int*>(nullptr));
  sqlite3_db_config(raw, SQLITE_DBCONFIG_ENABLE_VIEW, 0, static_cast<int*>(nullptr));

  auto& s = *db.statements_;
  const std::pair<Statement*, const char*> sql[] = {
      {&s.select_peers,
       "SELECT peer_id, public_key, first_seen_ms, last_seen_ms, successes, failures, consecutive_failures, "
       "last_connected_ms, last_failure_ms, score, ban_until_ms FROM peers ORDER BY score DESC, peer_id"},
      {&s.select_addresses, "SELECT address, source, expires_ms FROM addresses WHERE peer_id = ?1 ORDER BY position"},
      {&s.select_protocols, "SELECT name FROM protocols WHERE peer_id = ?1 ORDER BY position"},
      {&s.upsert_peer,
       "INSERT OR REPLACE INTO peers(peer_id, public_key, first_seen_ms, last_seen_ms, successes, failures, "
       "consecutive_failures, last_connected_ms, last_failure_ms, score, ban_until_ms) "
       "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"},
      {&s.insert_address, "INSERT INTO addresses(peer_id, position, address, source, expires_ms) VALUES(?1, ?2, ?3, ?4, ?5)"},
      {&s.insert_protocol, "INSERT INTO protocols(peer_id, position, name) VALUES(?1, ?2, ?3)"},
      {&s.delete_peer, "DELETE FROM peers WHERE peer_id = ?1"},
      {&s.delete_addresses, "DELETE FROM addresses WHERE peer_id = ?1"},
      {&s.delete_protocols, "DELETE FROM protocols WHERE peer_id = ?1"},
  };
  const auto prepare = [&]() -> Result<void> {
    for (const auto& [statement, text] : sql) {
      if (int prc = statement->prepare(raw, text); prc != SQLITE_OK) {
        // Our application_id and version, but not our tables: someone else's schema.
        return Error(classify(prc), fmt::format("{}: schema does not match version {}: {}", path.string(),
                                                kPeerstoreSchemaVersion, sqlite3_errmsg(raw)));
      }
    }
    return success();
  };
  BOOST_OUTCOME_TRYV(check_or_create_schema(raw, path, prepare));
  return db;
}

Result<LoadReport> PeerstoreDb::load(Peerstore& store, WallTime now) {
  LoadReport report;
  auto& s = *statements_;
  const std::uint64_t dropped_before = store.stats().restore_dropped;
  sqlite3_stmt* peers = s.select_peers.get();
  s.select_peers.reset();
  int rc = SQLITE_OK;
  while ((rc = sqlite3_step(peers)) == SQLITE_ROW) {
    const auto id_bytes = column_blob(peers, 0);
    const auto id = id_bytes ? PeerId::from_bytes(*id_bytes) : Result<PeerId>(Error(Errc::peer_id_invalid));
    const bool key_ok = sqlite3_column_type(peers, 1) == SQLITE_NULL || column_blob(peers, 1).has_value();
    const auto first_seen = column_time(peers, 2);
    const auto last_seen = column_time(peers, 3);
    const auto successes = column_u32(peers, 4);
    const auto failures = column_u32(peers, 5);
    const auto consecutive = column_u32(peers, 6);
    const auto last_connected = column_optional_time(peers, 7);
    const auto last_failure = column_optional_time(peers, 8);
    const int score_type = sqlite3_column_type(peers, 9);
    const auto ban_until = column_optional_time(peers, 10);
    if (!id || !key_ok || !first_seen || !last_seen || !successes || !failures || !consecutive || !last_connected ||
        !last_failure || (score_type != SQLITE_FLOAT && score_type != SQLITE_INTEGER) || !ban_until) {
      ++report.rows_skipped;
      continue;
    }
    PeerRecord record(id.value());
    if (sqlite3_column_type(peers, 1) == SQLITE_BLOB) record.public_key = column_blob(peers, 1);
    record.first_seen = *first_seen;
    record.last_seen = *last_seen;
    record.successes = *successes;
    record.failures = *failures;
    record.consecutive_failures = *consecutive;
    record.last_connected = *last_connected;
    record.last_failure = *last_failure;
    record.score = sqlite3_column_double(peers, 9);
    record.ban_until = *ban_until;

    // Never hold more rows than the store could keep: a long list is cut at the cap + 1
    // (the +1 lets restore() count the overflow).
    const std::size_t max_rows = store.config().max_addresses_per_peer + 1;
    sqlite3_stmt* addresses = s.select_addresses.get();
    s.select_addresses.reset();
    bind_blob(addresses, 1, *id_bytes);
    while ((rc = sqlite3_step(addresses)) == SQLITE_ROW && record.addresses.size() < max_rows) {
      const auto bytes = column_blob(addresses, 0);
      auto address = bytes ? Multiaddr::from_bytes(*bytes) : Result<Multiaddr>(Error(Errc::multiaddr_empty));
      const auto source = column_int(addresses, 1, 0, kLastAddressSource);
      const auto expires = column_optional_time(addresses, 2);
      if (!address || !source || !expires) {
        ++report.rows_skipped;
        continue;
      }
      record.addresses.push_back(
          AddressRecord{std::move(address).value(), static_cast<AddressSource>(*source), *expires});
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_error(db_, rc, path_, "reading addresses");

    const std::size_t max_protocols = store.config().max_protocols_per_peer + 1;
    sqlite3_stmt* protocols = s.select_protocols.get();
    s.select_protocols.reset();
    bind_blob(protocols, 1, *id_bytes);
    while ((rc = sqlite3_step(protocols)) == SQLITE_ROW && record.protocols.size() < max_protocols) {
      if (sqlite3_column_type(protocols, 0) != SQLITE_TEXT) {
        ++report.rows_skipped;
        continue;
      }
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(protocols, 0));
      const int size = sqlite3_column_bytes(protocols, 0);
      record.protocols.emplace_back(text ? std::string(text, static_cast<std::size_t>(size)) : std::string());
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_error(db_, rc, path_, "reading protocols");

    if (store.restore(std::move(record))) ++report.peers_loaded;
  }
  if (rc != SQLITE_DONE) return db_error(db_, rc, path_, "reading peers");
  s.select_peers.reset();
  s.select_addresses.reset();
  s.select_protocols.reset();

  report.records_over_caps = static_cast<std::size_t>(store.stats().restore_dropped - dropped_before);
  // Skipped rows stay in the file until rewritten: make the next flush rewrite it.
  if (report.rows_skipped > 0) store.mark_all_changed();
  store.expire(now);
  return report;
}

namespace {

int step_done(sqlite3_stmt* s) {
  const int rc = sqlite3_step(s);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

}  // namespace

Result<std::size_t> PeerstoreDb::flush(Peerstore& store) {
  PeerstoreChanges changes = store.take_changes();
  if (changes.empty()) return std::size_t{0};
  auto& s = *statements_;

  const auto delete_rows = [&](ByteView id) -> int {
    for (Statement* st : {&s.delete_peer, &s.delete_addresses, &s.delete_protocols}) {
      st->reset();
      bind_blob(st->get(), 1, id);
      if (int rc = step_done(st->get()); rc != SQLITE_OK) return rc;
    }
    return SQLITE_OK;
  };
  const auto write_peer = [&](const PeerRecord& r) -> int {
    sqlite3_stmt* p = s.upsert_peer.get();
    s.upsert_peer.reset();
    bind_blob(p, 1, r.id.bytes());
    if (r.public_key) {
      bind_blob(p, 2, *r.public_key);
    } else {
      sqlite3_bind_null(p, 2);
    }
    sqlite3_bind_int64(p, 3, to_stored(r.first_seen));
    sqlite3_bind_int64(p, 4, to_stored(r.last_seen));
    sqlite3_bind_int64(p, 5, r.successes);
    sqlite3_bind_int64(p, 6, r.failures);
    sqlite3_bind_int64(p, 7, r.consecutive_failures);
    bind_time(p, 8, r.last_connected);
    bind_time(p, 9, r.last_failure);
    sqlite3_bind_double(p, 10, r.score);
    bind_time(p, 11, r.ban_until);
    if (int rc = step_done(p); rc != SQLITE_OK) return rc;
    for (std::size_t i = 0; i < r.addresses.size(); ++i) {
      sqlite3_stmt* a = s.insert_address.get();
      s.insert_address.reset();
      bind_blob(a, 1, r.id.bytes());
      sqlite3_bind_int64(a, 2, static_cast<std::int64_t>(i));
      bind_blob(a, 3, r.addresses[i].address.bytes());
      sqlite3_bind_int(a, 4, static_cast<int>(r.addresses[i].source));
      bind_time(a, 5, r.addresses[i].expires_at);
      if (int rc = step_done(a); rc != SQLITE_OK) return rc;
    }
    for (std::size_t i = 0; i < r.protocols.size(); ++i) {
      sqlite3_stmt* pr = s.insert_protocol.get();
      s.insert_protocol.reset();
      bind_blob(pr, 1, r.id.bytes());
      sqlite3_bind_int64(pr, 2, static_cast<std::int64_t>(i));
      sqlite3_bind_text64(pr, 3, r.protocols[i].data(), r.protocols[i].size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      if (int rc = step_done(pr); rc != SQLITE_OK) return rc;
    }
    return SQLITE_OK;
  };

  std::size_t written = 0;
  int rc = exec(db_, "BEGIN IMMEDIATE");
  if (rc == SQLITE_OK && changes.full_rewrite) {
    rc = exec(db_, "DELETE FROM peers; DELETE FROM addresses; DELETE FROM protocols;");
    store.for_each([&](const PeerRecord& r) {
      if (rc == SQLITE_OK && (rc = write_peer(r)) == SQLITE_OK) ++written;
    });
  } else if (rc == SQLITE_OK) {
    for (const PeerId& id : changes.peers) {
      rc = delete_rows(id.bytes());
      if (rc == SQLITE_OK) {
        if (const PeerRecord* r = store.find(id)) rc = write_peer(*r);
      }
      if (rc != SQLITE_OK) break;
      ++written;
    }
  }
  if (rc == SQLITE_OK) rc = exec(db_, "COMMIT");
  if (rc != SQLITE_OK) {
    Error error = db_error(db_, rc, path_, "writing");
    if (!sqlite3_get_autocommit(db_)) exec(db_, "ROLLBACK");
    for (Statement* st : {&s.upsert_peer, &s.insert_address, &s.insert_protocol, &s.delete_peer, &s.delete_addresses,
                          &s.delete_protocols}) {
      st->reset();
    }
    store.mark_all_changed();
    return error;
  }
  return written;
}

namespace {

/// True when `path` is a regular file this process cannot both read and write.
bool unreadable_file(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  return ::access(path.c_str(), R_OK | W_OK) != 0;
}

Result<fs::path> set_aside(const fs::path& path, WallTime now) {
  const std::string base = path.string() + ".corrupt-" + utc_stamp(now);
  fs::path target = base;
  std::error_code ec;
  for (int n = 1; fs::exists(target, ec) || fs::exists(target.string() + "-wal", ec); ++n) {
    target = base + "-" + std::to_string(n);
  }
  // The WAL and shared-memory files first: a WAL left behind would be replayed into the
  // fresh file created at `path` afterwards.
  for (const char* suffix : {"-wal", "-shm"}) {
    const fs::path side = path.string() + suffix;
    if (!fs::exists(side, ec)) continue;
    fs::rename(side, target.string() + suffix, ec);
    if (ec) {
      return Error(Errc::peerstore_io, fmt::format("{}: cannot set {} aside: {}", path.string(), side.string(), ec.message()));
    }
  }
  fs::rename(path, target, ec);
  if (ec) {
    return Error(Errc::peerstore_io,
                 fmt::format("{}: cannot set the bad file aside as {}: {}", path.string(), target.string(), ec.message()));
  }
  return target;
}

}  // namespace

Result<OpenedPeerstore> open_or_recover(const fs::path& path, Peerstore& store, WallTime now) {
  Error cause;
  {
    auto db = PeerstoreDb::open(path);
    if (db) {
      auto loaded = db.value().load(store, now);
      if (loaded) return OpenedPeerstore{std::move(db).value(), loaded.value(), std::nullopt};
      cause = loaded.error();
    } else {
      cause = db.error();
    }
  }  // the bad file is closed here, before it is renamed
  const bool recoverable = cause == Errc::peerstore_corrupt || (cause == Errc::peerstore_io && unreadable_file(path));
  if (!recoverable) return cause;

  store.clear();
  BOOST_OUTCOME_TRY(moved_to, set_aside(path, now));
  BOOST_OUTCOME_TRY(fresh, PeerstoreDb::open(path));
  BOOST_OUTCOME_TRY(loaded, fresh.load(store, now));
  return OpenedPeerstore{std::move(fresh), loaded, SetAside{std::move(cause), std::move(moved_to)}};
}

}  // namespace weft::peer
