#include "mysql_schema.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "debezium_events.h"

namespace tributary::mysql {
namespace {

SchemaPtr build_source_schema(const char* name) {
  SchemaBuilder snapshot(Type::String);
  snapshot.optional()
      .name("io.debezium.data.Enum")
      .version(1)
      .parameter("allowed", "true,last,false,incremental")
      .default_value(Value("false"));
  return SchemaBuilder::struct_()
      .name(name)
      .field("version", schemas::string())
      .field("connector", schemas::string())
      .field("name", schemas::string())
      .field("ts_ms", schemas::int64())
      .field("snapshot", snapshot.build())
      .field("db", schemas::string())
      .field("sequence", schemas::string(true))
      .field("ts_us", schemas::int64(true))
      .field("ts_ns", schemas::int64(true))
      .field("table", schemas::string(true))
      .field("server_id", schemas::int64())
      .field("gtid", schemas::string(true))
      .field("file", schemas::string())
      .field("pos", schemas::int64())
      .field("row", schemas::int32())
      .field("thread", schemas::int64(true))
      .field("query", schemas::string(true))
      .build();
}

const std::string& cell(const std::vector<std::optional<std::string>>& row, std::size_t i) {
  static const std::string empty;
  return row[i] ? *row[i] : empty;
}

}  // namespace

bool is_builtin_database(std::string_view db) {
  return db == "mysql" || db == "sys" || db == "performance_schema" || db == "information_schema";
}

bool SchemaScope::captured(const std::string& db, const std::string& table) const {
  return !(ignore_builtin && is_builtin_database(db)) && filters->table_included(db, table);
}

bool SchemaScope::database_tracked(const std::string& db) const {
  return !(ignore_builtin && is_builtin_database(db)) &&
         (!only_captured_databases || filters->container_included(db));
}

bool SchemaScope::tracked(const std::string& db, const std::string& table) const {
  return only_captured_tables ? captured(db, table) : database_tracked(db);
}

std::vector<std::string> load_databases(Connection& c, const SchemaScope& scope) {
  std::vector<std::string> out;
  for (const auto& row : c.query("SHOW DATABASES").rows) {
    const std::string& db = cell(row, 0);
    if (!scope.database_tracked(db)) continue;
    out.push_back(db);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<TableDef> load_tables(Connection& c, const SchemaScope& scope) {
  std::map<std::string, TableDef> tables;  // by "db.table": byte order
  for (const auto& row :
       c.query("SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_COLLATION FROM information_schema.TABLES "
               "WHERE TABLE_TYPE = 'BASE TABLE'")
           .rows) {
    const std::string& db = cell(row, 0);
    const std::string& name = cell(row, 1);
    if (!scope.tracked(db, name)) continue;
    TableDef t;
    t.database = db;
    t.table = name;
    t.charset = cell(row, 2).substr(0, cell(row, 2).find('_'));
    tables.emplace(t.id(), std::move(t));
  }
  if (tables.empty()) return {};
  const auto cols = c.query(
      "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_DEFAULT, "
      "IS_NULLABLE, COLUMN_TYPE, CHARACTER_SET_NAME, EXTRA FROM information_schema.COLUMNS "
      "ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION");
  for (const auto& row : cols.rows) {
    auto it = tables.find(cell(row, 0) + "." + cell(row, 1));
    if (it == tables.end()) continue;
    ColumnDef col;
    col.name = cell(row, 2);
    col.position = std::stoi(cell(row, 3));
    if (row[4] && *row[4] != "NULL") col.default_expr = *row[4];
    col.optional = cell(row, 5) == "YES";
    try {
      parse_column_type(cell(row, 6), col);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("column " + col.name + " of " + it->first + ": " + e.what());
    }
    col.charset = cell(row, 7);
    if (col.charset.empty() && (col.type == "BINARY" || col.type == "VARBINARY" ||
                                col.type.find("BLOB") != std::string::npos))
      col.charset = "binary";
    const std::string& extra = cell(row, 8);
    col.auto_increment = extra.find("auto_increment") != std::string::npos;
    col.generated = extra.find("GENERATED") != std::string::npos;
    it->second.columns.push_back(std::move(col));
  }
  // Keys: the primary key, else the first unique index whose columns are all NOT NULL, in the
  // server's index order (SHOW INDEX order).
  struct Index {
    std::string name;
    bool unique = false;
    std::vector<std::string> columns;
  };
  std::map<std::string, std::vector<Index>> indexes;
  for (const auto& row :
       c.query("SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SEQ_IN_INDEX "
               "FROM information_schema.STATISTICS")
           .rows) {
    const std::string id = cell(row, 0) + "." + cell(row, 1);
    if (!tables.count(id)) continue;
    auto& list = indexes[id];
    auto idx = std::find_if(list.begin(), list.end(),
                            [&](const Index& i) { return i.name == cell(row, 2); });
    if (idx == list.end()) {
      list.push_back(Index{cell(row, 2), cell(row, 3) == "0", {}});
      idx = list.end() - 1;
    }
    const auto seq = static_cast<std::size_t>(std::stoi(cell(row, 5)));
    if (idx->columns.size() < seq) idx->columns.resize(seq);
    idx->columns[seq - 1] = cell(row, 4);
  }
  std::vector<TableDef> out;
  out.reserve(tables.size());
  for (auto& entry : tables) {
    TableDef& t = entry.second;  // (not a structured binding: lambdas below capture it)
    const auto& list = indexes[entry.first];
    auto pk =
        std::find_if(list.begin(), list.end(), [](const Index& i) { return i.name == "PRIMARY"; });
    if (pk != list.end()) {
      t.key_columns = pk->columns;
    } else {
      for (const auto& i : list) {
        if (!i.unique) continue;
        const bool not_null = std::all_of(i.columns.begin(), i.columns.end(), [&](const auto& n) {
          auto col = std::find_if(t.columns.begin(), t.columns.end(),
                                  [&](const ColumnDef& c) { return c.name == n; });
          return col != t.columns.end() && !col->optional;
        });
        if (not_null) {
          t.key_columns = i.columns;
          break;
        }
      }
    }
    out.push_back(std::move(t));
  }
  return out;
}

SchemaPtr source_schema(bool mariadb) {
  static const SchemaPtr mysql = build_source_schema("io.debezium.connector.mysql.Source");
  static const SchemaPtr maria = build_source_schema("io.debezium.connector.mariadb.Source");
  return mariadb ? maria : mysql;
}

TableSchema::TableSchema(TableDef def, const ValueModes& modes, const cdc::TableFilters& filters,
                         const std::string& topic_prefix, bool mariadb)
    : def_(std::move(def)) {
  const std::string id = def_.id();
  topic_ = cdc::sanitize_topic(topic_prefix + "." + id);
  if (auto cols = filters.key_columns(id)) def_.key_columns = *cols;
  SchemaBuilder row = SchemaBuilder::struct_();
  row.name(topic_ + ".Value").optional();
  for (std::size_t i = 0; i < def_.columns.size(); ++i) {
    const ColumnDef& c = def_.columns[i];
    if (!filters.column_included(id, c.name)) continue;
    auto codec = ColumnCodec::make(c, modes);
    if (!codec) continue;  // a type Debezium does not map: the column is left out
    std::optional<Value> default_value;
    if (c.default_expr && !c.auto_increment)
      default_value = codec->default_from_expression(*c.default_expr);
    SchemaPtr field_schema = codec->schema(c.optional, default_value);
    codec->bind(field_schema);
    row.field(c.name, std::move(field_schema));
    fields_.push_back(Field{static_cast<int>(i), std::move(*codec)});
  }
  row_schema_ = row.build();
  key_ = cdc::TableKey::of(topic_, id, def_.key_columns, row_schema_);
  source_schema_ = source_schema(mariadb);
  envelope_schema_ = cdc::envelope_schema(topic_, row_schema_, source_schema_);
}

Value TableSchema::row_from_binlog(const std::vector<BinlogValue>& image,
                                   cdc::StructPool* pool) const {
  const std::size_t count = fields_.size(), columns = image.size();
  auto data = cdc::make_struct(pool, row_schema_, count);
  Value* slots = data->fields.data();
  for (std::size_t fi = 0; fi < count; ++fi) {
    const Field& f = fields_[fi];
    const auto ci = static_cast<std::size_t>(f.column);
    if (ci >= columns) {
      slots[fi] = Value();
      continue;
    }
    try {
      f.codec.from_binlog_into(image[ci], slots[fi]);
    } catch (const std::exception& e) {
      throw std::invalid_argument("column " + def_.columns[ci].name + " of " + def_.id() + ": " +
                                  e.what());
    }
  }
  return Value(std::move(data));
}

Value TableSchema::row_from_text(const char* const* cells, const unsigned long* lengths,
                                 cdc::StructPool* pool) const {
  const std::size_t count = fields_.size();
  auto data = cdc::make_struct(pool, row_schema_, count);
  Value* slots = data->fields.data();
  for (std::size_t fi = 0; fi < count; ++fi) {
    const Field& f = fields_[fi];
    const auto ci = static_cast<std::size_t>(f.column);
    if (cells[ci] == nullptr) {
      slots[fi] = Value();
      continue;
    }
    try {
      f.codec.from_text_into(std::string_view(cells[ci], lengths[ci]), slots[fi]);
    } catch (const std::exception& e) {
      throw std::invalid_argument("column " + def_.columns[ci].name + " of " + def_.id() + ": " +
                                  e.what());
    }
  }
  return Value(std::move(data));
}

Value TableSchema::key(const Value& row, cdc::StructPool* pool) const {
  return key_.value(row, pool);
}

Value source_value(const SourceInfo& s, const std::string& db, const std::string& table,
                   cdc::StructPool* pool) {
  auto data = cdc::make_struct(pool, source_schema(s.mariadb), 17);
  auto& f = data->fields;
  auto text = [](Value& slot, std::string_view t, bool null_when_empty) {
    if (null_when_empty && t.empty()) {
      slot = Value();
    } else {
      cdc::assign_text(slot, t);
    }
  };
  text(f[0], s.version, false);
  text(f[1], s.mariadb ? "mariadb" : "mysql", false);
  text(f[2], s.server, false);
  f[3] = Value(s.ts_ms);
  text(f[4], s.snapshot, false);
  text(f[5], db, false);
  f[6] = Value();
  f[7] = Value(s.ts_ms * 1000);
  f[8] = Value(s.ts_ms * 1000000);
  text(f[9], table, true);
  f[10] = Value(static_cast<std::int64_t>(s.server_id));
  text(f[11], s.gtid, true);
  text(f[12], s.file, false);
  f[13] = Value(static_cast<std::int64_t>(s.pos));
  f[14] = Value(s.row);
  f[15] = s.thread ? Value(*s.thread) : Value();
  text(f[16], s.query, true);
  return Value(std::move(data));
}

Value TableSchema::source(const SourceInfo& s, cdc::StructPool* pool) const {
  return source_value(s, def_.database, def_.table, pool);
}

Value TableSchema::envelope(Value before, Value after, Value source, char op, std::int64_t ts_ns,
                            Value transaction, cdc::StructPool* pool) const {
  return cdc::envelope_value(envelope_schema_, std::move(before), std::move(after),
                             std::move(source), op, ts_ns, std::move(transaction), pool);
}

}  // namespace tributary::mysql
