// Backup retention: the backups POST /v1/admin/backups writes under
// <data>/backups/backup-YYYYMMDDTHHMMSSZ (or the same with "-<n>" when two
// fall in one second) are deleted once they are older than the retention
// period (--backup-retention-days, default 30), so that personal data erased
// since does not linger in old copies longer than that. A backup's age is the
// UTC time in its name, the instant it was made; directories with other names
// are never touched.
//
// Thread-safety: a free function; the caller runs one prune at a time (the
// server prunes on start and after each backup, under the backup route's
// one-at-a-time flag).
//
//   auto removed = prune_backups(data / "backups", 30, now_us);
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace ikv::server {

// The instant (UTC microseconds) a backup directory's name says it was made,
// or nullopt when the name is not a backup's.
std::optional<std::int64_t> backup_time_of(std::string_view name);

// Deletes every backup in `root` made more than `retention_days` days before
// `now_us`; `retention_days` 0 keeps everything. Returns the names deleted. A
// missing `root` is no error. Errors: kIOError when `root` cannot be listed or
// a backup cannot be removed (the ones removed before stay removed).
Result<std::vector<std::string>> prune_backups(const std::filesystem::path& root,
                                               unsigned retention_days, std::int64_t now_us);

}  // namespace ikv::server
