#pragma once
// The peerstore on disk: one SQLite file (the node uses <data-dir>/peerstore.db) in WAL mode
// with synchronous=NORMAL, schema version in user_version and weft's application_id
// (docs/peerstore.md). Every write is one transaction, so a crash (kill -9) at any moment
// leaves the state of the last committed flush. A file that is not a weft peerstore, or is
// damaged, is reported as peerstore_corrupt and never crashes anything; open_or_recover()
// sets such a file aside and starts empty.
//
// Not thread-safe: one owner (the node's peer manager) calls it, off the network thread or
// on it (calls block on the disk). Records are read and written through a Peerstore.

#include "peer/peerstore.hpp"

#include <weft/error.hpp>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>

struct sqlite3;

namespace weft::peer {

/// Written to PRAGMA user_version; a file with another non-zero version is refused.
inline constexpr int kPeerstoreSchemaVersion = 1;
/// PRAGMA application_id of a weft peerstore ("weft" in ASCII).
inline constexpr int kPeerstoreApplicationId = 0x77656674;

/// What load() read.
struct LoadReport {
  std::size_t peers_loaded = 0;
  /// Rows whose content is invalid (a bad PeerId or address, a wrong column type, an
  /// unknown source): skipped, and the file rewritten on the next flush.
  std::size_t rows_skipped = 0;
  /// Records or parts of records over the store's caps (also in PeerstoreStats).
  std::size_t records_over_caps = 0;
};

class PeerstoreDb {
 public:
  /// Opens `path`, creating the file and schema if it does not exist. Checks the header,
  /// application_id, schema version and tables and runs SQLite's quick_check.
  /// Errors: peerstore_io (missing directory, permission, a path that is a directory, a
  /// locked file, disk full), peerstore_corrupt (not a database, truncated or damaged, a
  /// database of another program or schema). The detail names the path and the reason.
  static Result<PeerstoreDb> open(const std::filesystem::path& path);

  PeerstoreDb(PeerstoreDb&&) noexcept;
  PeerstoreDb& operator=(PeerstoreDb&&) noexcept;
  ~PeerstoreDb();

  /// Reads every record into `store` (Peerstore::restore, caps enforced), then drops what
  /// expired by `now`. Errors: peerstore_corrupt when SQLite finds damage while reading,
  /// peerstore_io for a read failure. Rows with invalid content are skipped, not errors.
  Result<LoadReport> load(Peerstore& store, WallTime now);

  /// Writes what changed in `store` since the last flush (Peerstore::take_changes) in one
  /// transaction: changed peers are rewritten, removed ones deleted; a full rewrite
  /// replaces every row. Returns the number of peers written or deleted (for a full
  /// rewrite, the number of peers written). On error nothing is committed and the store
  /// is marked for a full rewrite so the next flush retries everything.
  /// Errors: peerstore_io, peerstore_corrupt.
  Result<std::size_t> flush(Peerstore& store);

  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  struct Statements;
  PeerstoreDb(std::filesystem::path path, sqlite3* db);

  std::filesystem::path path_;
  sqlite3* db_ = nullptr;
  std::unique_ptr<Statements> statements_;
};

/// A file open_or_recover() moved out of the way, and why.
struct SetAside {
  Error cause;                     ///< what open() or load() reported
  std::filesystem::path moved_to;  ///< <path>.corrupt-<UTC timestamp>[-n] (-wal, -shm alongside)
};

struct OpenedPeerstore {
  PeerstoreDb db;
  LoadReport load;
  std::optional<SetAside> set_aside;  ///< set when a bad file was moved aside (log it)
};

/// Opens `path` and loads it into `store`. When the file is corrupt (peerstore_corrupt), or
/// exists but cannot be read or written, it is renamed with its -wal and -shm files to
/// `<path>.corrupt-<timestamp>` (`now` in UTC, YYYYMMDDTHHMMSSZ) and an empty store is
/// created in its place; `store` is then left empty. Errors: peerstore_io when the
/// directory is missing or not writable, the file is locked by another process, or the
/// rename fails (nothing is deleted, ever); the fresh file's own open errors.
Result<OpenedPeerstore> open_or_recover(const std::filesystem::path& path, Peerstore& store, WallTime now);

}  // namespace weft::peer
