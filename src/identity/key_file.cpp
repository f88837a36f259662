// Key files: one libp2p marshalled PrivateKey protobuf (the bytes Keypair::to_protobuf
// gives), nothing else — the same bytes go-libp2p's crypto.MarshalPrivateKey writes.
//
// Writing: the bytes go to a temporary file in the target's directory, created with
// O_CREAT|O_EXCL and mode 0600 (then fchmod'ed to exactly 0600, whatever the umask), written
// in full and fsync'ed, then moved to the target with renameat2(RENAME_NOREPLACE) — or
// link() + unlink() where the filesystem does not support that — so the target appears
// atomically, complete, never with wider permissions, and never replaces an existing file
// (key_file_exists). The directory is fsync'ed afterwards so the new entry is durable.
//
// Reading: the file is opened without following into FIFOs or devices (it must be a regular
// file), its size is checked against kMaxKeyFileBytes before anything is read, and at most
// kMaxKeyFileBytes + 1 bytes are ever read (a file growing meanwhile is caught too).
// Permissions are NOT checked: a key file with a mode wider than 0600 is accepted silently,
// as go-libp2p and Kubo do. Refusing would break keys copied in from other tools or restored
// from backups, and a library has no good channel for a warning; callers that care (the CLI)
// can stat the file themselves. Files this module writes are always 0600.
//
// Every failure is key_file_io (or key_file_exists) with the path and the OS reason in the
// detail, or one of Keypair::from_protobuf's errors with the path prepended.

#include <weft/keys.hpp>

#include "identity/hex.hpp"
#include "util/sodium.hpp"
#include "util/wipe_on_exit.hpp"

#include <sodium.h>

#include <fcntl.h>
#include <stdio.h>  // renameat2, RENAME_NOREPLACE (glibc, _GNU_SOURCE)
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <string>
#include <system_error>

namespace weft {
namespace {

namespace fs = std::filesystem;

constexpr mode_t kKeyFileMode = 0600;

std::string quoted(const fs::path& path) { return "'" + path.string() + "'"; }

std::string os_reason(int err) { return std::system_category().message(err); }

Error io_error(const std::string& action, const fs::path& path, int err) {
  return Error(Errc::key_file_io, action + " " + quoted(path) + ": " + os_reason(err));
}

/// Closes the descriptor on scope exit unless release()d.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) noexcept : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const noexcept { return fd_; }
  /// Closes now; returns 0 or the errno of close().
  int close() noexcept {
    const int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0 ? 0 : errno;
  }

 private:
  int fd_;
};

/// Removes the temporary file on scope exit unless disarm()ed.
class TempFileGuard {
 public:
  explicit TempFileGuard(fs::path path) : path_(std::move(path)) {}
  TempFileGuard(const TempFileGuard&) = delete;
  TempFileGuard& operator=(const TempFileGuard&) = delete;
  ~TempFileGuard() {
    if (armed_) ::unlink(path_.c_str());
  }
  void disarm() noexcept { armed_ = false; }

 private:
  fs::path path_;
  bool armed_ = true;
};

using util::WipeOnExit;

Result<void> write_all(int fd, ByteView bytes, const fs::path& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("cannot write", path, errno);
    }
    bytes = bytes.subspan(static_cast<std::size_t>(n));
  }
  return success();
}

/// Moves `from` to `to` unless `to` exists (any kind of entry, even a dangling symlink).
Result<void> move_no_replace(const fs::path& from, const fs::path& to) {
#ifdef RENAME_NOREPLACE
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return success();
  if (errno == EEXIST) return Error(Errc::key_file_exists, quoted(to) + " already exists; not replacing it");
  // EINVAL / ENOSYS: the filesystem or kernel lacks RENAME_NOREPLACE; fall back to link().
  if (errno != EINVAL && errno != ENOSYS) return io_error("cannot move the new key file to", to, errno);
#endif
  if (::link(from.c_str(), to.c_str()) != 0) {
    if (errno == EEXIST) return Error(Errc::key_file_exists, quoted(to) + " already exists; not replacing it");
    return io_error("cannot link the new key file to", to, errno);
  }
  ::unlink(from.c_str());  // the key is in place; a stray temporary copy is only untidy
  return success();
}

Result<void> sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open directory", dir, errno);
  FileDescriptor guard(fd);
  if (::fsync(fd) != 0 && errno != EINVAL) return io_error("cannot fsync directory", dir, errno);
  return success();
}

}  // namespace

Result<void> write_key_file(const fs::path& path, const Keypair& key) {
  util::ensure_sodium();
  if (path.empty() || !path.has_filename()) {
    return Error(Errc::key_file_io, "key file path " + quoted(path) + " names no file");
  }
  // Early, friendly refusal; move_no_replace() is what makes it race-free.
  struct stat existing {};
  if (::lstat(path.c_str(), &existing) == 0) {
    return Error(Errc::key_file_exists, quoted(path) + " already exists; not replacing it");
  }
  if (errno != ENOENT) return io_error("cannot stat", path, errno);

  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::array<std::uint8_t, 8> nonce;
  randombytes_buf(nonce.data(), nonce.size());
  const fs::path temp = dir / ("." + path.filename().string() + ".tmp-" + identity::hex_encode(nonce));

  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, kKeyFileMode);
  if (fd < 0) return io_error("cannot create temporary key file", temp, errno);
  FileDescriptor file(fd);
  TempFileGuard remove_temp(temp);
  // The umask can only have narrowed 0600; make the mode exactly 0600.
  if (::fchmod(fd, kKeyFileMode) != 0) return io_error("cannot chmod", temp, errno);

  Bytes encoded = key.to_protobuf();
  WipeOnExit<Bytes> wipe{encoded};
  BOOST_OUTCOME_TRYV(write_all(fd, encoded, temp));
  if (::fsync(fd) != 0) return io_error("cannot fsync", temp, errno);
  if (const int err = file.close(); err != 0) return io_error("cannot close", temp, err);

  BOOST_OUTCOME_TRYV(move_no_replace(temp, path));
  remove_temp.disarm();
  return sync_directory(dir);
}

Result<Keypair> read_key_file(const fs::path& path) {
  // O_NONBLOCK: opening a FIFO must not hang; it is refused below as not a regular file.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open", path, errno);
  FileDescriptor file(fd);

  struct stat info {};
  if (::fstat(fd, &info) != 0) return io_error("cannot stat", path, errno);
  if (S_ISDIR(info.st_mode)) return Error(Errc::key_file_io, quoted(path) + " is a directory, not a key file");
  if (!S_ISREG(info.st_mode)) return Error(Errc::key_file_io, quoted(path) + " is not a regular file");
  if (static_cast<std::uintmax_t>(info.st_size) > kMaxKeyFileBytes) {
    return Error(Errc::key_file_io, quoted(path) + " is " + std::to_string(info.st_size) +
                                        " bytes, larger than a key file can be (" +
                                        std::to_string(kMaxKeyFileBytes) + ")");
  }

  std::array<std::uint8_t, kMaxKeyFileBytes + 1> buffer;
  WipeOnExit<decltype(buffer)> wipe{buffer};
  std::size_t used = 0;
  while (used < buffer.size()) {
    const ssize_t n = ::read(fd, buffer.data() + used, buffer.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("cannot read", path, errno);
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  if (used > kMaxKeyFileBytes) {
    return Error(Errc::key_file_io, quoted(path) + " grew past " + std::to_string(kMaxKeyFileBytes) +
                                        " bytes while being read");
  }
  if (used == 0) return Error(Errc::key_malformed, quoted(path) + ": empty file, not a libp2p PrivateKey");

  auto key = Keypair::from_protobuf(ByteView(buffer.data(), used));
  if (!key) return key.error().with_context(quoted(path));
  return key;
}

}  // namespace weft
