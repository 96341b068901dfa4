// Table schemas of the MySQL / MariaDB connector: what the server says about a table (its
// columns and key, from information_schema), the Connect schemas Debezium derives from it (Key,
// Value, Envelope, io.debezium.connector.mysql.Source) and the building of key, row, source and
// envelope values from binlog images or snapshot rows. The filters, the envelope and the
// transaction block are shared with the other Debezium-style connectors (connectors/common).
//
// Threading: built and used by the thread that reads the snapshot or the binlog; schemas are
// immutable once built.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "binlog_rows.h"
#include "debezium_events.h"
#include "mysql_connection.h"
#include "mysql_types.h"
#include "table_filters.h"
#include "tributary/data.h"

namespace tributary::mysql {

struct TableDef {
  std::string database;
  std::string table;
  std::vector<ColumnDef> columns;        // ordinal order
  std::vector<std::string> key_columns;  // primary key order, else a unique NOT NULL index
  std::string charset;                   // the table's default charset ("" if unknown)
  std::string id() const { return database + "." + table; }
};

/// The system databases table.ignore.builtin leaves out.
bool is_builtin_database(std::string_view db);

/// Which definitions the task keeps, reads from the server and writes to the schema history.
/// Captured tables always; with schema.history.internal.store.only.captured.tables.ddl=false
/// (Debezium's default) every table of the captured databases too, and with
/// ...store.only.captured.databases.ddl=false every database's. table.ignore.builtin leaves the
/// system databases out of all of it.
struct SchemaScope {
  const cdc::TableFilters* filters = nullptr;
  bool ignore_builtin = true;
  bool only_captured_tables = false;
  bool only_captured_databases = true;

  /// A table whose changes are captured.
  bool captured(const std::string& db, const std::string& table) const;
  /// A database whose statements are recorded.
  bool database_tracked(const std::string& db) const;
  /// A table whose definition is kept and whose DDL is recorded.
  bool tracked(const std::string& db, const std::string& table) const;
};

/// The base tables `scope` tracks, sorted by "db.table" byte order, with their columns and keys
/// (information_schema). Throws SqlError.
std::vector<TableDef> load_tables(Connection& c, const SchemaScope& scope);
/// The databases `scope` tracks (SHOW DATABASES), sorted.
std::vector<std::string> load_databases(Connection& c, const SchemaScope& scope);

/// The Source struct schema: io.debezium.connector.mysql.Source, or for MariaDbConnector
/// io.debezium.connector.mariadb.Source (the same fields).
SchemaPtr source_schema(bool mariadb = false);
/// The index of `row` among the Source block's fields.
inline constexpr int kSourceRowField = 14;

// The strings are views of the task's own (they outlive the call to TableSchema::source).
struct SourceInfo {
  bool mariadb = false;  // MariaDbConnector: connector "mariadb", its own schema name
  std::string_view version;
  std::string_view server;  // topic.prefix
  std::int64_t ts_ms = 0;   // the event's time (whole seconds) or the snapshot's
  std::string_view snapshot = "false";
  std::uint64_t server_id = 0;
  std::string_view gtid;  // empty: null
  std::string_view file;
  std::uint64_t pos = 0;
  std::int32_t row = 0;
  std::optional<std::int64_t> thread;
  std::string_view query;  // empty: null
};

/// A Source struct for `db` and `table` (empty: null), e.g. of a schema change record; with a
/// `pool`, a reused struct (cdc::StructPool).
Value source_value(const SourceInfo& s, const std::string& db, const std::string& table,
                   cdc::StructPool* pool = nullptr);

class TableSchema {
 public:
  TableSchema(TableDef def, const ValueModes& modes, const cdc::TableFilters& filters,
              const std::string& topic_prefix, bool mariadb = false);

  const TableDef& def() const { return def_; }
  const std::string& topic() const { return topic_; }
  const SchemaPtr& key_schema() const { return key_.schema; }  // null: no key
  const SchemaPtr& row_schema() const { return row_schema_; }
  const SchemaPtr& envelope_schema() const { return envelope_schema_; }

  /// The row struct from a binlog image (one value per column of def()). Throws
  /// std::invalid_argument naming the column. With a `pool`, the structs of this and of key()
  /// and envelope() are reused ones (cdc::StructPool).
  Value row_from_binlog(const std::vector<BinlogValue>& image,
                        cdc::StructPool* pool = nullptr) const;
  /// The row struct from a SELECT * row (text, nullptr for NULL).
  Value row_from_text(const char* const* cells, const unsigned long* lengths,
                      cdc::StructPool* pool = nullptr) const;
  /// The key struct taken from a row struct, or null when the table has no key.
  Value key(const Value& row, cdc::StructPool* pool = nullptr) const;
  Value source(const SourceInfo& s, cdc::StructPool* pool = nullptr) const;
  Value envelope(Value before, Value after, Value source, char op, std::int64_t ts_ns,
                 Value transaction = Value(), cdc::StructPool* pool = nullptr) const;

 private:
  struct Field {
    int column = 0;  // index into def_.columns
    ColumnCodec codec;
  };
  TableDef def_;
  std::string topic_;
  std::vector<Field> fields_;
  cdc::TableKey key_;
  SchemaPtr row_schema_, envelope_schema_, source_schema_;
};

}  // namespace tributary::mysql
