#include "app/snapshot_fork.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <new>
#include <string>
#include <string_view>
#include <utility>

namespace ikv::app {
namespace {

constexpr std::string_view kEndMark = "IKVD";
// A length no draft frame reaches; a larger one means a broken stream.
constexpr std::uint64_t kMaxFrame = std::uint64_t{1} << 40;
// The most of a section body the parent holds at once.
constexpr std::uint64_t kPart = std::uint64_t{1} << 20;

Error io_error(const std::string& what, int err) {
  return Error{ErrorCode::kIOError, "snapshot child: " + what + ": " + std::strerror(err), {}};
}

Error broken(const std::string& what) {
  return Error{ErrorCode::kIOError, "snapshot child: " + what, {}};
}

// The child's side: buffered, blocking writes to the pipe. A failed write
// ends the child (the parent then sees a truncated draft).
class PipeWriter {
 public:
  explicit PipeWriter(int fd) : fd_(fd) {}
  void u64(std::uint64_t v) {
    std::array<char, 8> b{};
    for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xff);
    raw(std::string_view(b.data(), b.size()));
  }
  void str(std::string_view s) {
    u64(s.size());
    raw(s);
  }
  void raw(std::string_view s) {
    if (s.size() >= kBuffer) {
      flush();
      write_all(s);
      return;
    }
    if (buffer_.size() + s.size() > kBuffer) flush();
    buffer_.append(s);
  }
  void flush() {
    write_all(buffer_);
    buffer_.clear();
  }

 private:
  static constexpr std::size_t kBuffer = 1 << 20;
  void write_all(std::string_view s) const {
    while (!s.empty()) {
      const ssize_t n = ::write(fd_, s.data(), s.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) ::_exit(3);
      s.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  int fd_;
  std::string buffer_;
};

[[noreturn]] void run_child(int fd, const projections::ReadModels& models, std::uint64_t position) {
  // Never outlive the parent, and let an interrupt end the child as it ends
  // a process that has no handler.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  std::signal(SIGPIPE, SIG_DFL);
  // The server blocks these in every thread (it waits for them on one); the
  // child inherited that mask.
  sigset_t interrupts;
  sigemptyset(&interrupts);
  sigaddset(&interrupts, SIGINT);
  sigaddset(&interrupts, SIGTERM);
  sigaddset(&interrupts, SIGPIPE);
  ::pthread_sigmask(SIG_UNBLOCK, &interrupts, nullptr);
  int code = 0;
  try {
    PipeWriter out(fd);
    out.u64(position);
    out.u64(models.units().size());
    projections::PersonalPieces pieces;
    draft_sections(models, position, pieces, [&](const SnapshotDraft::Section& section) {
      out.str(section.name);
      out.u64(section.format);
      out.u64(section.position);
      out.str(section.body);  // u64 length | bytes: the parent reads it in parts
    });
    out.u64(pieces.pieces().size());
    for (const auto& piece : pieces.pieces()) {
      out.str(piece.subject);
      out.str(piece.plaintext);
    }
    out.raw(kEndMark);
    out.flush();
  } catch (...) {
    code = 4;
  }
  ::close(fd);
  ::_exit(code);
}

// The parent's side: buffered reads from the pipe.
class PipeReader {
 public:
  explicit PipeReader(int fd) : fd_(fd) {}
  // False at EOF or on an error before `n` bytes (errno_ says which).
  bool read(char* out, std::size_t n) {
    while (n > 0) {
      if (pos_ == len_) {
        const ssize_t got = ::read(fd_, buffer_.data(), buffer_.size());
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) {
          error_ = got < 0 ? errno : 0;
          return false;
        }
        pos_ = 0;
        len_ = static_cast<std::size_t>(got);
      }
      const std::size_t take = std::min(n, len_ - pos_);
      std::memcpy(out, buffer_.data() + pos_, take);
      pos_ += take;
      out += take;
      n -= take;
    }
    return true;
  }
  bool u64(std::uint64_t& v) {
    std::array<unsigned char, 8> b{};
    if (!read(reinterpret_cast<char*>(b.data()), b.size())) return false;
    v = 0;
    for (std::size_t i = 0; i < b.size(); ++i) v |= std::uint64_t{b[i]} << (8 * i);
    return true;
  }
  bool str(std::string& s) {
    std::uint64_t n = 0;
    if (!u64(n) || n > kMaxFrame) return false;
    s.resize(static_cast<std::size_t>(n));
    return read(s.data(), s.size());
  }
  int error() const { return error_; }

 private:
  int fd_;
  std::array<char, 1 << 16> buffer_{};
  std::size_t pos_ = 0;
  std::size_t len_ = 0;
  int error_ = 0;
};

// Reads the child's draft, handing its sections to `sink` part by part as
// they come (no section is ever whole in memory here); returns the pieces.
Result<projections::PersonalPieces> read_draft(int fd, std::uint64_t position, DraftSink& sink) {
  PipeReader in(fd);
  std::uint64_t drafted_at = 0;
  std::uint64_t sections = 0;
  if (!in.u64(drafted_at) || !in.u64(sections) || sections > kMaxFrame) {
    return broken("the draft ends in its header");
  }
  if (drafted_at != position) return broken("the draft is of another position");
  std::string name;
  std::string part;
  for (std::uint64_t i = 0; i < sections; ++i) {
    std::uint64_t format = 0;
    std::uint64_t at = 0;
    std::uint64_t size = 0;
    if (!in.str(name) || !in.u64(format) || !in.u64(at) || !in.u64(size) || size > kMaxFrame) {
      return broken("the draft ends in section " + std::to_string(i));
    }
    if (Status s = sink.begin_section(name, static_cast<std::uint32_t>(format), at, size); !s) {
      return s.error();
    }
    while (size > 0) {
      part.resize(static_cast<std::size_t>(std::min<std::uint64_t>(size, kPart)));
      if (!in.read(part.data(), part.size())) {
        return broken("the draft ends in section " + std::to_string(i));
      }
      if (Status s = sink.body(part); !s) return s.error();
      size -= part.size();
    }
    if (Status s = sink.end_section(); !s) return s.error();
  }
  std::uint64_t count = 0;
  if (!in.u64(count) || count > kMaxFrame) return broken("the draft ends before its pieces");
  projections::PersonalPieces pieces;
  auto& list = pieces.pieces();
  list.reserve(static_cast<std::size_t>(count));
  for (std::uint64_t i = 0; i < count; ++i) {
    projections::PersonalPieces::Piece piece;
    if (!in.str(piece.subject) || !in.str(piece.plaintext)) {
      return broken("the draft ends in its pieces");
    }
    list.push_back(std::move(piece));
  }
  std::array<char, kEndMark.size()> mark{};
  if (!in.read(mark.data(), mark.size()) ||
      std::string_view(mark.data(), mark.size()) != kEndMark) {
    return broken("the draft has no end mark");
  }
  return pieces;
}

// Collects a draft's sections in memory.
class Collect final : public DraftSink {
 public:
  explicit Collect(SnapshotDraft& into) : into_(into) {}
  Status begin_section(std::string_view name, std::uint32_t format, std::uint64_t position,
                       std::uint64_t body_size) override {
    into_.sections.push_back({std::string(name), format, position, {}});
    into_.sections.back().body.reserve(static_cast<std::size_t>(body_size));
    return ok_status();
  }
  Status body(std::string_view part) override {
    into_.sections.back().body.append(part);
    return ok_status();
  }
  Status end_section() override { return ok_status(); }

 private:
  SnapshotDraft& into_;
};

}  // namespace

bool fork_available() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
  return false;
#else
  return true;
#endif
#else
  return true;
#endif
}

Result<ForkedDraft> ForkedDraft::begin(const projections::ReadModels& models,
                                       std::uint64_t position) {
  std::array<int, 2> fds{-1, -1};
  if (::pipe2(fds.data(), O_CLOEXEC) != 0) return io_error("cannot make a pipe", errno);
  // Fewer, larger hand-overs; the default 64 KiB also works.
  ::fcntl(fds[0], F_SETPIPE_SZ, 1 << 20);
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int err = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    return io_error("cannot fork", err);
  }
  if (pid == 0) {
    ::close(fds[0]);
    run_child(fds[1], models, position);
  }
  ::close(fds[1]);
  return ForkedDraft(pid, fds[0], position);
}

ForkedDraft::ForkedDraft(ForkedDraft&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      fd_(std::exchange(other.fd_, -1)),
      position_(other.position_) {}

ForkedDraft::~ForkedDraft() {
  if (fd_ >= 0) ::close(fd_);
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
}

Result<projections::PersonalPieces> ForkedDraft::finish(DraftSink& sink) {
  if (pid_ <= 0) return broken("finish() called twice");
  Result<projections::PersonalPieces> pieces = broken("no draft");
  try {
    pieces = read_draft(fd_, position_, sink);
  } catch (const std::bad_alloc&) {
    pieces = broken("the draft does not fit in memory");
  }
  ::close(fd_);
  fd_ = -1;
  int status = 0;
  pid_t got = 0;
  while ((got = ::waitpid(pid_, &status, 0)) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  if (got < 0) return io_error("cannot wait for the child", errno);
  if (WIFSIGNALED(status)) {
    return broken(std::string("killed by signal ") + std::to_string(WTERMSIG(status)));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return broken("exited with status " + std::to_string(WEXITSTATUS(status)));
  }
  return pieces;
}

Result<SnapshotDraft> ForkedDraft::finish() {
  SnapshotDraft draft;
  draft.position = position_;
  Collect collect(draft);
  auto pieces = finish(collect);
  if (!pieces) return pieces.error();
  draft.pieces = std::move(*pieces);
  return draft;
}

}  // namespace ikv::app
