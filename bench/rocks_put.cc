// ikv-bench-rocks-put: raw RocksDB durable writes, the peer of the store's
// write path: --threads threads each calling Put with WriteOptions.sync = true
// (300-byte values that do not compress) into a fresh database in --dir for
// --seconds. Prints puts/s and p50/p99 as RESULT lines; removes the database.
//
//   ikv-bench-rocks-put --dir DIR [--threads 64] [--seconds 10]
#include <rocksdb/db.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "ikv-bench-rocks-put: %s\n", what.c_str());
  std::exit(1);
}

std::string value_300(std::uint64_t n) {
  static constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::uint64_t x = n * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL;
  std::string p =
      "{\"member_id\":\"m-" + std::to_string(n) + "\",\"sector\":\"police\",\"sealed\":\"";
  while (p.size() < 298) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    p.push_back(kB64[x & 63]);
  }
  return p + "\"}";
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir;
  int threads = 64;
  double seconds = 10;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--dir" && i + 1 < argc)
      dir = argv[++i];
    else if (a == "--threads" && i + 1 < argc)
      threads = std::max(1, std::atoi(argv[++i]));
    else if (a == "--seconds" && i + 1 < argc)
      seconds = std::atof(argv[++i]);
    else
      die("usage: ikv-bench-rocks-put --dir DIR [--threads N] [--seconds S]");
  }
  if (dir.empty()) die("--dir is required");
  const std::string path = dir + "/ikv-bench-rocks-put";
  std::filesystem::remove_all(path);
  rocksdb::Options o;
  o.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  auto s = rocksdb::DB::Open(o, path, &raw);
  if (!s.ok()) die("open: " + s.ToString());
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::WriteOptions w;
  w.sync = true;

  std::atomic<bool> go{false}, stop{false};
  std::vector<std::vector<float>> lat(static_cast<std::size_t>(threads));
  std::vector<std::thread> pool;
  pool.reserve(static_cast<std::size_t>(threads));
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      auto& mine = lat[static_cast<std::size_t>(t)];
      while (!go.load()) std::this_thread::yield();
      for (std::uint64_t i = 0; !stop.load(std::memory_order_relaxed); ++i) {
        char key[32];
        std::snprintf(key, sizeof key, "%04d:%016llx", t, static_cast<unsigned long long>(i));
        const std::string v = value_300(i);
        auto a = Clock::now();
        auto st = db->Put(w, key, v);
        if (!st.ok()) die("put: " + st.ToString());
        mine.push_back(std::chrono::duration<float, std::micro>(Clock::now() - a).count());
      }
    });
  }
  auto start = Clock::now();
  go = true;
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& th : pool) th.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<float> all;
  for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  auto at = [&](double q) {
    return all.empty()
               ? 0.0
               : static_cast<double>(
                     all[static_cast<std::size_t>(q * static_cast<double>(all.size() - 1))]);
  };
  const double rate = static_cast<double>(all.size()) / elapsed;
  std::printf(
      "raw RocksDB Put, sync, %d threads, %.1f s: %zu puts, %.0f/s, p50 %.0f us, p99 %.0f us\n",
      threads, elapsed, all.size(), rate, at(0.5), at(0.99));
  std::printf("RESULT puts_per_s %.0f\nRESULT p50_us %.0f\nRESULT p99_us %.0f\n", rate, at(0.5),
              at(0.99));
  (void)db->Close();
  db.reset();
  std::filesystem::remove_all(path);
  return 0;
}
