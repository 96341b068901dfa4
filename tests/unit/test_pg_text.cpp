// PostgreSQL text formats -> the numbers Debezium's value types carry. Expected figures were
// computed independently with Python's datetime (proleptic Gregorian) and by hand for the
// two's complement bytes of Kafka Connect's Decimal (BigInteger.toByteArray()).
#include <gtest/gtest.h>

#include <limits>
#include <random>

#include "pg_text.h"

namespace tributary::pg {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(PgText, Dates) {
  EXPECT_EQ(parse_date_days("1970-01-01"), 0);
  EXPECT_EQ(parse_date_days("1969-12-31"), -1);
  EXPECT_EQ(parse_date_days("2038-01-20"), 24856);
  EXPECT_EQ(parse_date_days("0001-01-01"), -719162);
  EXPECT_EQ(parse_date_days("9999-12-31"), 2932896);
  EXPECT_EQ(parse_date_days("0001-01-01 BC"), -719162 - 366);  // 1 BC = year 0, a leap year
  EXPECT_EQ(parse_date_days("10000-01-01"), 2932897);
  EXPECT_EQ(infinity_of("infinity"), Infinity::Positive);
  EXPECT_EQ(infinity_of("-infinity"), Infinity::Negative);
  EXPECT_EQ(infinity_of("2020-01-01"), Infinity::None);
  EXPECT_THROW(parse_date_days("2020-13-01"), std::invalid_argument);
  EXPECT_THROW(parse_date_days("20-01-01"), std::invalid_argument);
  EXPECT_THROW(parse_date_days("2020-01-01x"), std::invalid_argument);
  // PostgreSQL's years have at most 7 digits; 19 digits overflowed (found by fuzz_copy_row).
  EXPECT_EQ(parse_date_days("5874897-12-31"), 2145042905);
  EXPECT_THROW(parse_date_days("7777777777777777777-01-01"), std::invalid_argument);
  EXPECT_THROW(parse_date_days("12345678-01-01"), std::invalid_argument);
  // Timestamps past int64 microseconds since 1970 saturate, as Java's TimeUnit.toMicros.
  EXPECT_EQ(parse_timestamp_micros("294276-12-31 23:59:59.999999"),
            std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(parse_timestamptz_micros("5874897-01-01 00:00:00+00"),
            std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(parse_timestamp_micros("4713-01-01 00:00:00 BC"), -210863520000000000LL);
}

TEST(PgText, TimesAndTimestamps) {
  EXPECT_EQ(parse_time_micros("00:00:00"), 0);
  EXPECT_EQ(parse_time_micros("13:45:07.5"), ((13 * 60 + 45) * 60 + 7) * 1000000LL + 500000);
  EXPECT_EQ(parse_time_micros("23:59:59.999999"), 86399999999LL);
  EXPECT_EQ(parse_time_micros("24:00:00"), 86400000000LL);
  EXPECT_EQ(parse_timestamp_micros("2024-01-02 03:04:05.123456"), 1704164645123456LL);
  EXPECT_EQ(parse_timestamp_micros("1900-01-01 00:00:00"), -2208988800000000LL);
  EXPECT_EQ(parse_timestamptz_micros("2024-01-02 03:04:05.123456+00"), 1704164645123456LL);
  EXPECT_EQ(parse_timestamptz_micros("2024-01-02 08:34:05.123456+05:30"), 1704164645123456LL);
  EXPECT_EQ(parse_timestamptz_micros("2024-01-01 22:04:05.123456-05"), 1704164645123456LL);
  EXPECT_THROW(parse_time_micros("1:00:00"), std::invalid_argument);
  EXPECT_THROW(parse_time_micros("10:00:00."), std::invalid_argument);
  EXPECT_THROW(parse_timestamptz_micros("2024-01-02 03:04:05"), std::invalid_argument);
  try {
    parse_timestamp_micros("yesterday");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "not a PostgreSQL timestamp: 'yesterday'");
  }
}

TEST(PgText, NumericsAsTwosComplementUnscaled) {
  auto n = parse_numeric("123.45");
  EXPECT_EQ(n.scale, 2);
  EXPECT_EQ(n.bytes, (Bytes{0x30, 0x39}));  // 12345
  EXPECT_EQ(parse_numeric("0").bytes, (Bytes{0x00}));
  EXPECT_EQ(parse_numeric("-0.00").bytes, (Bytes{0x00}));
  EXPECT_EQ(parse_numeric("127").bytes, (Bytes{0x7F}));
  EXPECT_EQ(parse_numeric("128").bytes, (Bytes{0x00, 0x80}));
  EXPECT_EQ(parse_numeric("-1").bytes, (Bytes{0xFF}));
  EXPECT_EQ(parse_numeric("-128").bytes, (Bytes{0x80}));
  EXPECT_EQ(parse_numeric("-129").bytes, (Bytes{0xFF, 0x7F}));
  EXPECT_EQ(parse_numeric("-256").bytes, (Bytes{0xFF, 0x00}));
  EXPECT_EQ(parse_numeric("65536").bytes, (Bytes{0x01, 0x00, 0x00}));
  // 2^64 = 18446744073709551616
  EXPECT_EQ(parse_numeric("18446744073709551616").bytes, (Bytes{0x01, 0, 0, 0, 0, 0, 0, 0, 0}));
  // Rescaling: pads, or rounds half away from zero.
  auto r = parse_numeric("1.5", 3);
  EXPECT_EQ(r.scale, 3);
  EXPECT_EQ(r.bytes, (Bytes{0x05, 0xDC}));                           // 1500
  EXPECT_EQ(parse_numeric("2.345", 2).bytes, (Bytes{0x00, 0xEB}));   // 235
  EXPECT_EQ(parse_numeric("-2.345", 2).bytes, (Bytes{0xFF, 0x15}));  // -235
  EXPECT_EQ(parse_numeric("9.99", 1).bytes, (Bytes{0x64}));          // 100
  EXPECT_THROW(parse_numeric("NaN"), std::invalid_argument);
  EXPECT_THROW(parse_numeric("-"), std::invalid_argument);
  EXPECT_THROW(parse_numeric("1.2.3"), std::invalid_argument);
}

// Numerics of up to 18 digits take a 64-bit shortcut; leading zeros push the same value past 18
// digits, through the general base-256 conversion, which must give the same bytes and scale.
TEST(PgText, SmallNumericsMatchTheGeneralConversion) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20000; ++i) {
    const int ndigits = 1 + static_cast<int>(rng() % 18);
    std::string digits;
    for (int d = 0; d < ndigits; ++d) digits += static_cast<char>('0' + rng() % 10);
    const auto point = rng() % static_cast<unsigned>(ndigits + 1);
    std::string body = digits;
    if (point < static_cast<unsigned>(ndigits)) body.insert(body.size() - point, ".");
    const std::string sign = rng() % 2 ? "-" : "";
    const auto fast = parse_numeric(sign + body);
    const auto general = parse_numeric(sign + std::string(20, '0') + body);
    ASSERT_EQ(fast.bytes, general.bytes) << sign + body;
    ASSERT_EQ(fast.scale, general.scale) << sign + body;
  }
  EXPECT_EQ(parse_numeric("999999999999999999").bytes,
            (Bytes{0x0D, 0xE0, 0xB6, 0xB3, 0xA7, 0x63, 0xFF, 0xFF}));  // 10^18 - 1
  EXPECT_EQ(parse_numeric("-999999999999999999").bytes,
            (Bytes{0xF2, 0x1F, 0x49, 0x4C, 0x58, 0x9C, 0x00, 0x01}));
}

TEST(PgText, UtcTimestamptzRewrittenAsZonedTimestamp) {
  std::string out = "untouched";
  ASSERT_TRUE(utc_timestamptz_as_iso("2024-02-29 11:45:30.5+00", 6, out));
  EXPECT_EQ(out, "2024-02-29T11:45:30.500000Z");
  ASSERT_TRUE(utc_timestamptz_as_iso("2024-02-29 11:45:30.123456+00", 3, out));
  EXPECT_EQ(out, "2024-02-29T11:45:30.123Z");  // truncated, as the micros path formats it
  ASSERT_TRUE(utc_timestamptz_as_iso("1000-01-01 00:00:00+00", 0, out));
  EXPECT_EQ(out, "1000-01-01T00:00:00Z");
  // Any other shape is left to the general path.
  out = "untouched";
  for (const char* other :
       {"2024-02-29 11:45:30+01", "2024-02-29 11:45:30+00:00", "0999-12-31 23:59:59+00",
        "2024-01-01 00:00:00+00 BC", "12024-01-01 00:00:00+00", "2023-02-29 00:00:00+00",
        "2024-01-01 24:00:00+00", "2024-01-01 00:00:60+00", "2024-01-01 00:00:00.+00",
        "2024-01-01 00:00:00.1234567+00", "infinity", "2024-01-01T00:00:00+00"}) {
    EXPECT_FALSE(utc_timestamptz_as_iso(other, 6, out)) << other;
  }
  EXPECT_EQ(out, "untouched");
}

TEST(PgText, ByteaHex) {
  EXPECT_EQ(parse_bytea_hex("\\x"), Bytes{});
  EXPECT_EQ(parse_bytea_hex("\\x00ffA0"), (Bytes{0x00, 0xFF, 0xA0}));
  EXPECT_THROW(parse_bytea_hex("\\x0"), std::invalid_argument);
  EXPECT_THROW(parse_bytea_hex("\\xzz"), std::invalid_argument);
  EXPECT_THROW(parse_bytea_hex("abc"), std::invalid_argument);
}

}  // namespace
}  // namespace tributary::pg

namespace tributary::pg {
namespace {

// COPY's text format, as PostgreSQL's CopyAttributeOutText writes it: tab-separated, \N for
// NULL, and backslash escapes for backslash, newline, carriage return, tab, \b, \f, \v.
TEST(CopyRow, SplitsFieldsAndNulls) {
  std::vector<std::optional<std::string_view>> f;
  std::vector<std::string> scratch;
  split_copy_row("1\t\\N\tplain text\t\n", f, scratch);
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(*f[0], "1");
  EXPECT_FALSE(f[1].has_value());
  EXPECT_EQ(*f[2], "plain text");
  EXPECT_EQ(*f[3], "");  // an empty string is not NULL
}

TEST(CopyRow, DecodesEscapes) {
  std::vector<std::optional<std::string_view>> f;
  std::vector<std::string> scratch;
  // a\b (a backslash), line\nbreak, tab\there, \x41 and \101 (both 'A'), the word "\N" in text
  split_copy_row("a\\\\b\tline\\nbreak\ttab\\there\t\\x41\\101\tx\\\\N\tcr\\r\\b\\f\\v\n", f,
                 scratch);
  ASSERT_EQ(f.size(), 6u);
  EXPECT_EQ(*f[0], "a\\b");
  EXPECT_EQ(*f[1], "line\nbreak");
  EXPECT_EQ(*f[2], "tab\there");
  EXPECT_EQ(*f[3], "AA");
  EXPECT_EQ(*f[4], "x\\N");
  EXPECT_EQ(*f[5], "cr\r\b\f\v");
}

TEST(CopyRow, EscapedFieldsStayValidTogether) {
  // Views into the scratch strings must not move while later fields are decoded.
  std::vector<std::optional<std::string_view>> f;
  std::vector<std::string> scratch;
  std::string line;
  for (int i = 0; i < 40; ++i) line += (i ? "\t" : "") + std::string("v\\\\") + std::to_string(i);
  split_copy_row(line, f, scratch);
  ASSERT_EQ(f.size(), 40u);
  for (int i = 0; i < 40; ++i) EXPECT_EQ(*f[i], "v\\" + std::to_string(i));
}

}  // namespace
}  // namespace tributary::pg
