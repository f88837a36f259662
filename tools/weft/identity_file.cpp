#include "identity_file.hpp"

#include <cstdlib>
#include <system_error>

namespace weft::cli {

namespace fs = std::filesystem;

Result<fs::path> default_key_path() {
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') {
    return Error(Errc::key_file_io, "HOME is not set; pass a key file explicitly");
  }
  const fs::path dir = fs::path(home) / ".weft";
  std::error_code ec;
  if (fs::create_directories(dir, ec)) {
    fs::permissions(dir, fs::perms::owner_all, ec);
  }
  if (ec) return Error(Errc::key_file_io, dir.string() + ": " + ec.message());
  return dir / "identity.key";
}

Result<Keypair> load_or_create_identity(const fs::path& path, bool& created) {
  created = false;
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(path, ec))) {
    Keypair key = Keypair::generate();
    auto written = write_key_file(path, key);
    if (written) {
      created = true;
      return key;
    }
    if (!(written.error() == Errc::key_file_exists)) return written.error();
    // Someone created it meanwhile: read theirs.
  }
  return read_key_file(path);
}

Result<Keypair> client_identity(const std::string& path) {
  if (path.empty()) return Keypair::generate();
  return read_key_file(path);
}

}  // namespace weft::cli
