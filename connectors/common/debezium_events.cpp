#include "debezium_events.h"

#include <cctype>

#include "java_hash_map.h"

namespace tributary::cdc {

SchemaPtr heartbeat_key_schema() {
  static const SchemaPtr s = SchemaBuilder::struct_()
                                 .name("io.debezium.connector.common.ServerNameKey")
                                 .version(1)
                                 .field("serverName", schemas::string())
                                 .build();
  return s;
}

SchemaPtr heartbeat_value_schema() {
  static const SchemaPtr s = SchemaBuilder::struct_()
                                 .name("io.debezium.connector.common.Heartbeat")
                                 .version(1)
                                 .field("ts_ms", schemas::int64())
                                 .build();
  return s;
}

SourceRecord heartbeat_record(const std::string& heartbeat_prefix, const std::string& topic_prefix,
                              PartitionPtr partition, OffsetMap offset, std::int64_t ts_ms) {
  Struct k(heartbeat_key_schema());
  k.put("serverName", Value(topic_prefix));
  Struct v(heartbeat_value_schema());
  v.put("ts_ms", Value(ts_ms));
  SourceRecord rec;
  rec.source_partition = std::move(partition);
  rec.source_offset = std::move(offset);
  rec.topic = heartbeat_prefix + "." + topic_prefix;
  rec.key_schema = heartbeat_key_schema();
  rec.key = std::move(k).build();
  rec.value_schema = heartbeat_value_schema();
  rec.value = std::move(v).build();
  return rec;
}

SchemaPtr transaction_key_schema() {
  static const SchemaPtr s = SchemaBuilder::struct_()
                                 .name("io.debezium.connector.common.TransactionMetadataKey")
                                 .version(1)
                                 .field("id", schemas::string())
                                 .build();
  return s;
}

namespace {
SchemaPtr collection_schema() {
  static const SchemaPtr s = SchemaBuilder::struct_()
                                 .optional()
                                 .name("event.collection")
                                 .version(1)
                                 .field("data_collection", schemas::string())
                                 .field("event_count", schemas::int64())
                                 .build();
  return s;
}
}  // namespace

SchemaPtr transaction_value_schema() {
  static const SchemaPtr s =
      SchemaBuilder::struct_()
          .name("io.debezium.connector.common.TransactionMetadataValue")
          .version(1)
          .field("status", schemas::string())
          .field("id", schemas::string())
          .field("event_count", schemas::int64(true))
          .field("data_collections", SchemaBuilder::array(collection_schema()).optional().build())
          .field("ts_ms", schemas::int64())
          .build();
  return s;
}

SchemaPtr transaction_block_schema() {
  static const SchemaPtr s = SchemaBuilder::struct_()
                                 .optional()
                                 .name("event.block")
                                 .version(1)
                                 .field("id", schemas::string())
                                 .field("total_order", schemas::int64())
                                 .field("data_collection_order", schemas::int64())
                                 .build();
  return s;
}

std::int64_t TransactionCounts::add(const std::string& collection) {
  ++total_;
  for (auto& [name, count] : collections_)
    if (name == collection) return ++count;
  collections_.emplace_back(collection, 1);
  return 1;
}

Value transaction_block(const std::string& id, std::int64_t total_order,
                        std::int64_t data_collection_order) {
  Struct block(transaction_block_schema());
  block.put("id", Value(id))
      .put("total_order", Value(total_order))
      .put("data_collection_order", Value(data_collection_order));
  return std::move(block).build();
}

namespace {
SourceRecord transaction_record(const std::string& topic, PartitionPtr partition, OffsetMap offset,
                                const std::string& id, Value value) {
  Struct k(transaction_key_schema());
  k.put("id", Value(id));
  SourceRecord rec;
  rec.source_partition = std::move(partition);
  rec.source_offset = std::move(offset);
  rec.topic = topic;
  rec.key_schema = transaction_key_schema();
  rec.key = std::move(k).build();
  rec.value_schema = transaction_value_schema();
  rec.value = std::move(value);
  return rec;
}
}  // namespace

SourceRecord transaction_begin_record(const std::string& topic, PartitionPtr partition,
                                      OffsetMap offset, const std::string& id, std::int64_t ts_ms) {
  Struct v(transaction_value_schema());
  v.put("status", Value("BEGIN"))
      .put("id", Value(id))
      .put("event_count", Value())
      .put("data_collections", Value())
      .put("ts_ms", Value(ts_ms));
  return transaction_record(topic, std::move(partition), std::move(offset), id,
                            std::move(v).build());
}

SourceRecord transaction_end_record(const std::string& topic, PartitionPtr partition,
                                    OffsetMap offset, const std::string& id,
                                    const TransactionCounts& counts, std::int64_t ts_ms) {
  // Debezium counts per collection in a HashMap and lists them in its order (golden
  // mariadb_default: customers, MixedCase, orders for a transaction that touched customers,
  // orders, MixedCase in that order).
  Value::Array cols;
  for (const auto& [name, count] : java_hash_map_order(counts.collections())) {
    Struct col(collection_schema());
    col.put("data_collection", Value(name)).put("event_count", Value(count));
    cols.push_back(std::move(col).build());
  }
  Struct v(transaction_value_schema());
  v.put("status", Value("END"))
      .put("id", Value(id))
      .put("event_count", Value(counts.total()))
      .put("data_collections", Value(std::move(cols)))
      .put("ts_ms", Value(ts_ms));
  return transaction_record(topic, std::move(partition), std::move(offset), id,
                            std::move(v).build());
}

SchemaPtr envelope_schema(const std::string& topic, const SchemaPtr& row, const SchemaPtr& source) {
  return SchemaBuilder::struct_()
      .name(topic + ".Envelope")
      .version(2)
      .field("before", row)
      .field("after", row)
      .field("source", source)
      .field("transaction", transaction_block_schema())
      .field("op", schemas::string())
      .field("ts_ms", schemas::int64(true))
      .field("ts_us", schemas::int64(true))
      .field("ts_ns", schemas::int64(true))
      .build();
}

Value envelope_value(const SchemaPtr& envelope, Value before, Value after, Value source, char op,
                     std::int64_t ts_ns, Value transaction, StructPool* pool) {
  auto data = make_struct(pool, envelope, 8);
  auto& f = data->fields;
  f[0] = std::move(before);
  f[1] = std::move(after);
  f[2] = std::move(source);
  f[3] = std::move(transaction);
  assign_text(f[4], std::string_view(&op, 1));
  f[5] = static_cast<std::int64_t>(ts_ns / 1000000);
  f[6] = static_cast<std::int64_t>(ts_ns / 1000);
  f[7] = ts_ns;
  return Value(std::move(data));
}

TableKey TableKey::of(const std::string& topic, const std::string& table_id,
                      const std::vector<std::string>& key_columns, const SchemaPtr& row) {
  TableKey k;
  if (key_columns.empty()) return k;
  SchemaBuilder key = SchemaBuilder::struct_();
  key.name(topic + ".Key");
  for (const auto& name : key_columns) {
    const Field* f = row->field(name);
    if (f == nullptr)
      throw std::invalid_argument("key column '" + name + "' of table " + table_id +
                                  " is not a captured column");
    key.field(name, f->schema);
    k.fields.push_back(f->index);
  }
  k.schema = key.build();
  return k;
}

Value TableKey::value(const Value& row, StructPool* pool) const {
  if (!schema || row.is_null()) return Value();
  auto data = make_struct(pool, schema, fields.size());
  const auto& rf = row.as_struct().fields;
  for (std::size_t i = 0; i < fields.size(); ++i)
    data->fields[i] = rf[static_cast<std::size_t>(fields[i])];
  return Value(std::move(data));
}

const char* snapshot_marker(bool first_of_snapshot, bool last_of_snapshot, bool last_in_table,
                            bool first_in_table) {
  if (first_of_snapshot) return "first";
  if (last_of_snapshot) return "last";
  if (last_in_table) return "last_in_data_collection";
  if (first_in_table) return "first_in_data_collection";
  return "true";
}

std::int32_t java_string_hash(const std::string& s) {
  std::uint32_t h = 0;
  for (const unsigned char c : s) h = 31 * h + c;
  return static_cast<std::int32_t>(h);
}

std::string sanitize_topic(std::string topic) {
  for (auto& c : topic)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) c = '_';
  return topic;
}

}  // namespace tributary::cdc
