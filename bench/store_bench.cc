// ikv_store_bench: the event store against raw RocksDB on the same machine.
//
// 1. Durable appends of 300-byte JSON events: 1, 16 and 64 appenders, each on
//    its own stream with ExpectedVersion::any(), calling append_sync in a loop
//    for a fixed time (a lone appender leading its own groups, as the registry's
//    lone commands do); beside raw RocksDB Put with WriteOptions.sync = true from
//    as many threads into a fresh database. Appends/s, p50 and p99 latency.
// 2. Reading the whole global log (1,000,000 events, loaded with
//    Durability::kAsync in large batches) with scan_all, beside a raw RocksDB
//    iterator over the store's "log" column family opened read-only.
//
//   ikv_store_bench [--quick] [--seconds N] [--events N] [--dir PATH]
//                   [--threads N[,N...]] [--appends-only]
#include <fcntl.h>
#include <rocksdb/db.h>
#include <rocksdb/statistics.h>
#include <rocksdb/version.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench/raw_log.h"
#include "eventstore/event_store.h"
#include "eventstore/rocks_event_store.h"

namespace {

namespace es = ikv::eventstore;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Config {
  double seconds = 3.0;
  std::uint64_t events = 1'000'000;
  std::string dir;
  bool keep_dir = false;
  std::vector<int> threads{1, 16, 64};
  bool appends_only = false;  // skip the log read (part 2)
};

struct Rate {
  std::uint64_t ops = 0;
  double per_group = 0;       // writes per commit group (store) or per RocksDB write group (raw)
  double group_write_us = 0;  // mean WAL sync per group (store: its SyncWAL; raw: RocksDB's)
  double per_second = 0;
  double p50_us = 0;
  double p99_us = 0;
  double cpu_us_per_op = 0;  // process CPU time (user + system) per operation
};

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "ikv_store_bench: %s\n", what.c_str());
  std::exit(1);
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) == 0) {
      auto colon = line.find(':');
      return colon == std::string::npos ? line : line.substr(colon + 2);
    }
  }
  return "unknown";
}

// A 300-byte JSON object shaped like a stored MemberJoined: field names, codes
// and dates, and a sealed personal-data block (random base64url, which does
// not compress), so that neither side gains from compressible padding.
std::string payload_300(std::uint64_t n) {
  static constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::uint64_t x = n * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL;
  std::string head = "{\"member_id\":\"m-" + std::to_string(n) +
                     "\",\"organisation\":\"Reception Centre\",\"sector\":\"reception_centre\","
                     "\"joined_on\":\"2024-04-17\",\"personal\":{\"sealed\":\"";
  std::string p = head;
  while (p.size() < 300 - 3) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    p.push_back(kB64[x & 63]);
  }
  p += "\"}}";
  return p;
}

std::string event_id(std::uint64_t thread, std::uint64_t n) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%08llx-0000-4000-8000-%012llx",
                static_cast<unsigned long long>(thread & 0xffffffffULL),
                static_cast<unsigned long long>(n & 0xffffffffffffULL));
  return buf;
}

es::RocksOptions store_options(const std::string& dir, es::Durability durability) {
  es::RocksOptions o;
  o.path = dir;
  o.durability = durability;
  return o;
}

es::EventData make_event(std::string id, std::string type, std::string payload) {
  es::EventData e;
  e.event_id = std::move(id);
  e.type = std::move(type);
  e.payload = std::move(payload);
  e.metadata.actor = "bench";
  return e;
}

// Runs op(thread, i) on `threads` threads for `seconds`; latency per call.
// User plus system CPU time of the whole process so far, in microseconds.
double process_cpu_us() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  const auto us = [](const timeval& t) { return t.tv_sec * 1e6 + static_cast<double>(t.tv_usec); };
  return us(u.ru_utime) + us(u.ru_stime);
}

Rate run_for(int threads, double seconds, const std::function<void(int, std::uint64_t)>& op) {
  std::atomic<bool> go{false}, stop{false};
  std::vector<std::vector<std::uint32_t>> lat(threads);
  std::vector<std::thread> pool;
  pool.reserve(static_cast<std::size_t>(threads));
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      lat[t].reserve(1 << 16);
      while (!go.load()) std::this_thread::yield();
      for (std::uint64_t i = 0; !stop.load(std::memory_order_relaxed); ++i) {
        auto a = Clock::now();
        op(t, i);
        auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - a).count();
        lat[t].push_back(static_cast<std::uint32_t>(std::min<long long>(ns / 100, UINT32_MAX)));
      }
    });
  }
  auto start = Clock::now();
  const double cpu_start = process_cpu_us();
  go = true;
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& th : pool) th.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  const double cpu_us = process_cpu_us() - cpu_start;
  std::vector<std::uint32_t> all;
  for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
  Rate r;
  r.ops = all.size();
  if (r.ops > 0) r.cpu_us_per_op = cpu_us / static_cast<double>(r.ops);
  r.per_second = static_cast<double>(all.size()) / elapsed;
  if (!all.empty()) {
    auto at = [&](double q) {
      auto k = static_cast<std::size_t>(q * static_cast<double>(all.size() - 1));
      std::nth_element(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k), all.end());
      return all[k] / 10.0;  // units of 100 ns -> us
    };
    r.p50_us = at(0.50);
    r.p99_us = at(0.99);
  }
  return r;
}

Rate bench_store_appends(const std::string& dir, int threads, double seconds) {
  auto opened = es::open_rocks_event_store(store_options(dir, es::Durability::kSync));
  if (!opened) die("open store: " + opened.error().message);
  auto& store = **opened;
  Rate r = run_for(threads, seconds, [&](int t, std::uint64_t i) {
    es::AppendRequest req;
    req.stream = "bench-" + std::to_string(t);
    req.events.push_back(
        make_event(event_id(static_cast<std::uint64_t>(t), i), "MemberJoined", payload_300(i)));
    // A lone appender leads its own group, as the registry asks when its
    // command is alone in the sequencer (AppendRequest::may_lead).
    req.may_lead = threads == 1;
    auto res = store.append_sync(std::move(req));
    if (!res) die("append: " + res.error().message);
  });
  const es::StoreStats st = store.stats();
  if (st.groups > 0) {
    r.per_group = static_cast<double>(st.appends) / static_cast<double>(st.groups);
    r.group_write_us = static_cast<double>(st.sync_us) / static_cast<double>(st.groups);
  }
  store.close();
  return r;
}

Rate bench_raw_puts(const std::string& dir, int threads, double seconds) {
  rocksdb::Options o;
  o.create_if_missing = true;
  o.statistics = rocksdb::CreateDBStatistics();
  rocksdb::DB* raw = nullptr;
  auto s = rocksdb::DB::Open(o, dir, &raw);
  if (!s.ok()) die("open raw: " + s.ToString());
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::WriteOptions w;
  w.sync = true;
  Rate r = run_for(threads, seconds, [&](int t, std::uint64_t i) {
    char key[24];
    std::snprintf(key, sizeof key, "%04d:%016llx", t, static_cast<unsigned long long>(i));
    auto st = db->Put(w, key, payload_300(i));
    if (!st.ok()) die("put: " + st.ToString());
  });
  // RocksDB's own write groups: a leader writes (and syncs) for its followers.
  const auto self = o.statistics->getTickerCount(rocksdb::WRITE_DONE_BY_SELF);
  const auto other = o.statistics->getTickerCount(rocksdb::WRITE_DONE_BY_OTHER);
  if (self > 0) r.per_group = static_cast<double>(self + other) / static_cast<double>(self);
  rocksdb::HistogramData sync;
  o.statistics->histogramData(rocksdb::WAL_FILE_SYNC_MICROS, &sync);
  r.group_write_us = sync.average;
  (void)db->Close();
  return r;
}

// fdatasync of 300-byte appends to a plain file, one thread: the disk's floor.
Rate bench_fdatasync(const std::string& dir, double seconds) {
  std::string path = dir + "/fdatasync.bin";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0) die("open " + path);
  const std::string p = payload_300(0);
  Rate r = run_for(1, seconds, [&](int, std::uint64_t) {
    if (::write(fd, p.data(), p.size()) != static_cast<ssize_t>(p.size())) die("write");
    if (::fdatasync(fd) != 0) die("fdatasync");
  });
  ::close(fd);
  return r;
}

void load_log(const std::string& dir, std::uint64_t events) {
  auto opened = es::open_rocks_event_store(store_options(dir, es::Durability::kAsync));
  if (!opened) die("open store: " + opened.error().message);
  auto& store = **opened;
  constexpr std::uint64_t kBatch = 1000;
  constexpr int kLoaders = 4;
  std::atomic<std::uint64_t> next{0};
  auto start = Clock::now();
  std::vector<std::thread> pool;
  pool.reserve(kLoaders);
  for (int t = 0; t < kLoaders; ++t) {
    pool.emplace_back([&] {
      for (;;) {
        std::uint64_t b = next.fetch_add(kBatch);
        if (b >= events) return;
        es::AppendRequest req;
        req.stream = "load-" + std::to_string((b / kBatch) % 64);
        for (std::uint64_t i = b; i < std::min(events, b + kBatch); ++i) {
          req.events.push_back(make_event(
              event_id(0xffff, i), i % 3 == 0 ? "MemberJoined" : "MeetingHeld", payload_300(i)));
        }
        auto res = store.append_sync(std::move(req));
        if (!res) die("load: " + res.error().message);
      }
    });
  }
  for (auto& th : pool) th.join();
  store.close();
  double s = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("loaded %llu events (kAsync, batches of %llu) in %.2f s: %.0f events/s\n",
              static_cast<unsigned long long>(events), static_cast<unsigned long long>(kBatch), s,
              static_cast<double>(events) / s);
}

double best_of(int runs, std::uint64_t expect, const std::function<std::uint64_t()>& pass) {
  double best = 0;
  for (int i = 0; i < runs; ++i) {
    auto start = Clock::now();
    std::uint64_t n = pass();
    double s = std::chrono::duration<double>(Clock::now() - start).count();
    if (n != expect)
      die("read " + std::to_string(n) + " events, expected " + std::to_string(expect));
    best = std::max(best, static_cast<double>(n) / s);
  }
  return best;
}

std::unique_ptr<es::EventStore> timed_open(const std::string& dir, const char* what) {
  auto start = Clock::now();
  auto opened = es::open_rocks_event_store(store_options(dir, es::Durability::kSync));
  if (!opened) die("open store: " + opened.error().message);
  std::printf("store open, %s: %.3f s, head %llu\n", what,
              std::chrono::duration<double>(Clock::now() - start).count(),
              static_cast<unsigned long long>((*opened)->head_position()));
  return std::move(*opened);
}

double bench_store_scan(const std::string& dir, std::uint64_t events) {
  timed_open(dir, "first after the load")->close();
  auto opened = timed_open(dir, "again");
  auto& store = *opened;
  double rate = best_of(3, events, [&] {
    std::uint64_t bytes = 0;
    auto n = store.scan_all(0, [&](const es::RecordedEvent& e) {
      bytes += e.payload.size();
      return true;
    });
    if (!n) die("scan_all: " + n.error().message);
    if (bytes == 0) die("no payload bytes");
    return *n;
  });
  store.close();
  return rate;
}

double bench_raw_scan(const std::string& dir, std::uint64_t events) {
  ikv::bench::RawLog raw;
  if (auto error = raw.open(dir)) die(*error);
  rocksdb::DB* db = raw.db.get();
  rocksdb::ColumnFamilyHandle* log = raw.log;
  double rate = best_of(3, events, [&] {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), log));
    std::uint64_t n = 0, bytes = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ++n;
      bytes += it->value().size();
    }
    if (bytes == 0) die("no value bytes");
    return n;
  });
  return rate;
}

Config parse(int argc, char** argv) {
  Config c;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die("missing value for " + a);
      return argv[++i];
    };
    if (a == "--quick") {
      c.seconds = 1.0;
      c.events = 100'000;
    } else if (a == "--seconds") {
      c.seconds = std::stod(value());
    } else if (a == "--events") {
      c.events = std::stoull(value());
    } else if (a == "--dir") {
      c.dir = value();
      c.keep_dir = true;
    } else if (a == "--threads") {
      c.threads.clear();
      std::string list = value();
      for (std::size_t at = 0; at <= list.size();) {
        std::size_t comma = std::min(list.find(',', at), list.size());
        int n = std::atoi(list.substr(at, comma - at).c_str());
        if (n < 1 || n > 1024) die("--threads: counts from 1 to 1024, comma-separated");
        c.threads.push_back(n);
        at = comma + 1;
      }
    } else if (a == "--appends-only") {
      c.appends_only = true;
    } else {
      die("usage: ikv_store_bench [--quick] [--seconds N] [--events N] [--dir PATH] "
          "[--threads N[,N...]] [--appends-only]");
    }
  }
  if (c.dir.empty()) {
    c.dir =
        (fs::temp_directory_path() / ("ikv-store-bench-" + std::to_string(::getpid()))).string();
  }
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  Config c = parse(argc, argv);
  fs::create_directories(c.dir);
  std::printf("ikv_store_bench\nmachine: %u CPUs (nproc), %s\nrocksdb %d.%d.%d, data in %s\n\n",
              std::thread::hardware_concurrency(), cpu_model().c_str(), ROCKSDB_MAJOR,
              ROCKSDB_MINOR, ROCKSDB_PATCH, c.dir.c_str());

  Rate disk = bench_fdatasync(c.dir, c.seconds);
  std::printf(
      "disk floor: write+fdatasync of 300 bytes, 1 thread: %.0f/s, p50 %.0f us, p99 %.0f us\n\n",
      disk.per_second, disk.p50_us, disk.p99_us);

  std::printf("durable appends, 300-byte JSON, %.1f s per run, sync on\n", c.seconds);
  std::printf("%8s | %12s %9s %9s %9s | %12s %9s %9s %9s | %10s\n", "threads", "store ops/s",
              "p50 us", "p99 us", "per group", "raw puts/s", "p50 us", "p99 us", "per group",
              "store/raw");
  double ratio64 = 0;
  std::string group_times;
  for (int threads : c.threads) {
    std::string sd = c.dir + "/store-" + std::to_string(threads);
    std::string rd = c.dir + "/raw-" + std::to_string(threads);
    fs::remove_all(sd);
    fs::remove_all(rd);
    Rate s = bench_store_appends(sd, threads, c.seconds);
    Rate r = bench_raw_puts(rd, threads, c.seconds);
    double ratio = s.per_second / r.per_second;
    if (threads == 64) ratio64 = ratio;
    char t[96];
    std::snprintf(t, sizeof t, "%s%d: sync %.0f / %.0f us, CPU per write %.1f / %.1f us",
                  group_times.empty() ? "" : "\n  ", threads, s.group_write_us, r.group_write_us,
                  s.cpu_us_per_op, r.cpu_us_per_op);
    group_times += t;
    std::printf("%8d | %12.0f %9.0f %9.0f %9.1f | %12.0f %9.0f %9.0f %9.1f | %9.2fx\n", threads,
                s.per_second, s.p50_us, s.p99_us, s.per_group, r.per_second, r.p50_us, r.p99_us,
                r.per_group, ratio);
    std::fflush(stdout);
    fs::remove_all(sd);
    fs::remove_all(rd);
  }
  std::printf(
      "per group: writes per group; store: commit groups from stats(), raw: RocksDB's\n"
      "write groups (WRITE_DONE_BY_SELF/OTHER). Mean WAL sync per group and process CPU\n"
      "time (user + system, all threads) per write, store / raw:\n"
      "  %s\n",
      group_times.c_str());
  if (ratio64 > 0) {
    std::printf("target: store/raw at 64 >= 2.00x: %s (%.2fx)\n\n",
                ratio64 >= 2.0 ? "met" : "MISSED", ratio64);
  }
  if (c.appends_only) {
    if (!c.keep_dir) fs::remove_all(c.dir);
    return 0;
  }

  std::string ld = c.dir + "/log";
  fs::remove_all(ld);
  load_log(ld, c.events);
  double store_rate = bench_store_scan(ld, c.events);
  double raw_rate = bench_raw_scan(ld, c.events);
  std::printf("\nglobal log read, %llu events, best of 3\n",
              static_cast<unsigned long long>(c.events));
  std::printf("%-34s %14.0f events/s\n", "store scan_all (decoded events)", store_rate);
  std::printf("%-34s %14.0f events/s\n", "raw iterator over \"log\" CF", raw_rate);
  std::printf("%-34s %13.2fx\n", "store/raw", store_rate / raw_rate);
  std::printf("target: store/raw >= 0.50x: %s\n", store_rate / raw_rate >= 0.5 ? "met" : "MISSED");

  if (!c.keep_dir)
    fs::remove_all(c.dir);
  else
    fs::remove_all(ld);
  return 0;
}
