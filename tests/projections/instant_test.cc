#include "projections/instant.h"

#include <gtest/gtest.h>

namespace ikv::projections {
namespace {

TEST(Instant, FormatsUtcWithMicroseconds) {
  EXPECT_EQ(format_instant(0), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(format_instant(1713346200123456), "2024-04-17T09:30:00.123456Z");
  EXPECT_EQ(format_instant(1709164800000001), "2024-02-29T00:00:00.000001Z");
}

TEST(Instant, FormatsInstantsBeforeTheEpoch) {
  EXPECT_EQ(format_instant(-1), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(format_instant(-86'400'000'000), "1969-12-31T00:00:00.000000Z");
}

TEST(Instant, ParsesWhatItFormats) {
  for (std::int64_t t : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{1713346200123456},
                         std::int64_t{253402300799999999}}) {
    EXPECT_EQ(parse_instant(format_instant(t)), t) << t;
  }
}

TEST(Instant, ParsesOffsetsAndShortFractions) {
  EXPECT_EQ(parse_instant("2024-04-17T12:30:00+03:00"), 1713346200000000);
  EXPECT_EQ(parse_instant("2024-04-17T09:30:00.5Z"), 1713346200500000);
  EXPECT_EQ(parse_instant("2024-04-17t09:30:00.123456789z"), 1713346200123456);
  EXPECT_EQ(parse_instant("2024-04-17T05:00:00-04:30"), 1713346200000000);
}

TEST(Instant, RejectsMalformedOrImpossibleText) {
  for (const char* bad :
       {"", "2024-04-17", "2024-04-17T09:30:00", "2024-04-17 09:30:00Z", "2024-02-30T00:00:00Z",
        "2024-04-17T24:00:00Z", "2024-04-17T23:60:00Z", "2024-04-17T23:59:60Z",
        "2024-04-17T09:30:00.Z", "2024-04-17T09:30:00.1234567890Z", "2024-04-17T09:30:00+0300",
        "2024-04-17T09:30:00Zjunk", "0001-01-01T00:00:00+01:00"}) {
    EXPECT_FALSE(parse_instant(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace ikv::projections
