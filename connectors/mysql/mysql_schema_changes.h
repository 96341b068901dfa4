// Debezium's schema change records for the MySQL connector: the value on the schema change topic
// <topic.prefix> (io.debezium.connector.mysql.SchemaChangeKey / SchemaChangeValue with
// io.debezium.connector.schema.Change / Table / Column, as Connect structs the worker's converter
// writes), and the record of the schema history topic (Debezium's own JSON document, written
// pretty-printed as Jackson's default printer does, with its own column fields), and the reverse:
// a history document read back into table definitions at restart.
//
// Threading: pure functions and immutable shared schemas (any thread).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "mysql_schema.h"
#include "tributary/data.h"
#include "tributary/record.h"

namespace tributary::mysql {

/// One entry of tableChanges.
struct TableChange {
  enum class Type { Create, Alter, Drop };
  Type type = Type::Create;
  std::string database, table;                                  // the table's id
  std::optional<std::pair<std::string, std::string>> previous;  // a rename's old id
  std::optional<TableDef> def;                                  // Create / Alter
};

/// io.debezium.connector.mysql.SchemaChangeKey (MariaDbConnector: ...mariadb.SchemaChangeKey).
SchemaPtr schema_change_key_schema(bool mariadb = false);
/// SchemaChangeValue with `source` (the connector's Source struct schema).
SchemaPtr schema_change_value_schema(const SchemaPtr& source, bool mariadb = false);

/// The Connect value of a schema change record: {source, ts_ms, databaseName, schemaName, ddl,
/// tableChanges}.
Value schema_change_value(const SchemaPtr& value_schema, Value source, std::int64_t ts_ms,
                          const std::string& database, const std::string& ddl,
                          const std::vector<TableChange>& changes);
Value schema_change_key(const std::string& database, bool mariadb = false);

/// The history topic's document: {source: {server}, position, ts_ms, databaseName, ddl,
/// tableChanges}, pretty-printed as Debezium writes it.
std::string history_document(const std::string& server, const OffsetMap& position,
                             std::int64_t ts_ms, const std::string& database,
                             const std::string& ddl, const std::vector<TableChange>& changes);

/// A history document read back: its position and table changes. Throws std::invalid_argument
/// naming the field that is missing or malformed.
struct HistoryEntry {
  OffsetMap position;
  std::string database;
  std::string ddl;
  std::vector<TableChange> changes;
};
HistoryEntry parse_history_document(const std::string& text);

/// Jackson's DefaultPrettyPrinter layout of a JSON value (2-space indent, " : ", "[ ]").
std::string jackson_pretty(const nlohmann::ordered_json& j);

/// Debezium's column metadata: its JDBC type code and type name ("INT UNSIGNED ZEROFILL").
int jdbc_type(const ColumnDef& c);
std::string debezium_type_name(const ColumnDef& c);

}  // namespace tributary::mysql
