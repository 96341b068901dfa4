// Debezium's MySQL type mapping (connectors/mysql/mysql_types.h): schemas and values from binlog
// cells and SELECT text, in the handling modes, and the DEFAULT clause quirks. Expected values are
// the real Debezium 2.7.4's on MariaDB, as tests/golden/mysql/README.md records them (checked by
// hand against those files once; the e2e golden test compares whole records).
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace tributary::mysql
