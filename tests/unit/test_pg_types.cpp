// Column codecs: PostgreSQL text -> Connect values as Debezium 2.7.4 writes them. Expected values
// are the ones the real Debezium wrote for the same SQL values (tests/golden/postgres, README).
#include <gtest/gtest.h>

#include <random>

#include "pg_types.h"

namespace tributary::pg {
namespace {

TypeCatalog catalog() {
  TypeCatalog c;
  auto add = [&](std::uint32_t oid, const char* name, char cat = 'N', char kind = 'b',
                 std::uint32_t elem = 0, std::uint32_t base = 0) {
    PgTypeInfo t;
    t.oid = oid;
    t.name = name;
    t.category = cat;
    t.kind = kind;
    t.element = elem;
    t.base = base;
    c.add(t);
  };
  add(23, "int4");
  add(1007, "_int4", 'A', 'b', 23);
  add(1700, "numeric");
  add(1231, "_numeric", 'A', 'b', 1700);
  add(1083, "time");
  add(1184, "timestamptz");
  add(1266, "timetz");
  add(1186, "interval");
  add(1560, "bit");
  add(1562, "varbit");
  add(9001, "hstore", 'U');
  add(9002, "posint", 'N', 'd', 0, 23);
  add(17, "bytea");
  PgTypeInfo mood;
  mood.oid = 9003;
  mood.name = "mood";
  mood.category = 'E';
  mood.kind = 'e';
  mood.enum_labels = {"sad", "ok", "happy"};
  c.add(mood);
  return c;
}

ColumnCodec codec(std::uint32_t oid, std::int32_t typmod = -1, ValueModes m = {}) {
  static const TypeCatalog types = catalog();
  auto c = ColumnCodec::make(types, oid, typmod, m);
  EXPECT_TRUE(c.has_value());
  return *c;
}

TEST(PgTypes, IntervalAsMicroDurationWithDebeziumsAverageMonth) {
  auto c = codec(1186);
  EXPECT_EQ(c.decode("1 year 2 mons 3 days 04:05:06.789").as<std::int64_t>(), 37091106789000LL);
  EXPECT_EQ(c.decode("-1 years -2 mons +3 days -04:05:06.789").as<std::int64_t>(),
            -36572706789000LL);
  EXPECT_EQ(c.decode("00:00:00").as<std::int64_t>(), 0);
  EXPECT_EQ(c.decode("-178000000 years").as<std::int64_t>(), INT64_MIN);  // clamped
  ValueModes s;
  s.interval = IntervalMode::String;
  auto str = codec(1186, -1, s);
  EXPECT_EQ(str.decode("1 year 2 mons 3 days 04:05:06.789").as<std::string>(),
            "P1Y2M3DT4H5M6.789S");
  EXPECT_EQ(str.decode("-1 years -2 mons +3 days -04:05:06.789").as<std::string>(),
            "P-1Y-2M3DT-4H-5M-6.789S");
  EXPECT_EQ(str.decode("00:00:00").as<std::string>(), "P0Y0M0DT0H0M0S");
}

TEST(PgTypes, TimesAndZonedTimes) {
  EXPECT_EQ(codec(1083).decode("24:00:00").as<std::int64_t>(), 86400000000LL);
  EXPECT_EQ(codec(1083, 3).decode("13:45:30.123").as<std::int32_t>(), 49530123);
  EXPECT_EQ(codec(1266).decode("13:45:30.5+02").as<std::string>(), "11:45:30.5Z");
  EXPECT_EQ(codec(1266).decode("00:00:00-11:30").as<std::string>(), "11:30:00Z");
  EXPECT_EQ(codec(1266).decode("23:59:59.999999-14").as<std::string>(), "13:59:59.999999Z");
}

// timestamptz in the UTC session takes a text shortcut; the same instant written with "+00:00"
// goes through micros and the calendar, and must give the same ZonedTimestamp text.
TEST(PgTypes, ZonedTimestampShortcutMatchesTheCalendarPath) {
  std::mt19937_64 rng(11);
  auto two = [](unsigned v) { return std::string(1, char('0' + v / 10)) + char('0' + v % 10); };
  for (const std::int32_t typmod : {-1, 0, 1, 3, 5, 6}) {
    const auto c = codec(1184, typmod);
    for (int i = 0; i < 5000; ++i) {
      const unsigned month = 1 + rng() % 12, day = 1 + rng() % 28;
      std::string text = std::to_string(1000 + rng() % 9000) + "-" + two(month) + "-" + two(day) +
                         " " + two(rng() % 24) + ":" + two(rng() % 60) + ":" + two(rng() % 60);
      const auto frac = rng() % 7;
      if (frac > 0) {
        text += '.';
        for (unsigned d = 0; d < frac; ++d) text += static_cast<char>('0' + rng() % 10);
      }
      const auto shortcut = c.decode(text + "+00").as<std::string>();
      ASSERT_EQ(shortcut, c.decode(text + "+00:00").as<std::string>()) << text;
    }
  }
  EXPECT_EQ(codec(1184).decode("2024-02-29 23:59:59.5+00").as<std::string>(),
            "2024-02-29T23:59:59.500000Z");
  EXPECT_EQ(codec(1184, 2).decode("1969-12-31 23:59:59.999+00").as<std::string>(),
            "1969-12-31T23:59:59.99Z");
}

TEST(PgTypes, NumericsPerMode) {
  // numeric(10,2): typmod = (10 << 16 | 2) + 4
  auto precise = codec(1700, (10 << 16 | 2) + 4);
  EXPECT_EQ(precise.schema(true, std::nullopt)->parameter("connect.decimal.precision"), "10");
  EXPECT_TRUE(precise.decode("NaN").is_null());
  auto var = codec(1700);
  Value v = var.decode("1.50");  // trailing fractional zeros dropped
  EXPECT_EQ(v.as_struct().fields[0].as<std::int32_t>(), 1);
  EXPECT_EQ(v.as_struct().fields[1].as<Bytes>(), (Bytes{15}));
  EXPECT_EQ(var.decode("100000000000000000000").as_struct().fields[0].as<std::int32_t>(), 0);
  ValueModes s;
  s.decimal = DecimalMode::String;
  EXPECT_EQ(codec(1700, -1, s).decode("NaN").as<std::string>(), "NAN");
  EXPECT_EQ(codec(1700, -1, s).decode("-Infinity").as<std::string>(), "NEGATIVE_INFINITY");
  EXPECT_EQ(codec(1700, -1, s).decode("100.00").as<std::string>(), "100.00");
  // An array with a NaN element is written as null, in every mode.
  EXPECT_TRUE(codec(1231).decode("{1.5,-2,NaN}").is_null());
  EXPECT_TRUE(codec(1231, -1, s).decode("{1.5,-2,NaN}").is_null());
}

TEST(PgTypes, BitsHstoreEnumsArraysDomains) {
  EXPECT_EQ(codec(1560, 3).decode("101").as<Bytes>(), (Bytes{0x05}));
  EXPECT_EQ(codec(1562, 10).decode("1011").as<Bytes>(), (Bytes{0x0B}));
  EXPECT_TRUE(codec(1560, 1).decode("1").as<bool>());
  EXPECT_EQ(codec(9001).decode("\"a\"=>\"1\", \"b c\"=>NULL").as<std::string>(),
            "{\"a\":\"1\",\"b c\":null}");
  auto e = codec(9003);
  EXPECT_EQ(e.schema(true, std::nullopt)->parameter("allowed"), "sad,ok,happy");
  auto a = codec(1007).decode("{NULL,-1,2147483647}").as<Value::Array>();
  ASSERT_EQ(a.size(), 3u);
  EXPECT_TRUE(a[0].is_null());
  EXPECT_EQ(a[2].as<std::int32_t>(), 2147483647);
  EXPECT_EQ(codec(9002).decode("7").as<std::int32_t>(), 7);  // domain over int4
}

TEST(PgTypes, DefaultsAsDebeziumParsesThem) {
  EXPECT_EQ(codec(23).default_from_expression("42")->as<std::int32_t>(), 42);
  EXPECT_EQ(codec(23).default_from_expression("'-7'::integer")->as<std::int32_t>(), -7);
  EXPECT_EQ(codec(23).default_from_expression("nextval('t_id_seq'::regclass)")->as<std::int32_t>(),
            0);
  EXPECT_EQ(codec(9003).default_from_expression("'ok'::mood")->as<std::string>(), "ok");
}

TEST(PgTypes, UnchangedToastPlaceholderPerType) {
  EXPECT_EQ(codec(9003).unavailable().as<std::string>(), "__debezium_unavailable_value");
  EXPECT_EQ(codec(17).unavailable().as<Bytes>().size(), 28u);
  auto ints = codec(1007).unavailable().as<Value::Array>();
  EXPECT_EQ(ints.size(), 28u);
  EXPECT_EQ(ints[0].as<std::int32_t>(), 95);  // '_'
  ValueModes b64;
  b64.binary = BinaryMode::Base64;
  EXPECT_TRUE(codec(17, -1, b64).unavailable().is_null());
}

}  // namespace
}  // namespace tributary::pg
