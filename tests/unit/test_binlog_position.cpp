// Binlog positions and offsets as Debezium's MySQL connector stores them (docs/MYSQL.md), MariaDB
// GTID states, and the Java HashMap order offsets are written in.
#include <gtest/gtest.h>

#include "binlog_position.h"
#include "java_hash_map.h"
#include "mysql_schema.h"

namespace tributary::mysql {
namespace {

TEST(JavaHashMapOrder, MatchesTheOrderOfDebeziumsPostgresOffsets) {
  // tests/golden/postgres: the real connector's offsets are written lsn_proc, lsn_commit, lsn,
  // txId, ts_usec, whatever order they were put in.
  std::vector<std::pair<std::string, int>> put = {
      {"ts_usec", 5}, {"txId", 4}, {"lsn", 3}, {"lsn_commit", 2}, {"lsn_proc", 1}};
  std::vector<std::string> got;
  for (const auto& [k, v] : cdc::java_hash_map_order(put)) got.push_back(k);
  EXPECT_EQ(got, (std::vector<std::string>{"lsn_proc", "lsn_commit", "lsn", "txId", "ts_usec"}));
  EXPECT_EQ(cdc::java_string_hash("file"), 3143036);  // "file".hashCode() in Java
}

TEST(JavaHashMapOrder, MatchesTheTableOrderOfDebeziumsMultiRenameRecord) {
  // tests/golden/mysql/default: RENAME TABLE orders TO _orders_del, _orders_gho TO orders gives
  // "table":"_orders_del,orders" (a HashSet of TableIds, hashed by "inventory.<table>").
  std::vector<std::pair<std::string, int>> ids{{"inventory.orders", 0},
                                               {"inventory._orders_del", 0}};
  std::vector<std::string> got;
  for (const auto& [k, v] : cdc::java_hash_map_order(ids)) got.push_back(k);
  EXPECT_EQ(got, (std::vector<std::string>{"inventory._orders_del", "inventory.orders"}));
}

TEST(BinlogPosition, OffsetsHaveDebeziumsKeysAndOrder) {
  BinlogPosition p;
  p.file = "mariadb-bin.000003";
  p.pos = 154;
  EXPECT_EQ(to_offset(p).dump(), R"({"file":"mariadb-bin.000003","pos":154})");
  p.server_id = 1;
  p.gtids = "0-1-42";
  p.event = 2;
  p.row = 1;
  p.ts_sec = 1700000000;
  p.snapshot = true;
  // HashMap buckets: ts_sec 2, file 3, pos 5, gtids 10, row 11, server_id and event 12 (put in
  // that order), snapshot 14.
  EXPECT_EQ(to_offset(p).dump(),
            R"({"ts_sec":1700000000,"file":"mariadb-bin.000003","pos":154,"gtids":"0-1-42",)"
            R"("row":1,"server_id":1,"event":2,"snapshot":true})");
  const BinlogPosition back = from_offset(to_offset(p));
  EXPECT_EQ(back.file, p.file);
  EXPECT_EQ(back.pos, 154u);
  EXPECT_EQ(back.event, 2u);
  EXPECT_EQ(back.row, 1u);
  EXPECT_EQ(back.gtids, "0-1-42");
  EXPECT_EQ(back.server_id, 1u);
  EXPECT_EQ(back.ts_sec, 1700000000);
  EXPECT_TRUE(back.snapshot);
}

// The rows of one event share a RowOffsets; each record's offset is its position with its row.
TEST(BinlogPosition, RowOffsetsAreThePositionWithTheRow) {
  BinlogPosition p;
  p.file = "mariadb-bin.000003";
  p.pos = 154;
  p.server_id = 1;
  p.gtids = "0-1-42";
  p.event = 2;
  p.ts_sec = 1700000000;
  const RowOffsets rows(p);
  EXPECT_EQ(rows.offset(3).dump(),
            R"({"ts_sec":1700000000,"file":"mariadb-bin.000003","pos":154,"gtids":"0-1-42",)"
            R"("row":3,"server_id":1,"event":2})");
  EXPECT_EQ(rows.offset(0).dump(), to_offset(p).dump());  // row 0 is left out, as Debezium
  // It covers any row of the same position, and nothing else.
  BinlogPosition q = p;
  q.row = 7;
  EXPECT_TRUE(rows.covers(q));
  const auto differs = [&](auto edit) {
    BinlogPosition r = p;
    edit(r);
    return !rows.covers(r);
  };
  EXPECT_TRUE(differs([](BinlogPosition& r) { r.file = "mariadb-bin.000004"; }));
  EXPECT_TRUE(differs([](BinlogPosition& r) { r.pos = 155; }));
  EXPECT_TRUE(differs([](BinlogPosition& r) { r.event = 3; }));
  EXPECT_TRUE(differs([](BinlogPosition& r) { r.gtids = "0-1-43"; }));
  EXPECT_TRUE(differs([](BinlogPosition& r) { r.server_id = 2; }));
  EXPECT_TRUE(differs([](BinlogPosition& r) { r.ts_sec = 1700000001; }));
  EXPECT_TRUE(differs([](BinlogPosition& r) { r.snapshot = true; }));
}

// The rows of one event copy the first row's Source block and set `row` by its index.
TEST(BinlogPosition, SourceRowFieldIndexIsTheSchemas) {
  for (const bool mariadb : {false, true}) {
    const Field* row = source_schema(mariadb)->field("row");
    ASSERT_NE(row, nullptr);
    EXPECT_EQ(row->index, kSourceRowField);
    SourceInfo si;
    si.row = 7;
    const Value v = source_value(si, "db", "t");
    EXPECT_EQ(v.as_struct().fields.at(kSourceRowField), Value(std::int32_t{7}));
  }
}

TEST(BinlogPosition, MariaDbHistoryPositionWithTransactionIdInDebeziumsOrder) {
  // tests/golden/mysql/mariadb_default, history record 34 (TRUNCATE), as MariaDbConnector 2.7.0
  // wrote it: transaction_id lands in bucket 0 of the same 16.
  BinlogPosition p;
  p.file = "mariadb-bin.000001";
  p.pos = 30712;
  p.gtids = "0-1-72";
  p.server_id = 1;
  p.event = 1;
  p.ts_sec = 1796576183;
  EXPECT_EQ(to_offset(p, "0-1-73").dump(),
            R"({"transaction_id":"0-1-73","ts_sec":1796576183,"file":"mariadb-bin.000001",)"
            R"("pos":30712,"gtids":"0-1-72","server_id":1,"event":1})");
  EXPECT_EQ(to_offset(p, "").dump(), to_offset(p).dump());
}

TEST(BinlogPosition, BadStoredOffsetsNameTheKey) {
  auto message = [](const OffsetMap& o) {
    try {
      from_offset(o);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message(OffsetMap{{"pos", 4}}), "Source offset 'file' parameter is missing");
  EXPECT_EQ(message(OffsetMap{{"file", "f"}}), "Source offset 'pos' parameter is missing");
  EXPECT_NE(message(OffsetMap{{"file", "f"}, {"pos", -1}}).find("'pos' is not a number"),
            std::string::npos);
  EXPECT_NE(message(OffsetMap{{"file", "f"}, {"pos", 4}, {"gtids", 5}}).find("'gtids'"),
            std::string::npos);
  EXPECT_NE(
      message(OffsetMap{{"file", "f"}, {"pos", 4}, {"gtids", "0-1-2'; DROP"}}).find("'gtids'"),
      std::string::npos);
  EXPECT_EQ(from_offset(OffsetMap{{"file", "f"}, {"pos", "12"}}).pos, 12u);  // a string number
  EXPECT_EQ(message(OffsetMap::array()), "the stored offset is not an object");
}

TEST(GtidState, ParseUpdateContainsAndFormat) {
  auto s = GtidState::parse(" 1-2-7,\n0-1-42 ");
  EXPECT_EQ(s.str(), "0-1-42,1-2-7");
  EXPECT_TRUE(s.contains(0, 42));
  EXPECT_TRUE(s.contains(0, 1));
  EXPECT_FALSE(s.contains(0, 43));
  EXPECT_FALSE(s.contains(5, 1));
  s.update(0, 3, 43);
  s.update(5, 1, 1);
  EXPECT_EQ(s.str(), "0-3-43,1-2-7,5-1-1");
  EXPECT_TRUE(GtidState::parse("").empty());
  EXPECT_TRUE(s.includes(GtidState::parse("0-9-43,5-1-1")));
  EXPECT_TRUE(s.includes(GtidState::parse("")));
  EXPECT_FALSE(s.includes(GtidState::parse("0-3-44")));
  EXPECT_FALSE(s.includes(GtidState::parse("1-2-7,2-1-1")));  // a domain it has not seen
  for (const char* bad : {"0-1", "a-1-2", "0-1-2-3", "0--2", "99999999999-1-1"})
    EXPECT_THROW(GtidState::parse(bad), std::invalid_argument) << bad;
}

}  // namespace
}  // namespace tributary::mysql
