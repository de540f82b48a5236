// The read indexes: the network detail's bounded training lists, pages served
// from ordered indexes in list order without gaps or duplicates, next and last
// meeting from the calendar, and indexes equal to a rebuild from the records.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "projection_test_support.h"
#include "projections/meeting_calendar.h"
#include "projections/roster_index.h"

namespace ikv::projections {
namespace {

using testing::day;
using testing::item_field;
using testing::items;
using testing::TestLog;

using Ids = std::vector<std::string>;

const std::string kOulu = domain::network_stream("oulu");
const std::string kVaasa = domain::network_stream("vaasa");

std::string numbered(const char* prefix, int i) {
  char text[32];
  std::snprintf(text, sizeof text, "%s%02d", prefix, i);
  return text;
}

std::string date_of_month(int month, int day_of_month) {
  char text[16];
  std::snprintf(text, sizeof text, "2024-%02d-%02d", month, day_of_month);
  return text;
}

// Every page of a list walked with `limit`, concatenated.
template <class Ask>
Ids walk(Ask&& ask, std::size_t limit, const char* field) {
  Ids all;
  std::optional<std::string> cursor;
  for (int pages = 0; pages < 100; ++pages) {
    auto answer = ask(PageRequest{limit, cursor});
    EXPECT_TRUE(answer.ok());
    if (!answer.ok()) break;
    EXPECT_LE(items(*answer).size(), limit);
    for (const std::string& id : item_field(*answer, field)) all.push_back(id);
    const auto& next = answer->at("next_cursor");
    if (next.is_null()) break;
    cursor = std::string(next.as_string());
  }
  return all;
}

// 30 members joining on shuffled days, every third leaving, some changing sector.
TestLog roster_log() {
  TestLog log;
  log.add(kOulu, testing::established("oulu"));
  for (int i = 0; i < 30; ++i) {
    const std::string on = date_of_month(1 + (i * 7) % 12, 1 + (i * 5) % 28);
    log.add(kOulu, testing::joined(numbered("m", i), i % 2 == 0 ? "police" : "ngo", on.c_str()));
  }
  for (int i = 0; i < 30; i += 3) log.add(kOulu, testing::left(numbered("m", i), "2024-12-31"));
  for (int i = 1; i < 30; i += 4) {
    domain::MemberDetailsChanged change;
    change.member_id = numbered("m", i);
    change.sector = "kela";
    log.add(kOulu, change);
  }
  return log;
}

TEST(ReadIndexes, RosterPagesFollowJoinOrderWithoutGapsOrDuplicates) {
  const RegistryView view = roster_log().replay();
  const NetworkRecord& oulu = *view.find_network("oulu");
  std::vector<std::pair<std::string, std::string>> expected_current;
  std::vector<std::pair<std::string, std::string>> expected_all;
  oulu.members.for_each([&](std::string_view id, const MemberRecord& m) {
    expected_all.emplace_back(domain::to_string(m.joined_on), id);
    if (!m.left_on) expected_current.emplace_back(domain::to_string(m.joined_on), id);
  });
  std::sort(expected_current.begin(), expected_current.end());
  std::sort(expected_all.begin(), expected_all.end());
  Ids current_ids;
  for (const auto& [on, id] : expected_current) current_ids.push_back(id);
  Ids all_ids;
  for (const auto& [on, id] : expected_all) all_ids.push_back(id);
  ASSERT_EQ(current_ids.size(), 20u);

  for (std::size_t limit : {1u, 3u, 7u, 1000u}) {
    EXPECT_EQ(
        walk([&](PageRequest p) { return view.members("oulu", {.page = p}); }, limit, "member_id"),
        current_ids)
        << "limit " << limit;
    EXPECT_EQ(walk(
                  [&](PageRequest p) {
                    return view.members("oulu", {.include_former = true, .page = p});
                  },
                  limit, "member_id"),
              all_ids)
        << "limit " << limit;
  }
}

TEST(ReadIndexes, SectorChangesMoveMembersBetweenSectorPagesAndCounts) {
  const RegistryView view = roster_log().replay();
  const Ids kela =
      walk([&](PageRequest p) { return view.members("oulu", {.sector = "kela", .page = p}); }, 2,
           "member_id");
  // m01, m05, ..., m29 moved to kela; m09, m21 of them have left.
  EXPECT_EQ(kela.size(), 6u);
  for (const std::string& id : kela) {
    EXPECT_EQ(view.find_network("oulu")->members.at(id).sector, "kela") << id;
  }
  auto detail = view.network("oulu", {});
  ASSERT_TRUE(detail.ok());
  EXPECT_EQ(detail->at("member_count"), 20);
  EXPECT_EQ(detail->at("former_member_count"), 10);
  EXPECT_EQ(detail->at("members_by_sector").as_object().at("kela"), 6);
  EXPECT_EQ(detail->at("members_by_sector").as_object().at("police"), 10);
  EXPECT_EQ(detail->at("members_by_sector").as_object().at("ngo"), 4);
}

TEST(ReadIndexes, IndexesEqualARebuildFromTheRecords) {
  TestLog log = roster_log();
  log.add(kOulu, testing::observed("o1", "forced_labour", "2024-05-20"));
  log.add(kOulu, domain::TrainingDelivered{"t1", "victim_identification", day("2024-09-03"), 25});
  const RegistryView view = log.replay();
  const NetworkRecord& oulu = *view.find_network("oulu");
  NetworkRecord rebuilt = oulu;
  rebuilt.indexes = NetworkIndexes{};
  rebuilt.training_participants = 0;
  ASSERT_NE(rebuilt, oulu);
  rebuilt.rebuild_indexes();
  EXPECT_EQ(rebuilt, oulu);
}

TEST(ReadIndexes, NetworkDetailListsOnlyTheLatestTrainingButCountsAll) {
  TestLog log;
  log.add(kOulu, testing::established("oulu"));
  for (int i = 0; i < 25; ++i) {
    log.add(kOulu, domain::TrainingRequested{numbered("r", i), "victim_identification",
                                             day("2024-05-10"), std::nullopt});
    log.add(kOulu, domain::TrainingDelivered{numbered("t", i), "victim_identification",
                                             day("2024-09-03"), i + 1});
  }
  const RegistryView view = log.replay();
  auto detail = view.network("oulu", {});
  ASSERT_TRUE(detail.ok());
  const auto& training = detail->at("training").as_object();
  EXPECT_EQ(training.at("requested"), 25);
  EXPECT_EQ(training.at("delivered"), 25);
  EXPECT_EQ(training.at("participants"), 25 * 26 / 2);
  const auto& requests = training.at("requests").as_array();
  const auto& deliveries = training.at("deliveries").as_array();
  ASSERT_EQ(requests.size(), 20u);
  ASSERT_EQ(deliveries.size(), 20u);
  // The latest twenty, oldest first.
  EXPECT_EQ(requests.front().as_object().at("request_id"), "r05");
  EXPECT_EQ(requests.back().as_object().at("request_id"), "r24");
  EXPECT_EQ(deliveries.front().as_object().at("training_id"), "t05");
  EXPECT_EQ(deliveries.back().as_object().at("training_id"), "t24");
}

TEST(ReadIndexes, ObservationPagesFollowDateThenLogOrderWithinFilters) {
  TestLog log;
  log.add(kOulu, testing::established("oulu"));
  for (int i = 0; i < 24; ++i) {
    const std::string on = date_of_month(1 + (i * 5) % 12, 10);
    log.add(kOulu,
            testing::observed(numbered("o", i),
                              i % 3 == 0 ? "forced_labour" : "reluctance_to_report", on.c_str()));
  }
  const RegistryView view = log.replay();
  const NetworkRecord& oulu = *view.find_network("oulu");
  std::vector<std::pair<std::string, std::uint64_t>> order;
  for (const ObservationRecord& o : oulu.observations) {
    const std::string on = domain::to_string(o.observed_on);
    if (o.theme == "forced_labour" && on >= "2024-03-10" && on <= "2024-10-10") {
      order.emplace_back(on, o.position);
    }
  }
  std::sort(order.begin(), order.end());
  Ids expected;
  for (const auto& [on, position] : order) {
    for (const ObservationRecord& o : oulu.observations) {
      if (o.position == position) expected.push_back(o.observation_id);
    }
  }
  ASSERT_FALSE(expected.empty());
  for (std::size_t limit : {1u, 2u, 1000u}) {
    EXPECT_EQ(walk(
                  [&](PageRequest p) {
                    return view.observations("oulu", {.theme = "forced_labour",
                                                      .from = day("2024-03-10"),
                                                      .to = day("2024-10-10"),
                                                      .page = p});
                  },
                  limit, "observation_id"),
              expected);
  }
}

TEST(ReadIndexes, CalendarFollowsReschedulingHoldingAndCancelling) {
  TestLog log;
  log.add(kOulu, testing::established("oulu"));
  log.add(kVaasa, testing::established("vaasa"));
  const auto meeting = [](const char* id) { return domain::meeting_stream(id); };
  log.add(meeting("a"), testing::scheduled("a", "oulu", "2024-03-01"));
  log.add(meeting("b"), testing::scheduled("b", "oulu", "2024-02-01", {"vaasa"}));
  log.add(meeting("c"), testing::scheduled("c", "vaasa", "2024-04-01"));
  log.add(meeting("d"), testing::scheduled("d", "oulu", "2024-05-01"));
  log.add(meeting("e"), testing::scheduled("e", "oulu", "2024-06-01"));
  log.add(meeting("a"), domain::MeetingRescheduled{day("2024-07-01"), std::nullopt, std::nullopt});
  log.add(meeting("b"), testing::held("2024-02-02"));
  log.add(meeting("d"), testing::held("2024-02-02"));
  log.add(meeting("e"), domain::MeetingCancelled{std::nullopt});
  const RegistryView view = log.replay();

  const auto ids = [&](MeetingQuery q) {
    return walk(
        [&](PageRequest p) {
          q.page = p;
          return view.meetings(q);
        },
        1, "meeting_id");
  };
  // By date (held_on when held), then id.
  EXPECT_EQ(ids({}), (Ids{"b", "d", "c", "e", "a"}));
  EXPECT_EQ(ids({.network = "oulu"}), (Ids{"b", "d", "e", "a"}));
  EXPECT_EQ(ids({.network = "vaasa"}), (Ids{"b", "c"}));
  EXPECT_EQ(ids({.from = day("2024-02-02"), .to = day("2024-06-01")}), (Ids{"b", "d", "c", "e"}));
  EXPECT_EQ(ids({.network = "oulu", .status = MeetingStatus::kScheduled}), (Ids{"a"}));

  auto oulu = view.network("oulu", {.today = day("2024-03-01")});
  ASSERT_TRUE(oulu.ok());
  // Two held on the same day: the smaller id is the last meeting.
  EXPECT_EQ(oulu->at("last_meeting").as_object().at("meeting_id"), "b");
  EXPECT_EQ(oulu->at("next_meeting").as_object().at("meeting_id"), "a");
  EXPECT_EQ(oulu->at("next_meeting").as_object().at("scheduled_for"), "2024-07-01");
  auto later = view.network("oulu", {.today = day("2024-07-02")});
  ASSERT_TRUE(later.ok());
  EXPECT_TRUE(later->at("next_meeting").is_null());
  auto vaasa = view.network("vaasa", {.today = day("2024-04-01")});
  ASSERT_TRUE(vaasa.ok());
  EXPECT_EQ(vaasa->at("last_meeting").as_object().at("meeting_id"), "b");
  EXPECT_EQ(vaasa->at("next_meeting").as_object().at("meeting_id"), "c");
}

// Day-id keys sort, and compare with text, exactly as the sort-key text
// "<date>\0<id>" they stand for, ids that are prefixes of others
// and date bounds included.
TEST(DayIdKeys, OrderAsTheirTextAndCompareWithText) {
  std::mt19937 rng(7);
  const std::vector<std::string> ids = {"", "a", "ab", "abc", "b", "m-1", "m-10", "m-2", "z"};
  std::vector<DayIdKey> keys;
  for (int i = 0; i < 600; ++i) {
    const domain::Date d{static_cast<int>(1990 + rng() % 60), static_cast<int>(1 + rng() % 12),
                         static_cast<int>(1 + rng() % 28)};
    keys.push_back(
        {static_cast<std::int32_t>(domain::days_from_civil(d)), ids[rng() % ids.size()]});
    if (i % 4 == 0) keys.push_back({keys.back().day, ids[rng() % ids.size()]});  // same day
  }
  const DayIdKeyLess less;
  for (std::size_t i = 0; i + 1 < keys.size(); ++i) {
    const DayIdKey& a = keys[i];
    const DayIdKey& b = keys[i + 1];
    const std::string ta = a.text();
    const std::string tb = b.text();
    EXPECT_EQ(less(a, b), ta < tb) << i;
    EXPECT_EQ(less(a, tb), ta < tb) << i;
    EXPECT_EQ(less(ta, b), ta < tb) << i;
    EXPECT_EQ(less(a, ta), false) << i;
    EXPECT_EQ(less(ta, a), false) << i;
    for (const std::string& cut : {ta.substr(0, 4), ta.substr(0, 10), ta.substr(0, 10) + '\x01'}) {
      EXPECT_EQ(less(a, cut), ta < cut) << i << " " << cut;
      EXPECT_EQ(less(cut, a), cut < ta) << i << " " << cut;
    }
  }
}

// The texts of a calendar list, in its order ({} for none).
std::vector<std::string> texts(const MeetingCalendar::List* list) {
  std::vector<std::string> out;
  if (list == nullptr) return out;
  for (const DayIdKey& k : *list) out.push_back(k.text());
  return out;
}

// A copy of a calendar files its entries under its own keys: the original
// may go away and the copy still pages and compares equal.
TEST(MeetingCalendarLists, ACopyOwnsItsKeys) {
  auto original = std::make_unique<MeetingCalendar>();
  original->put("m-b", *domain::parse_date("2024-05-02"), true, false, {"oulu"});
  original->put("m-a", *domain::parse_date("2024-05-02"), false, true, {"oulu", "turku"});
  original->put("m-c", *domain::parse_date("2024-04"), false, true, {"turku"});
  original->put("m-c", *domain::parse_date("2024-06-01"), true, false, {"turku"});
  MeetingCalendar copy(*original);
  MeetingCalendar assigned;
  assigned = *original;
  const MeetingCalendar before = *original;
  original.reset();
  MeetingCalendar moved(MeetingCalendar{before});
  for (const MeetingCalendar* c : {&copy, &assigned, &moved}) {
    EXPECT_EQ(*c, before);
    EXPECT_EQ(texts(&c->all()), (std::vector<std::string>{std::string("2024-05-02\0m-a", 14),
                                                          std::string("2024-05-02\0m-b", 14),
                                                          std::string("2024-06-01\0m-c", 14)}));
    ASSERT_NE(c->held_by("turku"), nullptr);
    EXPECT_EQ(c->held_by("turku")->begin()->id, "m-c");
    // m-c was re-filed when it was held: turku's scheduled meeting is m-a only.
    ASSERT_NE(c->scheduled_by("turku"), nullptr);
    EXPECT_EQ(c->scheduled_by("turku")->size(), 1u);
    EXPECT_EQ(c->scheduled_by("turku")->begin()->id, "m-a");
    EXPECT_EQ(c->of_network("oulu")->size(), 2u);
    EXPECT_EQ(c->held_by("tampere"), nullptr);
  }
}

// A calendar's lists, filed one meeting at a time with re-filings or staged
// and filed at once (a snapshot load), hold exactly the keys a plain model
// (the latest filing of each meeting, its key's text in a std::set) holds,
// in text order: ids sharing their first 8 bytes and ids that are prefixes
// of others included; bounds by text agree with the model's.
TEST(MeetingCalendarLists, MatchAModelFiledOneByOneOrAtOnce) {
  std::mt19937 rng(11);
  const std::vector<std::string> networks = {"oulu", "turku", "tampere", "vaasa"};
  MeetingCalendar one_by_one;
  struct Last {
    domain::Date date;
    bool held;
    bool scheduled;
    std::vector<std::string> networks;
  };
  std::map<std::string, Last> last;
  for (int i = 0; i < 3000; ++i) {
    const std::uint32_t n = rng() % 700;
    // Short ids, ids with a long common head, ids that prefix others.
    const std::string id = n % 3 == 0   ? "m-" + std::to_string(n)
                           : n % 3 == 1 ? "meeting-0000" + std::to_string(n)
                                        : "meeting-0000" + std::to_string(n / 10);
    const domain::Date d{static_cast<int>(2019 + rng() % 8), static_cast<int>(1 + rng() % 12),
                         static_cast<int>(1 + rng() % 28)};
    const bool held = rng() % 3 == 0;
    const bool scheduled = !held && rng() % 4 != 0;
    std::vector<std::string> of{networks[rng() % networks.size()]};
    if (rng() % 3 == 0) of.push_back(networks[rng() % networks.size()]);
    one_by_one.put(id, d, held, scheduled, of);
    last[id] = Last{d, held, scheduled, of};
  }
  MeetingCalendar at_once;
  for (const auto& [id, l] : last) at_once.stage(id, l.date, l.held, l.scheduled, l.networks);
  at_once.file_staged();
  EXPECT_EQ(at_once, one_by_one);

  std::set<std::string> all;
  std::map<std::string, std::set<std::string>> of, held, scheduled;
  for (const auto& [id, l] : last) {
    const std::string key =
        DayIdKey(static_cast<std::int32_t>(domain::days_from_civil(domain::first_day(l.date))), id)
            .text();
    all.insert(key);
    for (const std::string& n : l.networks) {
      of[n].insert(key);
      if (l.held) held[n].insert(key);
      if (l.scheduled) scheduled[n].insert(key);
    }
  }
  const auto model = [](const std::set<std::string>& keys) {
    return std::vector<std::string>(keys.begin(), keys.end());
  };
  for (const MeetingCalendar* c : {&one_by_one, &at_once}) {
    EXPECT_EQ(texts(&c->all()), model(all));
    for (const std::string& n : networks) {
      EXPECT_EQ(texts(c->of_network(n)), model(of[n])) << n;
      EXPECT_EQ(texts(c->held_by(n)), model(held[n])) << n;
      EXPECT_EQ(texts(c->scheduled_by(n)), model(scheduled[n])) << n;
    }
    // Bounds by text (a cursor's key, a date, a date just past a day).
    for (int i = 0; i < 300; ++i) {
      auto probe = std::next(all.begin(), static_cast<long>(rng() % all.size()));
      const std::string text = rng() % 2 == 0 ? *probe : probe->substr(0, 10);
      const auto lower = c->all().lower_bound(text);
      const auto upper = c->all().upper_bound(text);
      const auto mlower = all.lower_bound(text);
      const auto mupper = all.upper_bound(text);
      EXPECT_EQ(lower == c->all().end() ? "" : lower->text(), mlower == all.end() ? "" : *mlower);
      EXPECT_EQ(upper == c->all().end() ? "" : upper->text(), mupper == all.end() ? "" : *mupper);
    }
  }
}

// The texts of a roster list, in its order ({} for none).
std::vector<std::string> texts(const RosterIndex::List* list) {
  std::vector<std::string> out;
  if (list == nullptr) return out;
  for (const DayIdKey& k : *list) out.push_back(k.text());
  return out;
}

// A roster filed one member at a time (joins, leaves, sector changes) or
// staged and filed at once holds exactly what a model of sort-key texts
// holds: every member ever and the current ones, both per sector; a copy and
// a moved-from-copy page alike after the original is gone.
TEST(RosterIndexLists, MatchAModelFiledOneByOneOrAtOnceAndCopied) {
  std::mt19937 rng(5);
  const std::vector<std::string> sectors = {"police", "ngo", "reception_centre", "parish"};
  struct Last {
    domain::Date joined_on;
    std::string sector;
    bool current;
  };
  auto one_by_one = std::make_unique<RosterIndex>();
  std::map<std::string, Last> last;
  for (int i = 0; i < 4000; ++i) {
    const std::uint32_t n = rng() % 900;
    const std::string id = n % 2 == 0 ? "4f1c2a" + std::to_string(n) : "m-" + std::to_string(n / 7);
    auto it = last.find(id);
    if (it == last.end() || rng() % 4 == 0) {
      domain::Date d{static_cast<int>(2019 + rng() % 8), static_cast<int>(1 + rng() % 12),
                     static_cast<int>(1 + rng() % 28)};
      if (rng() % 5 == 0) d = domain::Date{d.year, d.month, 1, domain::DatePrecision::kMonth};
      last[id] = Last{d, sectors[rng() % sectors.size()], true};
    } else if (rng() % 2 == 0) {
      it->second.current = false;  // left
    } else {
      it->second.sector = sectors[rng() % sectors.size()];  // a correction
    }
    const Last& l = last[id];
    one_by_one->put(id, l.joined_on, l.sector, l.current);
  }
  RosterIndex at_once;
  for (const auto& [id, l] : last) at_once.stage(id, l.joined_on, l.sector, l.current);
  at_once.file_staged();
  EXPECT_EQ(at_once, *one_by_one);

  std::set<std::string> all, current;
  std::map<std::string, std::set<std::string>> in, current_in;
  for (const auto& [id, l] : last) {
    const std::string key = sort_key({domain::to_string(domain::first_day(l.joined_on)), id});
    all.insert(key);
    in[l.sector].insert(key);
    if (l.current) {
      current.insert(key);
      current_in[l.sector].insert(key);
    }
  }
  const auto model = [](const std::set<std::string>& keys) {
    return std::vector<std::string>(keys.begin(), keys.end());
  };
  const auto expect_model = [&](const RosterIndex& roster, const std::string& which) {
    SCOPED_TRACE(which);
    const RosterIndex* r = &roster;
    EXPECT_EQ(texts(&r->members()), model(all));
    EXPECT_EQ(texts(&r->current()), model(current));
    std::map<std::string, std::size_t> counts;
    for (const std::string& s : sectors) {
      EXPECT_EQ(texts(r->members_in(s)), model(in[s])) << s;
      EXPECT_EQ(texts(r->current_in(s)), model(current_in[s])) << s;
      if (!current_in[s].empty()) counts[s] = current_in[s].size();
    }
    EXPECT_EQ(r->current_by_sector(), counts);
    EXPECT_EQ(r->members_in("no_such_sector"), nullptr);
    // Bounds by a cursor's text, as start_after() pages.
    for (int i = 0; i < 200; ++i) {
      const std::string& probe = *std::next(all.begin(), static_cast<long>(rng() % all.size()));
      const auto upper = r->members().upper_bound(probe);
      const auto mupper = all.upper_bound(probe);
      EXPECT_EQ(upper == r->members().end() ? "" : upper->text(),
                mupper == all.end() ? "" : *mupper);
    }
  };
  expect_model(*one_by_one, "filed one by one");
  expect_model(at_once, "filed at once");
  const RosterIndex copy(*one_by_one);
  RosterIndex moved(RosterIndex{*one_by_one});
  one_by_one.reset();
  expect_model(copy, "a copy");
  expect_model(moved, "moved");
}

}  // namespace
}  // namespace ikv::projections
