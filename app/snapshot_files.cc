#include "app/snapshot_files.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <utility>
#include <vector>

#include "app/durable_file.h"

namespace ikv::app {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPrefix = "registry-";
// A writer's buffer, and how often its write-back is started.
constexpr std::size_t kBuffer = std::size_t{1} << 20;
constexpr std::uint64_t kWriteBack = std::uint64_t{8} << 20;
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

}  // namespace

Result<std::unique_ptr<SnapshotFileWriter>> SnapshotFileWriter::create(const fs::path& data_dir,
                                                                       std::uint64_t position) {
  const fs::path dir = data_dir / kSnapshotDir;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    return Error{ErrorCode::kIOError, "cannot create " + dir.string() + ": " + ec.message(), {}};
  std::string name = file_name(position);
  const fs::path tmp = dir / (name + ".tmp");
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("cannot create", tmp, errno);
  std::unique_ptr<SnapshotFileWriter> w(new SnapshotFileWriter(dir, std::move(name), fd));
  w->position_ = position;
  return w;
}

SnapshotFileWriter::SnapshotFileWriter(fs::path dir, std::string name, int fd)
    : dir_(std::move(dir)), name_(std::move(name)), fd_(fd) {
  buffer_.reserve(kBuffer);
}

SnapshotFileWriter::~SnapshotFileWriter() {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink((dir_ / (name_ + ".tmp")).c_str());
  }
}

Status SnapshotFileWriter::failed(const std::string& what, int err) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  const fs::path tmp = dir_ / (name_ + ".tmp");
  ::unlink(tmp.c_str());
  return io_error(what, tmp, err);
}

Status SnapshotFileWriter::flush() {
  if (fd_ < 0) return Error{ErrorCode::kIOError, "the snapshot file was given up", {}};
  std::string_view rest = buffer_;
  while (!rest.empty()) {
    const ssize_t n = ::write(fd_, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return failed("cannot write", errno);
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
  flushed_ += buffer_.size();
  buffer_.clear();
  if (flushed_ - started_ >= kWriteBack) {
    // Advisory: a failure here shows again at the fsync of commit().
    ::sync_file_range(fd_, static_cast<off_t>(started_), static_cast<off_t>(flushed_ - started_),
                      SYNC_FILE_RANGE_WRITE);
    started_ = flushed_;
  }
  return ok_status();
}

Status SnapshotFileWriter::append(std::string_view bytes) {
  size_ += bytes.size();
  while (!bytes.empty()) {
    const std::size_t take = std::min(bytes.size(), kBuffer - buffer_.size());
    buffer_.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    if (buffer_.size() == kBuffer) {
      if (Status s = flush(); !s) return s;
    }
  }
  return ok_status();
}

Status SnapshotFileWriter::patch(std::uint64_t at, std::string_view bytes) {
  if (at > size_ || bytes.size() > size_ - at) {
    return Error{ErrorCode::kInternal, "snapshot file: a patch beyond the bytes written", {}};
  }
  if (at >= flushed_) {  // still in the buffer
    buffer_.replace(static_cast<std::size_t>(at - flushed_), bytes.size(), bytes);
    return ok_status();
  }
  if (Status s = flush(); !s) return s;
  while (!bytes.empty()) {
    const ssize_t n = ::pwrite(fd_, bytes.data(), bytes.size(), static_cast<off_t>(at));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return failed("cannot write", errno);
    bytes.remove_prefix(static_cast<std::size_t>(n));
    at += static_cast<std::uint64_t>(n);
  }
  return ok_status();
}

Status SnapshotFileWriter::commit() {
  if (Status s = flush(); !s) return s;
  if (::fsync(fd_) != 0) return failed("cannot sync", errno);
  const int fd = std::exchange(fd_, -1);
  const fs::path tmp = dir_ / (name_ + ".tmp");
  if (::close(fd) != 0 || ::rename(tmp.c_str(), (dir_ / name_).c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return io_error("cannot write", dir_ / name_, err);
  }
  if (Status synced = sync_directory(dir_); !synced) return synced;
  // The new one is durable: the older ones and leftovers go.
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    const std::string other = entry.path().filename().string();
    const auto at = position_of(other);
    if ((at && *at != position_) || (other.ends_with(".tmp") && other != name_ + ".tmp")) {
      fs::remove(entry.path(), ec);
    }
  }
  return ok_status();
}

Status write_snapshot_file(const fs::path& data_dir, std::uint64_t position,
                           std::string_view bytes) {
  auto file = SnapshotFileWriter::create(data_dir, position);
  if (!file) return file.error();
  if (Status s = (*file)->append(bytes); !s) return s;
  return (*file)->commit();
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : addr_(std::exchange(other.addr_, nullptr)), size_(std::exchange(other.size_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    if (addr_ != nullptr) ::munmap(addr_, size_);
    addr_ = std::exchange(other.addr_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

MappedFile::~MappedFile() {
  if (addr_ != nullptr) ::munmap(addr_, size_);
}

Result<MappedFile> MappedFile::open(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open", path, errno);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return io_error("cannot size", path, err);
  }
  MappedFile file;
  file.size_ = static_cast<std::size_t>(st.st_size);
  if (file.size_ > 0) {
    void* addr = ::mmap(nullptr, file.size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (addr == MAP_FAILED) {
      const int err = errno;
      ::close(fd);
      return io_error("cannot map", path, err);
    }
    file.addr_ = addr;
    // Read once, front to back: read ahead (the loader gives the pages
    // back as it goes, release()).
    ::madvise(addr, file.size_, MADV_SEQUENTIAL);
    ::madvise(addr, file.size_, MADV_WILLNEED);
  }
  ::close(fd);
  return file;
}

void MappedFile::release(std::string_view part) const {
  const auto base = reinterpret_cast<std::uintptr_t>(addr_);
  const auto from = reinterpret_cast<std::uintptr_t>(part.data());
  if (addr_ == nullptr || from < base || part.size() > size_ || from - base > size_ - part.size()) {
    return;
  }
  static const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const std::uintptr_t first = (from + page - 1) / page * page;
  const std::uintptr_t end = (from + part.size()) / page * page;
  if (end > first) {
    // NOLINTNEXTLINE(performance-no-int-to-ptr): the address of our own mapping
    ::madvise(reinterpret_cast<void*>(first), end - first, MADV_DONTNEED);
  }
}

std::string_view MappedFile::bytes() const {
  return addr_ == nullptr ? std::string_view()
                          : std::string_view(static_cast<const char*>(addr_), size_);
}

Result<std::optional<MappedFile>> map_latest_snapshot_file(const fs::path& data_dir) {
  const fs::path dir = data_dir / kSnapshotDir;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return std::optional<MappedFile>();
  std::optional<std::uint64_t> newest;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const auto at = position_of(entry.path().filename().string());
    if (at && (!newest || *at > *newest)) newest = at;
  }
  if (ec)
    return Error{ErrorCode::kIOError, "cannot list " + dir.string() + ": " + ec.message(), {}};
  if (!newest) return std::optional<MappedFile>();
  auto mapped = MappedFile::open(dir / file_name(*newest));
  if (!mapped) return mapped.error();
  return std::optional<MappedFile>(std::move(*mapped));
}

Result<std::optional<std::string>> read_latest_snapshot_file(const fs::path& data_dir) {
  auto mapped = map_latest_snapshot_file(data_dir);
  if (!mapped) return mapped.error();
  if (!*mapped) return std::optional<std::string>();
  return std::optional<std::string>(std::string((*mapped)->bytes()));
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
