#include "tests/http/harness/server_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/http/harness/http_connection.h"

extern char** environ;

namespace ikv::harness {
namespace {

constexpr std::chrono::milliseconds kPollInterval{10};

Error unavailable(std::string message) {
  return Error{ErrorCode::kUnavailable, std::move(message), {}};
}

ExitStatus decode(int wstatus) {
  ExitStatus s;
  if (WIFEXITED(wstatus)) {
    s.exited = true;
    s.code = WEXITSTATUS(wstatus);
  } else if (WIFSIGNALED(wstatus)) {
    s.signal = WTERMSIG(wstatus);
  }
  return s;
}

std::string describe(const ExitStatus& s) {
  return s.exited ? "exited with code " + std::to_string(s.code)
                  : "killed by signal " + std::to_string(s.signal);
}

// Opens `path` for writing in the child; returns -1 on failure.
int open_output(const std::string& path) {
  return ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
}

}  // namespace

Result<std::uint16_t> free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return unavailable(std::string("socket: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const int err = errno;
    ::close(fd);
    return unavailable(std::string("bind: ") + std::strerror(err));
  }
  ::close(fd);
  return static_cast<std::uint16_t>(ntohs(addr.sin_port));
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Result<std::unique_ptr<ServerProcess>> ServerProcess::start(ProcessOptions o) {
  // Everything the child needs is built before fork: it may only call
  // async-signal-safe functions afterwards.
  std::vector<std::string> argv_s{o.binary};
  argv_s.insert(argv_s.end(), o.args.begin(), o.args.end());
  std::vector<std::string> env_s;
  if (o.inherit_env) {
    for (char** e = environ; *e != nullptr; ++e) {
      const std::string_view kv(*e);
      const std::string_view key = kv.substr(0, kv.find('='));
      bool overridden = false;
      for (const auto& [k, v] : o.env) overridden = overridden || k == key;
      if (!overridden) env_s.emplace_back(kv);
    }
  }
  for (const auto& [k, v] : o.env) env_s.push_back(k + "=" + v);
  std::vector<char*> argv;
  for (auto& s : argv_s) argv.push_back(s.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& s : env_s) envp.push_back(s.data());
  envp.push_back(nullptr);

  int err_fd = -1;
  int out_fd = -1;
  if (!o.stderr_path.empty() && (err_fd = open_output(o.stderr_path)) < 0) {
    return unavailable("cannot open " + o.stderr_path + ": " + std::strerror(errno));
  }
  if (!o.stdout_path.empty() && (out_fd = open_output(o.stdout_path)) < 0) {
    const int e = errno;
    if (err_fd >= 0) ::close(err_fd);
    return unavailable("cannot open " + o.stdout_path + ": " + std::strerror(e));
  }
  int report[2];  // the child writes its exec errno here; closed on exec
  if (::pipe2(report, O_CLOEXEC) != 0) {
    return unavailable(std::string("pipe: ") + std::strerror(errno));
  }
  const pid_t pid = ::fork();
  if (pid == 0) {
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    if (err_fd >= 0) ::dup2(err_fd, STDERR_FILENO);
    if (out_fd >= 0) ::dup2(out_fd, STDOUT_FILENO);
    ::execve(argv[0], argv.data(), envp.data());
    const int e = errno;
    [[maybe_unused]] auto n = ::write(report[1], &e, sizeof e);
    ::_exit(127);
  }
  const int fork_errno = errno;
  if (err_fd >= 0) ::close(err_fd);
  if (out_fd >= 0) ::close(out_fd);
  ::close(report[1]);
  if (pid < 0) {
    ::close(report[0]);
    return unavailable(std::string("fork: ") + std::strerror(fork_errno));
  }
  int exec_errno = 0;
  ssize_t n;
  do {
    n = ::read(report[0], &exec_errno, sizeof exec_errno);
  } while (n < 0 && errno == EINTR);
  ::close(report[0]);
  if (n > 0) {
    int ws = 0;
    ::waitpid(pid, &ws, 0);
    return unavailable("cannot execute " + o.binary + ": " + std::strerror(exec_errno));
  }
  return std::unique_ptr<ServerProcess>(new ServerProcess(pid));
}

ServerProcess::~ServerProcess() {
  if (!status_) kill();
}

void ServerProcess::signal(int signo) {
  if (!status_) ::kill(pid_, signo);
}

std::optional<ExitStatus> ServerProcess::poll() {
  if (status_) return status_;
  int ws = 0;
  const pid_t r = ::waitpid(pid_, &ws, WNOHANG);
  if (r == pid_) status_ = decode(ws);
  return status_;
}

std::optional<ExitStatus> ServerProcess::wait_for(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (auto s = poll()) return s;
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(kPollInterval);
  }
}

ExitStatus ServerProcess::stop(std::chrono::milliseconds grace) {
  signal(SIGTERM);
  if (auto s = wait_for(grace)) return *s;
  return kill();
}

ExitStatus ServerProcess::kill() {
  if (status_) return *status_;
  ::kill(pid_, SIGKILL);
  int ws = 0;
  while (::waitpid(pid_, &ws, 0) < 0 && errno == EINTR) {
  }
  status_ = decode(ws);
  return *status_;
}

Status ServerProcess::wait_ready(std::uint16_t port, std::chrono::milliseconds timeout,
                                 const std::string& path) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string last = "no answer";
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto s = poll()) return unavailable("the server " + describe(*s) + " before it was ready");
    auto conn = HttpConnection::connect(port, std::chrono::seconds(2));
    if (conn) {
      auto reply = (*conn)->request("GET", path);
      if (reply && reply->status == 200) return ok_status();
      last = reply ? "status " + std::to_string(reply->status) : reply.error().message;
    } else {
      last = conn.error().message;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  return unavailable("the server was not ready in time: " + last);
}

}  // namespace ikv::harness
