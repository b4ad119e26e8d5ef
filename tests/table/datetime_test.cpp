#include "synthscale/table/datetime.h"

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

#include <gtest/gtest.h>

namespace synthscale {
namespace {

// Expected epoch seconds below were computed with Python's datetime:
// int((datetime(...) - datetime(1970, 1, 1)).total_seconds()).

std::int64_t Seconds(std::string_view text) {
  const std::optional<ParsedDatetime> parsed = ParseDatetime(text);
  EXPECT_TRUE(parsed.has_value()) << "rejected: " << text;
  return parsed ? parsed->seconds : INT64_MIN;
}

TEST(ParseDatetime, KnownEpochValues) {
  EXPECT_EQ(Seconds("1970-01-01"), 0);
  EXPECT_EQ(Seconds("1970-01-01T00:00:00"), 0);
  EXPECT_EQ(Seconds("1969-12-31T23:59:59"), -1);
  EXPECT_EQ(Seconds("2000-02-29"), 951782400);
  EXPECT_EQ(Seconds("2021-03-01"), 1614556800);
  EXPECT_EQ(Seconds("1900-03-01"), -2203891200);
  EXPECT_EQ(Seconds("1900-02-28T12:30:45"), -2203932555);
  EXPECT_EQ(Seconds("2400-02-29"), 13574563200);
  EXPECT_EQ(Seconds("0001-01-01"), -62135596800);
  EXPECT_EQ(Seconds("9999-12-31T23:59:59"), 253402300799);
}

TEST(ParseDatetime, AcceptedSpellings) {
  EXPECT_EQ(Seconds("2000-02-29 00:00:01"), 951782401);
  EXPECT_EQ(Seconds("2000-02-29T00:00:01Z"), 951782401);
  EXPECT_EQ(Seconds("2000-02-29Z"), 951782400);
  const std::optional<ParsedDatetime> date = ParseDatetime("2000-02-29");
  ASSERT_TRUE(date);
  EXPECT_FALSE(date->has_time);
  const std::optional<ParsedDatetime> with_time = ParseDatetime("2000-02-29T00:00:00");
  ASSERT_TRUE(with_time);
  EXPECT_TRUE(with_time->has_time);
}

TEST(ParseDatetime, LeapYearRules) {
  EXPECT_FALSE(ParseDatetime("1900-02-29")) << "1900 is divisible by 100 but not 400";
  EXPECT_TRUE(ParseDatetime("2000-02-29")) << "2000 is divisible by 400";
  EXPECT_FALSE(ParseDatetime("2100-02-29"));
  EXPECT_TRUE(ParseDatetime("2024-02-29"));
  EXPECT_FALSE(ParseDatetime("2023-02-29"));
  EXPECT_TRUE(ParseDatetime("2023-02-28"));
}

TEST(ParseDatetime, RejectsBadDates) {
  for (const char* text : {
           "2021-02-29", "2021-13-01", "2021-00-10", "2021-01-00", "2021-04-31", "2021-01-32",
           "garbage", "", "2021", "2021-1-01", "2021-01-1", "21-01-01", "2021/01/01", " 2021-01-01",
           "2021-01-01 ", "2021-01-01T", "2021-01-01T12:00", "2021-01-01T24:00:00",
           "2021-01-01T23:60:00", "2021-01-01T23:59:60", "2021-01-01X12:00:00",
           "2021-01-01T12:00:00+01:00", "2021-01-01T12:00:00.5", "2021-01-01ZZ", "+021-01-01",
           "2021-0a-01", "２０２１-01-01"}) {
    EXPECT_FALSE(ParseDatetime(text)) << "accepted: '" << text << "'";
  }
}

TEST(FormatDatetime, KnownValues) {
  EXPECT_EQ(FormatDatetime(0, false), "1970-01-01");
  EXPECT_EQ(FormatDatetime(0, true), "1970-01-01T00:00:00");
  EXPECT_EQ(FormatDatetime(-1, true), "1969-12-31T23:59:59");
  EXPECT_EQ(FormatDatetime(-1, false), "1969-12-31");
  EXPECT_EQ(FormatDatetime(951782400, false), "2000-02-29");
  EXPECT_EQ(FormatDatetime(-2203932555, true), "1900-02-28T12:30:45");
  EXPECT_EQ(FormatDatetime(253402300799, true), "9999-12-31T23:59:59");
  EXPECT_EQ(FormatDatetime(-62135596800, false), "0001-01-01");
  EXPECT_EQ(FormatDatetime(-86400, true), "1969-12-31T00:00:00");
}

TEST(DaysFromCivil, KnownValues) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(2000, 2, 29), 11016);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(DaysFromCivil(1, 1, 1), -719162);
  // Year 0 (1 BC) is a leap year in the proleptic Gregorian calendar: 366 days before 0001-01-01.
  EXPECT_EQ(DaysFromCivil(0, 1, 1), -719528);
}

bool ReferenceIsLeap(int year) { return year % 400 == 0 || (year % 4 == 0 && year % 100 != 0); }

TEST(Datetime, EveryDayAgainstAnIndependentCalendar) {
  // Walk day by day from 1899-12-01 to 2101-01-31 with our own counter and leap rule.
  static constexpr int kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  std::int64_t days = DaysFromCivil(1899, 12, 1);
  ASSERT_EQ(days, -25598);  // (date(1899, 12, 1) - date(1970, 1, 1)).days
  int year = 1899;
  int month = 12;
  int day = 1;
  while (year < 2101 || month < 2) {
    char text[48];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", year, month, day);
    const std::optional<ParsedDatetime> parsed = ParseDatetime(text);
    ASSERT_TRUE(parsed) << text;
    ASSERT_EQ(parsed->seconds, days * 86400) << text;
    ASSERT_EQ(FormatDatetime(days * 86400, false), text);
    ASSERT_EQ(FormatDatetime(days * 86400 + 86399, false), text);  // the whole day formats as that date
    const int month_days = kDaysInMonth[month - 1] + (month == 2 && ReferenceIsLeap(year) ? 1 : 0);
    char past_end[48];
    std::snprintf(past_end, sizeof past_end, "%04d-%02d-%02d", year, month, month_days + 1);
    ASSERT_FALSE(ParseDatetime(past_end)) << past_end;
    ++days;
    if (++day > month_days) {
      day = 1;
      if (++month > 12) {
        month = 1;
        ++year;
      }
    }
  }
}

TEST(Datetime, RoundTripWithTime) {
  // Every format/parse round trip over years 0001..9999, stepping a prime number of seconds.
  for (std::int64_t seconds = -62135596800; seconds <= 253402300799; seconds += 7777777) {
    const std::string text = FormatDatetime(seconds, true);
    const std::optional<ParsedDatetime> parsed = ParseDatetime(text);
    ASSERT_TRUE(parsed) << text;
    ASSERT_EQ(parsed->seconds, seconds) << text;
    ASSERT_TRUE(parsed->has_time);
  }
}

}  // namespace
}  // namespace synthscale
