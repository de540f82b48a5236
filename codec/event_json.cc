#include "codec/event_json.h"

#include "codec/event_schema.h"
#include "codec/json_reader.h"

namespace ikv::codec {

namespace json = boost::json;

namespace {

void put_personal(const std::optional<domain::PersonalData>& personal, bool include_personal,
                  json::object& o) {
  if (include_personal) {
    if (personal) {
      o["name"] = personal->name;
      o["email"] = personal->email;
      o["phone"] = to_json(personal->phone);
    } else {
      o["name"] = nullptr;
      o["email"] = nullptr;
      o["phone"] = nullptr;
    }
  }
  o["erased"] = !personal.has_value();
}

}  // namespace

json::object event_payload_json(const domain::Event& event, const EventJsonOptions& options) {
  return std::visit(
      [&options](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        json::object o;
        write_fields(e, o);
        if constexpr (std::is_same_v<T, domain::MemberJoined>) {
          put_personal(e.personal, options.include_personal, o);
        } else if constexpr (std::is_same_v<T, domain::MemberDetailsChanged>) {
          if (e.personal || e.personal_erased) {
            put_personal(e.personal, options.include_personal, o);
          }
          o["reason"] = to_json(e.reason);
        } else if constexpr (std::is_same_v<T, domain::JoinRequested>) {
          put_personal(e.details ? std::optional(e.details->personal) : std::nullopt,
                       options.include_personal, o);
          if (options.include_personal) {
            o["title"] = e.details ? to_json(e.details->title) : json::value(nullptr);
            o["message"] = e.details ? to_json(e.details->message) : json::value(nullptr);
          }
        }
        return o;
      },
      event);
}

}  // namespace ikv::codec
