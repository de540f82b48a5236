// A store whose disk fills up. A child process (this binary, re-executed)
// appends 128 KiB events to a store on a 6 MiB tmpfs until an append fails,
// then, with room made on the disk again, checks that later appends get
// kUnavailable, and closes the store. Acknowledged appends are recorded in a
// file. The parent checks that the child neither crashed nor saw an append
// succeed after the failure, then reopens the store and finds every
// acknowledged append and a valid chain. Needs permission to mount a tmpfs
// (root); skipped otherwise.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "tests/eventstore/store_test_support.h"

extern char** environ;

namespace ikv::eventstore::testing {
namespace {

constexpr const char* kDiskVar = "IKV_DISK_FULL_DIR";
constexpr const char* kReportVar = "IKV_DISK_FULL_REPORT";

bool resize_tmpfs(const std::string& dir, const std::string& size) {
  return ::mount("tmpfs", dir.c_str(), "tmpfs", MS_REMOUNT, ("size=" + size).c_str()) == 0;
}

// A tmpfs of a given size mounted on a fresh directory; unmounted on destruction.
class SmallDisk {
 public:
  explicit SmallDisk(const std::string& size) {
    ok_ = ::mount("tmpfs", dir_.str().c_str(), "tmpfs", 0, ("size=" + size).c_str()) == 0;
    if (!ok_) error_ = std::strerror(errno);
  }
  ~SmallDisk() {
    if (ok_) (void)::umount2(dir_.str().c_str(), MNT_DETACH);
  }
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;

  bool ok() const { return ok_; }
  const std::string& error() const { return error_; }
  std::string path() const { return dir_.str(); }

 private:
  TempDir dir_{"ikv-es-small-disk"};
  bool ok_ = false;
  std::string error_;
};

// Child body. Report lines: "ack <first_pos> <last_pos> <id1> <id2>",
// "fail <code>", "after <code or ok>", "closed".
void fill_disk(const std::string& mount_dir, const std::string& report) {
  int fd = ::open(report.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  ASSERT_GE(fd, 0);
  auto say = [fd](const std::string& line) {
    const std::string s = line + "\n";
    if (::write(fd, s.data(), s.size()) != static_cast<ssize_t>(s.size())) std::abort();
  };
  auto store = open_rocks_or_die(mount_dir + "/db");
  ASSERT_NE(store, nullptr);
  const std::string big(64 * 1024, 'x');
  bool failed = false;
  for (int i = 0; i < 1000 && !failed; ++i) {
    AppendRequest req = request("full-" + std::to_string(i % 4), ExpectedVersion::any(), 2);
    for (auto& e : req.events) e.payload = "{\"fill\":\"" + big + "\"}";
    const std::string ids = req.events[0].event_id + " " + req.events[1].event_id;
    auto r = store->append_sync(std::move(req));
    if (r.ok()) {
      say("ack " + std::to_string(r->first_position) + " " + std::to_string(r->last_position) +
          " " + ids);
    } else {
      say("fail " + std::string(to_string(r.error().code)));
      failed = true;
    }
  }
  ASSERT_TRUE(failed) << "6 MiB took 1000 appends of 128 KiB";
  ASSERT_TRUE(resize_tmpfs(mount_dir, "256m"));
  for (int i = 0; i < 3; ++i) {
    auto r = store->append_sync(request("full-small", ExpectedVersion::any(), 1));
    say("after " + (r.ok() ? std::string("ok") : std::string(to_string(r.error().code))));
  }
  store->close();
  store.reset();
  say("closed");
  ::close(fd);
}

TEST(EventStoreDiskFullChild, FillsTheDisk) {
  const char* dir = std::getenv(kDiskVar);
  const char* report = std::getenv(kReportVar);
  if (dir == nullptr || report == nullptr) {
    GTEST_SKIP() << "the writer process of EventStoreDiskFull; runs only when spawned by it";
  }
  fill_disk(dir, report);
}

int run_child(const std::string& dir, const std::string& report) {
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
  env_strings.push_back(std::string(kDiskVar) + "=" + dir);
  env_strings.push_back(std::string(kReportVar) + "=" + report);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string exe = std::filesystem::read_symlink("/proc/self/exe").string();
  std::string filter = "--gtest_filter=EventStoreDiskFullChild.FillsTheDisk";
  char* argv[] = {exe.data(), filter.data(), nullptr};
  pid_t pid = ::fork();
  if (pid == 0) {
    ::execve(exe.c_str(), argv, envp.data());
    ::_exit(127);
  }
  int status = 0;
  if (pid < 0 || ::waitpid(pid, &status, 0) != pid) return -1;
  return status;
}

TEST(EventStoreDiskFull, RefusesWritesAfterAFailedWriteAndKeepsWhatItAcknowledged) {
  SmallDisk disk("6m");
  if (!disk.ok()) GTEST_SKIP() << "cannot mount a tmpfs here: " << disk.error();
  TempDir work("ikv-es-disk-full-report");
  const std::string report = (work.path() / "report.txt").string();
  const int status = run_child(disk.path(), report);

  struct Ack {
    std::uint64_t first = 0, last = 0;
    std::string id1, id2;
  };
  std::vector<Ack> acks;
  std::vector<std::string> other;
  std::ifstream in(report);
  for (std::string line; std::getline(in, line);) {
    std::istringstream ls(line);
    std::string word;
    ls >> word;
    if (word == "ack") {
      Ack a;
      ls >> a.first >> a.last >> a.id1 >> a.id2;
      acks.push_back(a);
    } else {
      other.push_back(line);
    }
  }
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "the writer process " << (WIFSIGNALED(status) ? "died of signal " : "exited with ")
      << (WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status))
      << " when the disk filled; it reported: " << ::testing::PrintToString(other);
  ASSERT_FALSE(acks.empty()) << "nothing was acknowledged before the disk filled";
  EXPECT_FALSE(other.empty()) << "the writer died before it saw an append fail";
  if (!other.empty()) {
    EXPECT_TRUE(other[0] == "fail unavailable" || other[0] == "fail io_error") << other[0];
  }
  for (std::size_t i = 1; i < other.size() && i <= 3; ++i) {
    EXPECT_EQ(other[i], "after unavailable") << "append after a failed write";
  }

  ASSERT_TRUE(resize_tmpfs(disk.path(), "256m"));
  auto store = open_rocks_or_die(disk.path() + "/db");
  ASSERT_NE(store, nullptr);
  auto log = read_everything(*store);
  expect_well_formed_log(log);
  for (const auto& a : acks) {
    ASSERT_LE(a.last, log.size()) << "acknowledged append lost";
    EXPECT_EQ(log[a.first - 1].event_id, a.id1);
    EXPECT_EQ(log[a.last - 1].event_id, a.id2);
  }
  auto v = store->verify();
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_TRUE(v->ok) << v->problem;
  auto r = store->append_sync(request("full-0", ExpectedVersion::any(), 1));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->first_position, log.size() + 1);
  store->close();
  store.reset();
}

}  // namespace
}  // namespace ikv::eventstore::testing
