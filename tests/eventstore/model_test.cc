// A randomized run against a reference: the same random operations go to the
// RocksDB store (closed and reopened every ~200 operations) and to the
// in-memory store; every answer and, at the end, the whole content must agree.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "tests/eventstore/store_test_support.h"

namespace ikv::eventstore::testing {
namespace {

constexpr std::int64_t kFixedTime = 1'750'000'000'000'000;
const char* const kStreams[] = {"net-a", "net-b", "net", "meet-1", "meet-2", "a-b-c", "solo"};
const char* const kTypes[] = {"MemberJoined", "MemberLeft", "MeetingHeld", "NetworkFounded"};
const char* const kCategories[] = {"net", "meet", "a", "solo", "nothing"};

std::string show(const Result<AppendResult>& r) {
  std::ostringstream os;
  if (!r.ok()) {
    os << "error " << to_string(r.error().code) << " actual="
       << (r.error().actual_version ? std::to_string(*r.error().actual_version) : "-");
  } else {
    os << "ok " << r->stream << " v" << r->first_version << ".." << r->last_version << " p"
       << r->first_position << ".." << r->last_position << (r->replayed ? " replayed" : "");
  }
  return os.str();
}

std::string show(const Result<std::vector<RecordedEvent>>& r) {
  if (!r.ok()) return "error " + std::string(to_string(r.error().code));
  std::string out = "[";
  for (const auto& e : *r) out += describe(e) + " #" + std::to_string(e.hash[0]) + ",";
  return out + "]";
}

class ModelRun {
 public:
  explicit ModelRun(std::uint32_t seed) : rng_(seed) {
    rocks_ = open_rocks_or_die(dir_.str(), Durability::kAsync, [] { return kFixedTime; });
    model_ = make_memory_event_store([] { return kFixedTime; });
  }

  void run(int operations) {
    for (op_ = 0; op_ < operations && !::testing::Test::HasFatalFailure(); ++op_) {
      if (op_ > 0 && op_ % 200 == static_cast<int>(rng_() % 7)) reopen();
      step();
      if (::testing::Test::HasFailure()) return;
    }
    reopen();
    compare_everything();
  }

 private:
  std::uint64_t pick(std::uint64_t n) { return rng_() % n; }
  std::string pick_stream() { return kStreams[pick(std::size(kStreams))]; }

  void reopen() {
    rocks_->close();
    rocks_.reset();
    rocks_ = open_rocks_or_die(dir_.str(), Durability::kAsync, [] { return kFixedTime; });
    ASSERT_NE(rocks_, nullptr);
  }

  ExpectedVersion pick_expected(const std::string& stream) {
    const std::uint64_t actual = model_->stream_version(stream);
    switch (pick(7)) {
      case 0:
        return ExpectedVersion::any();
      case 1:
        return ExpectedVersion::no_stream();
      case 2:
        return ExpectedVersion::stream_exists();
      case 3:
        return ExpectedVersion::exact(actual + 1);
      case 4:
        return ExpectedVersion::exact(actual > 0 ? actual - 1 : 3);
      case 5:
        return ExpectedVersion::exact(pick(6));
      default:
        return ExpectedVersion::exact(actual);
    }
  }

  AppendRequest new_request() {
    AppendRequest req;
    req.stream = pick_stream();
    req.expected = pick_expected(req.stream);
    const int n = 1 + static_cast<int>(pick(4));
    for (int i = 0; i < n; ++i) {
      EventData e;
      e.event_id = make_event_id("model", next_id_++);
      e.type = kTypes[pick(std::size(kTypes))];
      e.schema_version = 1 + static_cast<std::uint32_t>(pick(2));
      e.payload =
          "{\"n\":" + std::to_string(next_id_) + ",\"r\":" + std::to_string(pick(1000)) + "}";
      e.metadata.actor = "actor-" + std::to_string(pick(3));
      e.metadata.correlation_id = "c" + std::to_string(op_);
      if (pick(4) == 0) e.metadata.idempotency_key = "k" + std::to_string(op_);
      req.events.push_back(std::move(e));
    }
    if (pick(5) == 0) {
      req.side_puts.push_back({std::string(kSideRequests), "req-" + std::to_string(pick(40)),
                               "op-" + std::to_string(op_)});
    }
    switch (pick(40)) {
      case 0:
        req.events.clear();
        break;
      case 1:
        req.stream.clear();
        break;
      case 2:
        req.events.push_back(req.events.front());
        break;
      default:
        break;
    }
    return req;
  }

  AppendRequest old_request() {
    AppendRequest req = history_[pick(history_.size())];
    switch (pick(8)) {
      case 0:
        req.expected = ExpectedVersion::any();
        break;
      case 1:
        req.events.back().payload += " ";
        break;
      case 2:
        req.stream = pick_stream();
        break;
      case 3: {  // an extra event (new_request() sometimes has none)
        AppendRequest extra = new_request();
        if (!extra.events.empty()) req.events.push_back(std::move(extra.events.front()));
        break;
      }
      case 4:
        req.expected = pick_expected(req.stream);
        break;
      default:
        break;  // verbatim retry
    }
    return req;
  }

  void append(AppendRequest req) {
    auto a = rocks_->append_sync(req);
    auto b = model_->append_sync(req);
    const std::string sa = show(a), sb = show(b);
    EXPECT_EQ(sa, sb) << "op " << op_ << " append to '" << req.stream << "'";
    if (!req.events.empty()) history_.push_back(std::move(req));
  }

  void read() {
    const std::string stream = pick_stream();
    switch (pick(5)) {
      case 0: {
        std::uint64_t from = pick(8), limit = 1 + pick(6);
        check(rocks_->read_stream(stream, from, limit), model_->read_stream(stream, from, limit),
              "read_stream");
        break;
      }
      case 1: {
        std::uint64_t from = pick(3) == 0 ? std::numeric_limits<std::uint64_t>::max() : pick(9);
        std::uint64_t limit = 1 + pick(6);
        check(rocks_->read_stream_backward(stream, from, limit),
              model_->read_stream_backward(stream, from, limit), "read_stream_backward");
        break;
      }
      case 2: {
        ReadAllOptions o;
        o.after = pick(model_->head_position() + 3);
        o.limit = 1 + pick(12);
        if (pick(3) == 0) o.category = kCategories[pick(std::size(kCategories))];
        if (pick(3) == 0) o.type = kTypes[pick(std::size(kTypes))];
        check(rocks_->read_all(o), model_->read_all(o), "read_all");
        break;
      }
      case 3: {
        const std::uint64_t after = pick(model_->head_position() + 2), stop = 1 + pick(10);
        std::vector<std::uint64_t> pa, pb;
        auto na = rocks_->scan_all(after, [&](const RecordedEvent& e) {
          pa.push_back(e.position);
          return pa.size() < stop;
        });
        auto nb = model_->scan_all(after, [&](const RecordedEvent& e) {
          pb.push_back(e.position);
          return pb.size() < stop;
        });
        ASSERT_TRUE(na.ok() && nb.ok());
        EXPECT_EQ(*na, *nb) << "op " << op_;
        EXPECT_EQ(pa, pb) << "op " << op_;
        break;
      }
      default: {
        EXPECT_EQ(rocks_->stream_version(stream), model_->stream_version(stream)) << "op " << op_;
        EXPECT_EQ(rocks_->head_position(), model_->head_position()) << "op " << op_;
        const std::string key = "req-" + std::to_string(pick(40));
        auto ga = rocks_->side_get(kSideRequests, key);
        auto gb = model_->side_get(kSideRequests, key);
        ASSERT_TRUE(ga.ok() && gb.ok());
        EXPECT_EQ(*ga, *gb) << "op " << op_ << " side " << key;
      }
    }
  }

  void check(const Result<std::vector<RecordedEvent>>& a,
             const Result<std::vector<RecordedEvent>>& b, const char* what) {
    EXPECT_EQ(show(a), show(b)) << "op " << op_ << " " << what;
  }

  void step() {
    const auto dice = pick(100);
    if (dice < 45 || history_.empty()) {
      append(new_request());
    } else if (dice < 65) {
      append(old_request());
    } else if (dice < 68) {
      const std::string key = "req-" + std::to_string(pick(40));
      EXPECT_TRUE(rocks_->side_erase(kSideRequests, key).ok());
      EXPECT_TRUE(model_->side_erase(kSideRequests, key).ok());
    } else {
      read();
    }
  }

  void compare_everything() {
    auto a = read_everything(*rocks_);
    auto b = read_everything(*model_);
    ASSERT_EQ(a.size(), b.size());
    EXPECT_GT(a.size(), 100u) << "too few appends succeeded to mean much";
    for (std::size_t i = 0; i < a.size(); ++i) {
      EXPECT_TRUE(same_content(a[i], b[i])) << describe(a[i]) << " vs " << describe(b[i]);
      EXPECT_EQ(a[i].hash, b[i].hash) << "position " << a[i].position;
    }
    expect_well_formed_log(a);
    for (const char* s : kStreams) {
      EXPECT_EQ(rocks_->stream_version(s), model_->stream_version(s)) << s;
    }
    std::vector<std::string> sa, sb;
    auto scan = [](EventStore& st, std::vector<std::string>& out) {
      EXPECT_TRUE(st.side_scan(kSideRequests, "", [&](std::string_view k, std::string_view v) {
                      out.push_back(std::string(k) + "=" + std::string(v));
                      return true;
                    }).ok());
    };
    scan(*rocks_, sa);
    scan(*model_, sb);
    EXPECT_EQ(sa, sb);
    auto va = rocks_->verify();
    auto vb = model_->verify();
    ASSERT_TRUE(va.ok() && vb.ok());
    EXPECT_TRUE(va->ok) << va->problem;
    EXPECT_TRUE(vb->ok) << vb->problem;
    EXPECT_EQ(va->head_hash, vb->head_hash);
  }

  TempDir dir_;
  std::mt19937 rng_;
  std::unique_ptr<EventStore> rocks_;
  std::unique_ptr<EventStore> model_;
  std::vector<AppendRequest> history_;
  std::uint64_t next_id_ = 1;
  int op_ = 0;
};

class ModelTest : public ::testing::TestWithParam<std::uint32_t> {};

TEST_P(ModelTest, RocksStoreAgreesWithTheMemoryStore) {
  ModelRun run(GetParam());
  run.run(1500);
}

INSTANTIATE_TEST_SUITE_P(Seeds, ModelTest, ::testing::Values(1u, 42u, 20240229u));

}  // namespace
}  // namespace ikv::eventstore::testing
