// The command endpoints: each turns its request into one domain command.
#include <algorithm>

#include <boost/beast/http/verb.hpp>

#include "crypto/random.h"
#include "domain/form_checks.h"
#include "domain/streams.h"
#include "eventstore/event_store.h"
#include "projections/instant.h"
#include "server/api.h"
#include "server/command_route.h"
#include "server/http/problem.h"

namespace ikv::server {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

using Planned = std::variant<CommandPlan, Response>;

const StringRules kName{.min_len = 1, .max_len = 200};
const StringRules kText{.min_len = 1, .max_len = 2000};
const StringRules kReason{.min_len = 1, .max_len = 1000};
const StringRules kLongText{.min_len = 0, .max_len = 10000};
const StringRules kId{.min_len = 1, .max_len = 64};

domain::LocalizedText localized(FieldReader& parent, std::string_view key) {
  FieldReader r = parent.required_object(key);
  domain::LocalizedText t;
  if (!r.present()) return t;
  t.fi = r.required_string("fi", kName).value_or("");
  t.sv = r.required_string("sv", kName).value_or("");
  t.en = r.required_string("en", kName).value_or("");
  r.reject_unknown();
  return t;
}

StoredAnswer answer(std::string_view id, http::status status = http::status::ok,
                    std::string location = {}) {
  StoredAnswer a;
  a.status = status;
  a.location = std::move(location);
  a.body["id"] = id;
  return a;
}

// A text of 1 to `rules.max_len` characters from the body or the query (the
// body wins when both have one); each one given must be valid, else a 422
// error is recorded in `r`.
std::optional<std::string> body_or_query_text(RequestContext& ctx, FieldReader& r,
                                              std::string_view key, const StringRules& rules) {
  auto text = r.optional_string(key, rules);
  const auto q = ctx.query_value(key);
  if (!q) return text;
  const auto chars = std::count_if(q->begin(), q->end(), [](char ch) {
    return (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  });
  if (chars < static_cast<std::ptrdiff_t>(std::max<std::size_t>(rules.min_len, 1)) ||
      static_cast<std::size_t>(chars) > rules.max_len) {
    r.add_error(key, "must be 1 to " + std::to_string(rules.max_len) + " characters");
    return std::nullopt;
  }
  return text ? text : std::optional<std::string>(std::string(*q));
}

// Adds the domain's validation rejections to the reader's errors, leaving out
// fields the reader already reported (a missing field is not also "empty").
void add_issues(FieldReader& r, const std::vector<domain::Rejection>& issues) {
  for (const auto& issue : issues) {
    const bool known =
        std::any_of(r.errors().begin(), r.errors().end(),
                    [&issue](const FieldError& e) { return e.field == issue.field; });
    if (!known) r.add_error_at(issue.field, issue.message);
  }
}

// Every invalid field of a held meeting's record `e` at once, checked against
// the meeting as the read models hold it (the decider checks again when the
// command runs). `amending`: the recorded attendees need not be current members,
// and a record whose attendance is unknown may stay so; `attendance_unknown`:
// the record says the source gives no attendance.
// None for a meeting whose status refuses the command: its 404 or 409 comes first.
std::vector<domain::Rejection> record_issues(ApiContext& api, std::string_view meeting_id,
                                             const domain::MeetingHeld& e, bool amending,
                                             bool attendance_unknown) {
  return api.registry.read([&](const projections::RegistryView& v) {
    const auto m = v.find_meeting(meeting_id);
    const auto wanted =
        amending ? projections::MeetingStatus::kHeld : projections::MeetingStatus::kScheduled;
    if (!m || m->status != wanted) return std::vector<domain::Rejection>{};
    domain::MeetingDetails d;
    d.network_id = m->network_id;
    d.joint_with = m->joint_with;
    d.format = m->format;
    const bool unknown =
        attendance_unknown || (amending && m->attendees.empty() && !m->attendee_count);
    return domain::record_issues(d, e, amending ? m->attendees : std::vector<std::string>{},
                                 unknown, v.decision_context());
  });
}

// An amendment's record as it would stand: the held record with the given
// fields replaced (as the decider builds it).
domain::MeetingHeld amended_record(ApiContext& api, std::string_view meeting_id,
                                   const domain::AmendMeetingRecord& c) {
  return api.registry.read([&](const projections::RegistryView& v) {
    domain::MeetingHeld e;
    if (const auto m = v.find_meeting(meeting_id); m && m->held_on) {
      e = domain::MeetingHeld{*m->held_on, m->attendees, m->attendee_count, m->themes, m->notes};
    }
    if (c.held_on) e.held_on = *c.held_on;
    if (c.attendees) e.attendees = *c.attendees;
    if (c.attendee_count) e.attendee_count = c.attendee_count;
    if (c.themes) e.themes = *c.themes;
    return e;
  });
}

Response forbidden_network(std::string_view network) {
  return problem_403("this token may not change network '" + std::string(network) + "'");
}

// Runs `command` on the network `id`.
template <class Command>
CommandPlan on_network(ApiContext& api, std::string id, Command command, StoredAnswer a) {
  return {[&api, id = std::move(id), command = domain::NetworkCommand(std::move(command))](
              app::CommandMeta meta, app::CommandDone done) {
            api.registry.execute_network(id, command, std::move(meta), std::move(done));
          },
          std::move(a)};
}

template <class Command>
CommandPlan on_meeting(ApiContext& api, std::string id, Command command, StoredAnswer a) {
  return {[&api, id = std::move(id), command = domain::MeetingCommand(std::move(command))](
              app::CommandMeta meta, app::CommandDone done) {
            api.registry.execute_meeting(id, command, std::move(meta), std::move(done));
          },
          std::move(a)};
}

// A coordinator may change a meeting of any network it covers.
std::optional<Response> check_meeting_access(ApiContext& api, const app::Principal& who,
                                             std::string_view meeting_id) {
  auto networks = api.registry.read([&](const projections::RegistryView& v) {
    std::vector<std::string> out;
    if (const auto m = v.find_meeting(meeting_id)) {
      out.push_back(m->network_id);
      out.insert(out.end(), m->joint_with.begin(), m->joint_with.end());
    }
    return out;
  });
  if (networks.empty()) return problem_404("no meeting " + std::string(meeting_id));
  for (const auto& n : networks) {
    if (who.may_command(n)) return std::nullopt;
  }
  return problem_403("this token may not change meetings of these networks");
}

// A merge-patch field that clears with null: "" for null (the commands'
// spelling of "remove"), the string when given, nullopt when absent.
std::optional<std::string> clearable(FieldReader& r, std::string_view key,
                                     const StringRules& rules) {
  if (r.take_null(key)) return std::string();
  return r.optional_string(key, rules);
}

// An optional merge-patch field whose null means "not given" (e.g. a reason).
std::optional<std::string> nullable(FieldReader& r, std::string_view key,
                                    const StringRules& rules) {
  if (r.take_null(key)) return std::nullopt;
  return r.optional_string(key, rules);
}

// The corrections (API.md, Release 2): PATCH a network or a member (JSON merge
// patches: a required field set to null is 422), retract an observation,
// amend a held meeting's record.
void add_correction_commands(Router& router, ApiContext& api) {
  router.add(
      http::verb::patch, "/v1/networks/{id}",
      command_route(api, BodyMode::kMergePatch,
                    [&api](RequestContext& ctx, FieldReader& r, const app::Principal&) -> Planned {
                      std::string id(ctx.path_param("id"));
                      domain::ChangeNetworkDetails c;
                      FieldReader name = r.optional_object("name");
                      c.name.fi = name.optional_string("fi", kName);
                      c.name.sv = name.optional_string("sv", kName);
                      c.name.en = name.optional_string("en", kName);
                      name.reject_unknown();
                      c.region = r.optional_string("region", kName);
                      c.seat = r.optional_string("seat", kName);
                      c.reason = nullable(r, "reason", kReason);
                      r.reject_unknown();
                      return on_network(api, id, c, answer(id));
                    }),
      "changeNetworkDetails");

  router.add(http::verb::patch, "/v1/networks/{id}/members/{member_id}",
             command_route(
                 api, BodyMode::kMergePatch,
                 [&api](RequestContext& ctx, FieldReader& r, const app::Principal& who) -> Planned {
                   std::string id(ctx.path_param("id"));
                   if (!who.may_command(id)) return forbidden_network(id);
                   domain::ChangeMemberDetails c;
                   c.member_id = std::string(ctx.path_param("member_id"));
                   c.name = r.optional_string("name", kName);
                   c.email = r.optional_string("email", {.min_len = 3, .max_len = 254});
                   c.phone = clearable(r, "phone", {.min_len = 1, .max_len = 40});
                   c.organisation = r.optional_string("organisation", kName);
                   c.sector = r.optional_string("sector", kId);
                   c.title = clearable(r, "title", kName);
                   c.reason = nullable(r, "reason", kReason);
                   r.reject_unknown();
                   add_issues(r, api.registry.read([&c, &id](const projections::RegistryView& v) {
                     // An unknown or former member's 404 or 409 comes first.
                     const auto* n = v.find_network(id);
                     if (n == nullptr) return std::vector<domain::Rejection>{};
                     const auto* m = n->members.find(c.member_id);
                     if (m == nullptr || !m->is_current()) {
                       return std::vector<domain::Rejection>{};
                     }
                     return domain::details_issues(c, v.taxonomy());
                   }));
                   auto a = answer(id);
                   a.body["member_id"] = c.member_id;
                   return on_network(api, id, c, std::move(a));
                 }),
             "changeMemberDetails");

  router.add(http::verb::post, "/v1/networks/{id}/observations/{observation_id}/retract",
             command_route(
                 api, BodyMode::kRequired,
                 [&api](RequestContext& ctx, FieldReader& r, const app::Principal& who) -> Planned {
                   std::string id(ctx.path_param("id"));
                   if (!who.may_command(id)) return forbidden_network(id);
                   domain::RetractObservation c;
                   c.observation_id = std::string(ctx.path_param("observation_id"));
                   c.reason = r.required_string("reason", kReason).value_or("");
                   r.reject_unknown();
                   auto a = answer(id);
                   a.body["observation_id"] = c.observation_id;
                   a.body["retracted"] = true;
                   return on_network(api, id, c, std::move(a));
                 }),
             "retractObservation");

  router.add(http::verb::post, "/v1/meetings/{meeting_id}/amend",
             command_route(
                 api, BodyMode::kRequired,
                 [&api](RequestContext& ctx, FieldReader& r, const app::Principal& who) -> Planned {
                   std::string id(ctx.path_param("meeting_id"));
                   if (auto denied = check_meeting_access(api, who, id)) return std::move(*denied);
                   domain::AmendMeetingRecord c;
                   c.held_on = optional_date(r, "held_on");
                   c.attendees =
                       r.optional_string_array("attendees", {.max_items = 1000, .item = kId});
                   if (auto n = r.optional_int("attendee_count", {.min = 0, .max = 100000}))
                     c.attendee_count = static_cast<int>(*n);
                   c.themes = r.optional_string_array("themes", {.max_items = 50, .item = kId});
                   c.notes = r.optional_string("notes", kLongText);
                   c.reason = r.required_string("reason", kReason).value_or("");
                   r.reject_unknown();
                   add_issues(r, record_issues(api, id, amended_record(api, id, c), true, false));
                   return on_meeting(api, id, c, answer(id));
                 }),
             "amendMeetingRecord");
}

// "steward": one organisation's name, or a list of them (kept as written).
template <class Command>
void read_steward(FieldReader& r, Command& c) {
  if (r.is_array("steward")) {
    c.stewards =
        r.required_string_array("steward", {.item = kName}).value_or(std::vector<std::string>{});
    c.stewards_listed = true;
    return;
  }
  c.steward = r.required_string("steward", kName).value_or("");
}

void add_network_commands(Router& router, ApiContext& api) {
  router.add(
      http::verb::post, "/v1/networks",
      command_route(api, BodyMode::kRequired,
                    [&api](RequestContext&, FieldReader& r, const app::Principal&) -> Planned {
                      domain::EstablishNetwork c;
                      c.network_id = r.required_string("id", kId).value_or("");
                      c.name = localized(r, "name");
                      c.region = r.required_string("region", kName).value_or("");
                      c.seat = r.required_string("seat", kName).value_or("");
                      read_steward(r, c);
                      if (!r.take_null("established_on")) {
                        c.established_on = optional_date(r, "established_on");
                      }
                      r.reject_unknown();
                      std::string id = c.network_id;
                      return on_network(api, id, c,
                                        answer(id, http::status::created, "/v1/networks/" + id));
                    }),
      "establishNetwork");

  router.add(
      http::verb::post, "/v1/networks/{id}/stewardship-transfers",
      command_route(api, BodyMode::kRequired,
                    [&api](RequestContext& ctx, FieldReader& r, const app::Principal&) -> Planned {
                      std::string id(ctx.path_param("id"));
                      domain::TransferStewardship c;
                      read_steward(r, c);
                      c.effective_on = required_date(r, "effective_on").value_or(domain::Date{});
                      r.reject_unknown();
                      return on_network(api, id, c, answer(id));
                    }),
      "transferStewardship");

  router.add(http::verb::post, "/v1/networks/{id}/members",
             command_route(
                 api, BodyMode::kRequired,
                 [&api](RequestContext& ctx, FieldReader& r, const app::Principal& who) -> Planned {
                   std::string id(ctx.path_param("id"));
                   if (!who.may_command(id)) return forbidden_network(id);
                   domain::JoinNetwork c;
                   c.member_id = crypto::uuid_v4();
                   c.personal.name = r.required_string("name", kName).value_or("");
                   c.personal.email =
                       r.required_string("email", {.min_len = 3, .max_len = 254}).value_or("");
                   c.personal.phone = r.optional_string("phone", {.min_len = 1, .max_len = 40});
                   c.organisation = r.required_string("organisation", kName).value_or("");
                   c.sector = r.required_string("sector", kId).value_or("");
                   c.title = r.optional_string("title", kName);
                   c.joined_on = required_date(r, "joined_on").value_or(domain::Date{});
                   r.reject_unknown();
                   // Every invalid field in one 422, not only the first the decider finds.
                   add_issues(r, api.registry.read([&c](const projections::RegistryView& v) {
                     return domain::join_issues(c, v.taxonomy());
                   }));
                   auto a = answer(id, http::status::created,
                                   "/v1/networks/" + id + "/members/" + c.member_id);
                   a.body["member_id"] = c.member_id;
                   return on_network(api, id, c, std::move(a));
                 }),
             "joinNetwork");

  router.add(http::verb::delete_, "/v1/networks/{id}/members/{member_id}",
             command_route(
                 api, BodyMode::kOptional,
                 [&api](RequestContext& ctx, FieldReader& r, const app::Principal& who) -> Planned {
                   std::string id(ctx.path_param("id"));
                   if (!who.may_command(id)) return forbidden_network(id);
                   domain::LeaveNetwork c;
                   c.member_id = std::string(ctx.path_param("member_id"));
                   // left_on and reason come from the body or the query.
                   // (the body's win when both are given; each given must be valid).
                   auto left_on = optional_date(r, "left_on");
                   c.reason = body_or_query_text(ctx, r, "reason", kReason);
                   r.reject_unknown();
                   if (auto q = ctx.query_value("left_on")) {
                     const auto parsed = domain::parse_effective_date(*q);
                     if (!parsed) {
                       return problem_422(
                           {{"left_on", "must be a real date written YYYY-MM-DD or YYYY-MM"}});
                     }
                     if (!left_on) left_on = parsed;
                   }
                   c.left_on = left_on.value_or(today_utc());
                   auto a = answer(id);
                   a.body["member_id"] = c.member_id;
                   return on_network(api, id, c, std::move(a));
                 }),
             "leaveNetwork");

  router.add(http::verb::post, "/v1/networks/{id}/observations",
             command_route(
                 api, BodyMode::kRequired,
                 [&api](RequestContext& ctx, FieldReader& r, const app::Principal& who) -> Planned {
                   std::string id(ctx.path_param("id"));
                   if (!who.may_command(id)) return forbidden_network(id);
                   domain::RecordObservation c;
                   c.observation_id = crypto::uuid_v4();
                   c.theme = r.required_string("theme", kId).value_or("");
                   c.observed_on = required_date(r, "observed_on").value_or(domain::Date{});
                   c.target_groups =
                       r.optional_string_array("target_groups", {.max_items = 50, .item = kName})
                           .value_or(std::vector<std::string>{});
                   c.meeting_id = r.optional_string("meeting_id", kId);
                   c.summary = r.optional_string("summary", kLongText);
                   r.reject_unknown();
                   add_issues(r, api.registry.read([&c, &id](const projections::RegistryView& v) {
                     if (v.find_network(id) == nullptr) {
                       return std::vector<domain::Rejection>{};  // its 404 comes first
                     }
                     return domain::observation_issues(c, id, v.decision_context());
                   }));
                   auto a = answer(id);
                   a.body["observation_id"] = c.observation_id;
                   return on_network(api, id, c, std::move(a));
                 }),
             "recordObservation");

  router.add(http::verb::post, "/v1/networks/{id}/training-requests",
             command_route(
                 api, BodyMode::kRequired,
                 [&api](RequestContext& ctx, FieldReader& r, const app::Principal& who) -> Planned {
                   std::string id(ctx.path_param("id"));
                   if (!who.may_command(id)) return forbidden_network(id);
                   domain::RequestTraining c;
                   c.request_id = crypto::uuid_v4();
                   c.topic = r.required_string("topic", kId).value_or("");
                   c.requested_on = required_date(r, "requested_on").value_or(domain::Date{});
                   c.notes = r.optional_string("notes", kLongText);
                   r.reject_unknown();
                   auto a = answer(id);
                   a.body["request_id"] = c.request_id;
                   return on_network(api, id, c, std::move(a));
                 }),
             "requestTraining");

  router.add(http::verb::post, "/v1/networks/{id}/trainings",
             command_route(
                 api, BodyMode::kRequired,
                 [&api](RequestContext& ctx, FieldReader& r, const app::Principal& who) -> Planned {
                   std::string id(ctx.path_param("id"));
                   if (!who.may_command(id)) return forbidden_network(id);
                   domain::DeliverTraining c;
                   c.training_id = crypto::uuid_v4();
                   c.topic = r.required_string("topic", kId).value_or("");
                   c.delivered_on = required_date(r, "delivered_on").value_or(domain::Date{});
                   c.participants = static_cast<int>(
                       r.required_int("participants", {.min = 0, .max = 100000}).value_or(0));
                   c.request_id = r.optional_string("request_id", kId);
                   r.reject_unknown();
                   auto a = answer(id);
                   a.body["training_id"] = c.training_id;
                   if (c.request_id) a.body["request_id"] = *c.request_id;
                   return on_network(api, id, c, std::move(a));
                 }),
             "deliverTraining");
}

// Runs `command` on the national findings (stream "national").
template <class Command>
CommandPlan on_national(ApiContext& api, Command command, StoredAnswer a) {
  return {[&api, command = domain::NationalCommand(std::move(command))](app::CommandMeta meta,
                                                                        app::CommandDone done) {
            api.registry.execute_national(command, std::move(meta), std::move(done));
          },
          std::move(a)};
}

// Wishes and goals of a network, and the national findings (API.md, Release 2:
// the field's model).
void add_field_commands(Router& router, ApiContext& api) {
  router.add(http::verb::post, "/v1/networks/{id}/wishes",
             command_route(
                 api, BodyMode::kRequired,
                 [&api](RequestContext& ctx, FieldReader& r, const app::Principal& who) -> Planned {
                   std::string id(ctx.path_param("id"));
                   if (!who.may_command(id)) return forbidden_network(id);
                   domain::RecordWish c;
                   c.wish_id = crypto::uuid_v4();
                   c.kind = r.required_string("kind", kId).value_or("");
                   c.text = r.required_string("text", kText).value_or("");
                   c.recorded_on = required_date(r, "recorded_on").value_or(domain::Date{});
                   c.format = r.optional_string("format", kId);
                   r.reject_unknown();
                   add_issues(r, api.registry.read([&c, &id](const projections::RegistryView& v) {
                     if (v.find_network(id) == nullptr) {
                       return std::vector<domain::Rejection>{};  // its 404 comes first
                     }
                     return domain::wish_issues(c, v.taxonomy());
                   }));
                   auto a = answer(id);
                   a.body["wish_id"] = c.wish_id;
                   return on_network(api, id, c, std::move(a));
                 }),
             "recordWish");

  router.add(
      http::verb::post, "/v1/observations",
      command_route(api, BodyMode::kRequired,
                    [&api](RequestContext&, FieldReader& r, const app::Principal&) -> Planned {
                      domain::RecordObservation c;
                      c.observation_id = crypto::uuid_v4();
                      c.theme = r.required_string("theme", kId).value_or("");
                      c.observed_on = required_date(r, "observed_on").value_or(domain::Date{});
                      c.target_groups =
                          r.optional_string_array("target_groups", {.max_items = 50, .item = kName})
                              .value_or(std::vector<std::string>{});
                      c.summary = r.optional_string("summary", kLongText);
                      r.reject_unknown();
                      add_issues(r, api.registry.read([&c](const projections::RegistryView& v) {
                        return domain::national_observation_issues(c, v.taxonomy());
                      }));
                      auto a = answer(domain::kNationalStream);
                      a.body["observation_id"] = c.observation_id;
                      a.body["network"] = nullptr;
                      return on_national(api, c, std::move(a));
                    }),
      "recordNationalFinding");

  router.add(
      http::verb::post, "/v1/observations/{observation_id}/retract",
      command_route(api, BodyMode::kRequired,
                    [&api](RequestContext& ctx, FieldReader& r, const app::Principal&) -> Planned {
                      domain::RetractObservation c;
                      c.observation_id = std::string(ctx.path_param("observation_id"));
                      c.reason = r.required_string("reason", kReason).value_or("");
                      r.reject_unknown();
                      auto a = answer(domain::kNationalStream);
                      a.body["observation_id"] = c.observation_id;
                      a.body["network"] = nullptr;
                      a.body["retracted"] = true;
                      return on_national(api, c, std::move(a));
                    }),
      "retractNationalFinding");
}

void add_meeting_commands(Router& router, ApiContext& api) {
  router.add(
      http::verb::post, "/v1/networks/{id}/meetings",
      command_route(
          api, BodyMode::kRequired,
          [&api](RequestContext& ctx, FieldReader& r, const app::Principal& who) -> Planned {
            std::string id(ctx.path_param("id"));
            if (!who.may_command(id)) return forbidden_network(id);
            domain::ScheduleMeeting c;
            c.meeting_id = crypto::uuid_v4();
            c.network_id = id;
            c.scheduled_for = required_date(r, "scheduled_for").value_or(domain::Date{});
            if (!r.take_null("format")) c.format = r.optional_string("format", kId);
            c.location = r.required_string("location", kName).value_or("");
            c.agenda = r.optional_string_array("agenda", {.max_items = 100, .item = kText})
                           .value_or(std::vector<std::string>{});
            c.joint_with = r.optional_string_array("joint_with", {.max_items = 20, .item = kId})
                               .value_or(std::vector<std::string>{});
            r.reject_unknown();
            add_issues(r, api.registry.read([&c](const projections::RegistryView& v) {
              if (v.find_network(c.network_id) == nullptr) {
                return std::vector<domain::Rejection>{};  // its 404 comes first
              }
              return domain::schedule_issues(c, v.decision_context());
            }));
            // If-Match on /v1/networks/{id}/... is the network's version.
            const auto condition = parse_if_match(ctx.request);
            if (const auto* bad = std::get_if<Response>(&condition)) return *bad;
            if (const auto* wanted = std::get_if<std::uint64_t>(&condition)) {
              const auto version = api.registry.read([&](const projections::RegistryView& v) {
                return v.version_of(domain::network_stream(id));
              });
              if (*wanted != version) {
                std::string tag = "\"" + std::to_string(version) + "\"";
                Response stale =
                    problem_412("the network is at version " + std::to_string(version));
                stale.set(http::field::etag, tag);
                return stale;
              }
            }
            ctx.request.erase(http::field::if_match);
            auto a = answer(c.meeting_id, http::status::created, "/v1/meetings/" + c.meeting_id);
            a.body["meeting_id"] = c.meeting_id;
            return on_meeting(api, c.meeting_id, c, std::move(a));
          }),
      "scheduleMeeting");

  router.add(http::verb::post, "/v1/meetings/{meeting_id}/reschedule",
             command_route(
                 api, BodyMode::kRequired,
                 [&api](RequestContext& ctx, FieldReader& r, const app::Principal& who) -> Planned {
                   std::string id(ctx.path_param("meeting_id"));
                   if (auto denied = check_meeting_access(api, who, id)) return std::move(*denied);
                   domain::RescheduleMeeting c;
                   c.scheduled_for = required_date(r, "scheduled_for").value_or(domain::Date{});
                   c.format = r.optional_string("format", kId);
                   c.location = r.optional_string("location", kName);
                   r.reject_unknown();
                   add_issues(r, api.registry.read([&c, &id](const projections::RegistryView& v) {
                     const auto m = v.find_meeting(id);
                     if (!m || m->status != projections::MeetingStatus::kScheduled) {
                       return std::vector<domain::Rejection>{};  // its 404 or 409 comes first
                     }
                     return domain::reschedule_issues(c, v.decision_context());
                   }));
                   return on_meeting(api, id, c, answer(id));
                 }),
             "rescheduleMeeting");

  router.add(http::verb::post, "/v1/meetings/{meeting_id}/cancel",
             command_route(
                 api, BodyMode::kOptional,
                 [&api](RequestContext& ctx, FieldReader& r, const app::Principal& who) -> Planned {
                   std::string id(ctx.path_param("meeting_id"));
                   if (auto denied = check_meeting_access(api, who, id)) return std::move(*denied);
                   domain::CancelMeeting c;
                   c.reason = r.optional_string("reason", kReason);
                   r.reject_unknown();
                   return on_meeting(api, id, c, answer(id));
                 }),
             "cancelMeeting");

  router.add(
      http::verb::post, "/v1/meetings/{meeting_id}/record",
      command_route(
          api, BodyMode::kRequired,
          [&api](RequestContext& ctx, FieldReader& r, const app::Principal& who) -> Planned {
            std::string id(ctx.path_param("meeting_id"));
            if (auto denied = check_meeting_access(api, who, id)) return std::move(*denied);
            domain::RecordMeetingHeld c;
            c.held_on = required_date(r, "held_on").value_or(domain::Date{});
            c.attendees = r.optional_string_array("attendees", {.max_items = 1000, .item = kId})
                              .value_or(std::vector<std::string>{});
            // "attendee_count": null says the attendance is not known (not
            // the same as leaving both attendees and the count out: a 422).
            c.attendance_unknown = r.take_null("attendee_count");
            if (!c.attendance_unknown) {
              if (auto n = r.optional_int("attendee_count", {.min = 0, .max = 100000}))
                c.attendee_count = static_cast<int>(*n);
            }
            c.themes = r.optional_string_array("themes", {.max_items = 50, .item = kId})
                           .value_or(std::vector<std::string>{});
            c.notes = r.optional_string("notes", kLongText);
            c.format = r.optional_string("format", kId);
            r.reject_unknown();
            add_issues(r,
                       record_issues(api, id,
                                     domain::MeetingHeld{c.held_on, c.attendees, c.attendee_count,
                                                         c.themes, c.notes, c.format},
                                     false, c.attendance_unknown));
            return on_meeting(api, id, c, answer(id));
          }),
      "recordMeeting");
}

void add_admin_commands(Router& router, ApiContext& api) {
  const auto taxonomy_entry = [&api](domain::TaxonomyKind kind, std::string collection) {
    return command_route(
        api, BodyMode::kRequired,
        [&api, kind, collection = std::move(collection)](RequestContext&, FieldReader& r,
                                                         const app::Principal&) -> Planned {
          domain::AddTaxonomyEntry c;
          c.kind = kind;
          c.code = r.required_string("code", kId).value_or("");
          c.labels = localized(r, "labels");
          // A theme's family; a target group's aliases (other kinds: unknown fields).
          if (kind == domain::TaxonomyKind::kTheme) c.family = r.optional_string("family", kId);
          if (kind == domain::TaxonomyKind::kTargetGroup) {
            c.aliases = r.optional_string_array("aliases", {.max_items = 50, .item = kName})
                            .value_or(std::vector<std::string>{});
          }
          r.reject_unknown();
          auto a =
              answer(c.code, http::status::created, "/v1/taxonomy/" + collection + "/" + c.code);
          return CommandPlan{[&api, c](app::CommandMeta meta, app::CommandDone done) {
                               api.registry.execute_taxonomy(c, std::move(meta), std::move(done));
                             },
                             std::move(a)};
        });
  };
  router.add(http::verb::post, "/v1/taxonomy/themes",
             taxonomy_entry(domain::TaxonomyKind::kTheme, "themes"), "addTheme");
  router.add(http::verb::post, "/v1/taxonomy/sectors",
             taxonomy_entry(domain::TaxonomyKind::kSector, "sectors"), "addSector");
  router.add(http::verb::post, "/v1/taxonomy/training-topics",
             taxonomy_entry(domain::TaxonomyKind::kTrainingTopic, "training-topics"),
             "addTrainingTopic");
  router.add(http::verb::post, "/v1/taxonomy/target-groups",
             taxonomy_entry(domain::TaxonomyKind::kTargetGroup, "target-groups"), "addTargetGroup");

  router.add(http::verb::post, "/v1/tokens",
             command_route(
                 api, BodyMode::kRequired,
                 [&api](RequestContext&, FieldReader& r, const app::Principal&) -> Planned {
                   domain::IssueToken c;
                   c.token_id = crypto::uuid_v4();
                   c.name = r.required_string("name", kName).value_or("");
                   c.role = r.required_string("role", kId).value_or("");
                   c.networks = r.optional_string_array("networks", {.max_items = 100, .item = kId})
                                    .value_or(std::vector<std::string>{});
                   if (auto at = r.optional_string("expires_at", {.min_len = 1, .max_len = 64})) {
                     c.expires_at_us = projections::parse_instant(*at);
                     if (!c.expires_at_us) {
                       r.add_error("expires_at", "must be an RFC 3339 date-time");
                     }
                   }
                   c.now_us = eventstore::system_clock_us();
                   r.reject_unknown();
                   auto [secret, hash] = app::Registry::new_token_secret();
                   c.secret_hash = hash;
                   auto a = answer(c.token_id, http::status::created, "/v1/tokens/" + c.token_id);
                   a.body["name"] = c.name;
                   a.body["role"] = c.role;
                   json::array nets;
                   for (const auto& n : c.networks) nets.emplace_back(n);
                   a.body["networks"] = std::move(nets);
                   a.body["expires_at"] =
                       c.expires_at_us ? json::value(projections::format_instant(*c.expires_at_us))
                                       : json::value(nullptr);
                   a.body["token"] = secret;
                   return CommandPlan{[&api, c](app::CommandMeta meta, app::CommandDone done) {
                                        api.registry.execute_token(c.token_id, c, std::move(meta),
                                                                   std::move(done));
                                      },
                                      std::move(a)};
                 }),
             "issueToken");

  router.add(
      http::verb::delete_, "/v1/tokens/{id}",
      command_route(api, BodyMode::kOptional,
                    [&api](RequestContext& ctx, FieldReader& r, const app::Principal&) -> Planned {
                      std::string id(ctx.path_param("id"));
                      r.reject_unknown();
                      domain::RevokeToken c{id};
                      return CommandPlan{[&api, c](app::CommandMeta meta, app::CommandDone done) {
                                           api.registry.execute_token(
                                               c.token_id, c, std::move(meta), std::move(done));
                                         },
                                         answer(id)};
                    }),
      "revokeToken");

  router.add(
      http::verb::post, "/v1/tokens/{id}/rotate",
      command_route(api, BodyMode::kOptional,
                    [&api](RequestContext& ctx, FieldReader& r, const app::Principal&) -> Planned {
                      domain::RotateToken c;
                      c.token_id = std::string(ctx.path_param("id"));
                      c.grace_seconds = r.optional_int("grace_seconds",
                                                       {.min = 0, .max = domain::kMaxGraceSeconds})
                                            .value_or(domain::kDefaultGraceSeconds);
                      c.now_us = eventstore::system_clock_us();
                      r.reject_unknown();
                      auto [secret, hash] = app::Registry::new_token_secret();
                      c.secret_hash = hash;
                      auto a = answer(c.token_id);
                      a.body["token"] = secret;
                      return CommandPlan{[&api, c](app::CommandMeta meta, app::CommandDone done) {
                                           api.registry.execute_token(
                                               c.token_id, c, std::move(meta), std::move(done));
                                         },
                                         std::move(a)};
                    }),
      "rotateToken");

  router.add(
      http::verb::delete_, "/v1/people/{member_id}/personal-data",
      command_route(api, BodyMode::kOptional,
                    [&api](RequestContext& ctx, FieldReader& r, const app::Principal&) -> Planned {
                      domain::ErasePersonalData c;
                      c.member_id = std::string(ctx.path_param("member_id"));
                      // reason and request_ref come from the body or the query.
                      c.reason = body_or_query_text(ctx, r, "reason", kReason);
                      c.request_ref = body_or_query_text(ctx, r, "request_ref", kName);
                      r.reject_unknown();
                      auto a = answer(c.member_id);
                      a.body["member_id"] = c.member_id;
                      a.body["erased"] = true;
                      return CommandPlan{[&api, c](app::CommandMeta meta, app::CommandDone done) {
                                           api.registry.erase_personal_data(c, std::move(meta),
                                                                            std::move(done));
                                         },
                                         std::move(a)};
                    }),
      "erasePersonalData");
}

}  // namespace

void add_command_routes(Router& router, ApiContext& api) {
  add_network_commands(router, api);
  add_meeting_commands(router, api);
  add_admin_commands(router, api);
  add_correction_commands(router, api);
  add_field_commands(router, api);
}

}  // namespace ikv::server
