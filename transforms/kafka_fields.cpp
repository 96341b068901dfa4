// Kafka's field transforms (org.apache.kafka.connect.transforms), each as $Key and $Value:
// ReplaceField (`exclude` / `include` / `renames`, and the older `blacklist` / `whitelist`),
// MaskField (`fields`, `replacement`), ValueToKey (`fields`), ExtractField (`field`),
// HoistField (`field`), SetSchemaMetadata (`schema.name`, `schema.version`) and Flatten
// (`delimiter`). A null key or value passes unchanged; derived schemas are cached per input
// schema; messages are Kafka's.
#include <charconv>

#include "transforms.h"

namespace tributary::transforms {
namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
  for (const auto& x : v)
    if (x == s) return true;
  return false;
}

// Copies of a struct's fields under a derived schema whose fields are a subset (by name).
Value restruct(const SchemaPtr& out, const Value::StructData& in) {
  std::vector<Value> fields(out->fields().size());
  for (const Field& f : out->fields()) {
    const Field* src = in.schema->field(f.name);
    if (src != nullptr)
      fields[static_cast<std::size_t>(f.index)] = in.fields[static_cast<std::size_t>(src->index)];
  }
  return Value(std::make_shared<Value::StructData>(Value::StructData{out, std::move(fields)}));
}

// ---------------------------------------------------------------------------------------------
// ReplaceField

class ReplaceField : public Transformation {
 public:
  explicit ReplaceField(Side side) : side_(side) {}

  void configure(const ConfigMap& props) override {
    const Config c = checked_config(replace_field_config_def(), props);
    exclude_ = c.get_list("exclude");
    for (const auto& f : c.get_list("blacklist")) exclude_.push_back(f);
    include_ = c.get_list("include");
    for (const auto& f : c.get_list("whitelist")) include_.push_back(f);
    for (const auto& m : c.get_list("renames")) {
      const auto colon = m.find(':');
      if (colon == std::string::npos || colon == 0 || colon + 1 == m.size() ||
          m.find(':', colon + 1) != std::string::npos)
        invalid("renames", c.get_string("renames"), "Invalid rename mapping: " + m);
      renames_.emplace_back(m.substr(0, colon), m.substr(colon + 1));
    }
  }

  bool apply(SourceRecord& r) override {
    Value& v = value_of(r, side_);
    if (v.is_null()) return true;
    SchemaPtr& schema = schema_of(r, side_);
    if (!schema) {
      auto* map = std::get_if<Value::MapEntries>(&v.storage());
      if (map == nullptr) require_failed("Map", v, "field replacement");
      Value::MapEntries out;
      for (auto& [k, x] : *map) {
        const std::string name = k.is<std::string>() ? k.as<std::string>() : "";
        if (!keep(name)) continue;
        out.emplace_back(Value(renamed(name)), std::move(x));
      }
      v = Value(std::move(out));
      return true;
    }
    if (!v.is_struct()) require_failed("Struct", v, "field replacement");
    const SchemaPtr& out = cache_.get(schema, [this](const Schema& in) {
      SchemaBuilder b = copy_schema_basics(in, Type::Struct);
      for (const Field& f : in.fields())
        if (keep(f.name)) b.field(renamed(f.name), f.schema);
      return b.build();
    });
    std::vector<Value> in = take_fields(v);
    std::vector<Value> fields;
    fields.reserve(out->fields().size());
    for (const Field& f : schema->fields())
      if (keep(f.name)) fields.push_back(std::move(in[static_cast<std::size_t>(f.index)]));
    v = Value(std::make_shared<Value::StructData>(Value::StructData{out, std::move(fields)}));
    schema = out;
    return true;
  }

 private:
  bool keep(const std::string& name) const {
    return !contains(exclude_, name) && (include_.empty() || contains(include_, name));
  }
  std::string renamed(const std::string& name) const {
    for (const auto& [from, to] : renames_)
      if (from == name) return to;
    return name;
  }

  Side side_;
  std::vector<std::string> exclude_, include_;
  std::vector<std::pair<std::string, std::string>> renames_;
  SchemaCache cache_;
};

// ---------------------------------------------------------------------------------------------
// MaskField: the masked fields get their type's "empty" value (0, false, "", empty bytes,
// epoch 0, empty array or map) or `replacement` parsed as the field's type.

class MaskField : public Transformation {
 public:
  explicit MaskField(Side side) : side_(side) {}

  void configure(const ConfigMap& props) override {
    const Config c = checked_config(mask_field_config_def(), props);
    fields_ = c.get_list("fields");
    if (fields_.empty()) invalid("fields", "", "Must specify at least one field to mask.");
    if (auto it = props.find("replacement"); it != props.end() && !it->second.empty())
      replacement_ = it->second;
  }

  bool apply(SourceRecord& r) override {
    Value& v = value_of(r, side_);
    if (v.is_null()) return true;
    SchemaPtr& schema = schema_of(r, side_);
    if (!schema) {
      auto* map = std::get_if<Value::MapEntries>(&v.storage());
      if (map == nullptr) require_failed("Map", v, "mask fields");
      for (auto& [k, x] : *map)
        if (k.is<std::string>() && contains(fields_, k.as<std::string>())) x = masked(nullptr, x);
      return true;
    }
    if (!v.is_struct()) require_failed("Struct", v, "mask fields");
    Value::StructData* s = own_struct(v);
    for (const Field& f : s->schema->fields()) {
      if (!contains(fields_, f.name)) continue;
      Value& x = s->fields[static_cast<std::size_t>(f.index)];
      x = masked(f.schema.get(), x);
    }
    return true;
  }

 private:
  Value masked(const Schema* schema, const Value& x) const {
    if (x.is_null()) return x;
    const bool decimal = schema && schema->name() && *schema->name() == logical::kDecimal;
    if (replacement_) {
      const std::string& rep = *replacement_;
      auto number = [&](auto zero) -> Value {
        using T = decltype(zero);
        T out{};
        const auto res = std::from_chars(rep.data(), rep.data() + rep.size(), out);
        if (res.ec != std::errc() || res.ptr != rep.data() + rep.size())
          throw DataException("Unable to convert " + rep + " (" + rep + ") to number");
        return Value(out);
      };
      switch (x.storage().index()) {
        case 1: return Value(rep == "true");
        case 2: return number(std::int8_t{});
        case 3: return number(std::int16_t{});
        case 4: return number(std::int32_t{});
        case 5: return number(std::int64_t{});
        case 6: return number(float{});
        case 7: return number(double{});
        case 8: return Value(rep);
        default:
          if (decimal) return Value(decimal_unscaled_from_string(rep));
          throw DataException("Cannot mask value of type " + java_class_of(x) +
                              " with custom replacement.");
      }
    }
    switch (x.storage().index()) {
      case 1: return Value(false);
      case 2: return Value(std::int8_t{0});
      case 3: return Value(std::int16_t{0});
      case 4: return Value(std::int32_t{0});
      case 5: return Value(std::int64_t{0});
      case 6: return Value(0.0F);
      case 7: return Value(0.0);
      case 8: return Value(std::string());
      case 9: return Value(decimal ? Bytes{0} : Bytes{});
      case 10: return Value(Value::Array{});
      case 11: return Value(Value::MapEntries{});
      default: throw DataException("Cannot mask value of type " + java_class_of(x));
    }
  }

  Side side_;
  std::vector<std::string> fields_;
  std::optional<std::string> replacement_;
};

// ---------------------------------------------------------------------------------------------
// ValueToKey: the key becomes a struct (or map) of the value's `fields`.

class ValueToKey : public Transformation {
 public:
  void configure(const ConfigMap& props) override {
    fields_ = checked_config(value_to_key_config_def(), props).get_list("fields");
    if (fields_.empty()) invalid("fields", "", "Must specify at least one field.");
  }

  bool apply(SourceRecord& r) override {
    if (!r.value_schema) {
      auto* map = std::get_if<Value::MapEntries>(&r.value.storage());
      if (map == nullptr) require_failed("Map", r.value, "copying fields from value to key");
      Value::MapEntries key;
      for (const auto& f : fields_) {
        Value x;
        for (const auto& [k, v] : *map)
          if (k.is<std::string>() && k.as<std::string>() == f) x = v;
        key.emplace_back(Value(f), std::move(x));
      }
      r.key_schema = nullptr;
      r.key = Value(std::move(key));
      return true;
    }
    if (!r.value.is_struct()) require_failed("Struct", r.value, "copying fields from value to key");
    const SchemaPtr& ks = cache_.get(r.value_schema, [this](const Schema& in) {
      SchemaBuilder b = SchemaBuilder::struct_();
      for (const auto& f : fields_) {
        const Field* src = in.field(f);
        if (src == nullptr) throw DataException("Field does not exist: " + f);
        b.field(f, src->schema);
      }
      return b.build();
    });
    r.key = restruct(ks, r.value.as_struct());
    r.key_schema = ks;
    return true;
  }

 private:
  std::vector<std::string> fields_;
  SchemaCache cache_;
};

// ---------------------------------------------------------------------------------------------
// ExtractField: the key or value becomes one of its fields.

class ExtractField : public Transformation {
 public:
  explicit ExtractField(Side side) : side_(side) {}

  void configure(const ConfigMap& props) override {
    field_ = checked_config(extract_field_config_def(), props).get_string("field");
  }

  bool apply(SourceRecord& r) override {
    Value& v = value_of(r, side_);
    SchemaPtr& schema = schema_of(r, side_);
    if (!schema) {
      if (v.is_null()) return true;
      auto* map = std::get_if<Value::MapEntries>(&v.storage());
      if (map == nullptr) require_failed("Map", v, "field extraction");
      Value out;
      for (auto& [k, x] : *map)
        if (k.is<std::string>() && k.as<std::string>() == field_) out = std::move(x);
      v = std::move(out);
      return true;
    }
    const Field* f = schema->field(field_);
    if (f == nullptr) throw DataException("Unknown field: " + field_);
    if (v.is_null()) {
      schema = f->schema;
      return true;
    }
    if (!v.is_struct()) require_failed("Struct", v, "field extraction");
    Value out = v.as_struct().fields[static_cast<std::size_t>(f->index)];
    schema = f->schema;
    v = std::move(out);
    return true;
  }

 private:
  Side side_;
  std::string field_;
};

// ---------------------------------------------------------------------------------------------
// HoistField: the key or value is wrapped in a struct (or map) with one field.

class HoistField : public Transformation {
 public:
  explicit HoistField(Side side) : side_(side) {}

  void configure(const ConfigMap& props) override {
    field_ = checked_config(hoist_field_config_def(), props).get_string("field");
  }

  bool apply(SourceRecord& r) override {
    Value& v = value_of(r, side_);
    SchemaPtr& schema = schema_of(r, side_);
    if (!schema) {
      Value::MapEntries m;
      m.emplace_back(Value(field_), std::move(v));
      v = Value(std::move(m));
      return true;
    }
    const SchemaPtr wrapped = cache_.get(schema, [&](const Schema&) {
      return SchemaBuilder::struct_().field(field_, schema).build();
    });
    std::vector<Value> fields;
    fields.push_back(std::move(v));
    v = Value(std::make_shared<Value::StructData>(Value::StructData{wrapped, std::move(fields)}));
    schema = wrapped;
    return true;
  }

 private:
  Side side_;
  std::string field_;
  SchemaCache cache_;
};

// ---------------------------------------------------------------------------------------------
// SetSchemaMetadata: a new name and/or version on the key or value schema.

class SetSchemaMetadata : public Transformation {
 public:
  explicit SetSchemaMetadata(Side side) : side_(side) {}

  void configure(const ConfigMap& props) override {
    const Config c = checked_config(set_schema_metadata_config_def(), props);
    if (auto n = c.raw("schema.name"); n && !n->empty()) name_ = *n;
    if (auto it = props.find("schema.version"); it != props.end() && !it->second.empty()) {
      auto v = parse_long(it->second);
      if (!v) invalid("schema.version", it->second, "Not a number");
      version_ = static_cast<int>(*v);
    }
    if (!name_ && !version_)
      invalid("schema.name", "", "Schema name, version or both must be specified");
  }

  bool apply(SourceRecord& r) override {
    SchemaPtr& schema = schema_of(r, side_);
    if (!schema) throw DataException("Schema required for [updating schema metadata]");
    const SchemaPtr& out = cache_.get(schema, [this](const Schema& in) {
      SchemaBuilder b = in.type() == Type::Array ? SchemaBuilder::array(in.value_schema())
                        : in.type() == Type::Map
                            ? SchemaBuilder::map(in.key_schema(), in.value_schema())
                            : SchemaBuilder(in.type());
      copy_schema_basics(in, b);
      if (name_) b.name(*name_);
      if (version_) b.version(*version_);
      if (in.optional()) b.optional();
      if (in.default_value()) b.default_value(*in.default_value());
      for (const Field& f : in.fields()) b.field(f.name, f.schema);
      return b.build();
    });
    Value& v = value_of(r, side_);
    if (v.is_struct()) own_struct(v)->schema = out;
    schema = out;
    return true;
  }

 private:
  Side side_;
  std::optional<std::string> name_;
  std::optional<int> version_;
  SchemaCache cache_;
};

// ---------------------------------------------------------------------------------------------
// Flatten: nested structs (and maps, schemaless) become top-level fields named by their path,
// joined by `delimiter`. A field under an optional struct becomes optional.

class Flatten : public Transformation {
 public:
  explicit Flatten(Side side) : side_(side) {}

  void configure(const ConfigMap& props) override {
    delimiter_ = checked_config(flatten_config_def(), props).get_string("delimiter");
  }

  bool apply(SourceRecord& r) override {
    Value& v = value_of(r, side_);
    SchemaPtr& schema = schema_of(r, side_);
    if (!schema) {
      if (v.is_null()) return true;
      auto* map = std::get_if<Value::MapEntries>(&v.storage());
      if (map == nullptr) require_failed("Map", v, "flattening");
      Value::MapEntries out;
      flatten_map(*map, "", out);
      v = Value(std::move(out));
      return true;
    }
    if (!v.is_null() && !v.is_struct()) require_failed("Struct", v, "flattening");
    const SchemaPtr& out = cache_.get(schema, [this](const Schema& in) {
      SchemaBuilder b = copy_schema_basics(in, Type::Struct);
      if (in.optional()) b.optional();
      flatten_schema(in, "", false, b);
      return b.build();
    });
    if (!v.is_null()) {
      std::vector<Value> fields;
      fields.reserve(out->fields().size());
      flatten_value(*schema, &v.as_struct(), fields);
      v = Value(std::make_shared<Value::StructData>(Value::StructData{out, std::move(fields)}));
    }
    schema = out;
    return true;
  }

 private:
  std::string join(const std::string& prefix, const std::string& name) const {
    return prefix.empty() ? name : prefix + delimiter_ + name;
  }

  void flatten_schema(const Schema& s, const std::string& prefix, bool optional_parent,
                      SchemaBuilder& b) const {
    for (const Field& f : s.fields()) {
      const std::string name = join(prefix, f.name);
      if (f.schema->type() == Type::Struct) {
        flatten_schema(*f.schema, name, optional_parent || f.schema->optional(), b);
        continue;
      }
      SchemaPtr fs = f.schema;
      if (optional_parent && !fs->optional()) {
        SchemaBuilder c = fs->type() == Type::Array ? SchemaBuilder::array(fs->value_schema())
                          : fs->type() == Type::Map
                              ? SchemaBuilder::map(fs->key_schema(), fs->value_schema())
                              : SchemaBuilder(fs->type());
        copy_schema_basics(*fs, c);
        if (fs->default_value()) c.default_value(*fs->default_value());
        fs = c.optional().build();
      }
      try {
        b.field(name, fs);
      } catch (const std::invalid_argument& e) {
        throw DataException(e.what());
      }
    }
  }

  void flatten_value(const Schema& s, const Value::StructData* data,
                     std::vector<Value>& out) const {
    for (const Field& f : s.fields()) {
      const Value* x = data ? &data->fields[static_cast<std::size_t>(f.index)] : nullptr;
      if (f.schema->type() == Type::Struct) {
        flatten_value(*f.schema, x && x->is_struct() ? &x->as_struct() : nullptr, out);
      } else {
        out.push_back(x ? *x : Value());
      }
    }
  }

  void flatten_map(const Value::MapEntries& m, const std::string& prefix,
                   Value::MapEntries& out) const {
    for (const auto& [k, x] : m) {
      const std::string name = join(prefix, k.is<std::string>() ? k.as<std::string>() : "");
      if (x.is<Value::MapEntries>())
        flatten_map(x.as<Value::MapEntries>(), name, out);
      else
        out.emplace_back(Value(name), x);
    }
  }

  Side side_;
  std::string delimiter_;
  SchemaCache cache_;
};

}  // namespace

const ConfigDef& replace_field_config_def() {
  static const ConfigDef def = [] {
    ConfigDef d;
    d.define("exclude", ConfigType::List, "", Importance::Medium,
             "Fields to exclude. This takes precedence over the fields to include.");
    d.define("include", ConfigType::List, "", Importance::Medium,
             "Fields to include. If specified, only these fields will be used.");
    d.define("renames", ConfigType::List, "", Importance::Medium, "Field rename mappings.");
    d.define("blacklist", ConfigType::List, "", Importance::Low,
             "Deprecated. Use exclude instead.");
    d.define("whitelist", ConfigType::List, "", Importance::Low,
             "Deprecated. Use include instead.");
    return d;
  }();
  return def;
}

const ConfigDef& mask_field_config_def() {
  static const ConfigDef def = [] {
    ConfigDef d;
    d.define("fields", ConfigType::List, std::nullopt, Importance::High,
             "Names of fields to mask.");
    d.define("replacement", ConfigType::String, "", Importance::Low,
             "Custom value replacement, that will be applied to all 'fields' values (numeric or "
             "non-empty string values only).");
    return d;
  }();
  return def;
}

const ConfigDef& value_to_key_config_def() {
  static const ConfigDef def = [] {
    ConfigDef d;
    d.define("fields", ConfigType::List, std::nullopt, Importance::High,
             "Field names on the record value to extract as the record key.");
    return d;
  }();
  return def;
}

const ConfigDef& extract_field_config_def() {
  static const ConfigDef def = [] {
    ConfigDef d;
    d.define("field", ConfigType::String, std::nullopt, Importance::Medium,
             "Field name to extract.", "", validators::non_empty_string());
    return d;
  }();
  return def;
}

const ConfigDef& hoist_field_config_def() {
  static const ConfigDef def = [] {
    ConfigDef d;
    d.define("field", ConfigType::String, std::nullopt, Importance::Medium,
             "Field name for the single field that will be created in the resulting Struct or "
             "Map.",
             "", validators::non_empty_string());
    return d;
  }();
  return def;
}

const ConfigDef& set_schema_metadata_config_def() {
  static const ConfigDef def = [] {
    ConfigDef d;
    d.define("schema.name", ConfigType::String, "", Importance::High, "Schema name to set.");
    d.define("schema.version", ConfigType::Int, "", Importance::High, "Schema version to set.");
    return d;
  }();
  return def;
}

const ConfigDef& flatten_config_def() {
  static const ConfigDef def = [] {
    ConfigDef d;
    d.define("delimiter", ConfigType::String, ".", Importance::Medium,
             "Delimiter to insert between field names from the input record when generating "
             "field names for the output record");
    return d;
  }();
  return def;
}

std::unique_ptr<Transformation> make_replace_field(Side s) {
  return std::make_unique<ReplaceField>(s);
}
std::unique_ptr<Transformation> make_mask_field(Side s) {
  return std::make_unique<MaskField>(s);
}
std::unique_ptr<Transformation> make_value_to_key() {
  return std::make_unique<ValueToKey>();
}
std::unique_ptr<Transformation> make_extract_field(Side s) {
  return std::make_unique<ExtractField>(s);
}
std::unique_ptr<Transformation> make_hoist_field(Side s) {
  return std::make_unique<HoistField>(s);
}
std::unique_ptr<Transformation> make_set_schema_metadata(Side s) {
  return std::make_unique<SetSchemaMetadata>(s);
}
std::unique_ptr<Transformation> make_flatten(Side s) {
  return std::make_unique<Flatten>(s);
}

}  // namespace tributary::transforms
