#include "codec/release1.h"

#include <boost/json.hpp>

#include <array>
#include <cstddef>
#include <utility>

#include "codec/event_schema.h"
#include "codec/json_reader.h"
#include "codec/upcast.h"

namespace ikv::codec {

namespace json = boost::json;

namespace {

Error corrupt(std::string message) {
  return Error{ErrorCode::kCorruption, std::move(message), std::nullopt};
}

std::string personal_plaintext(const domain::PersonalData& p) {
  json::object o{{"name", p.name}, {"email", p.email}};
  o["phone"] = to_json(p.phone);
  return json::serialize(o);
}

// Stack space for the JSON of one payload: most payloads parse without a heap
// allocation (larger ones take more from the heap as needed).
constexpr std::size_t kParseBufferSize = 4096;

Result<domain::PersonalData> parse_personal(std::string_view text) {
  alignas(std::max_align_t) unsigned char buffer[kParseBufferSize];
  json::monotonic_resource resource(buffer, sizeof buffer);
  Result<json::object> o = parse_object(text, "personal data", json::storage_ptr(&resource));
  if (!o) return o.error();
  JsonReader r(*o, "personal data");
  domain::PersonalData p{r.str("name"), r.str("email"), r.opt_str("phone")};
  if (!r.ok()) return r.error();
  return p;
}

Result<json::value> seal_personal(const std::optional<domain::PersonalData>& personal,
                                  const std::string& subject, PersonalDataSealer& sealer) {
  if (!personal) return json::value(nullptr);
  Result<std::string> sealed = sealer.seal(subject, personal_plaintext(*personal));
  if (!sealed) return sealed.error();
  return json::value(json::object{{"subject", subject}, {"sealed", *sealed}});
}

struct OpenedPersonal {
  std::optional<domain::PersonalData> data;
  bool erased = false;
};

Result<OpenedPersonal> open_personal(const json::object* block, const std::string& member_id,
                                     const PersonalDataOpener& opener) {
  if (block == nullptr) return OpenedPersonal{};
  JsonReader r(*block, "personal");
  const std::string subject = r.str("subject");
  const std::string sealed = r.str("sealed");
  if (!r.ok()) return r.error();
  if (subject != member_id) return corrupt("personal: subject is not the member");
  Result<std::optional<std::string>> plain = opener.open(subject, sealed);
  if (!plain) return plain.error();
  if (!plain->has_value()) return OpenedPersonal{std::nullopt, true};
  Result<domain::PersonalData> data = parse_personal(**plain);
  if (!data) return data.error();
  return OpenedPersonal{std::move(*data), false};
}

template <class T>
Result<std::string> encode_one(const T& e, PersonalDataSealer& sealer) {
  json::object o;
  write_fields(e, o);
  if constexpr (kHasPersonalData<T>) {
    Result<json::value> personal = seal_personal(e.personal, e.member_id, sealer);
    if (!personal) return personal.error();
    o["personal"] = std::move(*personal);
  }
  return json::serialize(o);
}

template <class T>
Result<domain::Event> decode_one(std::uint32_t schema_version, std::string_view payload,
                                 const PersonalDataOpener& opener) {
  constexpr TypeInfo kInfo = kTypeInfo<T>;
  alignas(std::max_align_t) unsigned char buffer[kParseBufferSize];
  json::monotonic_resource resource(buffer, sizeof buffer);
  Result<json::object> object = parse_object(payload, kInfo.name, json::storage_ptr(&resource));
  if (!object) return object.error();
  if (schema_version < kInfo.json_version) {
    object = upcast(kInfo.name, schema_version, kInfo.json_version, std::move(*object));
    if (!object) return object.error();
  }
  T e{};
  JsonReader r(*object, kInfo.name);
  read_fields(r, e);
  if constexpr (kHasPersonalData<T>) {
    const json::object* block = r.opt_object("personal");
    if (!r.ok()) return r.error();
    Result<OpenedPersonal> opened = open_personal(block, e.member_id, opener);
    if (!opened) return opened.error();
    e.personal = std::move(opened->data);
    if constexpr (std::is_same_v<T, domain::MemberDetailsChanged>) {
      e.personal_erased = opened->erased;
    }
  }
  if (!r.ok()) return r.error();
  return domain::Event(std::move(e));
}

using Decoder = Result<domain::Event> (*)(std::uint32_t, std::string_view,
                                          const PersonalDataOpener&);

template <std::size_t... I>
constexpr std::array<Decoder, sizeof...(I)> make_decoders(std::index_sequence<I...>) {
  return {&decode_one<std::variant_alternative_t<I, domain::Event>>...};
}

constexpr auto kDecoders =
    make_decoders(std::make_index_sequence<std::variant_size_v<domain::Event>>{});

}  // namespace

Result<domain::Event> decode_release1(std::size_t type_index, std::uint32_t schema_version,
                                      std::string_view payload, const PersonalDataOpener& opener) {
  return kDecoders[type_index](schema_version, payload, opener);
}

Result<std::string> encode_release1(const domain::Event& event, PersonalDataSealer& sealer) {
  return std::visit([&sealer](const auto& e) { return encode_one(e, sealer); }, event);
}

}  // namespace ikv::codec
