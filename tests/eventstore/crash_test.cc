// SIGKILL of a writer process. The test re-executes its own binary as a child
// (selected by environment variables) that appends multi-event batches from
// several threads and records each acknowledged append in a file right after
// the acknowledgement. The parent kills it at a random moment, reopens the
// store and checks: every acknowledged append is present where it was
// acknowledged, every batch is all-or-nothing, positions have no gaps and the
// hash chain verifies. The next round appends on the same data.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/eventstore/store_test_support.h"

extern char** environ;

namespace ikv::eventstore::testing {
namespace {

constexpr const char* kDirVar = "IKV_CRASH_CHILD_DIR";
constexpr const char* kAckVar = "IKV_CRASH_CHILD_ACKS";
constexpr const char* kRoundVar = "IKV_CRASH_CHILD_ROUND";
constexpr int kChildThreads = 4;

// One acknowledged append, as the child recorded it.
struct AckLine {
  std::string stream;
  std::uint64_t first_version = 0, last_version = 0, first_position = 0, last_position = 0;
  std::vector<std::string> ids;
};

std::string batch_payload(const std::string& batch, int i, int of) {
  return "{\"batch\":\"" + batch + "\",\"i\":" + std::to_string(i) +
         ",\"of\":" + std::to_string(of) + "}";
}

bool parse_payload(const std::string& p, std::string& batch, int& i, int& of) {
  const std::string b = "{\"batch\":\"";
  if (p.rfind(b, 0) != 0) return false;
  auto end = p.find('"', b.size());
  if (end == std::string::npos) return false;
  batch = p.substr(b.size(), end - b.size());
  return std::sscanf(p.c_str() + end, "\",\"i\":%d,\"of\":%d}", &i, &of) == 2;
}

// Child body: appends until killed (or for at most a minute).
void child_main(const std::string& dir, const std::string& acks, const std::string& round) {
  int fd = ::open(acks.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  ASSERT_GE(fd, 0);
  auto store = open_rocks_or_die(dir, Durability::kSync);
  ASSERT_NE(store, nullptr);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::vector<std::thread> threads;
  for (int t = 0; t < kChildThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t * 7919 + std::stoi(round)));
      const std::string tag = "crash-r" + round + "-t" + std::to_string(t);
      for (std::uint64_t n = 0; std::chrono::steady_clock::now() < deadline; ++n) {
        // Two streams per thread, plus one shared by all threads.
        const std::string stream = rng() % 3 == 0 ? std::string("crash-shared")
                                                  : "crash-" + std::to_string(t * 2 + rng() % 2);
        const int size = 1 + static_cast<int>(rng() % 5);
        const std::string batch = tag + "-n" + std::to_string(n);
        AppendRequest req;
        req.stream = stream;
        req.expected = ExpectedVersion::exact(store->stream_version(stream));
        for (int i = 0; i < size; ++i) {
          EventData e;
          e.event_id = make_event_id(tag, n * 8 + static_cast<std::uint64_t>(i));
          e.type = "CrashTested";
          e.payload = batch_payload(batch, i, size);
          req.events.push_back(std::move(e));
        }
        std::string ids;
        for (const auto& e : req.events) ids += (ids.empty() ? "" : ",") + e.event_id;
        auto r = store->append_sync(std::move(req));
        if (!r.ok()) continue;  // a conflict on the shared stream: next batch
        std::ostringstream line;
        line << r->stream << ' ' << r->first_version << ' ' << r->last_version << ' '
             << r->first_position << ' ' << r->last_position << ' ' << ids << '\n';
        const std::string s = line.str();
        if (::write(fd, s.data(), s.size()) != static_cast<ssize_t>(s.size())) std::abort();
      }
    });
  }
  for (auto& th : threads) th.join();
  ::close(fd);
}

TEST(EventStoreCrashChild, AppendsUntilKilled) {
  const char* dir = std::getenv(kDirVar);
  const char* acks = std::getenv(kAckVar);
  const char* round = std::getenv(kRoundVar);
  if (dir == nullptr || acks == nullptr || round == nullptr) {
    GTEST_SKIP() << "the writer process of EventStoreCrash; runs only when spawned by it";
  }
  child_main(dir, acks, round);
}

std::vector<AckLine> read_acks(const std::string& path) {
  std::ifstream in(path);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<AckLine> out;
  std::size_t start = 0;
  for (;;) {
    auto nl = all.find('\n', start);
    if (nl == std::string::npos) break;  // a torn last line is not an acknowledgement
    std::istringstream ls(all.substr(start, nl - start));
    start = nl + 1;
    AckLine a;
    std::string ids;
    ls >> a.stream >> a.first_version >> a.last_version >> a.first_position >> a.last_position >>
        ids;
    std::stringstream is(ids);
    for (std::string id; std::getline(is, id, ',');) a.ids.push_back(id);
    out.push_back(std::move(a));
  }
  return out;
}

// A write the kill cut short (a line crossing a page of the file may be
// written in part) is no acknowledgement; cut it off, so that the next
// round's first line does not run on from it and read as one garbled line.
void drop_torn_tail(const std::string& path) {
  std::ifstream in(path);
  const std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto last_newline = all.rfind('\n');
  const std::size_t keep = last_newline == std::string::npos ? 0 : last_newline + 1;
  if (keep != all.size()) std::filesystem::resize_file(path, keep);
}

pid_t spawn_child(const std::string& dir, const std::string& acks, int round) {
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
  env_strings.push_back(std::string(kDirVar) + "=" + dir);
  env_strings.push_back(std::string(kAckVar) + "=" + acks);
  env_strings.push_back(std::string(kRoundVar) + "=" + std::to_string(round));
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string exe = std::filesystem::read_symlink("/proc/self/exe").string();
  std::string filter = "--gtest_filter=EventStoreCrashChild.AppendsUntilKilled";
  char* argv[] = {exe.data(), filter.data(), nullptr};
  pid_t pid = ::fork();
  if (pid == 0) {
    int devnull = ::open("/dev/null", O_WRONLY);
    if (devnull >= 0) ::dup2(devnull, STDOUT_FILENO);
    ::execve(exe.c_str(), argv, envp.data());
    ::_exit(127);
  }
  return pid;
}

void check_store_after_crash(const std::string& dir, const std::vector<AckLine>& acks) {
  auto store = open_rocks_or_die(dir, Durability::kSync);
  ASSERT_NE(store, nullptr);
  auto log = read_everything(*store);
  expect_well_formed_log(log);
  EXPECT_EQ(store->head_position(), log.size());

  for (const auto& a : acks) {
    ASSERT_EQ(a.last_position - a.first_position + 1, a.ids.size());
    for (std::size_t k = 0; k < a.ids.size(); ++k) {
      const std::uint64_t p = a.first_position + k;
      ASSERT_LE(p, log.size()) << "acknowledged position " << p << " lost";
      EXPECT_EQ(log[p - 1].event_id, a.ids[k]) << "position " << p;
      EXPECT_EQ(log[p - 1].stream, a.stream);
      EXPECT_EQ(log[p - 1].version, a.first_version + k);
    }
    EXPECT_GE(store->stream_version(a.stream), a.last_version);
  }

  // All-or-nothing: each batch present is complete, in order, contiguous.
  std::map<std::string, std::vector<std::pair<std::uint64_t, int>>> batches;
  std::map<std::string, int> sizes;
  for (const auto& e : log) {
    std::string batch;
    int i = 0, of = 0;
    ASSERT_TRUE(parse_payload(e.payload, batch, i, of)) << e.payload;
    batches[batch].push_back({e.position, i});
    sizes[batch] = of;
  }
  for (const auto& [batch, parts] : batches) {
    ASSERT_EQ(parts.size(), static_cast<std::size_t>(sizes[batch])) << "partial batch " << batch;
    for (std::size_t k = 0; k < parts.size(); ++k) {
      EXPECT_EQ(parts[k].first, parts[0].first + k) << "batch " << batch << " not contiguous";
      EXPECT_EQ(parts[k].second, static_cast<int>(k)) << "batch " << batch << " out of order";
    }
  }

  auto v = store->verify();
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_TRUE(v->ok) << v->problem;
  EXPECT_EQ(v->events_checked, log.size());
  store->close();
}

TEST(EventStoreCrash, KillNineLosesNoAcknowledgedAppend) {
  TempDir tmp("ikv-es-crash");
  const std::string dir = (tmp.path() / "db").string();
  const std::string acks = (tmp.path() / "acks.txt").string();
  std::mt19937 rng(20240611);
  std::size_t acked_before = 0;
  for (int round = 0; round < 5; ++round) {
    pid_t pid = spawn_child(dir, acks, round);
    ASSERT_GT(pid, 0);
    // Let the child open the store and acknowledge something, then kill it
    // 50-300 ms later.
    for (int i = 0; i < 2000 && read_acks(acks).size() <= acked_before; ++i) {
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        FAIL() << "child exited early, status " << status;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50 + rng() % 251));
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "child did not die by SIGKILL, status " << status;

    drop_torn_tail(acks);
    auto all = read_acks(acks);
    EXPECT_GT(all.size(), acked_before) << "round " << round << " acknowledged nothing";
    acked_before = all.size();
    check_store_after_crash(dir, all);
    if (HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace ikv::eventstore::testing
