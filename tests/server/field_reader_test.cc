#include "server/http/field_reader.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace ikv::server {
namespace {

boost::json::object obj(std::string_view json) { return boost::json::parse(json).as_object(); }

std::vector<FieldError> errs(std::initializer_list<FieldError> e) { return e; }

TEST(FieldReader, ReadsValidFields) {
  auto o = obj(R"({"name":"Oulu","n":3,"on":true,"agenda":["a","b"],"names":{"fi":"Oulu"}})");
  FieldReader r(o);
  EXPECT_EQ(r.required_string("name", {.max_len = 200}), "Oulu");
  EXPECT_EQ(r.required_int("n", {.min = 1, .max = 5}), 3);
  EXPECT_EQ(r.optional_bool("on"), true);
  EXPECT_EQ(r.optional_string_array("agenda"), (std::vector<std::string>{"a", "b"}));
  FieldReader names = r.required_object("names");
  EXPECT_TRUE(names.present());
  EXPECT_EQ(names.required_string("fi"), "Oulu");
  names.reject_unknown();
  r.reject_unknown();
  EXPECT_TRUE(r.ok());
}

TEST(FieldReader, AbsentOptionalFieldsAreEmptyWithoutErrors) {
  auto o = obj(R"({})");
  FieldReader r(o);
  EXPECT_EQ(r.optional_string("phone"), std::nullopt);
  EXPECT_EQ(r.optional_string("title"), std::nullopt);
  EXPECT_EQ(r.optional_int("count"), std::nullopt);
  EXPECT_EQ(r.optional_bool("flag"), std::nullopt);
  EXPECT_EQ(r.optional_string_array("agenda"), std::nullopt);
  EXPECT_FALSE(r.optional_object("extra").present());
  r.reject_unknown();
  EXPECT_TRUE(r.ok());
}

TEST(FieldReader, NullIsNeverAValue) {
  auto o = obj(R"({"phone":null,"count":null,"agenda":null,"extra":null,"email":null})");
  FieldReader r(o);
  EXPECT_EQ(r.optional_string("phone"), std::nullopt);
  EXPECT_EQ(r.optional_int("count"), std::nullopt);
  EXPECT_EQ(r.optional_string_array("agenda"), std::nullopt);
  EXPECT_FALSE(r.optional_object("extra").present());
  EXPECT_FALSE(r.required_string("email"));
  constexpr const char* kNull = "must not be null (leave the field out instead)";
  EXPECT_EQ(r.errors(), errs({{"/phone", kNull},
                              {"/count", kNull},
                              {"/agenda", kNull},
                              {"/extra", kNull},
                              {"/email", kNull}}));
}

TEST(FieldReader, MissingRequiredFieldsAreReported) {
  auto o = obj(R"({})");
  FieldReader r(o);
  EXPECT_FALSE(r.required_string("name"));
  EXPECT_FALSE(r.required_string("email"));
  EXPECT_FALSE(r.required_int("n"));
  EXPECT_FALSE(r.required_bool("b"));
  EXPECT_FALSE(r.required_string_array("a"));
  EXPECT_FALSE(r.required_object("names").present());
  EXPECT_EQ(r.errors(), errs({{"/name", "is required"},
                              {"/email", "is required"},
                              {"/n", "is required"},
                              {"/b", "is required"},
                              {"/a", "is required"},
                              {"/names", "is required"}}));
}

TEST(FieldReader, WrongTypesAreReported) {
  auto o = obj(R"({"s":1,"i":"1","f":1.5,"b":"yes","a":"x","o":[]})");
  FieldReader r(o);
  EXPECT_FALSE(r.required_string("s"));
  EXPECT_FALSE(r.required_int("i"));
  EXPECT_FALSE(r.optional_int("f"));
  EXPECT_FALSE(r.required_bool("b"));
  EXPECT_FALSE(r.optional_string_array("a"));
  EXPECT_FALSE(r.optional_object("o").present());
  EXPECT_EQ(r.errors(), errs({{"/s", "must be a string"},
                              {"/i", "must be an integer"},
                              {"/f", "must be an integer"},
                              {"/b", "must be a boolean"},
                              {"/a", "must be an array of strings"},
                              {"/o", "must be an object"}}));
}

TEST(FieldReader, StringLengthsCountCharactersNotBytes) {
  auto o = obj(R"({"ok":"ÅÄÖ","long":"ÅÄÖx","empty":"","short":"ab"})");
  FieldReader r(o);
  EXPECT_EQ(r.required_string("ok", {.max_len = 3}), "ÅÄÖ");
  EXPECT_FALSE(r.required_string("long", {.max_len = 3}));
  EXPECT_FALSE(r.required_string("empty"));
  EXPECT_FALSE(r.required_string("short", {.min_len = 3}));
  EXPECT_EQ(r.errors(), errs({{"/long", "must be at most 3 characters"},
                              {"/empty", "must not be empty"},
                              {"/short", "must be at least 3 characters"}}));
}

TEST(FieldReader, EmptyStringAllowedWhenMinLenIsZero) {
  auto o = obj(R"({"notes":""})");
  FieldReader r(o);
  EXPECT_EQ(r.optional_string("notes", {.min_len = 0}), "");
  EXPECT_TRUE(r.ok());
}

TEST(FieldReader, CustomCheckMessageIsReported) {
  auto o = obj(R"({"format":"carrier-pigeon"})");
  FieldReader r(o);
  auto format = r.required_string("format", {.check = [](std::string_view s) {
                                    return s == "remote" ? std::string()
                                                         : std::string("must be one of: remote");
                                  }});
  EXPECT_FALSE(format);
  EXPECT_EQ(r.errors(), errs({{"/format", "must be one of: remote"}}));
}

TEST(FieldReader, IntegerRangeIsChecked) {
  auto o = obj(R"({"low":0,"high":1001,"huge":18446744073709551615})");
  FieldReader r(o);
  EXPECT_FALSE(r.required_int("low", {.min = 1, .max = 1000}));
  EXPECT_FALSE(r.required_int("high", {.min = 1, .max = 1000}));
  EXPECT_FALSE(r.required_int("huge"));
  EXPECT_EQ(r.errors(), errs({{"/low", "must be at least 1"},
                              {"/high", "must be at most 1000"},
                              {"/huge", "must be at most 9223372036854775807"}}));
}

TEST(FieldReader, ArrayItemErrorsPointAtTheItem) {
  auto o = obj(R"({"agenda":["ok",7,"",null]})");
  FieldReader r(o);
  EXPECT_FALSE(r.optional_string_array("agenda"));
  EXPECT_EQ(r.errors(), errs({{"/agenda/1", "must be a string"},
                              {"/agenda/2", "must not be empty"},
                              {"/agenda/3", "must be a string"}}));
}

TEST(FieldReader, ArraySizeIsChecked) {
  auto o = obj(R"({"few":[],"many":["a","b","c"]})");
  FieldReader r(o);
  EXPECT_FALSE(r.required_string_array("few", {.min_items = 1}));
  EXPECT_FALSE(r.required_string_array("many", {.max_items = 2}));
  EXPECT_EQ(r.errors(),
            errs({{"/few", "must have at least 1 items"}, {"/many", "must have at most 2 items"}}));
}

TEST(FieldReader, NestedErrorsUseJsonPointers) {
  auto o = obj(R"({"name":{"fi":"","sv":3,"de":"x"}})");
  FieldReader r(o);
  FieldReader name = r.required_object("name");
  EXPECT_FALSE(name.required_string("fi"));
  EXPECT_FALSE(name.required_string("sv"));
  EXPECT_FALSE(name.required_string("en"));
  name.reject_unknown();
  r.reject_unknown();
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.errors(), errs({{"/name/fi", "must not be empty"},
                              {"/name/sv", "must be a string"},
                              {"/name/en", "is required"},
                              {"/name/de", "unknown field"}}));
}

TEST(FieldReader, AbsentChildReadsNothingAndReportsNothing) {
  auto o = obj(R"({})");
  FieldReader r(o);
  FieldReader child = r.optional_object("names");
  EXPECT_FALSE(child.required_string("fi"));
  child.reject_unknown();
  EXPECT_TRUE(r.ok());
}

TEST(FieldReader, UnknownFieldsAreRejected) {
  auto o = obj(R"({"name":"x","nmae":"y","a/b~c":1})");
  FieldReader r(o);
  EXPECT_TRUE(r.required_string("name"));
  r.reject_unknown();
  EXPECT_EQ(r.errors(), errs({{"/nmae", "unknown field"}, {"/a~1b~0c", "unknown field"}}));
}

TEST(FieldReader, FieldReadWithWrongTypeIsNotAlsoUnknown) {
  auto o = obj(R"({"name":5})");
  FieldReader r(o);
  EXPECT_FALSE(r.required_string("name"));
  r.reject_unknown();
  EXPECT_EQ(r.errors().size(), 1u);
}

TEST(FieldReader, AddErrorUsesThePointerOfTheKey) {
  auto o = obj(R"({"held_on":"2024-02-30"})");
  FieldReader r(o);
  EXPECT_TRUE(r.required_string("held_on"));
  r.add_error("held_on", "is not a calendar date");
  EXPECT_EQ(r.errors(), errs({{"/held_on", "is not a calendar date"}}));
}

}  // namespace
}  // namespace ikv::server
