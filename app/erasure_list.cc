#include "app/erasure_list.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>

#include "crypto/key_vault.h"
#include "crypto/master_key.h"
#include "eventstore/rocks_event_store.h"

namespace ikv::app {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kHeader = "ikv-erasures v1\n";
constexpr std::size_t kMaxId = 64;

Error io_error(const std::string& what, const fs::path& path, int err) {
  return Error{ErrorCode::kIOError, what + " " + path.string() + ": " + std::strerror(err), {}};
}

bool valid_id(std::string_view id) {
  return !id.empty() && id.size() <= kMaxId &&
         std::ranges::all_of(id, [](char c) { return c > 0x20 && c < 0x7f; });
}

Status sync_dir(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open", dir, errno);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return io_error("cannot sync", dir, err);
  return ok_status();
}

}  // namespace

Result<std::vector<std::string>> read_erasure_list(const fs::path& data_dir) {
  const fs::path path = data_dir / kErasureListFile;
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::vector<std::string>();
  std::ifstream in(path, std::ios::binary);
  if (!in) return io_error("cannot open", path, errno);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return io_error("cannot read", path, errno);
  const auto corrupt = [&path](const std::string& why) {
    return Error{ErrorCode::kCorruption, path.string() + ": " + why, {}};
  };
  if (!text.starts_with(kHeader)) return corrupt("not an erasure list");
  std::vector<std::string> ids;
  std::string_view rest = std::string_view(text).substr(kHeader.size());
  while (!rest.empty()) {
    const std::size_t end = rest.find('\n');
    if (end == std::string_view::npos) return corrupt("the last line is not whole");
    const std::string_view id = rest.substr(0, end);
    if (!valid_id(id)) return corrupt("line " + std::to_string(ids.size() + 2) + " is not an id");
    ids.emplace_back(id);
    rest.remove_prefix(end + 1);
  }
  return ids;
}

Status write_erasure_list(const fs::path& data_dir, const std::vector<std::string>& member_ids) {
  std::string text(kHeader);
  std::set<std::string, std::less<>> seen;
  for (const std::string& id : member_ids) {
    if (!valid_id(id)) return Error{ErrorCode::kInvalidArgument, "not a member id", {}};
    if (!seen.insert(id).second) continue;
    text += id;
    text += '\n';
  }
  const fs::path path = data_dir / kErasureListFile;
  const fs::path tmp = data_dir / (std::string(kErasureListFile) + ".tmp");
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("cannot create", tmp, errno);
  std::size_t put = 0;
  int err = 0;
  while (put < text.size() && err == 0) {
    const ssize_t n = ::write(fd, text.data() + put, text.size() - put);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      err = errno;
    } else {
      put += static_cast<std::size_t>(n);
    }
  }
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err == 0 && ::rename(tmp.c_str(), path.c_str()) != 0) err = errno;
  if (err != 0) {
    ::unlink(tmp.c_str());
    return io_error("cannot write", path, err);
  }
  return sync_dir(data_dir);
}

Status add_erasure(const fs::path& data_dir, std::string_view member_id) {
  if (!valid_id(member_id)) return Error{ErrorCode::kInvalidArgument, "not a member id", {}};
  auto ids = read_erasure_list(data_dir);
  if (!ids) return ids.error();
  if (std::ranges::find(*ids, member_id) != ids->end()) return ok_status();
  ids->emplace_back(member_id);
  return write_erasure_list(data_dir, *ids);
}

Status apply_erasures(const fs::path& data_dir, const std::vector<std::string>& member_ids) {
  if (member_ids.empty()) return ok_status();
  auto master = crypto::load_or_create_master_key(data_dir / "master.key");
  if (!master) return master.error();
  auto store = eventstore::open_rocks_event_store({.path = (data_dir / "events").string()});
  if (!store) return store.error();
  Status erased = ok_status();
  {
    crypto::PersonalDataVault vault(**store, {.master_key = *master});
    for (const std::string& id : member_ids) {
      erased = vault.erase(id);
      if (!erased) break;
    }
  }
  (*store)->close();
  if (!erased) return erased;
  return write_erasure_list(data_dir, member_ids);
}

}  // namespace ikv::app
