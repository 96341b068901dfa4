// The DDL statements of a MySQL / MariaDB binlog, parsed far enough to keep each captured
// table's definition (ColumnDef / TableDef) as it was at every binlog position: CREATE TABLE
// (columns, PRIMARY KEY / UNIQUE, table charset; LIKE another table), ALTER TABLE (ADD / DROP /
// MODIFY / CHANGE / RENAME COLUMN with FIRST / AFTER, ALTER COLUMN SET / DROP DEFAULT, ADD / DROP
// PRIMARY KEY, ADD UNIQUE, RENAME TO), DROP TABLE, RENAME TABLE, TRUNCATE, CREATE / DROP DATABASE
// and USE. Other statements (indexes, views, grants, functions, ...) change no table definition;
// the parser reports them as Kind::Other. The TABLE_MAP of each later row event is checked against
// the result (column count and type class), so a definition the parser got wrong fails loudly
// instead of mis-decoding rows.
//
// Hand-written: no C or C++ MySQL grammar is packaged in Debian (Debezium uses an ANTLR grammar);
// the subset above is the part that changes what a row event means.
//
// Threading: pure functions.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mysql_schema.h"

namespace tributary::mysql {

struct DdlError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// One statement's effect.
struct DdlStatement {
  enum class Kind {
    CreateTable,      // table: the new definition (name, columns, key)
    CreateTableLike,  // name, like: a copy of another table's definition
    AlterTable,       // name; apply() changes a definition
    DropTables,       // names
    RenameTables,     // renames
    TruncateTable,    // name
    CreateDatabase,   // database
    DropDatabase,     // database
    Use,              // database
    Other,
  };
  Kind kind = Kind::Other;
  std::pair<std::string, std::string> name;  // {database or "", table}
  std::optional<TableDef> table;             // CreateTable
  std::pair<std::string, std::string> like;  // CreateTableLike: the table copied
  bool if_not_exists = false;
  std::vector<std::pair<std::string, std::string>> names;  // DropTables
  std::vector<std::pair<std::pair<std::string, std::string>, std::pair<std::string, std::string>>>
      renames;                            // RenameTables; AlterTable ... RENAME TO gives one
  std::vector<std::string> rename_texts;  // RenameTables: each "a TO b" as the statement spells it
  std::string database;
  std::string text;  // the statement (AlterTable: re-parsed by apply_alter)
};

/// Parses one statement; throws DdlError naming what it could not read. `default_db` is the
/// query event's database (for unqualified names).
DdlStatement parse_ddl(std::string_view sql, const std::string& default_db);

/// Applies an ALTER TABLE statement to `def` (columns, key); a RENAME TO in it is in
/// `st.renames`. Throws DdlError for a column that does not exist.
void apply_alter(const DdlStatement& st, TableDef& def);

/// Whether a binlog column type (TABLE_MAP) can hold a column defined as `c`.
bool binlog_type_matches(const ColumnDef& c, std::uint8_t binlog_type);

}  // namespace tributary::mysql
