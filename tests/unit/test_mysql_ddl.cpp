// The DDL parser of the MySQL connector (connectors/mysql/mysql_ddl.h): CREATE TABLE column
// definitions and keys, each ALTER TABLE form it applies, DROP / RENAME / TRUNCATE, comments and
// quoting, and clear errors for what it cannot read. Expected definitions are written by hand
// from the MariaDB manual's syntax; tests/integration/test_mysql_schema.cpp checks the parser
// against the server's own SHOW CREATE TABLE / information_schema.
#include <gtest/gtest.h>

#include "mysql_ddl.h"

namespace tributary::mysql {
namespace {

TableDef create(const std::string& sql) {
  auto st = parse_ddl(sql, "db");
  EXPECT_EQ(st.kind, DdlStatement::Kind::CreateTable);
  return *st.table;
}

const ColumnDef& col(const TableDef& t, const std::string& name) {
  for (const auto& c : t.columns)
    if (c.name == name) return c;
  throw std::runtime_error("no column " + name);
}

std::vector<std::string> names(const TableDef& t) {
  std::vector<std::string> out;
  for (const auto& c : t.columns) out.push_back(c.name);
  return out;
}

TEST(MysqlDdl, CreateTableColumnsKeysAndDefaults) {
  const TableDef t = create(
      "CREATE TABLE IF NOT EXISTS `inv`.`Orders` (\n"
      "  id INT NOT NULL AUTO_INCREMENT,\n"
      "  `name` varchar(20) CHARACTER SET latin1 DEFAULT 'it''s' COMMENT 'x, (y)',\n"
      "  amount DECIMAL(10,2) UNSIGNED ZEROFILL DEFAULT 1.50,\n"
      "  flags SET('a','b''c') NOT NULL DEFAULT 'a',\n"
      "  kind ENUM(\"x\", 'y'),\n"
      "  ts TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),\n"
      "  b BIT(10) DEFAULT b'101', ok BOOL DEFAULT TRUE, j JSON, g POINT,\n"
      "  neg INT DEFAULT -7, v INT AS (id + 1) VIRTUAL, bin VARBINARY(4) NOT NULL DEFAULT 'ab',\n"
      "  CONSTRAINT pk PRIMARY KEY USING BTREE (`id`, name(5)),\n"
      "  UNIQUE KEY uk (neg), KEY k (amount), FOREIGN KEY (neg) REFERENCES t2 (a) ON DELETE "
      "CASCADE, CHECK (neg < 0)\n"
      ") ENGINE=InnoDB /* comment */ DEFAULT CHARSET=utf8mb4");
  EXPECT_EQ(t.database, "inv");
  EXPECT_EQ(t.table, "Orders");
  EXPECT_EQ(names(t), (std::vector<std::string>{"id", "name", "amount", "flags", "kind", "ts", "b",
                                                "ok", "j", "g", "neg", "v", "bin"}));
  EXPECT_EQ(t.key_columns, (std::vector<std::string>{"id", "name"}));
  const auto& id = col(t, "id");
  EXPECT_EQ(id.type, "INT");
  EXPECT_FALSE(id.optional);
  EXPECT_TRUE(id.auto_increment);
  const auto& name = col(t, "name");
  EXPECT_EQ(name.type, "VARCHAR");
  EXPECT_EQ(name.length, 20);
  EXPECT_EQ(name.charset, "latin1");
  EXPECT_EQ(name.default_expr, "'it''s'");
  EXPECT_FALSE(name.optional);  // a primary key column
  const auto& amount = col(t, "amount");
  EXPECT_EQ(amount.length, 10);
  EXPECT_EQ(amount.scale, 2);
  EXPECT_TRUE(amount.is_unsigned);
  EXPECT_TRUE(amount.zerofill);
  EXPECT_EQ(amount.default_expr, "1.50");
  EXPECT_EQ(col(t, "flags").enum_values, (std::vector<std::string>{"a", "b'c"}));
  EXPECT_FALSE(col(t, "flags").optional);
  EXPECT_EQ(col(t, "flags").charset, "utf8mb4");
  EXPECT_EQ(col(t, "kind").enum_values, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(col(t, "ts").default_expr, "current_timestamp(3)");
  EXPECT_EQ(col(t, "ts").length, 3);
  EXPECT_EQ(col(t, "b").default_expr, "b'101'");
  EXPECT_EQ(col(t, "ok").type, "BOOLEAN");
  EXPECT_EQ(col(t, "ok").default_expr, "TRUE");
  EXPECT_EQ(col(t, "j").type, "JSON");
  EXPECT_EQ(col(t, "g").type, "POINT");
  EXPECT_EQ(col(t, "neg").default_expr, "-7");
  EXPECT_TRUE(col(t, "v").generated);
  EXPECT_EQ(col(t, "bin").charset, "binary");
  EXPECT_EQ(col(t, "bin").default_expr, "'ab'");
  EXPECT_EQ(col(t, "bin").position, 13);
}

TEST(MysqlDdl, KeyWithoutPrimaryKeyIsTheFirstUniqueNotNullIndex) {
  EXPECT_EQ(create("CREATE TABLE t (a INT, b INT NOT NULL, c INT NOT NULL, UNIQUE (a), "
                   "UNIQUE KEY u2 (b, c))")
                .key_columns,
            (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(create("CREATE TABLE t (a INT NOT NULL UNIQUE)").key_columns,
            (std::vector<std::string>{"a"}));
  EXPECT_TRUE(create("CREATE TABLE t (a INT, UNIQUE (a))").key_columns.empty());
  EXPECT_EQ(create("CREATE TABLE t (a INT PRIMARY KEY, b INT)").key_columns,
            (std::vector<std::string>{"a"}));
}

TableDef altered(TableDef t, const std::string& sql) {
  const auto st = parse_ddl(sql, "db");
  EXPECT_EQ(st.kind, DdlStatement::Kind::AlterTable);
  apply_alter(st, t);
  return t;
}

TEST(MysqlDdl, AlterTableForms) {
  const TableDef base = create("CREATE TABLE t (id INT PRIMARY KEY, a INT, b VARCHAR(5))");
  EXPECT_EQ(names(altered(base, "ALTER TABLE t ADD COLUMN c INT")),
            (std::vector<std::string>{"id", "a", "b", "c"}));
  EXPECT_EQ(names(altered(base, "ALTER TABLE t ADD c INT FIRST")),
            (std::vector<std::string>{"c", "id", "a", "b"}));
  EXPECT_EQ(names(altered(base, "ALTER TABLE t ADD COLUMN (c INT, d INT), ADD e INT AFTER id")),
            (std::vector<std::string>{"id", "e", "a", "b", "c", "d"}));
  EXPECT_EQ(names(altered(base, "ALTER TABLE t DROP COLUMN a, DROP b")),
            (std::vector<std::string>{"id"}));
  EXPECT_EQ(names(altered(base, "ALTER TABLE t ADD COLUMN IF NOT EXISTS a INT")),
            (std::vector<std::string>{"id", "a", "b"}));
  EXPECT_EQ(names(altered(base, "ALTER TABLE t DROP COLUMN IF EXISTS zz")),
            (std::vector<std::string>{"id", "a", "b"}));

  TableDef m = altered(base, "ALTER TABLE t MODIFY a BIGINT UNSIGNED NOT NULL DEFAULT 5 FIRST");
  EXPECT_EQ(names(m), (std::vector<std::string>{"a", "id", "b"}));
  EXPECT_EQ(col(m, "a").type, "BIGINT");
  EXPECT_TRUE(col(m, "a").is_unsigned);
  EXPECT_FALSE(col(m, "a").optional);
  EXPECT_EQ(col(m, "a").position, 1);

  TableDef c = altered(base, "ALTER TABLE t CHANGE COLUMN id ident INT NOT NULL");
  EXPECT_EQ(names(c), (std::vector<std::string>{"ident", "a", "b"}));
  EXPECT_EQ(c.key_columns, (std::vector<std::string>{"ident"}));

  TableDef r = altered(base, "ALTER TABLE t RENAME COLUMN b TO bee, RENAME TO other.t2");
  EXPECT_EQ(names(r), (std::vector<std::string>{"id", "a", "bee"}));
  EXPECT_EQ(r.database, "other");
  EXPECT_EQ(r.table, "t2");

  TableDef d = altered(base, "ALTER TABLE t ALTER COLUMN a SET DEFAULT 3, ALTER b DROP DEFAULT");
  EXPECT_EQ(col(d, "a").default_expr, "3");
  EXPECT_FALSE(col(d, "b").default_expr.has_value());

  TableDef k = altered(base, "ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (a, id)");
  EXPECT_EQ(k.key_columns, (std::vector<std::string>{"a", "id"}));
  EXPECT_FALSE(col(k, "a").optional);
  EXPECT_TRUE(altered(base, "ALTER TABLE t DROP PRIMARY KEY").key_columns.empty());

  // Statements that change no column are applied as nothing.
  EXPECT_EQ(names(altered(base,
                          "ALTER TABLE t ADD INDEX ix (a), ENGINE=InnoDB, "
                          "ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES x (y)")),
            names(base));

  EXPECT_THROW(altered(base, "ALTER TABLE t DROP COLUMN nope"), DdlError);
  EXPECT_THROW(altered(base, "ALTER TABLE t MODIFY nope INT"), DdlError);
  EXPECT_THROW(altered(base, "ALTER TABLE t ADD c INT AFTER nope"), DdlError);
}

TEST(MysqlDdl, OtherStatements) {
  auto d = parse_ddl("DROP TABLE IF EXISTS `db2`.`a`, b /* generated by server */", "db");
  EXPECT_EQ(d.kind, DdlStatement::Kind::DropTables);
  ASSERT_EQ(d.names.size(), 2u);
  EXPECT_EQ(d.names[0], (std::pair<std::string, std::string>{"db2", "a"}));
  EXPECT_EQ(d.names[1], (std::pair<std::string, std::string>{"db", "b"}));

  auto r = parse_ddl("RENAME TABLE a TO b, x.c TO `y`.`d`", "db");
  EXPECT_EQ(r.kind, DdlStatement::Kind::RenameTables);
  ASSERT_EQ(r.renames.size(), 2u);
  EXPECT_EQ(r.renames[1].second, (std::pair<std::string, std::string>{"y", "d"}));
  EXPECT_EQ(r.rename_texts, (std::vector<std::string>{"a TO b", "x.c TO `y`.`d`"}));

  EXPECT_EQ(parse_ddl("TRUNCATE TABLE t", "db").kind, DdlStatement::Kind::TruncateTable);
  EXPECT_EQ(parse_ddl("truncate t", "db").name.second, "t");
  EXPECT_EQ(parse_ddl("CREATE DATABASE IF NOT EXISTS x", "").database, "x");
  EXPECT_EQ(parse_ddl("DROP SCHEMA x", "").kind, DdlStatement::Kind::DropDatabase);
  EXPECT_EQ(parse_ddl("GRANT SELECT ON *.* TO u", "db").kind, DdlStatement::Kind::Other);
  EXPECT_EQ(parse_ddl("CREATE INDEX i ON t (a)", "db").kind, DdlStatement::Kind::Other);
  EXPECT_EQ(parse_ddl("/*!40101 ALTER TABLE t ADD c INT */", "db").kind,
            DdlStatement::Kind::AlterTable);
  EXPECT_EQ(parse_ddl("# c\nDROP TABLE t", "db").kind, DdlStatement::Kind::DropTables);

  // CREATE TABLE ... LIKE, both spellings; the copied table keeps its own database.
  auto l = parse_ddl("CREATE TABLE IF NOT EXISTS `_t_gho` LIKE other.`t`", "db");
  EXPECT_EQ(l.kind, DdlStatement::Kind::CreateTableLike);
  EXPECT_TRUE(l.if_not_exists);
  EXPECT_EQ(l.name, (std::pair<std::string, std::string>{"db", "_t_gho"}));
  EXPECT_EQ(l.like, (std::pair<std::string, std::string>{"other", "t"}));
  auto p = parse_ddl("create table x.c (like b)", "db");
  EXPECT_EQ(p.kind, DdlStatement::Kind::CreateTableLike);
  EXPECT_EQ(p.name, (std::pair<std::string, std::string>{"x", "c"}));
  EXPECT_EQ(p.like, (std::pair<std::string, std::string>{"db", "b"}));
  // A column list is still a column list.
  EXPECT_EQ(parse_ddl("CREATE TABLE t (a INT)", "db").kind, DdlStatement::Kind::CreateTable);
}

TEST(MysqlDdl, HostileStatementsFailClearlyOrParseAsOther) {
  EXPECT_THROW(parse_ddl("CREATE TABLE t AS SELECT * FROM u", "db"), DdlError);
  EXPECT_THROW(parse_ddl("CREATE TABLE t LIKE", "db"), DdlError);
  EXPECT_THROW(parse_ddl("CREATE TABLE t (LIKE u", "db"), DdlError);
  EXPECT_THROW(parse_ddl("CREATE TABLE t (a INT", "db"), DdlError);
  EXPECT_THROW(parse_ddl("CREATE TABLE t (a)", "db"), DdlError);
  EXPECT_THROW(parse_ddl("RENAME TABLE a b", "db"), DdlError);
  // Found by fuzz_mysql_ddl: a PRIMARY KEY at the end of the text looped for ever.
  EXPECT_THROW(parse_ddl("CREATE TABLE t (a INT, PRIMARY KEY", "db"), DdlError);
  EXPECT_THROW(parse_ddl("CREATE TABLE t (a ENUM('x", "db"), std::exception);
  EXPECT_EQ(parse_ddl("", "db").kind, DdlStatement::Kind::Other);
  const std::string deep = "CREATE TABLE t (a INT DEFAULT " + std::string(10000, '(') + "1" +
                           std::string(10000, ')') + ")";
  EXPECT_EQ(create(deep).columns.size(), 1u);
}

TEST(MysqlDdl, BinlogTypesOfEachDefinition) {
  const TableDef t = create(
      "CREATE TABLE t (a TINYINT, b BOOL, c DECIMAL(5,2), d VARCHAR(3), e CHAR(2), f TEXT, "
      "g ENUM('x'), h DATETIME(6), i TIMESTAMP, j YEAR, k GEOMETRY, l TIME(3), m DATE)");
  const std::uint8_t types[] = {kTypeTiny,       kTypeTiny, kTypeNewDecimal, kTypeVarchar,
                                kTypeString,     kTypeBlob, kTypeString,     kTypeDateTime2,
                                kTypeTimestamp2, kTypeYear, kTypeGeometry,   kTypeTime2,
                                kTypeDate};
  for (std::size_t i = 0; i < t.columns.size(); ++i)
    EXPECT_TRUE(binlog_type_matches(t.columns[i], types[i])) << t.columns[i].name;
  EXPECT_FALSE(binlog_type_matches(t.columns[0], kTypeLong));
  EXPECT_FALSE(binlog_type_matches(t.columns[3], kTypeLong));
  EXPECT_FALSE(binlog_type_matches(t.columns[7], kTypeDate));
}

}  // namespace
}  // namespace tributary::mysql
