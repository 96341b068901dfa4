// The pgoutput decoder on real PostgreSQL output: changes read back as bytes through
// pg_logical_slot_get_binary_changes() from a pgoutput slot, against the server at
// $TRIBUTARY_TEST_PG (host:port; tests/env/postgres.sh starts it, tests/run.sh exports it).
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <memory>

#include "kafka_test_util.h"
#include "pg_test_util.h"
#include "pgoutput.h"

namespace tributary::pg {
namespace {

using testing::pg_address;

struct Conn {
  std::unique_ptr<PGconn, decltype(&PQfinish)> c{nullptr, &PQfinish};
  explicit Conn(const std::string& addr) {
    const auto colon = addr.rfind(':');
    std::string info = "host=" + addr.substr(0, colon) + " port=" + addr.substr(colon + 1) +
                       " user=postgres dbname=inventory";
    c.reset(PQconnectdb(info.c_str()));
    if (PQstatus(c.get()) != CONNECTION_OK)
      throw std::runtime_error(std::string("connect: ") + PQerrorMessage(c.get()));
  }
  void exec(const std::string& sql) {
    std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(c.get(), sql.c_str()), &PQclear);
    auto st = PQresultStatus(r.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
      throw std::runtime_error(sql + ": " + PQerrorMessage(c.get()));
  }
  // Column 0 of every row, as bytes (bytea decoded).
  std::vector<std::string> bytea_rows(const std::string& sql) {
    std::unique_ptr<PGresult, decltype(&PQclear)> r(
        PQexecParams(c.get(), sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 1), &PQclear);
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK)
      throw std::runtime_error(sql + ": " + PQerrorMessage(c.get()));
    std::vector<std::string> out;
    for (int i = 0; i < PQntuples(r.get()); ++i)
      out.emplace_back(PQgetvalue(r.get(), i, 0), static_cast<size_t>(PQgetlength(r.get(), i, 0)));
    return out;
  }
};

TEST(PgOutputServer, DecodesWhatPostgresSends) {
  REQUIRE_PG();
  Conn db(pg_address());
  const std::string t = testing::unique_name("pgo").substr(4), table = "pgo_" + t;
  db.exec("create table " + table +
          " (id int primary key, name text, amount numeric(10,2), big text)");
  db.exec("create publication pub_" + t + " for table " + table);
  db.exec("select pg_create_logical_replication_slot('slot_" + t + "', 'pgoutput')");
  db.exec("insert into " + table + " values (1, 'a', 12.50, null)");
  db.exec("update " + table + " set name = 'b' where id = 1");
  db.exec("update " + table + " set id = 2 where id = 1");  // key change: old key sent
  db.exec("delete from " + table + " where id = 2");
  db.exec("truncate " + table);
  auto rows =
      db.bytea_rows("select data from pg_logical_slot_get_binary_changes('slot_" + t +
                    "', null, null, 'proto_version', '1', 'publication_names', 'pub_" + t + "')");
  db.exec("select pg_drop_replication_slot('slot_" + t + "')");
  db.exec("drop publication pub_" + t);
  db.exec("drop table " + table);

  std::vector<Message> msgs;
  for (const auto& r : rows) msgs.push_back(decode_message(r));
  // Five transactions: Begin, [Relation], change, Commit each.
  int begins = 0, commits = 0;
  std::vector<std::string> ops;
  const RelationMsg* rel = nullptr;
  for (const auto& m : msgs) {
    if (std::holds_alternative<BeginMsg>(m)) ++begins;
    if (std::holds_alternative<CommitMsg>(m)) ++commits;
    if (const auto* r = std::get_if<RelationMsg>(&m)) rel = r;
    if (std::holds_alternative<InsertMsg>(m)) ops.push_back("I");
    if (std::holds_alternative<UpdateMsg>(m)) ops.push_back("U");
    if (std::holds_alternative<DeleteMsg>(m)) ops.push_back("D");
    if (std::holds_alternative<TruncateMsg>(m)) ops.push_back("T");
  }
  EXPECT_EQ(begins, 5);
  EXPECT_EQ(commits, 5);
  EXPECT_EQ(ops, (std::vector<std::string>{"I", "U", "U", "D", "T"}));
  ASSERT_NE(rel, nullptr);
  EXPECT_EQ(rel->schema, "public");
  EXPECT_EQ(rel->table, table);
  EXPECT_EQ(rel->replica_identity, 'd');
  ASSERT_EQ(rel->columns.size(), 4u);
  EXPECT_TRUE(rel->columns[0].key);
  EXPECT_FALSE(rel->columns[1].key);
  EXPECT_EQ(rel->columns[0].type_oid, 23u);    // int4
  EXPECT_EQ(rel->columns[1].type_oid, 25u);    // text
  EXPECT_EQ(rel->columns[2].type_oid, 1700u);  // numeric
  EXPECT_EQ(rel->columns[2].type_modifier, ((10 << 16) | 2) + 4);

  const InsertMsg* ins = nullptr;
  std::vector<const UpdateMsg*> ups;
  const DeleteMsg* del = nullptr;
  for (const auto& m : msgs) {
    if (auto* p = std::get_if<InsertMsg>(&m)) ins = p;
    if (auto* p = std::get_if<UpdateMsg>(&m)) ups.push_back(p);
    if (auto* p = std::get_if<DeleteMsg>(&m)) del = p;
  }
  ASSERT_NE(ins, nullptr);
  ASSERT_EQ(ins->new_tuple.size(), 4u);
  EXPECT_EQ(ins->new_tuple[0].data, "1");
  EXPECT_EQ(ins->new_tuple[1].data, "a");
  EXPECT_EQ(ins->new_tuple[2].data, "12.50");
  EXPECT_EQ(ins->new_tuple[3].kind, TupleValue::Kind::Null);
  ASSERT_EQ(ups.size(), 2u);
  EXPECT_EQ(ups[0]->old_kind, 0);  // DEFAULT identity, key unchanged: no old tuple
  EXPECT_EQ(ups[1]->old_kind, 'K');
  EXPECT_EQ(ups[1]->old_tuple[0].data, "1");
  EXPECT_EQ(ups[1]->old_tuple[1].kind, TupleValue::Kind::Null);  // non-key columns: null
  EXPECT_EQ(ups[1]->new_tuple[0].data, "2");
  ASSERT_NE(del, nullptr);
  EXPECT_EQ(del->old_kind, 'K');
  EXPECT_EQ(del->old_tuple[0].data, "2");
}

}  // namespace
}  // namespace tributary::pg
