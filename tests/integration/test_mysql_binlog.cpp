// Row images of the real MariaDB 10.11 binlog (tests/env/mariadb.sh, $TRIBUTARY_TEST_MARIADB),
// read through Connector/C's replication API (BinlogClient) and decoded by binlog_rows.h. The
// expected values are the SQL literals inserted, so every type's binary format is checked
// against the server's own encoding: signed and unsigned integers at their limits, binary
// DECIMAL, FLOAT / DOUBLE, BIT, CHAR over 255 bytes, VARCHAR with a 2-byte length, TEXT / BLOB,
// ENUM / SET, JSON (MariaDB's LONGTEXT), DATE / TIME / DATETIME / TIMESTAMP with fractions and
// negative TIME, zero dates, YEAR, GEOMETRY and NULL; UPDATE's before and after images.
#include <gtest/gtest.h>

#include <cstdlib>
#include <deque>
#include <random>

#include "binlog_client.h"
#include "binlog_rows.h"
#include "mysql_connection.h"

namespace tributary::mysql {
namespace {

ConnectionSettings root_settings() {
  const char* a = std::getenv("TRIBUTARY_TEST_MARIADB");
  std::string addr = a ? a : "";
  const auto colon = addr.rfind(':');
  return ConnectionSettings::from({{"database.hostname", addr.substr(0, colon)},
                                   {"database.port", addr.substr(colon + 1)},
                                   {"database.user", "root"},
                                   {"connect.timeout.ms", "5000"}});
}

struct Captured {
  std::vector<BinlogColumn> columns;
  std::vector<std::vector<BinlogValue>> writes, updates;
  std::deque<std::string> storage;  // the events' bytes the values point into (stable)
};

Captured capture(const std::string& table, const std::string& file, std::uint64_t pos) {
  BinlogClient::Options o;
  o.server_id = 5401;
  o.stop_at_end = true;
  o.read_timeout_s = 10;
  BinlogClient client(root_settings(), o);
  client.open(file, pos);
  Captured out;
  std::uint64_t table_id = 0;
  while (const MARIADB_RPL_EVENT* ev = client.next()) {
    if (ev->event_type == TABLE_MAP_EVENT && view(ev->event.table_map.table) == table) {
      const auto& tm = ev->event.table_map;
      table_id = tm.table_id;
      const std::string_view types = view(tm.column_types);
      const std::size_t numeric = signedness_columns(types);
      const std::string_view nulls(reinterpret_cast<const char*>(tm.null_indicator),
                                   (tm.column_count + 7) / 8);
      const std::string_view sign =
          tm.signed_indicator ? std::string_view(reinterpret_cast<const char*>(tm.signed_indicator),
                                                 (numeric + 7) / 8)
                              : std::string_view();
      out.columns = parse_table_columns(types, view(tm.metadata), nulls, sign);
    }
    if ((ev->event_type == WRITE_ROWS_EVENT_V1 || ev->event_type == UPDATE_ROWS_EVENT_V1) &&
        table_id != 0 && ev->event.rows.table_id == table_id) {
      const auto& rows = ev->event.rows;
      const std::size_t bitmap = (rows.column_count + 7) / 8;
      out.storage.emplace_back(static_cast<const char*>(rows.row_data), rows.row_data_size);
      const std::string_view present(reinterpret_cast<const char*>(rows.column_bitmap), bitmap);
      const bool update = ev->event_type == UPDATE_ROWS_EVENT_V1;
      auto images = decode_rows(
          out.columns, present, out.storage.back(),
          update
              ? std::string_view(reinterpret_cast<const char*>(rows.column_update_bitmap), bitmap)
              : std::string_view());
      auto& dest = update ? out.updates : out.writes;
      for (auto& i : images) dest.push_back(std::move(i));
    }
  }
  return out;
}

TEST(MysqlBinlog, EveryColumnTypeDecodesToTheInsertedValue) {
  if (!std::getenv("TRIBUTARY_TEST_MARIADB"))
    FAIL() << "TRIBUTARY_TEST_MARIADB is not set: run through tests/run.sh, which starts MariaDB";
  Connection c(root_settings());
  const std::string table = "types" + std::to_string(std::random_device{}() % 1000000);
  c.exec("SET time_zone = '+00:00', sql_mode = ''");
  c.exec("CREATE TABLE inventory." + table +
         " (id INT PRIMARY KEY, ti TINYINT, tu TINYINT UNSIGNED, si SMALLINT, mi MEDIUMINT,"
         " mu MEDIUMINT UNSIGNED, i INT, bi BIGINT, bu BIGINT UNSIGNED, d DECIMAL(10,2),"
         " dl DECIMAL(30,10), f FLOAT, db DOUBLE, b BIT(10), c CHAR(5), cl CHAR(100),"
         " vc VARCHAR(300), t TEXT, bl BLOB, bin BINARY(3), e ENUM('red','green','blue'),"
         " st SET('a','b','c','d'), j JSON, dt DATE, tm TIME(6), tm3 TIME(3), tm1 TIME(1),"
         " tm0 TIME, dtt DATETIME(6), ts TIMESTAMP(6) NULL DEFAULT NULL, y YEAR, g GEOMETRY NULL,"
         " n INT NULL) CHARACTER SET utf8mb4");
  const auto status = c.query("SHOW MASTER STATUS");
  ASSERT_FALSE(status.rows.empty());
  const std::string file = *status.rows[0][0];
  const std::uint64_t pos = std::stoull(*status.rows[0][1]);
  c.exec("INSERT INTO inventory." + table +
         " VALUES (1, 127, 255, 32767, 8388607, 16777215, 2147483647, 9223372036854775807,"
         " 18446744073709551615, 12345678.91, 12345678901234567890.0123456789, 1.5, -2.25,"
         " b'1010000001', 'ab', 'é€', REPEAT('x', 300), 'text', x'00FF', 'z', 'blue', 'a,d',"
         " '{\"k\": [1, 2]}', '2024-02-29', '838:59:59.000000', '12:34:56.789', '-00:00:01.5',"
         " '-12:00:00', '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.123456', 2024,"
         " ST_GeomFromText('POINT(1 2)'), NULL)");
  c.exec("INSERT INTO inventory." + table +
         " VALUES (2, -128, 0, -32768, -8388608, 0, -2147483648, -9223372036854775808, 0,"
         " -12345678.91, -0.0000000001, -1e10, 0, b'0', '', '', '', '', '', '', 'red', '',"
         " 'null', '0000-00-00', '-838:59:59', '-00:00:00.001', '-838:59:59.9', '00:00:00',"
         " '0000-00-00 00:00:00', '1970-01-01 00:00:01', 0, NULL, 7)");
  c.exec("UPDATE inventory." + table + " SET ti = 5 WHERE id = 1");
  const Captured got = capture(table, file, pos);
  c.exec("DROP TABLE inventory." + table);
  ASSERT_EQ(got.columns.size(), 33u);
  ASSERT_EQ(got.writes.size(), 2u);
  ASSERT_EQ(got.updates.size(), 2u);  // before, after
  using K = BinlogValue::Kind;
  const auto& r1 = got.writes[0];
  const auto& r2 = got.writes[1];
  auto col = [&](const std::string& name) {
    static const std::vector<std::string> names = {
        "id", "ti", "tu", "si",  "mi",  "mu",  "i",   "bi", "bu",  "d", "dl",
        "f",  "db", "b",  "c",   "cl",  "vc",  "t",   "bl", "bin", "e", "st",
        "j",  "dt", "tm", "tm3", "tm1", "tm0", "dtt", "ts", "y",   "g", "n"};
    return static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin());
  };
  EXPECT_EQ(r1[col("ti")].i, 127);
  EXPECT_EQ(r2[col("ti")].i, -128);
  EXPECT_EQ(r1[col("tu")].kind, K::UInt);
  EXPECT_EQ(r1[col("tu")].u, 255u);
  EXPECT_EQ(r2[col("si")].i, -32768);
  EXPECT_EQ(r2[col("mi")].i, -8388608);
  EXPECT_EQ(r1[col("mu")].u, 16777215u);
  EXPECT_EQ(r2[col("i")].i, -2147483648LL);
  EXPECT_EQ(r2[col("bi")].i, INT64_MIN);
  EXPECT_EQ(r1[col("bu")].u, UINT64_MAX);
  EXPECT_EQ(decimal_text(r1[col("d")]), "12345678.91");
  EXPECT_EQ(decimal_text(r2[col("d")]), "-12345678.91");
  EXPECT_EQ(decimal_text(r1[col("dl")]), "12345678901234567890.0123456789");
  EXPECT_EQ(decimal_text(r2[col("dl")]), "-0.0000000001");
  EXPECT_EQ(r1[col("f")].kind, K::Float);
  EXPECT_EQ(r1[col("f")].d, 1.5);
  EXPECT_EQ(r2[col("f")].d, -1e10);
  EXPECT_EQ(r1[col("db")].d, -2.25);
  EXPECT_EQ(r1[col("b")].kind, K::Bits);
  EXPECT_EQ(r1[col("b")].bytes, std::string_view("\x02\x81", 2));  // b'1010000001'
  EXPECT_EQ(r1[col("c")].bytes, "ab");
  EXPECT_EQ(r1[col("cl")].bytes, "é€");  // CHAR(100) utf8mb4: 400 bytes, a 2-byte length
  EXPECT_EQ(r1[col("vc")].bytes, std::string(300, 'x'));
  EXPECT_EQ(r1[col("t")].bytes, "text");
  EXPECT_EQ(r1[col("bl")].bytes, std::string_view("\x00\xff", 2));
  EXPECT_EQ(r1[col("bin")].bytes, "z");  // BINARY pads with zeros the binlog leaves out
  EXPECT_EQ(r1[col("e")].kind, K::Enum);
  EXPECT_EQ(r1[col("e")].u, 3u);
  EXPECT_EQ(r2[col("e")].u, 1u);
  EXPECT_EQ(r1[col("st")].kind, K::Set);
  EXPECT_EQ(r1[col("st")].u, 0b1001u);
  EXPECT_EQ(r1[col("j")].bytes, "{\"k\": [1, 2]}");
  EXPECT_EQ(r1[col("dt")].year, 2024);
  EXPECT_EQ(r1[col("dt")].month, 2);
  EXPECT_EQ(r1[col("dt")].day, 29);
  EXPECT_EQ(r2[col("dt")].year, 0);  // 0000-00-00
  EXPECT_EQ(r2[col("dt")].month, 0);
  auto time = [](const BinlogValue& v) {
    return std::string(v.negative ? "-" : "") + std::to_string(v.hour) + ":" +
           std::to_string(v.minute) + ":" + std::to_string(v.second) + "." +
           std::to_string(v.micros);
  };
  EXPECT_EQ(time(r1[col("tm")]), "838:59:59.0");
  EXPECT_EQ(time(r2[col("tm")]), "-838:59:59.0");
  EXPECT_EQ(time(r1[col("tm3")]), "12:34:56.789000");
  EXPECT_EQ(time(r2[col("tm3")]), "-0:0:0.1000");
  EXPECT_EQ(time(r1[col("tm1")]), "-0:0:1.500000");
  EXPECT_EQ(time(r2[col("tm1")]), "-838:59:59.900000");
  EXPECT_EQ(time(r1[col("tm0")]), "-12:0:0.0");
  const auto& dtt = r1[col("dtt")];
  EXPECT_EQ(std::vector<int>(
                {dtt.year, dtt.month, dtt.day, dtt.hour, dtt.minute, dtt.second, dtt.micros}),
            std::vector<int>({2024, 1, 2, 3, 4, 5, 123456}));
  EXPECT_EQ(r2[col("dtt")].year, 0);
  EXPECT_EQ(r1[col("ts")].kind, K::Timestamp);
  EXPECT_EQ(r1[col("ts")].i, 1704164645);
  EXPECT_EQ(r1[col("ts")].micros, 123456);
  EXPECT_EQ(r2[col("ts")].i, 1);
  EXPECT_EQ(r1[col("y")].i, 2024);
  EXPECT_EQ(r2[col("y")].i, 0);
  EXPECT_EQ(r1[col("g")].bytes.size(), 4u + 21u);  // SRID + WKB point
  EXPECT_EQ(r2[col("g")].kind, K::Null);
  EXPECT_EQ(r1[col("n")].kind, K::Null);
  EXPECT_EQ(r2[col("n")].kind, K::Int);  // signed, after the BIT and YEAR columns
  EXPECT_EQ(r2[col("n")].i, 7);
  EXPECT_EQ(got.updates[0][col("ti")].i, 127);
  EXPECT_EQ(got.updates[1][col("ti")].i, 5);
  EXPECT_EQ(got.updates[1][col("cl")].bytes, "é€");
  EXPECT_TRUE(got.columns[col("n")].nullable);
  EXPECT_FALSE(got.columns[col("id")].nullable);
}

TEST(MysqlBinlog, APositionThatIsGoneIsAServerErrorAndInterruptEndsAWait) {
  if (!std::getenv("TRIBUTARY_TEST_MARIADB")) FAIL() << "TRIBUTARY_TEST_MARIADB is not set";
  BinlogClient::Options o;
  o.server_id = 5402;
  o.read_timeout_s = 30;
  {
    BinlogClient client(root_settings(), o);
    try {
      client.open("mariadb-bin.999999", 4);
      client.next();
      FAIL() << "a binlog that does not exist was read";
    } catch (const SqlError& e) {
      EXPECT_EQ(e.code, 1236u) << e.what();
    }
  }
  BinlogClient client(root_settings(), o);
  Connection c(root_settings());
  const auto status = c.query("SHOW MASTER STATUS");
  client.open(*status.rows[0][0], std::stoull(*status.rows[0][1]));
  std::thread t([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    client.interrupt();
  });
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_THROW(
      {
        while (client.next() != nullptr) {
        }
      },
      SqlError);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));
  t.join();
}

}  // namespace
}  // namespace tributary::mysql
