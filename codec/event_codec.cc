// Personal data in a stored payload:
//   "personal": null | {"subject": <member id>, "sealed": <opaque string>}
// where the sealed text is the JSON {"name", "email", "phone"} (phone may be
// null) encrypted by the PersonalDataSealer for that subject.
#include "codec/event_codec.h"

#include <boost/json.hpp>

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
Result<EncodedEvent> encode_one(const T& e, PersonalDataSealer& sealer) {
  json::object o;
  write_fields(e, o);
  if constexpr (kHasPersonalData<T>) {
    Result<json::value> personal = seal_personal(e.personal, e.member_id, sealer);
    if (!personal) return personal.error();
    o["personal"] = std::move(*personal);
  }
  return EncodedEvent{std::string(kTypeInfo<T>.name), kTypeInfo<T>.version, json::serialize(o)};
}

template <class T>
Result<domain::Event> decode_one(const json::object& payload, const PersonalDataOpener& opener) {
  T e{};
  JsonReader r(payload, kTypeInfo<T>.name);
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

using Decoder = Result<domain::Event> (*)(const json::object&, const PersonalDataOpener&);

struct Entry {
  std::string_view name;
  std::uint32_t version;
  Decoder decode;
};

template <std::size_t... I>
std::vector<Entry> make_table(std::index_sequence<I...>) {
  static_assert(((!kTypeInfo<std::variant_alternative_t<I, domain::Event>>.name.empty()) && ...),
                "every event type needs a kTypeInfo entry in event_schema.h");
  return {Entry{kTypeInfo<std::variant_alternative_t<I, domain::Event>>.name,
                kTypeInfo<std::variant_alternative_t<I, domain::Event>>.version,
                &decode_one<std::variant_alternative_t<I, domain::Event>>}...};
}

const std::vector<Entry>& table() {
  static const std::vector<Entry> kTable =
      make_table(std::make_index_sequence<std::variant_size_v<domain::Event>>{});
  return kTable;
}

const Entry* find_entry(std::string_view type) {
  for (const Entry& e : table()) {
    if (e.name == type) return &e;
  }
  return nullptr;
}

}  // namespace

Result<EncodedEvent> encode(const domain::Event& event, PersonalDataSealer& sealer) {
  return std::visit([&sealer](const auto& e) { return encode_one(e, sealer); }, event);
}

Result<domain::Event> decode(std::string_view type, std::uint32_t schema_version,
                             std::string_view payload, const PersonalDataOpener& opener) {
  const Entry* entry = find_entry(type);
  if (entry == nullptr) return corrupt("unknown event type '" + std::string(type) + "'");
  if (schema_version == 0 || schema_version > entry->version) {
    return corrupt(std::string(type) + ": unknown schema version " +
                   std::to_string(schema_version));
  }
  alignas(std::max_align_t) unsigned char buffer[kParseBufferSize];
  json::monotonic_resource resource(buffer, sizeof buffer);
  Result<json::object> object = parse_object(payload, type, json::storage_ptr(&resource));
  if (!object) return object.error();
  if (schema_version < entry->version) {
    object = upcast(type, schema_version, entry->version, std::move(*object));
    if (!object) return object.error();
  }
  return entry->decode(*object, opener);
}

std::string_view type_name(const domain::Event& event) {
  return std::visit([](const auto& e) { return kTypeInfo<std::decay_t<decltype(e)>>.name; }, event);
}

const std::vector<std::string_view>& event_type_names() {
  static const std::vector<std::string_view> kNames = [] {
    std::vector<std::string_view> names;
    for (const Entry& e : table()) names.push_back(e.name);
    return names;
  }();
  return kNames;
}

std::optional<std::uint32_t> current_schema_version(std::string_view type) {
  const Entry* entry = find_entry(type);
  if (entry == nullptr) return std::nullopt;
  return entry->version;
}

}  // namespace ikv::codec
