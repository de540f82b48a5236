// ikv-bench-replay: how fast a data directory's log is read back, two ways in
// one run:
//   raw    a RocksDB iterator over the store's "log" column family, opened
//          read-only (bytes only, nothing decoded): best of --runs passes;
//   replay app::Registry::open on the directory, as the server opens it: every
//          event decoded (personal data opened) and folded into every
//          projection; timed until open returns, best of --runs.
// Prints "RESULT <name> <value>" lines for scripts.
//
//   ikv-bench-replay --data DIR [--runs 3]
#include <rocksdb/db.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "app/registry.h"
#include "app/snapshot_files.h"
#include "bench/raw_log.h"

namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "ikv-bench-replay: %s\n", what.c_str());
  std::exit(1);
}

// One pass of the raw iterator; returns {events, seconds}.
std::pair<std::uint64_t, double> raw_pass(const std::string& dir) {
  ikv::bench::RawLog raw;
  if (auto error = raw.open(dir)) die(*error);
  rocksdb::DB* db = raw.db.get();
  rocksdb::ColumnFamilyHandle* log = raw.log;
  auto start = Clock::now();
  std::uint64_t n = 0, bytes = 0;
  {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), log));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ++n;
      bytes += it->value().size();
    }
  }
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  if (n > 0 && bytes == 0) die("no value bytes");
  return {n, secs};
}

}  // namespace

int main(int argc, char** argv) {
  std::string data;
  int runs = 3;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--data" && i + 1 < argc)
      data = argv[++i];
    else if (a == "--runs" && i + 1 < argc)
      runs = std::max(1, std::atoi(argv[++i]));
    else
      die("usage: ikv-bench-replay --data DIR [--runs N]");
  }
  if (data.empty()) die("--data is required");

  double raw_best = 0;
  std::uint64_t raw_events = 0;
  for (int r = 0; r < runs; ++r) {
    auto [n, secs] = raw_pass(data + "/events");
    raw_events = n;
    raw_best = std::max(raw_best, static_cast<double>(n) / secs);
    std::printf("raw pass %d: %llu events in %.3f s\n", r + 1, static_cast<unsigned long long>(n),
                secs);
  }

  double replay_best = 0, replay_secs_best = 1e9;
  std::uint64_t head = 0, snapshots = 0;
  for (int r = 0; r < runs; ++r) {
    auto start = Clock::now();
    // The whole log, every time: no snapshot read, none written.
    auto opened = ikv::app::Registry::open({.data_dir = data,
                                            .snapshot_every_events = 0,
                                            .snapshot_on_close = false,
                                            .load_snapshot = false});
    double secs = std::chrono::duration<double>(Clock::now() - start).count();
    if (!opened) die("open " + data + ": " + opened.error().message);
    auto& reg = **opened;
    head = reg.store().head_position();
    if (reg.applied_position() != head) die("projections did not catch up to the head");
    snapshots = ikv::app::snapshot_file_count(data);
    reg.close();
    opened->reset();
    replay_best = std::max(replay_best, static_cast<double>(head) / secs);
    replay_secs_best = std::min(replay_secs_best, secs);
    std::printf("replay pass %d: %llu events in %.3f s (snapshot files: %llu)\n", r + 1,
                static_cast<unsigned long long>(head), secs,
                static_cast<unsigned long long>(snapshots));
  }
  if (raw_events != head) {
    std::printf("note: raw iterator saw %llu events, registry head is %llu\n",
                static_cast<unsigned long long>(raw_events), static_cast<unsigned long long>(head));
  }
  std::printf("RESULT events %llu\n", static_cast<unsigned long long>(head));
  std::printf("RESULT raw_events_per_s %.0f\n", raw_best);
  std::printf("RESULT replay_events_per_s %.0f\n", replay_best);
  std::printf("RESULT replay_seconds %.3f\n", replay_secs_best);
  std::printf("RESULT snapshot_entries %llu\n", static_cast<unsigned long long>(snapshots));
  return 0;
}
