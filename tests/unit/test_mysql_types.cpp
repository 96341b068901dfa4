// Debezium's MySQL type mapping (connectors/mysql/mysql_types.h): schemas and values from binlog
// cells and SELECT text, in the handling modes, and the DEFAULT clause quirks. Expected values are
// the real Debezium 2.7.4's on MariaDB, as tests/golden/mysql/README.md records them (checked by
// hand against those files once; the e2e golden test compares whole records).
#include <gtest/gtest.h>

#include <random>

#include "mysql_types.h"

namespace tributary::mysql {
namespace {

ColumnCodec codec(const std::string& type, const ValueModes& m = {}, bool optional = true) {
  ColumnDef c;
  parse_column_type(type, c);
  c.optional = optional;
  if (c.type.find("CHAR") != std::string::npos || c.type.find("TEXT") != std::string::npos)
    c.charset = "utf8mb4";
  if (c.type.find("BINARY") != std::string::npos || c.type.find("BLOB") != std::string::npos)
    c.charset = "binary";
  auto k = ColumnCodec::make(c, m);
  EXPECT_TRUE(k.has_value()) << type;
  k->bind(k->schema(optional, std::nullopt));
  return *k;
}

BinlogValue cell(BinlogValue::Kind kind) {
  BinlogValue v;
  v.kind = kind;
  return v;
}

TEST(MysqlTypes, IntegersAndBigintUnsignedModes) {
  EXPECT_EQ(codec("tinyint(3) unsigned").schema(true, {})->type(), Type::Int16);
  EXPECT_EQ(codec("smallint(5) unsigned").schema(true, {})->type(), Type::Int32);
  EXPECT_EQ(codec("int(10) unsigned").schema(true, {})->type(), Type::Int64);
  auto u = cell(BinlogValue::Kind::UInt);
  u.u = 18446744073709551615ULL;
  EXPECT_EQ(codec("bigint(20) unsigned").from_binlog(u), Value(std::int64_t{-1}));  // wraps
  ValueModes precise;
  precise.bigint_unsigned = BigintUnsignedMode::Precise;
  const auto p = codec("bigint(20) unsigned", precise);
  EXPECT_EQ(p.schema(true, {})->parameter("connect.decimal.precision"), "20");
  EXPECT_EQ(p.from_binlog(u), Value(Bytes{0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}));
  EXPECT_EQ(codec("bigint(20) unsigned").from_text("18446744073709551615"),
            Value(std::int64_t{-1}));
  // The default saturates while values wrap (Debezium's own inconsistency, kept).
  EXPECT_EQ(codec("bigint(20) unsigned").default_from_expression("18446744073709551615"),
            Value(std::int64_t{9223372036854775807LL}));
}

TEST(MysqlTypes, DecimalModes) {
  auto d = cell(BinlogValue::Kind::Decimal);
  d.text = "12345678.91";
  EXPECT_EQ(codec("decimal(10,2)").from_binlog(d), Value(Bytes{0x49, 0x96, 0x02, 0xd3}));
  ValueModes s;
  s.decimal = DecimalMode::String;
  EXPECT_EQ(codec("decimal(10,2)", s).from_text("0.00"), Value(std::string("0.00")));
  ValueModes dbl;
  dbl.decimal = DecimalMode::Double;
  EXPECT_EQ(codec("decimal(30,10)", dbl).from_text("-0.0000000001"), Value(-1e-10));
  EXPECT_EQ(codec("decimal(5,2)").default_from_expression("1.50"), Value(Bytes{0x00, 0x96}));
}

TEST(MysqlTypes, BitsAreLittleEndianAndBitOneIsBoolean) {
  auto b = cell(BinlogValue::Kind::Bits);
  const std::string be("\x02\xaa", 2);  // b'1010101010'
  b.bytes = be;
  EXPECT_EQ(codec("bit(10)").from_binlog(b), Value(Bytes{0xaa, 0x02}));
  EXPECT_EQ(codec("bit(10)").default_from_expression("b'101'"), Value(Bytes{0x05, 0x00}));
  EXPECT_EQ(codec("bit(1)").default_from_expression("b'1'"), Value(true));
  EXPECT_EQ(codec("bit(1)").schema(true, {})->type(), Type::Boolean);
}

TEST(MysqlTypes, StringsBinaryEnumSet) {
  EXPECT_EQ(latin1_to_utf8("\xc4\x80\x81"), "\xc3\x84\xe2\x82\xac\xc2\x81");  // Ä € U+0081
  ValueModes hex;
  hex.binary = BinaryMode::Hex;
  EXPECT_EQ(codec("binary(4)", hex).from_text("ab"), Value(std::string("61620000")));  // padded
  EXPECT_EQ(codec("varbinary(4)").default_from_expression("'ab'"), Value(Bytes{'a', 'b'}));
  // Debezium keeps the SQL quoting of a string default.
  EXPECT_EQ(codec("varchar(20)").default_from_expression("'it''s'"), Value(std::string("it''s")));
  const auto e = codec("enum('small','medium','large')");
  EXPECT_EQ(e.schema(true, {})->parameter("allowed"), "small,medium,large");
  auto ev = cell(BinlogValue::Kind::Enum);
  ev.u = 2;
  EXPECT_EQ(e.from_binlog(ev), Value(std::string("medium")));
  auto sv = cell(BinlogValue::Kind::Set);
  sv.u = 5;  // members 1 and 3, whatever order they were written in
  EXPECT_EQ(codec("set('a','b','c')").from_binlog(sv), Value(std::string("a,c")));
}

TEST(MysqlTypes, TemporalValuesInBothTimeModes) {
  auto date = cell(BinlogValue::Kind::Date);
  date.year = 2024;
  date.month = 2;
  date.day = 29;
  EXPECT_EQ(codec("date").from_binlog(date), Value(std::int32_t{19782}));
  date.year = date.month = date.day = 0;
  EXPECT_TRUE(codec("date").from_binlog(date).is_null());
  EXPECT_EQ(codec("date", {}, false).from_binlog(date), Value(std::int32_t{0}));
  EXPECT_EQ(codec("time(3)").from_text("-01:02:03.500"), Value(std::int64_t{-3723500000}));
  ValueModes connect;
  connect.time = TimeMode::Connect;
  EXPECT_TRUE(codec("time(3)", connect).from_text("-01:02:03.500").is_null());
  EXPECT_TRUE(codec("time", connect).from_text("838:59:59").is_null());
  EXPECT_EQ(codec("time(6)", connect).from_text("13:45:30.123456"), Value(std::int32_t{49530123}));
  EXPECT_EQ(codec("datetime(3)").from_text("2024-02-29 13:45:30.123"),
            Value(std::int64_t{1709214330123}));
  EXPECT_EQ(codec("datetime(6)").from_text("1900-01-01 00:00:00.000001"),
            Value(std::int64_t{-2208988799999999}));
  EXPECT_EQ(codec("datetime(6)", connect).from_text("1900-01-01 00:00:00.000001"),
            Value(std::int64_t{-2208988800000}));
  // ZonedTimestamp: streaming writes the column's digits, the snapshot trims a zero fraction.
  auto ts = cell(BinlogValue::Kind::Timestamp);
  ts.i = 1;
  EXPECT_EQ(codec("timestamp(6)").from_binlog(ts),
            Value(std::string("1970-01-01T00:00:01.000000Z")));
  EXPECT_EQ(codec("timestamp(6)").from_text("1970-01-01 00:00:01.000000"),
            Value(std::string("1970-01-01T00:00:01Z")));
  EXPECT_TRUE(codec("timestamp").from_text("0000-00-00 00:00:00").is_null());
  EXPECT_FALSE(codec("timestamp").default_from_expression("current_timestamp()").has_value());
  EXPECT_EQ(codec("timestamp", {}, false).default_from_expression("current_timestamp()"),
            Value(std::string("1970-01-01T00:00:00Z")));
  // YEAR 0000: 2000 in a snapshot (time adjuster), 1900 streamed (as Debezium's binlog reader).
  EXPECT_EQ(codec("year(4)").from_text("0000"), Value(std::int32_t{2000}));
  auto y = cell(BinlogValue::Kind::Int);
  y.i = 0;
  EXPECT_EQ(codec("year(4)").from_binlog(y), Value(std::int32_t{1900}));
}

TEST(MysqlTypes, PointFromWkbWithSrid) {
  // SRID 4326 (little-endian) + WKB point (1.5, -2.25), little-endian.
  const std::string v(
      "\xe6\x10\x00\x00\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\xf8\x3f"
      "\x00\x00\x00\x00\x00\x00\x02\xc0",
      25);
  const Value p = codec("point").from_text(v);
  const auto& f = p.as_struct().fields;
  EXPECT_EQ(f[0], Value(1.5));
  EXPECT_EQ(f[1], Value(-2.25));
  EXPECT_EQ(f[3], Value(std::int32_t{4326}));
  EXPECT_THROW(codec("point").from_text("abc"), std::invalid_argument);
}

TEST(MysqlTypes, MalformedTextIsAClearError) {
  EXPECT_THROW(codec("int(11)").from_text("12x"), std::invalid_argument);
  EXPECT_THROW(codec("date").from_text("2024"), std::invalid_argument);
  EXPECT_THROW(codec("time").from_text("nonsense"), std::invalid_argument);
  EXPECT_THROW(codec("decimal(5,2)").from_text("1.2.3x"), std::invalid_argument);
}

// from_binlog_into() (the reader's, into a reused struct's field) gives what from_binlog() gives,
// whatever the slot held before, and reuses the buffer of a string or bytes slot.
// SELECT text of integers and decimals, read by the short-number fast paths, gives the values
// the digit strings give: every length around the 18-digit switch, both signs, '+', leading
// zeros, more fraction digits than the scale (cut), fewer (padded); and text that is no number
// is the same clear error.
TEST(MysqlTypes, TextNumbersGiveTheValuesOfTheirDigits) {
  std::mt19937_64 rng(7);
  auto digits = [&](std::size_t n) {
    std::string d;
    for (std::size_t k = 0; k < n; ++k) d += static_cast<char>('0' + rng() % 10);
    return d;
  };
  const auto big = codec("bigint(20)");
  for (std::size_t n = 1; n <= 19; ++n) {
    for (int rep = 0; rep < 50; ++rep) {
      std::string d = digits(n);
      if (n == 19) d[0] = static_cast<char>('0' + rng() % 9);  // < 9.3e18: fits int64
      for (const std::string sign : {"", "-", "+"}) {
        // (19 characters and no '-' read as an unsigned BIGINT, which takes no '+': the server
        // writes none)
        if (sign == "+" && n >= 18) continue;
        const auto want = static_cast<std::int64_t>(std::stoull(d));
        EXPECT_EQ(big.from_text(sign + d), Value(sign == "-" ? -want : want)) << sign << d;
      }
    }
  }
  for (const char* bad : {"", "-", "+", "12a", "1 2", "--1", "1.5", "99999999999999999999"})
    EXPECT_THROW(big.from_text(bad), std::invalid_argument) << bad;
  for (int scale : {0, 2, 5}) {
    const auto dec = codec("decimal(40," + std::to_string(scale) + ")");
    for (std::size_t int_digits = 0; int_digits <= 20; ++int_digits) {
      for (std::size_t frac_digits : {0, 1, 2, 5, 7}) {
        const std::string i = digits(int_digits), f = digits(frac_digits);
        if (i.empty() && (f.empty() || scale == 0)) continue;  // (no digit: the server has one)
        // The unscaled digits: the fraction cut or padded to the scale.
        std::string unscaled = i + f.substr(0, static_cast<std::size_t>(scale));
        unscaled += std::string(
            static_cast<std::size_t>(scale) - std::min<std::size_t>(f.size(), scale), '0');
        for (const std::string sign : {"", "-"}) {
          const std::string text = sign + i + (frac_digits > 0 ? "." + f : "");
          const Value want(decimal_unscaled_from_string(sign + unscaled));
          EXPECT_EQ(dec.from_text(text), want) << text << " scale " << scale;
          Value slot(Bytes(12, 0xEE));  // a longer earlier value, reused
          dec.from_text_into(text, slot);
          EXPECT_EQ(slot, want) << text << " scale " << scale << " into";
        }
      }
    }
  }
  const auto dec2 = codec("decimal(10,2)");
  for (const char* bad : {"1-2", "x", "1.5e3"})
    EXPECT_THROW(dec2.from_text(bad), std::invalid_argument) << bad;
}

// DATETIME text in the server's layout (read by position) gives what the same instant gives read
// field by field: a fraction of 7 digits (cut to 6) and a date with a trailing space take the
// general reader.
TEST(MysqlTypes, DatetimeTextByPositionIsDatetimeTextByField) {
  std::mt19937_64 rng(11);
  const auto dt = codec("datetime(6)");
  const auto d = codec("date");
  auto two = [](unsigned v) {
    return std::string(1, static_cast<char>('0' + v / 10)) + static_cast<char>('0' + v % 10);
  };
  for (int rep = 0; rep < 2000; ++rep) {
    const unsigned year = static_cast<unsigned>(rng() % 10000),
                   month = static_cast<unsigned>(rng() % 13),
                   day = static_cast<unsigned>(rng() % 32);
    std::string date = std::to_string(10000 + year).substr(1) + "-" + two(month) + "-" + two(day);
    if (month == 0 || day == 0 || day > 28) date = rep % 2 ? "0000-00-00" : "2024-02-28";
    const std::string time = two(static_cast<unsigned>(rng() % 24)) + ":" +
                             two(static_cast<unsigned>(rng() % 60)) + ":" +
                             two(static_cast<unsigned>(rng() % 60));
    const std::size_t frac_digits = static_cast<std::size_t>(rng() % 7);
    std::string frac;
    for (std::size_t k = 0; k < frac_digits; ++k) frac += static_cast<char>('0' + rng() % 10);
    const std::string fast = date + " " + time + (frac.empty() ? "" : "." + frac);
    const std::string general = date + " " + time + "." + frac + std::string(7 - frac.size(), '0');
    EXPECT_EQ(dt.from_text(fast), dt.from_text(general)) << fast;
    EXPECT_EQ(d.from_text(date), d.from_text(date + " ")) << date;
  }
  for (const char* bad : {"2024-0a-01 00:00:00", "2024-01-01 00:0x:00", "2024-01-01 00:00:00.12x"})
    EXPECT_THROW(dt.from_text(bad), std::invalid_argument) << bad;
}

// from_text_into() gives from_text()'s value whatever the slot held before.
TEST(MysqlTypes, FromTextIntoIsFromTextWhateverTheSlotHeld) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"int(11)", "-42"},
      {"smallint(6)", "7"},
      {"bigint(20)", "-9000000000"},
      {"bigint(20) unsigned", "18446744073709551615"},
      {"decimal(12,2)", "-1234.5"},
      {"varchar(10)", "abc"},
      {"datetime(6)", "2024-02-29 13:45:30.123456"},
      {"datetime", "0000-00-00 00:00:00"},
      {"date", "2024-02-29"},
      {"enum('a','b')", "b"},
      {"time(3)", "-01:02:03.500"}};
  const std::vector<Value> earlier = {Value(),
                                      Value(std::int16_t{1}),
                                      Value(std::int32_t{2}),
                                      Value(std::int64_t{3}),
                                      Value(std::string(30, 'x')),
                                      Value(Bytes(9, 1))};
  for (const auto& [type, text] : cases) {
    const auto c = codec(type);
    const Value want = c.from_text(text);
    for (const Value& e : earlier) {
      Value slot = e;
      c.from_text_into(text, slot);
      EXPECT_EQ(slot, want) << type << " " << text;
    }
  }
}

TEST(MysqlTypes, FromBinlogIntoIsFromBinlogWhateverTheSlotHeld) {
  ValueModes base64;
  base64.binary = BinaryMode::Base64;
  ValueModes dstring;
  dstring.decimal = DecimalMode::String;
  struct Case {
    ColumnCodec codec;
    BinlogValue value;
  };
  std::vector<Case> cases;
  auto text = cell(BinlogValue::Kind::Bytes);
  text.bytes = "a string longer than fifteen bytes";
  cases.push_back({codec("varchar(64)"), text});
  auto shorter = cell(BinlogValue::Kind::Bytes);
  shorter.bytes = "short";
  cases.push_back({codec("varchar(64)"), shorter});
  auto latin = cell(BinlogValue::Kind::Bytes);
  latin.bytes = "caf\xe9";
  ColumnDef l;
  parse_column_type("varchar(10)", l);
  l.charset = "latin1";
  auto latin_codec = ColumnCodec::make(l, {});
  ASSERT_TRUE(latin_codec.has_value());
  latin_codec->bind(latin_codec->schema(true, std::nullopt));
  cases.push_back({*latin_codec, latin});
  auto bin = cell(BinlogValue::Kind::Bytes);
  bin.bytes = std::string_view("\x00\x01\xff", 3);
  cases.push_back({codec("varbinary(8)"), bin});
  cases.push_back({codec("varbinary(8)", base64), bin});
  cases.push_back({codec("binary(6)"), bin});  // padded to its length
  auto dec = cell(BinlogValue::Kind::Decimal);
  dec.i = -123456;
  dec.negative = true;
  dec.decimal_scale = 2;
  cases.push_back({codec("decimal(12,2)"), dec});
  cases.push_back({codec("decimal(12,3)"), dec});  // another scale: from the text
  cases.push_back({codec("decimal(12,2)", dstring), dec});
  auto big = cell(BinlogValue::Kind::Decimal);
  big.text = "-12345678901234567890.50";
  big.negative = true;
  cases.push_back({codec("decimal(30,2)"), big});
  auto i = cell(BinlogValue::Kind::Int);
  i.i = -42;
  cases.push_back({codec("int(11)"), i});
  cases.push_back({codec("bigint(20)"), i});
  cases.push_back({codec("varchar(64)"), cell(BinlogValue::Kind::Null)});
  cases.push_back({codec("decimal(12,2)"), cell(BinlogValue::Kind::Null)});
  auto date = cell(BinlogValue::Kind::Date);
  date.year = 2024;
  date.month = 2;
  date.day = 29;
  cases.push_back({codec("date"), date});

  auto slots = [] {
    std::vector<Value> s;
    s.emplace_back();
    s.emplace_back(std::string(100, 'x'));
    s.emplace_back(Bytes(40, 0x7f));
    s.emplace_back(std::int64_t{7});
    s.emplace_back(std::int32_t{7});
    auto st = std::make_shared<Value::StructData>();
    st->fields.emplace_back(std::string("nested"));
    s.emplace_back(std::move(st));
    return s;
  };
  for (std::size_t c = 0; c < cases.size(); ++c) {
    const Value want = cases[c].codec.from_binlog(cases[c].value);
    for (Value& slot : slots()) {
      cases[c].codec.from_binlog_into(cases[c].value, slot);
      EXPECT_EQ(slot, want) << "case " << c << " into a slot of kind " << slot.storage().index();
      EXPECT_EQ(slot.storage().index(), want.storage().index()) << "case " << c;
    }
  }
  // The buffers are reused: a string into a string slot, a decimal into a bytes slot.
  Value s(std::string(100, 'x'));
  const char* before = s.as<std::string>().data();
  cases[0].codec.from_binlog_into(text, s);
  EXPECT_EQ(s.as<std::string>().data(), before);
  Value b(Bytes(40, 0x7f));
  const std::uint8_t* bytes_before = b.as<Bytes>().data();
  codec("decimal(12,2)").from_binlog_into(dec, b);
  EXPECT_EQ(b.as<Bytes>().data(), bytes_before);
  EXPECT_EQ(b, Value(decimal_unscaled_from_int64(-123456)));
}

}  // namespace
}  // namespace tributary::mysql
