#include "crypto/secret_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "crypto/random.h"

namespace ikv::crypto {
namespace {

Error io_error(const std::string& what, const std::filesystem::path& path, int err) {
  return Error{ErrorCode::kIOError, what + " " + path.string() + ": " + std::strerror(err), {}};
}

// Closes a file descriptor on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&&) = delete;
  Fd& operator=(Fd&&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

Status sync_directory(const std::filesystem::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return io_error("cannot open directory", dir, errno);
  if (::fsync(fd.get()) != 0) return io_error("cannot sync directory", dir, errno);
  return ok_status();
}

}  // namespace

Result<bool> secret_file_exists(const std::filesystem::path& path, std::string_view what) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) return true;
  if (errno == ENOENT) return false;
  return io_error("cannot stat " + std::string(what), path, errno);
}

Result<std::string> read_secret_file(const std::filesystem::path& path, std::string_view what,
                                     std::size_t max_size) {
  const std::string name(what);
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) return io_error("cannot open " + name, path, errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return io_error("cannot stat " + name, path, errno);
  if (!S_ISREG(st.st_mode)) {
    return Error{
        ErrorCode::kInvalidArgument, name + " is not a regular file: " + path.string(), {}};
  }
  if (st.st_uid != ::geteuid()) {
    return Error{
        ErrorCode::kInvalidArgument, name + " is owned by another user: " + path.string(), {}};
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return Error{ErrorCode::kInvalidArgument,
                 name + " is accessible to group or others (chmod 600): " + path.string(),
                 {}};
  }
  std::string text(max_size, '\0');
  std::size_t got = 0;
  while (got < text.size()) {
    const ssize_t n = ::read(fd.get(), text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("cannot read " + name, path, errno);
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  text.resize(got);
  return text;
}

Status create_secret_file(const std::filesystem::path& path, std::string_view what,
                          std::string_view text) {
  const std::string name(what);
  const std::filesystem::path tmp = path.string() + ".tmp." + uuid_v4();
  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (fd.get() < 0) return io_error("cannot create " + name, tmp, errno);
  std::size_t put = 0;
  int err = 0;
  while (put < text.size() && err == 0) {
    const ssize_t n = ::write(fd.get(), text.data() + put, text.size() - put);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      err = errno;
    } else {
      put += static_cast<std::size_t>(n);
    }
  }
  if (err == 0 && ::fchmod(fd.get(), 0600) != 0) err = errno;
  if (err == 0 && ::fsync(fd.get()) != 0) err = errno;
  if (::close(fd.release()) != 0 && err == 0) err = errno;
  if (err == 0 && ::link(tmp.c_str(), path.c_str()) != 0 && errno != EEXIST) err = errno;
  ::unlink(tmp.c_str());
  if (err != 0) return io_error("cannot write " + name, path, err);
  return sync_directory(path.has_parent_path() ? path.parent_path() : ".");
}

}  // namespace ikv::crypto
