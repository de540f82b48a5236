#include "server/http/access_log.h"

#include <spdlog/spdlog.h>

namespace ikv::server {

void log_access(const AccessRecord& r, spdlog::logger* logger) {
  std::shared_ptr<spdlog::logger> keep;
  if (logger == nullptr) {
    keep = spdlog::get("access");
    if (!keep) keep = spdlog::default_logger();
    logger = keep.get();
  }
  logger->info("request_id={} method={} route={} status={} duration_us={}", r.request_id, r.method,
               r.route, r.status, r.duration_us);
}

}  // namespace ikv::server
