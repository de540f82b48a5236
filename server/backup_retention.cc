#include "server/backup_retention.h"

#include "domain/date.h"

namespace ikv::server {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPrefix = "backup-";
constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::int64_t kSecondsPerDay = 86'400;

std::optional<int> digits(std::string_view text) {
  int n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

}  // namespace

std::optional<std::int64_t> backup_time_of(std::string_view name) {
  // backup-YYYYMMDDTHHMMSSZ, optionally followed by -<n>
  if (!name.starts_with(kPrefix)) return std::nullopt;
  name.remove_prefix(kPrefix.size());
  if (name.size() < 16 || name[8] != 'T' || name[15] != 'Z') return std::nullopt;
  if (name.size() > 16 && (name[16] != '-' || name.size() == 17 || !digits(name.substr(17)))) {
    return std::nullopt;
  }
  const auto year = digits(name.substr(0, 4));
  const auto month = digits(name.substr(4, 2));
  const auto day = digits(name.substr(6, 2));
  const auto hour = digits(name.substr(9, 2));
  const auto minute = digits(name.substr(11, 2));
  const auto second = digits(name.substr(13, 2));
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  const domain::Date date{*year, *month, *day};
  if (!domain::is_valid(date) || *hour > 23 || *minute > 59 || *second > 59) return std::nullopt;
  const std::int64_t time_of_day =
      (std::int64_t{*hour} * 60 + std::int64_t{*minute}) * 60 + std::int64_t{*second};
  const std::int64_t seconds = domain::days_from_civil(date) * kSecondsPerDay + time_of_day;
  return seconds * kMicrosPerSecond;
}

Result<std::vector<std::string>> prune_backups(const fs::path& root, unsigned retention_days,
                                               std::int64_t now_us) {
  std::vector<std::string> removed;
  std::error_code ec;
  if (retention_days == 0 || !fs::is_directory(root, ec)) return removed;
  const std::int64_t cutoff =
      now_us - static_cast<std::int64_t>(retention_days) * kSecondsPerDay * kMicrosPerSecond;
  std::vector<fs::path> old;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    const std::string name = entry.path().filename().string();
    const auto made = backup_time_of(name);
    if (made && *made < cutoff && entry.is_directory(ec)) old.push_back(entry.path());
  }
  if (ec)
    return Error{ErrorCode::kIOError, "cannot list " + root.string() + ": " + ec.message(), {}};
  for (const fs::path& dir : old) {
    fs::remove_all(dir, ec);
    if (ec) {
      return Error{ErrorCode::kIOError, "cannot remove " + dir.string() + ": " + ec.message(), {}};
    }
    removed.push_back(dir.filename().string());
  }
  return removed;
}

}  // namespace ikv::server
