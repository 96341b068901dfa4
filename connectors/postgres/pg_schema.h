// Table schemas of the PostgreSQL connector: what the catalog says about a table, the Connect
// schemas Debezium derives from it (Key, Value, Envelope, Source) and the building of key, row,
// source and envelope values. The filters, the envelope and the transaction block are shared
// with the other Debezium-style connectors (connectors/common).
//
// Threading: built and used on the task thread; schemas are immutable once built.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "debezium_events.h"
#include "pg_connection.h"
#include "pg_types.h"
#include "table_filters.h"
#include "tributary/config.h"
#include "tributary/data.h"

namespace tributary::pg {

struct ColumnDef {
  std::string name;
  std::uint32_t type_oid = 0;
  std::int32_t typmod = -1;
  bool optional = true;
  std::optional<std::string> default_expr;  // pg_get_expr(adbin)
};

struct TableDef {
  std::uint32_t oid = 0;
  std::string schema;
  std::string table;
  std::vector<ColumnDef> columns;        // attnum order
  std::vector<std::string> key_columns;  // primary key order, else the replica identity index
  std::string id() const { return schema + "." + table; }
};

/// Everything in the catalog this connector needs: types (with enum labels) and tables.
TypeCatalog load_types(Connection& c);
/// Tables (relkind r/p) outside the system schemas, sorted by "schema.table" byte order.
std::vector<TableDef> load_tables(Connection& c);
/// One table by oid, or nullopt when it no longer exists.
std::optional<TableDef> load_table(Connection& c, std::uint32_t oid);

/// A cell of a row as it arrives: NULL, an unchanged TOASTed value (not sent), or text.
struct Cell {
  enum class Kind : std::uint8_t { Null, UnchangedToast, Text };
  Kind kind = Kind::Null;
  std::string_view text;
};

/// The Source struct schema of io.debezium.connector.postgresql.Source.
SchemaPtr source_schema();

// The strings are views of the task's own (they outlive the call to TableSchema::source).
struct SourceInfo {
  std::string_view version;
  std::string_view server;  // topic.prefix
  std::string_view db;
  std::int64_t ts_us = 0;  // commit time (streaming) or snapshot time
  std::string_view snapshot = "false";
  std::optional<std::uint64_t> last_commit_lsn;
  std::uint64_t lsn = 0;
  std::optional<std::int64_t> tx_id;
};

class TableSchema {
 public:
  TableSchema(TableDef def, const TypeCatalog& types, const ValueModes& modes,
              const cdc::TableFilters& filters, const std::string& topic_prefix);

  const TableDef& def() const { return def_; }
  const std::string& topic() const { return topic_; }
  const SchemaPtr& key_schema() const { return key_.schema; }  // null: no key
  const SchemaPtr& row_schema() const { return row_schema_; }
  const SchemaPtr& envelope_schema() const { return envelope_schema_; }
  size_t column_count() const { return def_.columns.size(); }
  /// Position of a column of def() by name, or -1.
  int column_index(std::string_view name) const;

  /// The row struct from cells in def() column order. `key_only`: only the key columns were
  /// sent (a DEFAULT-identity delete): the others are null, or their type's empty value when
  /// the column is NOT NULL.
  Value row(const std::vector<Cell>& cells, bool key_only = false) const;
  /// The key struct taken from a row struct, or null when the table has no key.
  Value key(const Value& row) const;
  Value source(const SourceInfo& s) const;
  Value envelope(Value before, Value after, Value source, char op, std::int64_t ts_ns,
                 Value transaction = Value()) const;

 private:
  struct Field {
    int column = 0;  // index into def_.columns
    ColumnCodec codec;
    bool optional = true;
    std::optional<Value> default_value;
  };
  TableDef def_;
  std::string topic_;
  std::vector<Field> fields_;
  cdc::TableKey key_;
  SchemaPtr row_schema_, envelope_schema_, source_schema_;
};

}  // namespace tributary::pg
