// Kafka's field transforms (org.apache.kafka.connect.transforms), each as $Key and $Value:
// ReplaceField (`exclude` / `include` / `renames`, and the older `blacklist` / `whitelist`),
// MaskField (`fields`, `replacement`), ValueToKey (`fields`), ExtractField (`field`, with
// `field.syntax.version` V2's nested paths), HoistField (`field`), SetSchemaMetadata
// (`schema.name`, `schema.version`) and Flatten (`delimiter`). A null key or value passes
// unchanged; derived schemas are cached per input schema; messages are Kafka's.
//
// `replace.null.with.default` (true unless set false; ReplaceField, MaskField, ValueToKey,
// ExtractField, SetSchemaMetadata): the fields Kafka reads through Struct.get read a null as the
// field schema's default. Whether an input schema has any such field is decided once per schema,
// so records whose schemas have no defaults pay nothing for it.
#include <cctype>
#include <charconv>

#include "transforms.h"

namespace tributary::transforms {
namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
  for (const auto& x : v)
    if (x == s) return true;
  return false;
}

// A derived schema, and whether values under it take their fields' defaults for nulls (the flag
// is set and a field has a default).
struct Derived {
  SchemaPtr schema;
  bool defaults = false;
};

// Copies of a struct's fields under a derived schema whose fields are a subset (by name); with
// `defaults`, a null field reads as its default (Struct.get).
Value restruct(const SchemaPtr& out, const Value::StructData& in, bool defaults) {
  auto data = std::make_shared<Value::StructData>(
      Value::StructData{out, std::vector<Value>(out->fields().size())});
  for (const Field& f : out->fields()) {
    const Field* src = in.schema->field(f.name);
    if (src != nullptr)
      data->fields[static_cast<std::size_t>(f.index)] =
          in.fields[static_cast<std::size_t>(src->index)];
  }
  if (defaults) fill_defaults(*data);
  return Value(std::move(data));
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
    replace_null_ = c.get_bool("replace.null.with.default");
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
    // Kafka reads every kept field through Struct.get (or getWithoutDefault).
    const Derived& d = cache_.get(schema, [this](const Schema& in) {
      SchemaBuilder b = copy_schema_basics(in, Type::Struct);
      for (const Field& f : in.fields())
        if (keep(f.name)) b.field(renamed(f.name), f.schema);
      SchemaPtr out = b.build();
      const bool defaults = replace_null_ && any_field_default(*out);
      return Derived{std::move(out), defaults};
    });
    std::vector<Value> in = take_fields(v);
    auto data = std::make_shared<Value::StructData>(Value::StructData{d.schema, {}});
    data->fields.reserve(d.schema->fields().size());
    for (const Field& f : schema->fields())
      if (keep(f.name)) data->fields.push_back(std::move(in[static_cast<std::size_t>(f.index)]));
    if (d.defaults) fill_defaults(*data);
    v = Value(std::move(data));
    schema = d.schema;
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
  bool replace_null_ = true;
  PerSchemaCache<Derived> cache_;
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
    replace_null_ = c.get_bool("replace.null.with.default");
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
    // Kafka reads every field through Struct.get (or getWithoutDefault), then masks the listed
    // ones: a null with a default is masked as that default.
    if (replace_null_ &&
        defaults_.get(s->schema, [](const Schema& in) { return any_field_default(in); }))
      fill_defaults(*s);
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
        case 2: return number(std::int8_t{});
        case 3: return number(std::int16_t{});
        case 4: return number(std::int32_t{});
        case 5: return number(std::int64_t{});
        case 6: return number(float{});
        case 7: return number(double{});
        case 8: return Value(rep);
        default:
          if (decimal) return Value(decimal_unscaled_from_string(rep));
          // Kafka has no replacement mapping for Boolean (nor bytes, lists, maps).
          throw DataException("Cannot mask value of type class " + java_class_of(x) +
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
      default: throw DataException("Cannot mask value of type: class " + java_class_of(x));
    }
  }

  Side side_;
  std::vector<std::string> fields_;
  std::optional<std::string> replacement_;
  bool replace_null_ = true;
  PerSchemaCache<bool> defaults_;  // whether a field of the struct's schema has a default
};

// ---------------------------------------------------------------------------------------------
// ValueToKey: the key becomes a struct (or map) of the value's `fields`.

class ValueToKey : public Transformation {
 public:
  void configure(const ConfigMap& props) override {
    const Config c = checked_config(value_to_key_config_def(), props);
    fields_ = c.get_list("fields");
    if (fields_.empty()) invalid("fields", "", "Must specify at least one field.");
    replace_null_ = c.get_bool("replace.null.with.default");
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
    // Kafka reads the key fields through Struct.get (or getWithoutDefault).
    const Derived& d = cache_.get(r.value_schema, [this](const Schema& in) {
      SchemaBuilder b = SchemaBuilder::struct_();
      for (const auto& f : fields_) {
        const Field* src = in.field(f);
        if (src == nullptr) throw DataException("Field does not exist: " + f);
        b.field(f, src->schema);
      }
      SchemaPtr ks = b.build();
      const bool defaults = replace_null_ && any_field_default(*ks);
      return Derived{std::move(ks), defaults};
    });
    r.key = restruct(d.schema, r.value.as_struct(), d.defaults);
    r.key_schema = d.schema;
    return true;
  }

 private:
  std::vector<std::string> fields_;
  bool replace_null_ = true;
  PerSchemaCache<Derived> cache_;
};

// ---------------------------------------------------------------------------------------------
// ExtractField: the key or value becomes one of its fields; with `field.syntax.version` V2, a
// field nested in structs (or maps) by a dotted path.

// Java's String index of byte `pos` of UTF-8 `s`: UTF-16 code units before it.
std::size_t utf16_index(const std::string& s, std::size_t pos) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < pos && i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80) n += c >= 0xF0 ? 2 : 1;  // a 4-byte sequence is a surrogate pair
  }
  return n;
}

// Kafka's SingleFieldPath steps for syntax V2 (KIP-821): dot-separated names. A step that starts
// with a backtick runs to the next backtick that ends the path or is followed by a dot, so it may
// hold dots; a backslash before such a backtick makes it a literal backtick (and the step goes
// on). Any other backtick, and the backslash before it, is part of the name. A trailing dot adds
// an empty step. A backtick step left open is a ConfigError on `field`.
std::vector<std::string> parse_path_v2(const std::string& path) {
  std::vector<std::string> steps;
  const std::size_t n = path.size();
  std::size_t i = 0;
  while (i < n) {
    if (path[i] != '`') {
      const std::size_t dot = path.find('.', i);
      if (dot == std::string::npos) {
        steps.push_back(path.substr(i));
        break;
      }
      steps.push_back(path.substr(i, dot - i));
      i = dot + 1;
      continue;
    }
    const std::size_t open = i;
    auto incomplete = [&] {
      invalid("field", path,
              "Incomplete backtick pair in path: [" + path +
                  "], consider adding a backslash before backtick at position " +
                  std::to_string(utf16_index(path, open)) + " to escape it");
    };
    std::string name;
    std::size_t start = open + 1;  // of the text not yet appended to `name`
    std::size_t at = open + 1;     // where to look for the closing backtick
    for (;;) {
      const std::size_t tick = path.find('`', at);
      if (tick == std::string::npos) incomplete();
      const bool escaped = path[tick - 1] == '\\';
      if (tick + 1 == n) {  // ends the path
        if (escaped) incomplete();
        name.append(path, start, tick - start);
        steps.push_back(std::move(name));
        i = n;
        break;
      }
      if (path[tick + 1] != '.') {  // inside the name
        at = tick + 1;
        continue;
      }
      if (escaped) {  // "\`." : a backtick in the name, which goes on with the dot
        name.append(path, start, tick - 1 - start).push_back('`');
        start = at = tick + 1;
        continue;
      }
      name.append(path, start, tick - start);
      steps.push_back(std::move(name));
      i = tick + 2;
      break;
    }
  }
  if (!path.empty() && path.back() == '.') steps.emplace_back();
  return steps;
}

class ExtractField : public Transformation {
 public:
  explicit ExtractField(Side side) : side_(side) {}

  void configure(const ConfigMap& props) override {
    const Config c = checked_config(extract_field_config_def(), props);
    field_ = c.get_string("field");
    replace_null_ = c.get_bool("replace.null.with.default");
    std::string version = c.get_string("field.syntax.version");
    for (char& ch : version) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    path_ = version == "V2" ? parse_path_v2(field_) : std::vector<std::string>{field_};
  }

  bool apply(SourceRecord& r) override {
    if (path_.size() != 1) return apply_nested(r);
    const std::string& name = path_.front();
    Value& v = value_of(r, side_);
    SchemaPtr& schema = schema_of(r, side_);
    if (!schema) {
      if (v.is_null()) return true;
      auto* map = std::get_if<Value::MapEntries>(&v.storage());
      if (map == nullptr) require_failed("Map", v, "field extraction");
      Value out;
      for (auto& [k, x] : *map)
        if (k.is<std::string>() && k.as<std::string>() == name) out = std::move(x);
      v = std::move(out);
      return true;
    }
    const Field* f = schema->field(name);
    if (f == nullptr) throw DataException("Unknown field: " + field_);
    if (v.is_null()) {
      schema = f->schema;
      return true;
    }
    if (!v.is_struct()) require_failed("Struct", v, "field extraction");
    const Value& x = v.as_struct().fields[static_cast<std::size_t>(f->index)];
    Value out = replace_null_ ? get_or_default(*f, x) : x;
    schema = f->schema;
    v = std::move(out);
    return true;
  }

 private:
  // SingleFieldPath.fieldFrom: the fields along the path, from the top.
  std::vector<const Field*> resolve(const Schema& top) const {
    std::vector<const Field*> chain;
    const Schema* s = &top;
    for (const auto& step : path_) {
      if (s->type() != Type::Struct)
        throw DataException("Cannot look up fields on non-struct type");
      const Field* f = s->field(step);
      if (f == nullptr) throw DataException("Unknown field: " + field_);
      chain.push_back(f);
      s = f->schema.get();
    }
    return chain;
  }

  // SingleFieldPath.valueFrom. With a schema: an intermediate struct is read through Struct.get
  // (a null one with a default struct walks into that default) and a null one makes the result
  // null; the last field reads through Struct.get or getWithoutDefault, per
  // replace.null.with.default. Schemaless: a missing or null intermediate makes the result null.
  bool apply_nested(SourceRecord& r) {
    Value& v = value_of(r, side_);
    SchemaPtr& schema = schema_of(r, side_);
    if (!schema) {
      if (v.is_null()) return true;
      auto* map = std::get_if<Value::MapEntries>(&v.storage());
      if (map == nullptr) require_failed("Map", v, "field extraction");
      Value out;
      for (std::size_t i = 0; map != nullptr && i + 1 < path_.size(); ++i) {
        Value* sub = map_get(*map, path_[i]);
        if (sub == nullptr || sub->is_null()) {
          map = nullptr;
          break;
        }
        map = std::get_if<Value::MapEntries>(&sub->storage());
        if (map == nullptr) require_failed("Map", *sub, "nested field access");
      }
      if (map != nullptr)
        if (Value* x = map_get(*map, path_.back())) out = std::move(*x);
      v = std::move(out);
      return true;
    }
    if (!v.is_null() && !v.is_struct()) require_failed("Struct", v, "field extraction");
    const auto& chain = paths_.get(schema, [this](const Schema& in) { return resolve(in); });
    const Field& leaf = *chain.back();
    Value out;
    const Value* at = v.is_null() ? nullptr : &v;
    for (std::size_t i = 0; at != nullptr && i < chain.size(); ++i) {
      const Field* f = chain[i];
      const Value::StructData& s = at->as_struct();
      // The struct's own schema names its fields (Kafka asks it); normally it is the record's.
      const Schema* expected = i == 0 ? schema.get() : chain[i - 1]->schema.get();
      if (s.schema.get() != expected) f = s.schema->field(f->name);
      if (f == nullptr) break;  // not in this struct: null
      const Value& x = s.fields[static_cast<std::size_t>(f->index)];
      if (i + 1 == chain.size()) {
        out = replace_null_ ? get_or_default(*f, x) : x;
        break;
      }
      const Value& sub = get_or_default(*f, x);
      if (sub.is_null()) break;
      if (!sub.is_struct()) require_failed("Struct", sub, "nested field access");
      at = &sub;
    }
    schema = leaf.schema;
    v = std::move(out);
    return true;
  }

  Side side_;
  std::string field_;
  std::vector<std::string> path_;  // one step with V1 (the whole `field`)
  bool replace_null_ = true;
  PerSchemaCache<std::vector<const Field*>> paths_;
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
    replace_null_ = c.get_bool("replace.null.with.default");
  }

  bool apply(SourceRecord& r) override {
    SchemaPtr& schema = schema_of(r, side_);
    if (!schema) throw DataException("Schema required for [updating schema metadata]");
    // Kafka copies a struct value field by field through Struct.get (or getWithoutDefault).
    const Derived& d = cache_.get(schema, [this](const Schema& in) {
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
      SchemaPtr out = b.build();
      const bool defaults = replace_null_ && any_field_default(*out);
      return Derived{std::move(out), defaults};
    });
    Value& v = value_of(r, side_);
    if (v.is_struct()) {
      Value::StructData* s = own_struct(v);
      s->schema = d.schema;
      if (d.defaults) fill_defaults(*s);
    }
    schema = d.schema;
    return true;
  }

 private:
  Side side_;
  std::optional<std::string> name_;
  std::optional<int> version_;
  bool replace_null_ = true;
  PerSchemaCache<Derived> cache_;
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
    define_replace_null_with_default(d);
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
    define_replace_null_with_default(d);
    return d;
  }();
  return def;
}

const ConfigDef& value_to_key_config_def() {
  static const ConfigDef def = [] {
    ConfigDef d;
    d.define("fields", ConfigType::List, std::nullopt, Importance::High,
             "Field names on the record value to extract as the record key.");
    define_replace_null_with_default(d);
    return d;
  }();
  return def;
}

const ConfigDef& extract_field_config_def() {
  static const ConfigDef def = [] {
    ConfigDef d;
    d.define("field", ConfigType::String, std::nullopt, Importance::Medium,
             "Field name to extract.", "", validators::non_empty_string());
    define_replace_null_with_default(d);
    d.define(choice(
        "field.syntax.version", "V1", {"V1", "V2"}, Importance::High,
        "Defines the version of the syntax to access fields. If set to `V1`, then the field paths "
        "are limited to access the elements at the root level of the struct or map. If set to "
        "`V2`, the syntax will support accessing nested elements. To access nested elements, "
        "dotted notation is used. If dots are already included in the field name, then backtick "
        "pairs can be used to wrap field names containing dots. E.g. to access the subfield `baz` "
        "from a field named \"foo.bar\" in a struct/map the following format can be used to "
        "access its elements: \"`foo.bar`.baz\"."));
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
    define_replace_null_with_default(d);
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
