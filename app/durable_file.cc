#include "app/durable_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

namespace ikv::app {
namespace {

namespace fs = std::filesystem;

// Write-back is started every this many bytes.
constexpr std::size_t kChunk = std::size_t{8} << 20;

Error io_error(const std::string& what, const fs::path& path, int err) {
  return Error{ErrorCode::kIOError, what + " " + path.string() + ": " + std::strerror(err), {}};
}

}  // namespace

Status sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open", dir, errno);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return io_error("cannot sync", dir, err);
  return ok_status();
}

Status replace_file_durably(const fs::path& path, std::string_view bytes) {
  const fs::path tmp = fs::path(path.string() + ".tmp");
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("cannot create", tmp, errno);
  std::size_t put = 0;
  std::size_t started = 0;  // bytes whose write-back was started
  int err = 0;
  while (put < bytes.size() && err == 0) {
    const std::size_t want = std::min(bytes.size() - put, kChunk);
    const ssize_t n = ::write(fd, bytes.data() + put, want);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      err = errno;
      continue;
    }
    put += static_cast<std::size_t>(n);
    if (put - started >= kChunk) {
      // Advisory: a failure here shows again at the fsync below.
      ::sync_file_range(fd, static_cast<off_t>(started), static_cast<off_t>(put - started),
                        SYNC_FILE_RANGE_WRITE);
      started = put;
    }
  }
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err == 0 && ::rename(tmp.c_str(), path.c_str()) != 0) err = errno;
  if (err != 0) {
    ::unlink(tmp.c_str());
    return io_error("cannot write", path, err);
  }
  return sync_directory(path.parent_path());
}

}  // namespace ikv::app
