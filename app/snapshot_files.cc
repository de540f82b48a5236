#include "app/snapshot_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

namespace ikv::app {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPrefix = "registry-";
constexpr std::string_view kSuffix = ".snap";

Error io_error(const std::string& what, const fs::path& path, int err) {
  return Error{ErrorCode::kIOError, what + " " + path.string() + ": " + std::strerror(err), {}};
}

std::string file_name(std::uint64_t position) {
  char digits[32];
  std::snprintf(digits, sizeof digits, "%020llu", static_cast<unsigned long long>(position));
  return std::string(kPrefix) + digits + std::string(kSuffix);
}

// The position a file name says, nullopt for any other name.
std::optional<std::uint64_t> position_of(const std::string& name) {
  if (name.size() != kPrefix.size() + 20 + kSuffix.size() || !name.starts_with(kPrefix) ||
      !name.ends_with(kSuffix)) {
    return std::nullopt;
  }
  std::uint64_t position = 0;
  for (std::size_t i = kPrefix.size(); i < kPrefix.size() + 20; ++i) {
    if (name[i] < '0' || name[i] > '9') return std::nullopt;
    position = position * 10 + static_cast<std::uint64_t>(name[i] - '0');
  }
  return position;
}

Status sync_fd_path(const fs::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open", path, errno);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return io_error("cannot sync", path, err);
  return ok_status();
}

}  // namespace

Status write_snapshot_file(const fs::path& data_dir, std::uint64_t position,
                           std::string_view bytes) {
  const fs::path dir = data_dir / kSnapshotDir;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    return Error{ErrorCode::kIOError, "cannot create " + dir.string() + ": " + ec.message(), {}};
  const std::string name = file_name(position);
  const fs::path tmp = dir / (name + ".tmp");
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("cannot create", tmp, errno);
  std::size_t put = 0;
  int err = 0;
  while (put < bytes.size() && err == 0) {
    const ssize_t n = ::write(fd, bytes.data() + put, bytes.size() - put);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      err = errno;
    } else {
      put += static_cast<std::size_t>(n);
    }
  }
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err == 0 && ::rename(tmp.c_str(), (dir / name).c_str()) != 0) err = errno;
  if (err != 0) {
    ::unlink(tmp.c_str());
    return io_error("cannot write snapshot", dir / name, err);
  }
  if (Status synced = sync_fd_path(dir, O_RDONLY | O_DIRECTORY); !synced) return synced;
  // The new one is durable: the older ones and leftovers go.
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string other = entry.path().filename().string();
    const auto at = position_of(other);
    if ((at && *at != position) || (other.ends_with(".tmp") && other != name + ".tmp")) {
      fs::remove(entry.path(), ec);
    }
  }
  return ok_status();
}

Result<std::optional<std::string>> read_latest_snapshot_file(const fs::path& data_dir) {
  const fs::path dir = data_dir / kSnapshotDir;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return std::optional<std::string>();
  std::optional<std::uint64_t> newest;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const auto at = position_of(entry.path().filename().string());
    if (at && (!newest || *at > *newest)) newest = at;
  }
  if (ec)
    return Error{ErrorCode::kIOError, "cannot list " + dir.string() + ": " + ec.message(), {}};
  if (!newest) return std::optional<std::string>();
  const fs::path path = dir / file_name(*newest);
  std::ifstream in(path, std::ios::binary);
  if (!in) return io_error("cannot open", path, errno);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return io_error("cannot read", path, errno);
  return std::optional<std::string>(std::move(bytes));
}

std::size_t snapshot_file_count(const fs::path& data_dir) {
  std::error_code ec;
  std::size_t n = 0;
  for (const auto& entry : fs::directory_iterator(data_dir / kSnapshotDir, ec)) {
    if (position_of(entry.path().filename().string())) ++n;
  }
  return n;
}

}  // namespace ikv::app
