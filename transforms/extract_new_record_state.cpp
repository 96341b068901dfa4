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
    // The envelope is ours to take apart when this record holds its only reference (as records
    // from poll() do); otherwise it is read, not edited.
    Value envelope = std::move(r.value);
    r.value = Value();  // a moved-from Value still holds an (empty) struct pointer
    Value::StructData& env = envelope.as_struct();
    const bool own = envelope.as<std::shared_ptr<Value::StructData>>().use_count() == 1;
    Plan& plan = plan_for(env.schema);
    for (std::size_t i = 0; i < headers_.size(); ++i)
      if (plan.headers[i].schema)
        r.headers.push_back(
            Header{headers_[i].out, plan.headers[i].schema, plan.headers[i].get(env)});
    auto take = [&](int index) -> Value {
      if (index < 0) return Value();
      Value& v = env.fields[static_cast<std::size_t>(index)];
      return own ? std::move(v) : v;
    };
    Value after = take(plan.after);
    const bool rewrite = mode_ == Mode::Rewrite || mode_ == Mode::RewriteWithTombstone;
    if (after.is_null()) {
      Value before = take(plan.before);
      if (before.is_null()) return false;  // a truncate
      switch (mode_) {
        case Mode::Drop: return false;
        case Mode::Tombstone:
        case Mode::LegacyNone:
          // A null value that keeps the row's schema (what the JDBC sink takes as a delete).
          r.value_schema = plan.after < 0
                               ? nullptr
                               : env.schema->fields()[static_cast<std::size_t>(plan.after)].schema;
          route(r, before);
          return true;
        case Mode::DeleteToTombstone:
          r.value_schema = nullptr;
          route(r, before);
          return true;
        default: break;
      }
      route(r, before);
      unwrap(r, plan, env, std::move(before), "true");
      return drop_fields(r);
    }
    route(r, after);
    unwrap(r, plan, env, std::move(after), rewrite ? "false" : nullptr);
    return drop_fields(r);
  }

 private:
  // Where an add.fields / add.headers entry is in an envelope of one schema, and its output
  // schema (an optional copy of the field's); schema null when the envelope has no such field.
  struct Resolved {
    int parent = -1;  // field index of "source" / "transaction" in the envelope, -1: top level
    int field = -1;
    SchemaPtr schema;
    Value get(const Value::StructData& env) const {
      if (parent < 0) return env.fields[static_cast<std::size_t>(field)];
      const Value& p = env.fields[static_cast<std::size_t>(parent)];
      if (!p.is_struct()) return Value();  // e.g. no transaction block while snapshotting
      return p.as_struct().fields[static_cast<std::size_t>(field)];
    }
  };
  // Everything that depends only on the envelope's schema, worked out once per schema.
  struct Plan {
    SchemaPtr envelope;  // held, so that the cache key's address stays its
    int after = -1, before = -1;
    std::vector<Resolved> fields, headers;
    // Output schemas by row schema and whether __deleted is added.
    std::vector<std::tuple<const Schema*, bool, SchemaPtr, SchemaPtr>> outputs;
  };

  static Resolved resolve(const FieldRef& ref, const Schema& env) {
    Resolved r;
    const Field* parent = ref.parent.empty() ? nullptr : env.field(ref.parent);
    const Field* f = nullptr;
    if (parent != nullptr && parent->schema->type() == Type::Struct) {
      f = parent->schema->field(ref.field);
      if (f != nullptr) r.parent = parent->index;
    } else if (ref.parent.empty()) {
      f = env.field(ref.field);
    }
    if (f == nullptr) f = env.field(ref.field);  // put at the top level by another transform
    if (f == nullptr) return r;
    r.field = f->index;
    r.schema = optional_copy(*f->schema);
    return r;
  }

  Plan& plan_for(const SchemaPtr& env) {
    auto it = plans_.find(env.get());
    if (it != plans_.end()) return it->second;
    if (plans_.size() >= 64) plans_.clear();
    Plan p;
    p.envelope = env;
    if (const Field* f = env->field("after")) p.after = f->index;
    if (const Field* f = env->field("before")) p.before = f->index;
    for (const FieldRef& f : fields_) p.fields.push_back(resolve(f, *env));
    for (const FieldRef& h : headers_) p.headers.push_back(resolve(h, *env));
    return plans_.emplace(env.get(), std::move(p)).first->second;
  }

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
  void unwrap(SourceRecord& r, Plan& plan, const Value::StructData& env, Value row,
              const char* deleted) {
    // Debezium rebuilds the value's schema even with nothing to add (copySchemaBasics: name,
    // version, doc, parameters — and required, where the envelope's `after` is optional).
    if (!row.is_struct()) require_failed("Struct", row, "source field insertion");
    const SchemaPtr row_schema = row.as_struct().schema;
    SchemaPtr out;
    for (const auto& [in, del, held, derived] : plan.outputs)
      if (in == row_schema.get() && del == (deleted != nullptr)) out = derived;
    if (!out) {
      out = build(*row_schema, plan, deleted != nullptr);
      plan.outputs.emplace_back(row_schema.get(), deleted != nullptr, row_schema, out);
    }
    // The row's own struct when the record holds the only reference (the usual case), else a
    // copy: its fields are extended in place and its schema swapped for the rebuilt one.
    Value::StructData* data = own_struct(row);
    std::vector<Value>& values = data->fields;
    values.reserve(out->fields().size());
    if (deleted != nullptr) {
      // Kafka's InsertField (which Debezium uses for __deleted) reads fields with their defaults.
      for (std::size_t i = 0; i < values.size(); ++i) {
        if (!values[i].is_null()) continue;
        const auto& def = row_schema->fields()[i].schema->default_value();
        if (def && !def->is_null()) values[i] = *def;
      }
      values.emplace_back(std::string(deleted));
    }
    for (const Resolved& f : plan.fields)
      if (f.schema) values.push_back(f.get(env));
    data->schema = out;
    r.value_schema = out;
    r.value = std::move(row);
  }

  SchemaPtr build(const Schema& row, const Plan& plan, bool deleted) const {
    SchemaBuilder b = copy_schema_basics(row, Type::Struct);
    try {
      for (const Field& f : row.fields()) b.field(f.name, f.schema);
      if (deleted) b.field(kDeleted, schemas::string(true));
      for (std::size_t i = 0; i < fields_.size(); ++i)
        if (plan.fields[i].schema) b.field(fields_[i].out, plan.fields[i].schema);
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

  Mode mode_ = Mode::Drop;
  bool keep_tombstones_ = false;
  std::vector<FieldRef> fields_, headers_;
  std::string route_by_, drop_header_;
  bool drop_from_key_ = false, drop_keep_compatible_ = true;
  std::unordered_map<const Schema*, Plan> plans_;
};

}  // namespace

const ConfigDef& extract_new_record_state_config_def() {
  static const ConfigDef def = [] {
    ConfigDef d;
    d.define("drop.tombstones", ConfigType::Boolean, "true", Importance::Low,
             "Deprecated, use delete.tombstone.handling.mode. Debezium by default generates a "
             "tombstone record to enable Kafka compaction after a delete record was generated. "
             "This record is usually filtered out to avoid duplicates as a delete record is "
             "converted to a tombstone record, too.");
    d.define(choice("delete.handling.mode", "drop", {"drop", "rewrite", "none"}, Importance::Medium,
                    "Deprecated, use delete.tombstone.handling.mode. How to handle delete records. "
                    "Options are: none - records are passed, drop - records are removed (the "
                    "default), rewrite - __deleted field is added to records."));
    d.define(
        choice("delete.tombstone.handling.mode", "",
               {"drop", "tombstone", "rewrite", "rewrite-with-tombstone", "delete-to-tombstone"},
               Importance::Medium,
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
