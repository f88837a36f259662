// `weft-bench idle [--connections N,...] [--heap-sites]`: memory per idle authenticated
// pooled connection (defaults: 1000 and 10000).
//
// The measured process is a real ConnectionPool (server side) in a child process: this
// binary re-executed as the hidden `weft-bench idle-server`, driven over its stdin/stdout.
// The client (this process) dials N connections with N distinct identities — the table
// keys connections by PeerId and caps connections per peer, and N peers with one
// connection each is the shape a node's pool really has — using conn::dial and a bare
// MuxedConnection per connection (a pool per client identity would be far heavier than
// what it measures, and only the server's figure is the goal). Dials run 8 at a time, under
// the listener's per-IP pending-handshake cap of 16.
//
// Figure: (RSS after - RSS before) / N of the server, after malloc_trim(0) on both reads.
// "Before" already has one connection up, so one-time buffers (the thread's read scratch,
// the first hash buckets) are outside the delta. The connections are left idle for a moment
// (handshakes done, keep-alive armed) before "after". Also printed: the heap's own count
// (mallinfo2 in-use bytes) per connection, and the client's RSS per connection
// (dial + MuxedConnection, no pool), which is cheap to read.
//
// --heap-sites: the server also counts every live operator-new block by its call site
// (a 16-byte header per block, so its RSS figures are inflated and not printed as the
// result), and prints the sites that grew, per connection, resolved with addr2line: where
// the bytes of an idle connection go.

#include "bench_common.hpp"

#include "conn/connection_pool.hpp"
#include "conn/dialer.hpp"
#include "conn/muxed_connection.hpp"
#include "util/asio.hpp"

#include <weft/keys.hpp>
#include <weft/multiaddr.hpp>
#include <weft/peer_id.hpp>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>

#include <malloc.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <sstream>
#include <string>
#include <vector>

// --- heap sites (opt-in: WEFT_BENCH_HEAP_SITES in the environment at exec) ------------------

namespace {

bool heap_sites_enabled() {
  static const bool enabled = std::getenv("WEFT_BENCH_HEAP_SITES") != nullptr;
  return enabled;
}

struct SiteCount {
  std::atomic<void*> site{nullptr};
  std::atomic<std::int64_t> blocks{0};
  std::atomic<std::int64_t> bytes{0};       ///< requested
  std::atomic<std::int64_t> heap_bytes{0};  ///< what malloc holds for them (usable size + its 8-byte header)
};

constexpr std::size_t kSiteSlots = 1 << 14;
SiteCount g_sites[kSiteSlots];
constexpr std::size_t kHeader = 16;  // keeps the 16-byte alignment operator new promises

SiteCount* site_slot(void* site) {
  std::size_t i = (reinterpret_cast<std::uintptr_t>(site) >> 2) * 0x9E3779B97F4A7C15ull >> 50;
  for (std::size_t probe = 0; probe < kSiteSlots; ++probe, i = (i + 1) & (kSiteSlots - 1)) {
    void* expected = nullptr;
    if (g_sites[i].site.load(std::memory_order_relaxed) == site) return &g_sites[i];
    if (g_sites[i].site.compare_exchange_strong(expected, site, std::memory_order_relaxed)) return &g_sites[i];
    if (expected == site) return &g_sites[i];
  }
  return nullptr;  // table full: not counted
}

struct BlockHeader {
  SiteCount* slot;
  std::size_t size;
};

}  // namespace

void* operator new(std::size_t size) {
  if (!heap_sites_enabled()) {
    void* p = std::malloc(size == 0 ? 1 : size);
    if (p == nullptr) throw std::bad_alloc();
    return p;
  }
  void* raw = std::malloc(size + kHeader);
  if (raw == nullptr) throw std::bad_alloc();
  SiteCount* slot = site_slot(__builtin_return_address(0));
  auto* header = static_cast<BlockHeader*>(raw);
  header->slot = slot;
  header->size = size;
  if (slot != nullptr) {
    slot->blocks.fetch_add(1, std::memory_order_relaxed);
    slot->bytes.fetch_add(static_cast<std::int64_t>(size), std::memory_order_relaxed);
    slot->heap_bytes.fetch_add(static_cast<std::int64_t>(malloc_usable_size(raw) - kHeader + 8),
                               std::memory_order_relaxed);
  }
  return static_cast<char*>(raw) + kHeader;
}

void operator delete(void* p) noexcept {
  if (p == nullptr) return;
  if (!heap_sites_enabled()) {
    std::free(p);
    return;
  }
  void* raw = static_cast<char*>(p) - kHeader;
  const auto* header = static_cast<BlockHeader*>(raw);
  if (SiteCount* slot = header->slot) {
    slot->blocks.fetch_sub(1, std::memory_order_relaxed);
    slot->bytes.fetch_sub(static_cast<std::int64_t>(header->size), std::memory_order_relaxed);
    slot->heap_bytes.fetch_sub(static_cast<std::int64_t>(malloc_usable_size(raw) - kHeader + 8),
                               std::memory_order_relaxed);
  }
  std::free(raw);
}

// The other forms, so that every block goes through the two above.
void* operator new[](std::size_t size) { return ::operator new(size); }
void operator delete[](void* p) noexcept { ::operator delete(p); }
void operator delete(void* p, std::size_t) noexcept { ::operator delete(p); }
void operator delete[](void* p, std::size_t) noexcept { ::operator delete(p); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return ::operator new(size);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return ::operator new(size);
  } catch (...) {
    return nullptr;
  }
}
void operator delete(void* p, const std::nothrow_t&) noexcept { ::operator delete(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { ::operator delete(p); }

namespace weft::bench {
namespace {

constexpr std::size_t kDialConcurrency = 8;
constexpr double kIdleSeconds = 2.0;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "weft-bench idle: %s\n", what.c_str());
  std::exit(1);
}

std::size_t rss_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long size = 0, resident = 0;
  const int n = std::fscanf(f, "%lu %lu", &size, &resident);
  std::fclose(f);
  if (n != 2) return 0;
  return static_cast<std::size_t>(resident) * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

/// Bytes malloc has handed out and not yet had back (arena in-use plus mmapped blocks).
std::size_t heap_in_use() {
  const struct mallinfo2 mi = mallinfo2();
  return mi.uordblks + mi.hblkhd;
}

/// Raises the soft fd limit to the hard one; returns the new soft limit.
rlim_t raise_fd_limit() {
  struct rlimit limit {};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
  getrlimit(RLIMIT_NOFILE, &limit);
  return limit.rlim_cur;
}

// --- the server (child process) -----------------------------------------------------------

struct SiteSnapshot {
  void* site;
  std::int64_t blocks, bytes, heap_bytes;
};

std::vector<SiteSnapshot> snapshot_sites() {
  std::vector<SiteSnapshot> out;
  for (const auto& s : g_sites) {
    void* site = s.site.load(std::memory_order_relaxed);
    if (site == nullptr) continue;
    out.push_back({site, s.blocks.load(), s.bytes.load(), s.heap_bytes.load()});
  }
  return out;
}

/// The executable's load address, to turn return addresses into addr2line offsets.
std::uintptr_t executable_base() {
  std::FILE* f = std::fopen("/proc/self/maps", "r");
  if (f == nullptr) return 0;
  char exe[4096] = {};
  const ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  std::uintptr_t base = 0;
  char line[4600];
  while (n > 0 && std::fgets(line, sizeof line, f) != nullptr) {
    if (std::strstr(line, exe) != nullptr) {
      base = std::strtoull(line, nullptr, 16);
      break;
    }
  }
  std::fclose(f);
  return base;
}

struct ServerState {
  asio::io_context* io = nullptr;
  std::shared_ptr<conn::ConnectionPool> pool;
  std::vector<SiteSnapshot> mark;
  bool quit = false;
};

std::string handle_command(ServerState& s, const std::string& command) {
  std::ostringstream reply;
  if (command == "measure") {
    const std::size_t open = s.pool->stats().open_connections();
    malloc_trim(0);
    reply << "open " << open << " rss " << rss_bytes() << " heap " << heap_in_use() << "\n";
  } else if (command == "mark") {
    s.mark = snapshot_sites();
    reply << "marked\n";
  } else if (command.rfind("sites ", 0) == 0) {
    const double per = std::atof(command.c_str() + 6);
    std::vector<SiteSnapshot> now = snapshot_sites();
    for (auto& site : now) {
      for (const auto& before : s.mark) {
        if (before.site == site.site) {
          site.blocks -= before.blocks;
          site.bytes -= before.bytes;
          site.heap_bytes -= before.heap_bytes;
        }
      }
    }
    std::sort(now.begin(), now.end(), [](const auto& a, const auto& b) { return a.heap_bytes > b.heap_bytes; });
    const std::uintptr_t base = executable_base();
    for (const auto& site : now) {
      if (static_cast<double>(site.heap_bytes) / per < 4.0) break;
      reply << "site 0x" << std::hex << (reinterpret_cast<std::uintptr_t>(site.site) - base) << std::dec << " "
            << static_cast<double>(site.blocks) / per << " " << static_cast<double>(site.bytes) / per << " "
            << static_cast<double>(site.heap_bytes) / per << "\n";
    }
    reply << "end\n";
  } else if (command == "quit") {
    s.quit = true;
    reply << "bye\n";
  } else {
    reply << "unknown\n";
  }
  return reply.str();
}

asio::awaitable<void> command_loop(ServerState* s) {
  asio::posix::stream_descriptor input(*s->io, ::dup(STDIN_FILENO));
  asio::posix::stream_descriptor output(*s->io, ::dup(STDOUT_FILENO));
  asio::streambuf buffer;
  while (!s->quit) {
    boost::system::error_code ec;
    co_await asio::async_read_until(input, buffer, '\n', asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    std::istream in(&buffer);
    std::string command;
    std::getline(in, command);
    const std::string reply = handle_command(*s, command);
    co_await asio::async_write(output, asio::buffer(reply), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
  }
  s->pool->stop();
  s->io->stop();
}

// --- the client (this process) ------------------------------------------------------------

/// The server child and the pipes to it.
class ServerProcess {
 public:
  ServerProcess(std::size_t max_connections, bool heap_sites) {
    int to_child[2], from_child[2];
    if (pipe(to_child) != 0 || pipe(from_child) != 0) die("pipe failed");
    pid_ = fork();
    if (pid_ < 0) die("fork failed");
    if (pid_ == 0) {
      dup2(to_child[0], STDIN_FILENO);
      dup2(from_child[1], STDOUT_FILENO);
      close(to_child[0]);
      close(to_child[1]);
      close(from_child[0]);
      close(from_child[1]);
      if (heap_sites) setenv("WEFT_BENCH_HEAP_SITES", "1", 1);
      const std::string max = std::to_string(max_connections);
      execl("/proc/self/exe", "weft-bench", "idle-server", "--max-connections", max.c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    close(to_child[0]);
    close(from_child[1]);
    to_ = fdopen(to_child[1], "w");
    from_ = fdopen(from_child[0], "r");
  }
  ~ServerProcess() {
    if (to_ != nullptr) {
      std::fputs("quit\n", to_);
      std::fclose(to_);
    }
    if (from_ != nullptr) std::fclose(from_);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  std::string read_line() {
    char line[512];
    if (std::fgets(line, sizeof line, from_) == nullptr) die("the server process is gone");
    std::string s(line);
    if (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
  }
  std::string ask(const std::string& command) {
    std::fputs((command + "\n").c_str(), to_);
    std::fflush(to_);
    return read_line();
  }
  pid_t pid() const noexcept { return pid_; }

 private:
  pid_t pid_ = -1;
  std::FILE* to_ = nullptr;
  std::FILE* from_ = nullptr;
};

struct ServerMeasure {
  std::size_t open = 0, rss = 0, heap = 0;
};

ServerMeasure measure(ServerProcess& server) {
  const std::string line = server.ask("measure");
  ServerMeasure m;
  if (std::sscanf(line.c_str(), "open %zu rss %zu heap %zu", &m.open, &m.rss, &m.heap) != 3) {
    die("unexpected reply from the server: " + line);
  }
  return m;
}

struct Client {
  Multiaddr target;
  std::size_t next = 0;
  std::size_t goal = 0;
  std::size_t failed = 0;
  std::vector<std::shared_ptr<conn::MuxedConnection>> connections;
};

asio::awaitable<void> dial_worker(Client* client) {
  const conn::DialConfig config;  // named: g++ 12 miscompiles an aggregate temporary across co_await
  while (client->next < client->goal) {
    ++client->next;
    const Keypair identity = Keypair::generate();  // one PeerId per connection
    auto dialed = co_await conn::dial(identity, client->target, config);
    if (!dialed) {
      if (++client->failed <= 3) report_dial_failure(dialed.error());
      continue;
    }
    const mux::SessionConfig mux_config;
    conn::MuxedConnection::Callbacks callbacks;
    auto muxed = std::make_shared<conn::MuxedConnection>(dialed.value(), mux::Role::initiator, mux_config,
                                                         std::move(callbacks));
    muxed->start();
    client->connections.push_back(std::move(muxed));
  }
}

/// Dials until `goal` connections have been attempted; runs `io` meanwhile.
void dial_up_to(asio::io_context& io, Client& client, std::size_t goal) {
  client.goal = goal;
  std::size_t workers_left = kDialConcurrency;
  for (std::size_t i = 0; i < kDialConcurrency; ++i) {
    asio::co_spawn(io, dial_worker(&client), [&](std::exception_ptr error) {
      if (error) std::rethrow_exception(error);
      --workers_left;
    });
  }
  io.restart();
  while (workers_left > 0) io.run_one();
}

/// Runs `io` for `seconds` (the client answers keep-alives meanwhile).
void run_for(asio::io_context& io, double seconds) {
  io.restart();
  io.run_for(std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds)));
}

/// Asks the server until it holds `open` connections (or 30 s pass).
ServerMeasure wait_for_open(asio::io_context& io, ServerProcess& server, std::size_t open) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (;;) {
    const ServerMeasure m = measure(server);
    if (m.open >= open || std::chrono::steady_clock::now() > give_up) return m;
    run_for(io, 0.05);
  }
}

std::string resolve(const std::string& offset) {
  const std::string command = "addr2line -f -C -e /proc/" + std::to_string(getpid()) + "/exe " + offset + " 2>/dev/null";
  std::FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return "?";
  char line[1024];
  std::string function = "?";
  if (std::fgets(line, sizeof line, p) != nullptr) {
    function = line;
    if (!function.empty() && function.back() == '\n') function.pop_back();
  }
  pclose(p);
  if (function.size() > 150) function = function.substr(0, 147) + "...";
  return function;
}

struct Result1 {
  double server_bytes_per_connection = 0;
  double server_heap_per_connection = 0;
  double client_bytes_per_connection = 0;
};

Result1 measure_n(std::size_t n, bool heap_sites) {
  ServerProcess server(n + 64, heap_sites);
  const std::string ready = server.read_line();
  unsigned port = 0;
  char peer_text[128] = {};
  if (std::sscanf(ready.c_str(), "ready %u %127s", &port, peer_text) != 2) die("server did not start: " + ready);

  asio::io_context io;
  Client client;
  client.target =
      Multiaddr::parse("/ip4/127.0.0.1/tcp/" + std::to_string(port) + "/p2p/" + std::string(peer_text)).value();

  // One connection first: one-time buffers are then outside the delta.
  dial_up_to(io, client, 1);
  wait_for_open(io, server, 1);
  run_for(io, 0.2);
  malloc_trim(0);
  const std::size_t client_before = rss_bytes();
  const ServerMeasure before = measure(server);
  if (heap_sites) server.ask("mark");

  const auto start = std::chrono::steady_clock::now();
  dial_up_to(io, client, n + 1);
  const ServerMeasure established = wait_for_open(io, server, n + 1);
  const double dial_seconds = seconds_since(start);
  if (established.open < n + 1) {
    die("the server holds " + std::to_string(established.open) + " connections, expected " + std::to_string(n + 1) +
        " (client: " + std::to_string(client.connections.size()) + " dialed, " + std::to_string(client.failed) +
        " failed)");
  }
  run_for(io, kIdleSeconds);  // idle: handshakes' leftovers gone, keep-alives armed
  malloc_trim(0);
  const std::size_t client_after = rss_bytes();
  const ServerMeasure after = measure(server);

  Result1 r;
  const auto per = [n](std::size_t a, std::size_t b) {
    return (static_cast<double>(a) - static_cast<double>(b)) / static_cast<double>(n);
  };
  r.server_bytes_per_connection = per(after.rss, before.rss);
  r.server_heap_per_connection = per(after.heap, before.heap);
  r.client_bytes_per_connection = per(client_after, client_before);
  std::printf("%6zu idle connections (dialed in %.1f s): server RSS %.1f -> %.1f MiB, %.0f B/connection "
              "(heap in use %.0f B/connection); client (dial + MuxedConnection) %.0f B/connection\n",
              n, dial_seconds, static_cast<double>(before.rss) / 1048576.0, static_cast<double>(after.rss) / 1048576.0,
              r.server_bytes_per_connection, r.server_heap_per_connection, r.client_bytes_per_connection);

  if (heap_sites) {
    std::printf("  server heap growth by operator-new call site, per connection (the RSS above is inflated\n"
                "  by the 16-byte site header on every block):\n");
    std::printf("  %8s %10s %10s  %s\n", "blocks", "requested", "in heap", "call site (caller of operator new)");
    double total_heap = 0;
    for (std::string line = server.ask("sites " + std::to_string(n)); line != "end"; line = server.read_line()) {
      char offset[64] = {};
      double blocks = 0, bytes = 0, heap = 0;
      if (std::sscanf(line.c_str(), "site %63s %lf %lf %lf", offset, &blocks, &bytes, &heap) != 4) continue;
      total_heap += heap;
      std::printf("  %8.2f %10.1f %10.1f  %s\n", blocks, bytes, heap, resolve(offset).c_str());
    }
    std::printf("  %8s %10s %10.1f  (sites of 4 B/connection or more)\n", "", "total", total_heap);
    std::printf("  for reading the sites: sizeof MuxedConnection %zu (mux::Session %zu inside), SecureConnection %zu;\n"
                "  an empty std::deque allocates a 512-byte node and a 64-byte map; coroutine frames are recycled by\n"
                "  Asio, so frames parked in a read may be counted at the site that first allocated the block\n",
                sizeof(conn::MuxedConnection), sizeof(mux::Session), sizeof(conn::SecureConnection));
  }
  return r;
}

}  // namespace

int run_idle_server(int argc, char** argv) {
  std::size_t max_connections = 20'000;
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--max-connections") == 0 && i + 1 < argc) {
      max_connections = std::strtoull(argv[++i], nullptr, 10);
    }
  }
  raise_fd_limit();
  asio::io_context io;
  const Keypair identity = Keypair::generate();
  conn::PoolConfig config;
  config.table.max_total_connections = max_connections;
  config.table.max_inbound_connections = max_connections;
  ServerState state;
  state.io = &io;
  state.pool = std::make_shared<conn::ConnectionPool>(io, identity, config);
  const auto endpoint = state.pool->listen(tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  if (!endpoint) die("listen failed: " + endpoint.error().message());
  state.pool->start();
  std::printf("ready %u %s\n", static_cast<unsigned>(endpoint.value().port()),
              PeerId::from_public_key(identity.public_key()).to_string().c_str());
  std::fflush(stdout);
  asio::co_spawn(io, command_loop(&state), asio::detached);
  io.run();
  return 0;
}

int run_idle_bench(int argc, char** argv) {
  std::vector<std::size_t> counts{1000, 10000};
  bool heap_sites = false;
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--connections") == 0 && i + 1 < argc) {
      counts.clear();
      std::stringstream list(argv[++i]);
      std::string item;
      while (std::getline(list, item, ',')) counts.push_back(std::strtoull(item.c_str(), nullptr, 10));
    } else if (std::strcmp(argv[i], "--heap-sites") == 0) {
      heap_sites = true;
    }
  }
  if (counts.empty() || std::find(counts.begin(), counts.end(), 0) != counts.end()) {
    std::fprintf(stderr, "weft-bench idle: --connections takes positive counts, e.g. 1000,10000\n");
    return 2;
  }
  const rlim_t fds = raise_fd_limit();
  std::printf("fd limit %llu per process\n", static_cast<unsigned long long>(fds));
  std::string json = "{\"bench\":\"idle\"";
  for (const std::size_t n : counts) {
    if (n + 64 > fds) {
      std::fprintf(stderr, "weft-bench idle: %zu connections need more than the fd limit (%llu)\n", n,
                   static_cast<unsigned long long>(fds));
      return 1;
    }
    const Result1 r = measure_n(n, heap_sites);
    char part[256];
    std::snprintf(part, sizeof part,
                  ",\"bytes_per_connection_%zu\":%.0f,\"heap_bytes_per_connection_%zu\":%.0f,"
                  "\"client_bytes_per_connection_%zu\":%.0f",
                  n, r.server_bytes_per_connection, n, r.server_heap_per_connection, n,
                  r.client_bytes_per_connection);
    json += part;
  }
  if (heap_sites) json += ",\"heap_sites\":true";
  std::printf("%s}\n", json.c_str());
  return 0;
}

}  // namespace weft::bench
