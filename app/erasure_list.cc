#include "app/erasure_list.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>

#include "app/durable_file.h"
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
  return replace_file_durably(data_dir / kErasureListFile, text);
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
