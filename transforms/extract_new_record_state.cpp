// io.debezium.transforms.ExtractNewRecordState (Debezium 2.7): a change event's envelope becomes
// its row state — `after` for creates, updates and reads; deletes and the connector's tombstones
// per `delete.tombstone.handling.mode` (or the deprecated `delete.handling.mode` and
// `drop.tombstones` when it is not set) — plus envelope fields as `__`-prefixed fields
// (`add.fields`) or headers (`add.headers`). Records that are not change events (heartbeats,
// transaction metadata) pass unchanged.
#include "transforms.h"

namespace tributary::transforms {
namespace {

// What happens to deletes and to the connector's tombstones.
enum class Mode {
  Drop,       // both dropped
  Tombstone,  // a delete becomes a null value (keeping the row schema); tombstones dropped
  Rewrite,    // a delete becomes its `before` row with __deleted = "true"; tombstones dropped
  RewriteWithTombstone,  // as Rewrite, tombstones kept
  DeleteToTombstone,     // a delete becomes a tombstone (null value and schema); tombstones dropped
  // Deprecated keys: delete.handling.mode none with drop.tombstones=false keeps tombstones.
  LegacyNone,
};

constexpr const char* kDeleted = "__deleted";

bool is_envelope(const SchemaPtr& s) {
  return s && s->name() && s->name()->ends_with(".Envelope");
}

// An `add.fields` / `add.headers` entry: "op", "source.ts_ms", "lsn:position".
struct FieldRef {
  std::string parent;  // "source", "transaction", or "" for the envelope itself
  std::string field;
  std::string out;  // the output name, prefix included

  static FieldRef parse(const std::string& prefix, const std::string& entry) {
    const auto colon = entry.find(':');
    if (colon != std::string::npos && entry.find(':', colon + 1) != std::string::npos)
      throw std::invalid_argument("Unexpected field name: " + entry);
    const std::string path = entry.substr(0, colon);
    FieldRef r;
    const auto dot = path.find('.');
    if (dot == std::string::npos) {
      r.field = path;
      if (path == "id" || path == "total_order" || path == "data_collection_order")
        r.parent = "transaction";
      else if (path == "op" || path == "ts_ms" || path == "ts_us" || path == "ts_ns")
        r.parent = "";
      else
        r.parent = "source";
    } else {
      r.parent = path.substr(0, dot);
      const auto next = path.find('.', dot + 1);
      r.field =
          path.substr(dot + 1, next == std::string::npos ? std::string::npos : next - dot - 1);
    }
    if (colon != std::string::npos)
      r.out = prefix + entry.substr(colon + 1);
    else
      r.out = prefix + (dot == std::string::npos ? r.field : r.parent + "_" + r.field);
    return r;
  }

  // The field's schema in the envelope (looked up in its parent struct, then at the top level,
  // where another transform may have put it), or nullptr when it is in neither.
  const Field* schema_field(const Schema& envelope) const {
    const Field* parent_field = parent.empty() ? nullptr : envelope.field(parent);
    const Schema* parent_schema = parent.empty() ? &envelope
                                  : parent_field ? parent_field->schema.get()
                                                 : nullptr;
    const Field* f = parent_schema && parent_schema->type() == Type::Struct
                         ? parent_schema->field(field)
                         : nullptr;
    return f != nullptr ? f : envelope.field(field);
  }

  Value value(const Value::StructData& envelope) const {
    const Value::StructData* holder = &envelope;
    if (!parent.empty()) {
      const Field* pf = envelope.schema->field(parent);
      if (pf == nullptr) return Value();
      const Value& pv = envelope.fields[static_cast<std::size_t>(pf->index)];
      if (!pv.is_struct()) return Value();  // e.g. no transaction block while snapshotting
      holder = &pv.as_struct();
    }
    const Field* f = holder->schema->field(field);
    if (f == nullptr) {
      holder = &envelope;
      f = envelope.schema->field(field);
      if (f == nullptr) return Value();
    }
    return holder->fields[static_cast<std::size_t>(f->index)];
  }
};

// Connect's SchemaUtil.copySchemaBasics(schema) made optional: a field or header that may be
// absent. (A struct keeps its fields here, where Kafka's copy would drop them.)
SchemaPtr optional_copy(const Schema& s) {
  SchemaBuilder b = s.type() == Type::Array ? SchemaBuilder::array(s.value_schema())
                    : s.type() == Type::Map ? SchemaBuilder::map(s.key_schema(), s.value_schema())
                                            : SchemaBuilder(s.type());
  copy_schema_basics(s, b);
  if (s.type() == Type::Struct)
    for (const Field& f : s.fields()) b.field(f.name, f.schema);
  return b.optional().build();
}

std::string lowercase(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class ExtractNewRecordState : public Transformation {
 public:
  void configure(const ConfigMap& props) override {
    const Config c = checked_config(extract_new_record_state_config_def(), props);
    const std::string mode = lowercase(c.get_string("delete.tombstone.handling.mode"));
    if (!mode.empty()) {
      mode_ = mode == "drop"                     ? Mode::Drop
              : mode == "tombstone"              ? Mode::Tombstone
              : mode == "rewrite"                ? Mode::Rewrite
              : mode == "rewrite-with-tombstone" ? Mode::RewriteWithTombstone
                                                 : Mode::DeleteToTombstone;
    } else {
      // The deprecated pair; Debezium warns about it at every start.
      const std::string deletes = lowercase(c.get_string("delete.handling.mode"));
      keep_tombstones_ = !c.get_bool("drop.tombstones");
      mode_ = deletes == "rewrite" ? Mode::Rewrite
              : deletes == "none"  ? Mode::LegacyNone
                                   : Mode::Drop;
    }
    auto refs = [&](const char* prefix_key, const char* list_key) {
      std::vector<FieldRef> out;
      const std::string prefix = c.get_string(prefix_key);
      for (const auto& entry : c.get_list(list_key)) {
        try {
          out.push_back(FieldRef::parse(prefix, entry));
        } catch (const std::invalid_argument& e) {
          invalid(list_key, c.get_string(list_key), e.what());
        }
      }
      return out;
    };
    fields_ = refs("add.fields.prefix", "add.fields");
    headers_ = refs("add.headers.prefix", "add.headers");
    route_by_ = c.get_string("route.by.field");
    drop_header_ = c.get_string("drop.fields.header.name");
    drop_from_key_ = c.get_bool("drop.fields.from.key");
    drop_keep_compatible_ = c.get_bool("drop.fields.keep.schema.compatible");
  }

  bool apply(SourceRecord& r) override {
    if (r.value.is_null()) {
      for (const FieldRef& h : headers_)
        if (h.field == "op") r.headers.push_back(Header{h.out, schemas::string(), Value("d")});
      return tombstone_kept();
    }
    if (!is_envelope(r.value_schema) || !r.value.is_struct()) return true;
    const Value envelope = r.value;  // shares the struct: the envelope stays readable
    const Value::StructData& env = envelope.as_struct();
    for (const FieldRef& h : headers_) {
      const Field* f = h.schema_field(*env.schema);
      if (f != nullptr) r.headers.push_back(Header{h.out, optional_copy(*f->schema), h.value(env)});
    }
    const Field* after_field = env.schema->field("after");
    const Field* before_field = env.schema->field("before");
    const Value after =
        after_field ? env.fields[static_cast<std::size_t>(after_field->index)] : Value();
    const Value before =
        before_field ? env.fields[static_cast<std::size_t>(before_field->index)] : Value();
    const bool rewrite = mode_ == Mode::Rewrite || mode_ == Mode::RewriteWithTombstone;
    if (after.is_null()) {
      if (before.is_null()) return false;  // a truncate
      switch (mode_) {
        case Mode::Drop: return false;
        case Mode::Tombstone:
        case Mode::LegacyNone:
          // A null value that keeps the row's schema (what the JDBC sink takes as a delete).
          r.value_schema = after_field->schema;
          r.value = Value();
          route(r, before);
          return true;
        case Mode::DeleteToTombstone:
          r.value_schema = nullptr;
          r.value = Value();
          route(r, before);
          return true;
        default: break;
      }
      route(r, before);
      unwrap(r, env, *before_field, before, "true");
      return drop_fields(r);
    }
    route(r, after);
    unwrap(r, env, *after_field, after, rewrite ? "false" : nullptr);
    return drop_fields(r);
  }

 private:
  bool tombstone_kept() const {
    if (mode_ == Mode::RewriteWithTombstone) return true;
    if (mode_ == Mode::Drop || mode_ == Mode::Rewrite || mode_ == Mode::LegacyNone)
      return keep_tombstones_;
    return false;
  }

  // The topic from `route.by.field` of the row; unchanged when the value is null or blank.
  void route(SourceRecord& r, const Value& row) const {
    if (route_by_.empty() || !row.is_struct()) return;
    const auto& s = row.as_struct();
    const Field* f = s.schema->field(route_by_);
    if (f == nullptr) throw DataException(route_by_ + " is not a valid field name");
    if (f->schema->type() != Type::String)
      throw DataException("Field '" + route_by_ + "' is not of type STRING");
    const Value& v = s.fields[static_cast<std::size_t>(f->index)];
    if (!v.is<std::string>()) return;
    const std::string& topic = v.as<std::string>();
    if (topic.find_first_not_of(" \t\r\n") == std::string::npos) return;
    r.topic = topic;
  }

  // The row (`after` or `before`) as the value, with __deleted (rewrite modes) and add.fields.
  void unwrap(SourceRecord& r, const Value::StructData& env, const Field& row_field,
              const Value& row, const char* deleted) {
    if (deleted == nullptr && fields_.empty()) {
      r.value_schema = row_field.schema;
      r.value = row;
      return;
    }
    if (!row.is_struct()) require_failed("Struct", row, "source field insertion");
    const SchemaPtr& row_schema = row.as_struct().schema;
    const Key key{row_schema.get(), env.schema.get(), deleted != nullptr};
    auto it = schemas_.find(key);
    if (it == schemas_.end()) {
      if (schemas_.size() >= 64) schemas_.clear();
      it = schemas_
               .emplace(key, Derived{row_schema, env.schema,
                                     build(*row_schema, *env.schema, deleted != nullptr)})
               .first;
    }
    const Derived& d = it->second;
    std::vector<Value> values = row.as_struct().fields;
    if (deleted != nullptr) {
      // Kafka's InsertField (which Debezium uses for __deleted) reads fields with their defaults.
      for (std::size_t i = 0; i < values.size(); ++i) {
        const auto& def = row_schema->fields()[i].schema->default_value();
        if (values[i].is_null() && def && !def->is_null()) values[i] = *def;
      }
      values.emplace_back(std::string(deleted));
    }
    for (const FieldRef& f : fields_)
      if (f.schema_field(*env.schema) != nullptr) values.push_back(f.value(env));
    r.value_schema = d.out;
    r.value =
        Value(std::make_shared<Value::StructData>(Value::StructData{d.out, std::move(values)}));
  }

  SchemaPtr build(const Schema& row, const Schema& env, bool deleted) const {
    SchemaBuilder b = copy_schema_basics(row, Type::Struct);
    try {
      for (const Field& f : row.fields()) b.field(f.name, f.schema);
      if (deleted) b.field(kDeleted, schemas::string(true));
      for (const FieldRef& f : fields_)
        if (const Field* sf = f.schema_field(env)) b.field(f.out, optional_copy(*sf->schema));
    } catch (const std::invalid_argument& e) {
      throw DataException(e.what());
    }
    return b.build();
  }

  // drop.fields.header.name: the header lists fields to remove from the value (and the key).
  bool drop_fields(SourceRecord& r) {
    if (drop_header_.empty()) return true;
    const Header* h = nullptr;
    for (const auto& x : r.headers)
      if (x.key == drop_header_) {
        h = &x;
        break;
      }
    if (h == nullptr || !h->value.is<Value::Array>()) return true;
    std::vector<std::string> names;
    for (const auto& v : h->value.as<Value::Array>())
      if (v.is<std::string>()) names.push_back(v.as<std::string>());
    remove(r.value_schema, r.value, names);
    if (drop_from_key_) remove(r.key_schema, r.key, names);
    return true;
  }

  void remove(SchemaPtr& schema, Value& value, const std::vector<std::string>& names) const {
    if (!schema || !value.is_struct()) return;
    auto dropped = [&](const Field& f) {
      if (drop_keep_compatible_ && !f.schema->optional()) return false;
      for (const auto& n : names)
        if (n == f.name) return true;
      return false;
    };
    SchemaBuilder b = copy_schema_basics(*schema, Type::Struct);
    if (schema->optional()) b.optional();
    std::vector<Value> kept;
    const auto& old = value.as_struct().fields;
    bool any = false;
    for (const Field& f : schema->fields()) {
      if (dropped(f)) {
        any = true;
        continue;
      }
      b.field(f.name, f.schema);
      kept.push_back(old[static_cast<std::size_t>(f.index)]);
    }
    if (!any) return;
    schema = b.build();
    value = Value(std::make_shared<Value::StructData>(Value::StructData{schema, std::move(kept)}));
  }

  struct Key {
    const Schema* row;
    const Schema* envelope;
    bool deleted;
    bool operator==(const Key& o) const {
      return row == o.row && envelope == o.envelope && deleted == o.deleted;
    }
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const {
      return std::hash<const void*>()(k.row) ^ (std::hash<const void*>()(k.envelope) << 1) ^
             static_cast<std::size_t>(k.deleted);
    }
  };
  struct Derived {
    SchemaPtr row, envelope;  // held so that the keys' addresses stay theirs
    SchemaPtr out;
  };

  Mode mode_ = Mode::Drop;
  bool keep_tombstones_ = false;
  std::vector<FieldRef> fields_, headers_;
  std::string route_by_, drop_header_;
  bool drop_from_key_ = false, drop_keep_compatible_ = true;
  std::unordered_map<Key, Derived, KeyHash> schemas_;
};

ConfigKey choice(const char* name, const char* def, std::vector<std::string> values,
                 std::string doc) {
  ConfigKey k;
  k.name = name;
  k.type = ConfigType::String;
  k.default_value = def;
  k.importance = Importance::Medium;
  k.documentation = std::move(doc);
  std::vector<std::string> allowed = values;
  if (std::string(def).empty()) allowed.insert(allowed.begin(), "");
  k.validator = validators::one_of(allowed);
  k.recommended_values = values;
  std::string shown = "[";
  for (std::size_t i = 0; i < values.size(); ++i) shown += (i ? ", " : "") + values[i];
  k.valid_values_doc = shown + "]";
  return k;
}

}  // namespace

const ConfigDef& extract_new_record_state_config_def() {
  static const ConfigDef def = [] {
    ConfigDef d;
    d.define("drop.tombstones", ConfigType::Boolean, "true", Importance::Low,
             "Deprecated, use delete.tombstone.handling.mode. Debezium by default generates a "
             "tombstone record to enable Kafka compaction after a delete record was generated. "
             "This record is usually filtered out to avoid duplicates as a delete record is "
             "converted to a tombstone record, too.");
    d.define(choice("delete.handling.mode", "drop", {"drop", "rewrite", "none"},
                    "Deprecated, use delete.tombstone.handling.mode. How to handle delete records. "
                    "Options are: none - records are passed, drop - records are removed (the "
                    "default), rewrite - __deleted field is added to records."));
    d.define(
        choice("delete.tombstone.handling.mode", "",
               {"drop", "tombstone", "rewrite", "rewrite-with-tombstone", "delete-to-tombstone"},
               "How to handle delete and tombstone records. Options are: drop - both are "
               "removed, tombstone - a delete becomes a record with a null value and "
               "tombstones are removed, rewrite - __deleted is added to records and "
               "tombstones are removed, rewrite-with-tombstone - as rewrite but tombstones "
               "are kept, delete-to-tombstone - a delete becomes a tombstone and the "
               "connector's tombstones are removed. When not set, the deprecated "
               "delete.handling.mode and drop.tombstones apply."));
    d.define("route.by.field", ConfigType::String, "", Importance::Low,
             "The column which determines how the events will be routed, the value will replace "
             "the topic name.");
    d.define("add.fields.prefix", ConfigType::String, "__", Importance::Low,
             "Adds this prefix to each field listed.");
    d.define("add.fields", ConfigType::List, "", Importance::Low,
             "Adds each field listed, prefixed with __ (or __<struct>_ if the struct is "
             "specified). Example: 'version,connector,source.ts_ms' would add __version, "
             "__connector and __source_ts_ms fields. Optionally one can also map new field name "
             "like version:VERSION,connector:CONNECTOR,source.ts_ms:EVENT_TIMESTAMP.");
    d.define("add.headers.prefix", ConfigType::String, "__", Importance::Low,
             "Adds this prefix listed to each header.");
    d.define("add.headers", ConfigType::List, "", Importance::Low,
             "Adds each field listed to the header, __ (or __<struct>_ if the struct is "
             "specified). Example: 'version,connector,source.ts_ms' would add __version, "
             "__connector and __source_ts_ms fields.");
    d.define("drop.fields.header.name", ConfigType::String, "", Importance::Low,
             "The header name that contains the list of fields to drop from the value (and the "
             "key, with drop.fields.from.key).");
    d.define("drop.fields.from.key", ConfigType::Boolean, "false", Importance::Low,
             "Whether the fields named by drop.fields.header.name are dropped from the key too.");
    d.define("drop.fields.keep.schema.compatible", ConfigType::Boolean, "true", Importance::Low,
             "Only drop fields that are optional, keeping the schema compatible.");
    return d;
  }();
  return def;
}

std::unique_ptr<Transformation> make_extract_new_record_state() {
  return std::make_unique<ExtractNewRecordState>();
}

}  // namespace tributary::transforms
