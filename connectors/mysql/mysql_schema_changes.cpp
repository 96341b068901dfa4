#include "mysql_schema_changes.h"

#include <stdexcept>

namespace tributary::mysql {
namespace {

using ojson = nlohmann::ordered_json;

bool textual(const ColumnDef& c) {
  const std::string& t = c.type;
  return t == "CHAR" || t == "VARCHAR" || t.find("TEXT") != std::string::npos || t == "ENUM" ||
         t == "SET";
}

std::string quoted_member(const std::string& m) {
  std::string out = "'";
  for (char ch : m) {
    if (ch == '\'') out += '\'';
    out += ch;
  }
  return out + "'";
}

std::optional<int> column_length(const ColumnDef& c) {
  if (c.type == "ENUM") return 1;
  if (c.type == "SET") {
    int n = c.enum_values.empty() ? 0 : static_cast<int>(c.enum_values.size()) - 1;
    for (const auto& m : c.enum_values) n += static_cast<int>(m.size());
    return n;
  }
  if (c.length < 0) return std::nullopt;
  return c.length;
}

std::optional<std::string> default_text(const ColumnDef& c) {
  if (!c.default_expr) return std::nullopt;
  const std::string& e = *c.default_expr;
  if (e.size() >= 2 && e.front() == '\'' && e.back() == '\'') return e.substr(1, e.size() - 2);
  if (e.size() >= 3 && (e[0] == 'b' || e[0] == 'B') && e[1] == '\'')
    return e.substr(2, e.size() - 3);
  std::string u;
  for (char ch : e) u += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (u.rfind("current_timestamp", 0) == 0 || u.rfind("now(", 0) == 0 ||
      u.rfind("localtimestamp", 0) == 0)
    return std::string("1970-01-01 00:00:00");
  return e;
}

std::string table_id(const std::string& db, const std::string& table) {
  return "\"" + db + "\".\"" + table + "\"";
}

const char* change_type(TableChange::Type t) {
  switch (t) {
    case TableChange::Type::Create: return "CREATE";
    case TableChange::Type::Alter: return "ALTER";
    case TableChange::Type::Drop: return "DROP";
  }
  return "ALTER";
}

SchemaPtr column_schema() {
  static const SchemaPtr s =
      SchemaBuilder::struct_()
          .name("io.debezium.connector.schema.Column")
          .version(1)
          .field("name", schemas::string())
          .field("jdbcType", schemas::int32())
          .field("nativeType", schemas::int32(true))
          .field("typeName", schemas::string())
          .field("typeExpression", schemas::string(true))
          .field("charsetName", schemas::string(true))
          .field("length", schemas::int32(true))
          .field("scale", schemas::int32(true))
          .field("position", schemas::int32())
          .field("optional", schemas::boolean(true))
          .field("autoIncremented", schemas::boolean(true))
          .field("generated", schemas::boolean(true))
          .field("comment", schemas::string(true))
          .field("defaultValueExpression", schemas::string(true))
          .field("enumValues", SchemaBuilder::array(schemas::string()).optional().build())
          .build();
  return s;
}

SchemaPtr table_schema() {
  static const SchemaPtr s = SchemaBuilder::struct_()
                                 .name("io.debezium.connector.schema.Table")
                                 .version(1)
                                 .optional()
                                 .field("defaultCharsetName", schemas::string(true))
                                 .field("primaryKeyColumnNames",
                                        SchemaBuilder::array(schemas::string()).optional().build())
                                 .field("columns", SchemaBuilder::array(column_schema()).build())
                                 .field("comment", schemas::string(true))
                                 .build();
  return s;
}

SchemaPtr change_schema() {
  static const SchemaPtr s = SchemaBuilder::struct_()
                                 .name("io.debezium.connector.schema.Change")
                                 .version(1)
                                 .field("type", schemas::string())
                                 .field("id", schemas::string())
                                 .field("table", table_schema())
                                 .build();
  return s;
}

Value opt_string(const std::optional<std::string>& s) {
  return s ? Value(*s) : Value();
}
Value opt_int(const std::optional<int>& i) {
  return i ? Value(static_cast<std::int32_t>(*i)) : Value();
}

Value column_value(const ColumnDef& c) {
  Struct s(column_schema());
  s.put("name", c.name);
  s.put("jdbcType", static_cast<std::int32_t>(jdbc_type(c)));
  const std::string type = debezium_type_name(c);
  s.put("typeName", type);
  s.put("typeExpression", type);
  s.put("charsetName", textual(c) && !c.charset.empty() ? Value(c.charset) : Value());
  s.put("length", opt_int(column_length(c)));
  s.put("scale",
        c.scale >= 0 && c.type == "DECIMAL" ? Value(static_cast<std::int32_t>(c.scale)) : Value());
  s.put("position", static_cast<std::int32_t>(c.position));
  s.put("optional", c.optional);
  s.put("autoIncremented", c.auto_increment);
  s.put("generated", c.auto_increment || c.generated);
  s.put("comment", opt_string(c.comment));
  s.put("defaultValueExpression", opt_string(default_text(c)));
  if (c.type == "ENUM" || c.type == "SET") {
    Value::Array members;
    for (const auto& m : c.enum_values) members.emplace_back(quoted_member(m));
    s.put("enumValues", Value(std::move(members)));
  }
  return std::move(s).build();
}

Value table_value(const TableDef& def) {
  Struct s(table_schema());
  s.put("defaultCharsetName", def.charset.empty() ? Value() : Value(def.charset));
  Value::Array pk;
  for (const auto& k : def.key_columns) pk.emplace_back(k);
  s.put("primaryKeyColumnNames", Value(std::move(pk)));
  Value::Array cols;
  for (const auto& c : def.columns) cols.push_back(column_value(c));
  s.put("columns", Value(std::move(cols)));
  return std::move(s).build();
}

ojson column_json(const ColumnDef& c) {
  ojson j = ojson::object();
  j["name"] = c.name;
  j["jdbcType"] = jdbc_type(c);
  const std::string type = debezium_type_name(c);
  j["typeName"] = type;
  j["typeExpression"] = type;
  j["charsetName"] = textual(c) && !c.charset.empty() ? ojson(c.charset) : ojson(nullptr);
  if (auto l = column_length(c)) j["length"] = *l;
  if (c.scale >= 0 && c.type == "DECIMAL") j["scale"] = c.scale;
  j["position"] = c.position;
  j["optional"] = c.optional;
  j["autoIncremented"] = c.auto_increment;
  j["generated"] = c.auto_increment || c.generated;
  j["comment"] = c.comment ? ojson(*c.comment) : ojson(nullptr);
  j["hasDefaultValue"] = c.has_default || c.optional;  // Debezium: a nullable column has one
  if (auto d = default_text(c)) j["defaultValueExpression"] = *d;
  ojson members = ojson::array();
  for (const auto& m : c.enum_values) members.push_back(quoted_member(m));
  j["enumValues"] = members;
  return j;
}

void pretty(const ojson& j, std::string& out, int indent) {
  auto pad = [&](int n) { out.append(static_cast<std::size_t>(n), ' '); };
  if (j.is_object()) {
    if (j.empty()) {
      out += "{ }";
      return;
    }
    out += "{\n";
    bool first = true;
    for (const auto& [k, v] : j.items()) {
      if (!first) out += ",\n";
      first = false;
      pad(indent + 2);
      out += ojson(k).dump();
      out += " : ";
      pretty(v, out, indent + 2);
    }
    out += "\n";
    pad(indent);
    out += "}";
  } else if (j.is_array()) {
    if (j.empty()) {
      out += "[ ]";
      return;
    }
    // Jackson's default printer: array elements on one line, separated by ", ".
    out += "[ ";
    bool first = true;
    for (const auto& v : j) {
      if (!first) out += ", ";
      first = false;
      pretty(v, out, indent);
    }
    out += " ]";
  } else {
    out += j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  }
}

std::string get_string(const ojson& j, const char* key, const char* where) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string())
    throw std::invalid_argument(std::string("schema history: ") + where + " has no string '" + key +
                                "'");
  return it->get<std::string>();
}

std::pair<std::string, std::string> parse_id(const std::string& id) {
  // "db"."table"
  const auto mid = id.find("\".\"");
  if (id.size() < 5 || id.front() != '"' || id.back() != '"' || mid == std::string::npos)
    throw std::invalid_argument("schema history: table id '" + id + "' is not \"db\".\"table\"");
  return {id.substr(1, mid - 1), id.substr(mid + 3, id.size() - mid - 4)};
}

ColumnDef column_from_json(const ojson& j) {
  ColumnDef c;
  c.name = get_string(j, "name", "a column");
  std::string type = get_string(j, "typeName", "a column");
  auto strip = [&](const std::string& suffix) {
    if (type.size() > suffix.size() &&
        type.compare(type.size() - suffix.size(), suffix.size(), suffix) == 0) {
      type.resize(type.size() - suffix.size());
      return true;
    }
    return false;
  };
  c.zerofill = strip(" ZEROFILL");
  c.is_unsigned = strip(" UNSIGNED") || c.zerofill;
  parse_column_type(type, c);
  c.is_unsigned = c.is_unsigned || c.zerofill;
  if (auto it = j.find("length"); it != j.end() && it->is_number_integer())
    c.length = it->get<int>();
  if (auto it = j.find("scale"); it != j.end() && it->is_number_integer()) c.scale = it->get<int>();
  if (c.type == "ENUM" || c.type == "SET") c.length = -1;
  if (auto it = j.find("charsetName"); it != j.end() && it->is_string())
    c.charset = it->get<std::string>();
  if (c.type == "BINARY" || c.type == "VARBINARY" || c.type.find("BLOB") != std::string::npos)
    c.charset = "binary";
  if (auto it = j.find("position"); it != j.end() && it->is_number_integer())
    c.position = it->get<int>();
  if (auto it = j.find("optional"); it != j.end() && it->is_boolean()) c.optional = it->get<bool>();
  if (auto it = j.find("autoIncremented"); it != j.end() && it->is_boolean())
    c.auto_increment = it->get<bool>();
  if (auto it = j.find("generated"); it != j.end() && it->is_boolean())
    c.generated = it->get<bool>() && !c.auto_increment;
  if (auto it = j.find("comment"); it != j.end() && it->is_string())
    c.comment = it->get<std::string>();
  if (auto it = j.find("hasDefaultValue"); it != j.end() && it->is_boolean())
    c.has_default = it->get<bool>();
  if (auto it = j.find("enumValues"); it != j.end() && it->is_array()) {
    for (const auto& m : *it) {
      if (!m.is_string()) continue;
      std::string v = m.get<std::string>();
      if (v.size() >= 2 && v.front() == '\'' && v.back() == '\'') {
        std::string inner;
        for (std::size_t i = 1; i + 1 < v.size(); ++i) {
          inner += v[i];
          if (v[i] == '\'' && i + 2 < v.size() && v[i + 1] == '\'') ++i;
        }
        v = inner;
      }
      c.enum_values.push_back(v);
    }
  }
  if (auto it = j.find("defaultValueExpression"); it != j.end() && it->is_string()) {
    const std::string d = it->get<std::string>();
    const bool temporal = c.type == "TIMESTAMP" || c.type == "DATETIME";
    if (temporal && d == "1970-01-01 00:00:00") {
      c.default_expr = "current_timestamp()";
    } else if (c.type == "BIT") {
      c.default_expr = "b'" + d + "'";
    } else if (textual(c) || c.charset == "binary" || c.type == "DATE" || c.type == "TIME" ||
               temporal || c.type == "JSON") {
      c.default_expr = "'" + d + "'";  // the inner text kept its quoting
    } else {
      c.default_expr = d;
    }
  }
  return c;
}

}  // namespace

int jdbc_type(const ColumnDef& c) {
  const std::string& t = c.type;
  if (t == "BOOLEAN") return 16;
  if (t == "BIT") return -7;
  if (t == "TINYINT" || t == "SMALLINT") return 5;
  if (t == "MEDIUMINT" || t == "INT" || t == "YEAR") return 4;
  if (t == "BIGINT") return -5;
  if (t == "DECIMAL") return 3;
  if (t == "FLOAT") return 6;
  if (t == "DOUBLE") return 8;
  if (t == "CHAR" || t == "ENUM" || t == "SET") return 1;
  if (t == "VARCHAR" || t.find("TEXT") != std::string::npos) return 12;
  if (t == "BINARY") return -2;
  if (t == "VARBINARY") return -3;
  if (t.find("BLOB") != std::string::npos) return 2004;
  if (t == "DATE") return 91;
  if (t == "TIME") return 92;
  if (t == "DATETIME") return 93;
  if (t == "TIMESTAMP") return 2014;
  return 1111;  // JSON, spatial types
}

std::string debezium_type_name(const ColumnDef& c) {
  std::string out = c.type_name.empty() ? c.type : c.type_name;
  if (c.is_unsigned) out += " UNSIGNED";
  if (c.zerofill) out += " ZEROFILL";
  return out;
}

SchemaPtr schema_change_key_schema(bool mariadb) {
  auto make = [](const char* name) {
    return SchemaBuilder::struct_()
        .name(name)
        .version(1)
        .field("databaseName", schemas::string())
        .build();
  };
  static const SchemaPtr mysql = make("io.debezium.connector.mysql.SchemaChangeKey");
  static const SchemaPtr maria = make("io.debezium.connector.mariadb.SchemaChangeKey");
  return mariadb ? maria : mysql;
}

SchemaPtr schema_change_value_schema(const SchemaPtr& source, bool mariadb) {
  return SchemaBuilder::struct_()
      .name(mariadb ? "io.debezium.connector.mariadb.SchemaChangeValue"
                    : "io.debezium.connector.mysql.SchemaChangeValue")
      .version(1)
      .field("source", source)
      .field("ts_ms", schemas::int64())
      .field("databaseName", schemas::string(true))
      .field("schemaName", schemas::string(true))
      .field("ddl", schemas::string(true))
      .field("tableChanges", SchemaBuilder::array(change_schema()).build())
      .build();
}

Value schema_change_key(const std::string& database, bool mariadb) {
  Struct s(schema_change_key_schema(mariadb));
  s.put("databaseName", database);
  return std::move(s).build();
}

Value schema_change_value(const SchemaPtr& value_schema, Value source, std::int64_t ts_ms,
                          const std::string& database, const std::string& ddl,
                          const std::vector<TableChange>& changes) {
  Struct s(value_schema);
  s.put("source", std::move(source));
  s.put("ts_ms", ts_ms);
  s.put("databaseName", database);
  s.put("ddl", ddl);
  Value::Array list;
  for (const auto& ch : changes) {
    Struct c(change_schema());
    c.put("type", std::string(change_type(ch.type)));
    c.put("id", table_id(ch.database, ch.table));
    if (ch.def) c.put("table", table_value(*ch.def));
    list.push_back(std::move(c).build());
  }
  s.put("tableChanges", Value(std::move(list)));
  return std::move(s).build();
}

std::string jackson_pretty(const ojson& j) {
  std::string out;
  pretty(j, out, 0);
  return out;
}

std::string history_document(const std::string& server, const OffsetMap& position,
                             std::int64_t ts_ms, const std::string& database,
                             const std::string& ddl, const std::vector<TableChange>& changes) {
  ojson doc = ojson::object();
  doc["source"] = ojson{{"server", server}};
  doc["position"] = position;
  doc["ts_ms"] = ts_ms;
  doc["databaseName"] = database;
  doc["ddl"] = ddl;
  ojson list = ojson::array();
  for (const auto& ch : changes) {
    ojson c = ojson::object();
    c["type"] = change_type(ch.type);
    c["id"] = table_id(ch.database, ch.table);
    if (ch.previous) c["previousId"] = table_id(ch.previous->first, ch.previous->second);
    if (ch.def) {
      ojson t = ojson::object();
      t["defaultCharsetName"] = ch.def->charset.empty() ? ojson(nullptr) : ojson(ch.def->charset);
      t["primaryKeyColumnNames"] = ch.def->key_columns;
      ojson cols = ojson::array();
      for (const auto& col : ch.def->columns) cols.push_back(column_json(col));
      t["columns"] = cols;
      t["attributes"] = ojson::array();
      c["table"] = t;
      c["comment"] = nullptr;
    }
    list.push_back(c);
  }
  doc["tableChanges"] = list;
  return jackson_pretty(doc);
}

HistoryEntry parse_history_document(const std::string& text) {
  ojson doc;
  try {
    doc = ojson::parse(text);
  } catch (const std::exception& e) {
    throw std::invalid_argument(std::string("schema history: a record is not JSON: ") + e.what());
  }
  if (!doc.is_object()) throw std::invalid_argument("schema history: a record is not an object");
  HistoryEntry e;
  auto pos = doc.find("position");
  if (pos == doc.end() || !pos->is_object())
    throw std::invalid_argument("schema history: a record has no 'position'");
  e.position = *pos;
  if (auto it = doc.find("databaseName"); it != doc.end() && it->is_string())
    e.database = it->get<std::string>();
  if (auto it = doc.find("ddl"); it != doc.end() && it->is_string()) e.ddl = it->get<std::string>();
  auto changes = doc.find("tableChanges");
  if (changes == doc.end() || !changes->is_array())
    throw std::invalid_argument("schema history: a record has no 'tableChanges'");
  for (const auto& c : *changes) {
    if (!c.is_object())
      throw std::invalid_argument("schema history: a table change is not an object");
    TableChange ch;
    const std::string type = get_string(c, "type", "a table change");
    ch.type = type == "CREATE" ? TableChange::Type::Create
              : type == "DROP" ? TableChange::Type::Drop
                               : TableChange::Type::Alter;
    std::tie(ch.database, ch.table) = parse_id(get_string(c, "id", "a table change"));
    if (auto it = c.find("previousId"); it != c.end() && it->is_string())
      ch.previous = parse_id(it->get<std::string>());
    if (auto t = c.find("table"); t != c.end() && t->is_object()) {
      TableDef def;
      def.database = ch.database;
      def.table = ch.table;
      if (auto it = t->find("defaultCharsetName"); it != t->end() && it->is_string())
        def.charset = it->get<std::string>();
      if (auto it = t->find("primaryKeyColumnNames"); it != t->end() && it->is_array())
        for (const auto& k : *it)
          if (k.is_string()) def.key_columns.push_back(k.get<std::string>());
      auto cols = t->find("columns");
      if (cols == t->end() || !cols->is_array())
        throw std::invalid_argument("schema history: table " + ch.table + " has no 'columns'");
      for (const auto& col : *cols) {
        if (!col.is_object())
          throw std::invalid_argument("schema history: a column of " + ch.table +
                                      " is not an object");
        def.columns.push_back(column_from_json(col));
      }
      ch.def = std::move(def);
    }
    e.changes.push_back(std::move(ch));
  }
  return e;
}

}  // namespace tributary::mysql
