#include "pg_schema.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "debezium_events.h"

namespace tributary::pg {
namespace {

const std::string kSystemSchemas = "('pg_catalog','information_schema')";

std::vector<TableDef> query_tables(Connection& c, const std::string& where) {
  auto cols = c.exec(
      "SELECT c.oid, n.nspname, c.relname, a.attname, a.atttypid, a.atttypmod, a.attnotnull, "
      "pg_get_expr(d.adbin, d.adrelid) "
      "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
      "LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum "
      "WHERE c.relkind IN ('r','p') AND n.nspname NOT IN " +
      kSystemSchemas + " AND n.nspname NOT LIKE 'pg\\_%' " + where + " ORDER BY c.oid, a.attnum");
  std::map<std::uint32_t, TableDef> by_oid;
  for (int r = 0; r < cols.rows(); ++r) {
    const auto oid = static_cast<std::uint32_t>(std::stoul(cols.get(r, 0)));
    TableDef& t = by_oid[oid];
    t.oid = oid;
    t.schema = cols.get(r, 1);
    t.table = cols.get(r, 2);
    ColumnDef col;
    col.name = cols.get(r, 3);
    col.type_oid = static_cast<std::uint32_t>(std::stoul(cols.get(r, 4)));
    col.typmod = std::stoi(cols.get(r, 5));
    col.optional = cols.get(r, 6) != "t";
    if (!cols.is_null(r, 7)) col.default_expr = cols.get(r, 7);
    t.columns.push_back(std::move(col));
  }
  // Keys: the primary key in its declared order; without one, the replica identity index.
  auto keys = c.exec(
      "SELECT i.indrelid, a.attname, i.indisprimary FROM pg_index i "
      "CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) "
      "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
      "WHERE i.indisprimary OR i.indisreplident "
      "ORDER BY i.indrelid, i.indisprimary DESC, i.indexrelid, k.ord");
  std::map<std::uint32_t, bool> has_primary;
  for (int r = 0; r < keys.rows(); ++r) {
    const auto oid = static_cast<std::uint32_t>(std::stoul(keys.get(r, 0)));
    auto it = by_oid.find(oid);
    if (it == by_oid.end()) continue;
    const bool primary = keys.get(r, 2) == "t";
    if (primary)
      has_primary[oid] = true;
    else if (has_primary[oid])
      continue;
    it->second.key_columns.push_back(keys.get(r, 1));
  }
  std::vector<TableDef> out;
  out.reserve(by_oid.size());
  for (auto& [oid, t] : by_oid) out.push_back(std::move(t));
  std::sort(out.begin(), out.end(),
            [](const TableDef& a, const TableDef& b) { return a.id() < b.id(); });
  return out;
}

SchemaPtr build_source_schema() {
  SchemaBuilder snapshot(Type::String);
  snapshot.optional()
      .name("io.debezium.data.Enum")
      .version(1)
      .parameter("allowed", "true,last,false,incremental")
      .default_value(Value("false"));
  return SchemaBuilder::struct_()
      .name("io.debezium.connector.postgresql.Source")
      .field("version", schemas::string())
      .field("connector", schemas::string())
      .field("name", schemas::string())
      .field("ts_ms", schemas::int64())
      .field("snapshot", snapshot.build())
      .field("db", schemas::string())
      .field("sequence", schemas::string(true))
      .field("ts_us", schemas::int64(true))
      .field("ts_ns", schemas::int64(true))
      .field("schema", schemas::string())
      .field("table", schemas::string())
      .field("txId", schemas::int64(true))
      .field("lsn", schemas::int64(true))
      .field("xmin", schemas::int64(true))
      .build();
}

}  // namespace

TypeCatalog load_types(Connection& c) {
  TypeCatalog cat;
  auto types =
      c.exec("SELECT oid, typname, typcategory, typtype, typelem, typbasetype FROM pg_type");
  for (int r = 0; r < types.rows(); ++r) {
    PgTypeInfo t;
    t.oid = static_cast<std::uint32_t>(std::stoul(types.get(r, 0)));
    t.name = types.get(r, 1);
    t.category = types.get(r, 2).empty() ? 'U' : types.get(r, 2)[0];
    t.kind = types.get(r, 3).empty() ? 'b' : types.get(r, 3)[0];
    t.element = static_cast<std::uint32_t>(std::stoul(types.get(r, 4)));
    t.base = static_cast<std::uint32_t>(std::stoul(types.get(r, 5)));
    cat.add(std::move(t));
  }
  auto labels =
      c.exec("SELECT enumtypid, enumlabel FROM pg_enum ORDER BY enumtypid, enumsortorder");
  std::map<std::uint32_t, std::vector<std::string>> by_type;
  for (int r = 0; r < labels.rows(); ++r)
    by_type[static_cast<std::uint32_t>(std::stoul(labels.get(r, 0)))].push_back(labels.get(r, 1));
  for (auto& [oid, l] : by_type) {
    if (const PgTypeInfo* t = cat.find(oid)) {
      PgTypeInfo copy = *t;
      copy.enum_labels = std::move(l);
      cat.add(std::move(copy));
    }
  }
  return cat;
}

std::vector<TableDef> load_tables(Connection& c) {
  return query_tables(c, "");
}

std::optional<TableDef> load_table(Connection& c, std::uint32_t oid) {
  auto t = query_tables(c, "AND c.oid = " + std::to_string(oid));
  if (t.empty()) return std::nullopt;
  return std::move(t.front());
}

SchemaPtr source_schema() {
  static const SchemaPtr s = build_source_schema();
  return s;
}

TableSchema::TableSchema(TableDef def, const TypeCatalog& types, const ValueModes& modes,
                         const cdc::TableFilters& filters, const std::string& topic_prefix)
    : def_(std::move(def)) {
  const std::string id = def_.id();
  topic_ = cdc::sanitize_topic(topic_prefix + "." + id);
  if (auto keys = filters.key_columns(id)) def_.key_columns = *keys;
  SchemaBuilder row = SchemaBuilder::struct_();
  row.optional().name(topic_ + ".Value");
  for (size_t i = 0; i < def_.columns.size(); ++i) {
    const ColumnDef& c = def_.columns[i];
    if (!filters.column_included(id, c.name)) continue;
    auto codec = ColumnCodec::make(types, c.type_oid, c.typmod, modes);
    if (!codec) continue;  // a type Debezium does not map: the column is left out
    Field f{static_cast<int>(i), std::move(*codec), c.optional, std::nullopt};
    if (c.default_expr) f.default_value = f.codec.default_from_expression(*c.default_expr);
    SchemaPtr field_schema = f.codec.schema(f.optional, f.default_value);
    f.codec.bind(field_schema);
    row.field(c.name, std::move(field_schema));
    fields_.push_back(std::move(f));
  }
  row_schema_ = row.build();
  key_ = cdc::TableKey::of(topic_, id, def_.key_columns, row_schema_);
  source_schema_ = source_schema();
  envelope_schema_ = cdc::envelope_schema(topic_, row_schema_, source_schema_);
}

int TableSchema::column_index(std::string_view name) const {
  for (size_t i = 0; i < def_.columns.size(); ++i)
    if (def_.columns[i].name == name) return static_cast<int>(i);
  return -1;
}

Value TableSchema::row(const std::vector<Cell>& cells, bool key_only) const {
  auto data = std::make_shared<Value::StructData>();
  data->schema = row_schema_;
  data->fields.resize(fields_.size());
  for (size_t fi = 0; fi < fields_.size(); ++fi) {
    const Field& f = fields_[fi];
    const auto ci = static_cast<size_t>(f.column);
    Value& out = data->fields[fi];
    const Cell* cell = ci < cells.size() ? &cells[ci] : nullptr;
    if (cell == nullptr || cell->kind == Cell::Kind::Null) {
      if (!f.optional && (key_only || cell == nullptr)) {
        // A NOT NULL column that was not sent: its default, else its type's empty value.
        out = f.default_value ? *f.default_value : f.codec.empty_value();
      }
      continue;
    }
    if (cell->kind == Cell::Kind::UnchangedToast) {
      out = f.codec.unavailable();
      continue;
    }
    try {
      out = f.codec.decode(cell->text);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("column " + def_.columns[ci].name + " of " + def_.id() + ": " +
                                  e.what());
    }
  }
  return Value(std::move(data));
}

Value TableSchema::key(const Value& row) const {
  return key_.value(row);
}

Value TableSchema::source(const SourceInfo& s) const {
  auto data = std::make_shared<Value::StructData>();
  data->schema = source_schema_;
  // sequence: ["<last commit lsn>","<lsn>"] (null for the first).
  auto quoted = [](std::string& out, std::uint64_t n) {
    char buf[24];
    out += '"';
    out.append(buf, std::to_chars(buf, buf + sizeof buf, n).ptr);
    out += '"';
  };
  std::string seq;
  seq.reserve(48);
  seq += '[';
  if (s.last_commit_lsn) {
    quoted(seq, *s.last_commit_lsn);
  } else {
    seq += "null";
  }
  seq += ',';
  quoted(seq, s.lsn);
  seq += ']';
  // Built in place: an initializer list would copy every string once more.
  auto& f = data->fields;
  f.reserve(14);
  f.emplace_back(std::string(s.version));
  f.emplace_back(std::string("postgresql"));
  f.emplace_back(std::string(s.server));
  f.emplace_back(static_cast<std::int64_t>(s.ts_us / 1000));
  f.emplace_back(std::string(s.snapshot));
  f.emplace_back(std::string(s.db));
  f.emplace_back(std::move(seq));
  f.emplace_back(s.ts_us);
  f.emplace_back(static_cast<std::int64_t>(s.ts_us * 1000));
  f.emplace_back(def_.schema);
  f.emplace_back(def_.table);
  f.emplace_back(s.tx_id ? Value(*s.tx_id) : Value());
  f.emplace_back(static_cast<std::int64_t>(s.lsn));
  f.emplace_back();
  return Value(std::move(data));
}

Value TableSchema::envelope(Value before, Value after, Value source, char op, std::int64_t ts_ns,
                            Value transaction) const {
  return cdc::envelope_value(envelope_schema_, std::move(before), std::move(after),
                             std::move(source), op, ts_ns, std::move(transaction));
}

}  // namespace tributary::pg
