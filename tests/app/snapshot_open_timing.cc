// Measures Registry::open with a large log, replaying from position 0 and
// starting from a snapshot. Prints the numbers; asserts nothing about time.
//
//   ikv_snapshot_open_timing [events=200000] [dir=/tmp/ikv-open-timing] [existing|snapshot-open]
//
// With "existing", measures an existing directory (e.g. from ikv-bench-gen)
// without writing events; with "snapshot-open", only opens it from its snapshot.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include "app/registry.h"
#include "app/snapshot_codec.h"
#include "app/snapshot_files.h"
#include "tests/app/workload.h"

namespace {

using ikv::app::Registry;
using ikv::app::RegistryOptions;

std::unique_ptr<Registry> open_registry(const std::string& dir, bool load_snapshot) {
  RegistryOptions o;
  o.data_dir = dir;
  o.durability = ikv::eventstore::Durability::kAsync;
  o.snapshot_every_events = 0;
  o.snapshot_on_close = false;
  o.load_snapshot = load_snapshot;
  o.on_warning = [](const std::string& w) { std::fprintf(stderr, "warning: %s\n", w.c_str()); };
  auto r = Registry::open(std::move(o));
  if (!r) {
    std::fprintf(stderr, "open failed: %s\n", r.error().message.c_str());
    std::exit(1);
  }
  return std::move(*r);
}

void print_open(const char* what, const Registry& r, double cpu_seconds) {
  const auto& rep = r.open_report();
  std::printf("%-28s %8.3f s (cpu %.3f s)  snapshot at %llu, replayed %llu events\n", what,
              rep.seconds, cpu_seconds, static_cast<unsigned long long>(rep.snapshot_position),
              static_cast<unsigned long long>(rep.replayed_events));
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t events = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 200'000;
  const std::string dir = argc > 2 ? argv[2] : "/tmp/ikv-open-timing";

  const std::string mode = argc > 3 ? argv[3] : "";
  const bool only_snapshot_open = mode == "snapshot-open";
  if (mode.empty()) {
    auto reg = open_registry(dir, true);
    const auto start = std::chrono::steady_clock::now();
    constexpr int kThreads = 32;  // many appenders: big commit groups
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        ikv::app::testing::WorkloadMix mix;
        mix.erasures = 0;  // each erasure compacts the key table: not a bulk operation
        ikv::app::testing::Workload w(*reg, 1000 + t, mix, "t" + std::to_string(t) + "-");
        w.setup();
        while (reg->store().head_position() < events) w.step();
      });
    }
    for (auto& th : threads) th.join();
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("log: %llu events (written in %.1f s)\n",
                static_cast<unsigned long long>(reg->store().head_position()), secs);
  }

  for (int round = 0; round < 2 && !only_snapshot_open; ++round) {
    const std::clock_t cpu = std::clock();
    auto full = open_registry(dir, false);
    print_open("open, full replay:", *full,
               static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC);
  }
  if (!only_snapshot_open) {
    auto reg = open_registry(dir, false);
    const auto start = std::chrono::steady_clock::now();
    auto written = reg->snapshot_now();
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!written) {
      std::fprintf(stderr, "snapshot failed: %s\n", written.error().message.c_str());
      return 1;
    }
    auto bytes = ikv::app::read_latest_snapshot_file(dir);
    std::printf("snapshot_now: %.3f s, %.1f MiB at position %llu\n", secs,
                bytes && *bytes ? static_cast<double>((*bytes)->size()) / (1024.0 * 1024.0) : 0.0,
                static_cast<unsigned long long>(*written));
  }
  for (int round = 0; round < 2; ++round) {
    const std::clock_t cpu = std::clock();
    auto snap = open_registry(dir, true);
    print_open("open, from the snapshot:", *snap,
               static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC);
  }
  return 0;
}
