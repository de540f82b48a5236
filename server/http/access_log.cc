#include "server/http/access_log.h"

#include "server/http/utf8.h"

#include <spdlog/formatter.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace ikv::server {
namespace {

std::atomic<LogFormat> g_format{LogFormat::kText};

// Marks a payload that is a list of JSON fields ("k":v,...) rather than text.
constexpr char kFieldsMarker = '\x1e';

void append_quoted(std::string& out, std::string_view text) {
  out += '"';
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (const std::size_t n = utf8_length(text, i); n != 0) {
      out.append(text.substr(i, n));
      i += n - 1;
    } else {
      out += "\\ufffd";
    }
  }
  out += '"';
}

// "2024-11-01T10:00:00.123456Z"
std::string rfc3339_utc(std::chrono::system_clock::time_point t) {
  const auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  auto secs = static_cast<std::time_t>(us / 1'000'000);
  long frac = static_cast<long>(us % 1'000'000);
  if (frac < 0) {
    frac += 1'000'000;
    --secs;
  }
  std::tm utc{};
  gmtime_r(&secs, &utc);
  char buf[48];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(buf + n, sizeof buf - n, ".%06ldZ", frac);
  return buf;
}

class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    std::string line = "{\"ts\":\"" + rfc3339_utc(msg.time) + "\",\"level\":";
    const auto level = spdlog::level::to_string_view(msg.level);
    append_quoted(line, std::string_view(level.data(), level.size()));
    line += ",\"logger\":";
    append_quoted(line, msg.logger_name.size() == 0
                            ? std::string_view("ikv")
                            : std::string_view(msg.logger_name.data(), msg.logger_name.size()));
    const std::string_view payload(msg.payload.data(), msg.payload.size());
    if (!payload.empty() && payload.front() == kFieldsMarker) {
      line += ',';
      line.append(payload.substr(1));
    } else {
      line += ",\"msg\":";
      append_quoted(line, payload);
    }
    line += "}\n";
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

}  // namespace

void set_log_format(LogFormat format) { g_format.store(format); }
LogFormat log_format() { return g_format.load(); }

std::unique_ptr<spdlog::formatter> make_json_formatter() {
  return std::make_unique<JsonFormatter>();
}

std::string json_quote(std::string_view text) {
  std::string out;
  append_quoted(out, text);
  return out;
}

void log_access(const AccessRecord& r, spdlog::logger* logger) {
  std::shared_ptr<spdlog::logger> keep;
  if (logger == nullptr) {
    keep = spdlog::get("access");
    if (!keep) keep = spdlog::default_logger();
    logger = keep.get();
  }
  if (!logger->should_log(spdlog::level::info)) return;
  const std::string_view caller = r.caller.empty() ? std::string_view("-") : r.caller;
  const std::string_view remote = r.remote.empty() ? std::string_view("-") : r.remote;
  if (log_format() == LogFormat::kText) {
    logger->info(
        "request_id={} method={} route={} status={} duration_us={} bytes={} token={} remote={}",
        r.request_id, r.method, r.route, r.status, r.duration_us, r.bytes, caller, remote);
    return;
  }
  std::string f(1, kFieldsMarker);
  f += "\"msg\":\"request\",\"request_id\":";
  append_quoted(f, r.request_id);
  f += ",\"method\":";
  append_quoted(f, r.method);
  f += ",\"route\":";
  append_quoted(f, r.route);
  char nums[96];
  std::snprintf(nums, sizeof nums, ",\"status\":%u,\"duration_ms\":%.3f,\"bytes\":%llu", r.status,
                static_cast<double>(r.duration_us) / 1000.0,
                static_cast<unsigned long long>(r.bytes));
  f += nums;
  f += ",\"token\":";
  if (r.caller.empty()) {
    f += "null";
  } else {
    append_quoted(f, r.caller);
  }
  f += ",\"remote\":";
  if (r.remote.empty()) {
    f += "null";
  } else {
    append_quoted(f, r.remote);
  }
  logger->info("{}", f);
}

}  // namespace ikv::server
