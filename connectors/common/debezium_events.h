// The records every Debezium-style connector writes beside its change events, and the parts of
// the change event that do not depend on the database: heartbeats (ServerNameKey / Heartbeat),
// transaction metadata (BEGIN / END records on <topic.prefix>.<topic.transaction> and the
// `transaction` block of each event), the Envelope schema and value, the snapshot markers of
// source.snapshot, and Debezium's topic name sanitizing. Schemas and field orders are Debezium
// 2.7's (REFERENCE §5); the PostgreSQL goldens check them byte for byte.
//
// Threading: pure functions and immutable shared schemas (any thread); a TransactionCounts
// belongs to the thread streaming the transaction.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "struct_pool.h"
#include "tributary/connector.h"
#include "tributary/data.h"

namespace tributary::cdc {

/// io.debezium.connector.common.ServerNameKey {serverName} and Heartbeat {ts_ms}.
SchemaPtr heartbeat_key_schema();
SchemaPtr heartbeat_value_schema();
/// A heartbeat record on <topic.heartbeat.prefix>.<topic.prefix>.
SourceRecord heartbeat_record(const std::string& heartbeat_prefix, const std::string& topic_prefix,
                              PartitionPtr partition, OffsetMap offset, std::int64_t ts_ms);

/// io.debezium.connector.common.TransactionMetadataKey / TransactionMetadataValue, and the
/// optional event.block struct ({id, total_order, data_collection_order}) of each event.
SchemaPtr transaction_key_schema();
SchemaPtr transaction_value_schema();
SchemaPtr transaction_block_schema();

/// The events of one transaction so far, per data collection in first-seen order.
class TransactionCounts {
 public:
  /// Counts one event of `collection` ("schema.table", "db.table"); returns the event's
  /// data_collection_order (its total_order is total() afterwards).
  std::int64_t add(const std::string& collection);
  std::int64_t total() const { return total_; }
  const std::vector<std::pair<std::string, std::int64_t>>& collections() const {
    return collections_;
  }
  bool empty() const { return total_ == 0; }

 private:
  std::int64_t total_ = 0;
  std::vector<std::pair<std::string, std::int64_t>> collections_;
};

/// The `transaction` block of an event.
Value transaction_block(const std::string& id, std::int64_t total_order,
                        std::int64_t data_collection_order);
/// The BEGIN record (event_count and data_collections null) on `topic`.
SourceRecord transaction_begin_record(const std::string& topic, PartitionPtr partition,
                                      OffsetMap offset, const std::string& id, std::int64_t ts_ms);
/// The END record with the transaction's counts.
SourceRecord transaction_end_record(const std::string& topic, PartitionPtr partition,
                                    OffsetMap offset, const std::string& id,
                                    const TransactionCounts& counts, std::int64_t ts_ms);

/// <topic>.Envelope (version 2): before, after, source, transaction, op, ts_ms, ts_us, ts_ns.
SchemaPtr envelope_schema(const std::string& topic, const SchemaPtr& row, const SchemaPtr& source);
/// An envelope value; ts_ns is the connector's processing time.
/// With a `pool`, the struct is a reused one (StructPool).
Value envelope_value(const SchemaPtr& envelope, Value before, Value after, Value source, char op,
                     std::int64_t ts_ns, Value transaction = Value(), StructPool* pool = nullptr);

/// A table's key: Debezium's <topic>.Key struct of the key columns (the primary key, or
/// message.key.columns), in their order, each with its field's schema in the row struct; and
/// which row field each one is.
struct TableKey {
  SchemaPtr schema;         // null: the table has no key
  std::vector<int> fields;  // row field index per key field

  /// From the row struct's schema (its fields are the captured columns, by name). Throws
  /// std::invalid_argument naming a key column that is not captured.
  static TableKey of(const std::string& topic, const std::string& table_id,
                     const std::vector<std::string>& key_columns, const SchemaPtr& row);
  /// The key struct taken from a row struct; null without a key or a row. With a `pool`, the
  /// struct is a reused one (StructPool).
  Value value(const Value& row, StructPool* pool = nullptr) const;
};

/// source.snapshot of a snapshot row: "first" / "last" of the whole snapshot, then
/// "last_in_data_collection" / "first_in_data_collection" of its table, else "true".
const char* snapshot_marker(bool first_of_snapshot, bool last_of_snapshot, bool last_in_table,
                            bool first_in_table);

/// Debezium's topic name sanitizing: characters outside [A-Za-z0-9._-] become '_'.
std::string sanitize_topic(std::string topic);

}  // namespace tributary::cdc
