#include "codec/upcast.h"

#include <string>

namespace ikv::codec {

namespace json = boost::json;

namespace {

using Step = Result<json::object> (*)(json::object);

Error corrupt(std::string message) {
  return Error{ErrorCode::kCorruption, std::move(message), std::nullopt};
}

// MemberJoined v1: {member_id, personal, organisation, sector, since}.
Result<json::object> member_joined_v1_to_v2(json::object payload) {
  json::value* since = payload.if_contains("since");
  if (since == nullptr) return corrupt("MemberJoined v1: missing field 'since'");
  payload["joined_on"] = std::move(*since);
  payload.erase("since");
  if (!payload.contains("title")) payload["title"] = nullptr;
  return payload;
}

struct StepEntry {
  std::string_view type;
  std::uint32_t from_version;
  Step step;
};

constexpr StepEntry kSteps[] = {
    {"MemberJoined", 1, &member_joined_v1_to_v2},
};

}  // namespace

Result<json::object> upcast(std::string_view type, std::uint32_t from_version,
                            std::uint32_t to_version, json::object payload) {
  for (std::uint32_t v = from_version; v < to_version; ++v) {
    Step step = nullptr;
    for (const StepEntry& entry : kSteps) {
      if (entry.type == type && entry.from_version == v) step = entry.step;
    }
    if (step == nullptr) {
      return corrupt(std::string(type) + ": no upcast from schema version " + std::to_string(v));
    }
    Result<json::object> next = step(std::move(payload));
    if (!next) return next.error();
    payload = std::move(*next);
  }
  return payload;
}

}  // namespace ikv::codec
