// The MySQL connector's two readings of a table definition agree on the real MariaDB: the DDL
// parser (mysql_ddl.h) reading SHOW CREATE TABLE, and load_tables() reading information_schema,
// for every table of the golden fixture (tests/golden/mysql/fixture.sql: every column type,
// defaults, keys, charsets). The stream's schema changes go through the parser and the
// snapshot's through information_schema, so a difference would give a table two schemas.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "mysql_connection.h"
#include "mysql_ddl.h"
#include "mysql_schema.h"

namespace tributary::mysql {
namespace {

TEST(MysqlSchema, ParserReadsShowCreateTableAsInformationSchemaSaysIt) {
  const char* a = std::getenv("TRIBUTARY_TEST_MARIADB");
  if (a == nullptr) GTEST_SKIP() << "TRIBUTARY_TEST_MARIADB not set";
  const std::string addr = a;
  const auto colon = addr.rfind(':');
  const std::string host = addr.substr(0, colon), port = addr.substr(colon + 1);
  const std::string db = "schema_check_" + std::to_string(::getpid());
  const std::string client = "mariadb --protocol=TCP -h " + host + " -P " + port +
                             " -uroot --default-character-set=utf8mb4 ";
  ASSERT_EQ(
      std::system(
          (client + "-e 'DROP DATABASE IF EXISTS " + db + "; CREATE DATABASE " + db + "'").c_str()),
      0);
  ASSERT_EQ(
      std::system(
          (client + db + " < " TRIBUTARY_SOURCE_DIR "/tests/golden/mysql/fixture.sql").c_str()),
      0);
  Connection c(ConnectionSettings::from(
      {{"database.hostname", host}, {"database.port", port}, {"database.user", "root"}}));
  const cdc::TableFilters filters({{"database.include.list", db}}, "database");
  SchemaScope scope;
  scope.filters = &filters;
  const auto tables = load_tables(c, scope);
  ASSERT_GE(tables.size(), 14u);
  for (const auto& expected : tables) {
    SCOPED_TRACE(expected.id());
    const auto rows = c.query("SHOW CREATE TABLE `" + db + "`.`" + expected.table + "`").rows;
    ASSERT_EQ(rows.size(), 1u);
    const auto st = parse_ddl(*rows[0][1], db);
    ASSERT_EQ(st.kind, DdlStatement::Kind::CreateTable);
    const TableDef& got = *st.table;
    EXPECT_EQ(got.database, db);
    EXPECT_EQ(got.table, expected.table);
    EXPECT_EQ(got.key_columns, expected.key_columns);
    ASSERT_EQ(got.columns.size(), expected.columns.size());
    for (std::size_t i = 0; i < got.columns.size(); ++i) {
      const ColumnDef& g = got.columns[i];
      const ColumnDef& e = expected.columns[i];
      SCOPED_TRACE(e.name);
      EXPECT_EQ(g.name, e.name);
      EXPECT_EQ(g.type, e.type);
      EXPECT_EQ(g.length, e.length);
      EXPECT_EQ(g.scale, e.scale);
      EXPECT_EQ(g.is_unsigned, e.is_unsigned);
      EXPECT_EQ(g.zerofill, e.zerofill);
      EXPECT_EQ(g.enum_values, e.enum_values);
      if (!e.charset.empty()) {
        EXPECT_EQ(g.charset, e.charset);
      }
      EXPECT_EQ(g.optional, e.optional);
      EXPECT_EQ(g.default_expr, e.default_expr);
      EXPECT_EQ(g.auto_increment, e.auto_increment);
      EXPECT_EQ(g.position, e.position);
    }
  }
  c.exec("DROP DATABASE " + db);
}

}  // namespace
}  // namespace tributary::mysql
