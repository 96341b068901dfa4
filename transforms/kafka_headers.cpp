// Kafka's header transforms and Filter (org.apache.kafka.connect.transforms): HeaderFrom$Key /
// $Value (`fields` -> `headers`, `operation` move | copy), InsertHeader (`header`,
// `value.literal`, typed as Connect's Values.parseString infers), DropHeaders (`headers`), and
// Filter, which drops every record it is applied to (so it is used with a predicate).
// HeaderFrom's `replace.null.with.default` (true unless set false): with a schema, the header
// values, and under `move` the fields kept, read a null field as its schema's default.
#include "transforms.h"

namespace tributary::transforms {
namespace {

class HeaderFrom : public Transformation {
 public:
  explicit HeaderFrom(Side side) : side_(side) {}

  void configure(const ConfigMap& props) override {
    const Config c = checked_config(header_from_config_def(), props);
    fields_ = c.get_list("fields");
    headers_ = c.get_list("headers");
    if (fields_.size() != headers_.size())
      invalid("fields", c.get_string("fields"),
              "'fields' config must have the same number of elements as 'headers' config.");
    move_ = c.get_string("operation") == "move";
    replace_null_ = c.get_bool("replace.null.with.default");
  }

  bool apply(SourceRecord& r) override {
    Value& v = value_of(r, side_);
    SchemaPtr& schema = schema_of(r, side_);
    if (v.is_null()) return true;
    if (!schema) {
      auto* map = std::get_if<Value::MapEntries>(&v.storage());
      if (map == nullptr)
        require_failed("Map", v, "header " + std::string(move_ ? "move" : "copy"));
      for (std::size_t i = 0; i < fields_.size(); ++i) {
        Value x;
        for (const auto& [k, y] : *map)
          if (k.is<std::string>() && k.as<std::string>() == fields_[i]) x = y;
        r.headers.push_back(Header{headers_[i], nullptr, std::move(x)});
      }
      if (move_) {
        Value::MapEntries kept;
        for (auto& e : *map)
          if (!e.first.is<std::string>() || !listed(e.first.as<std::string>()))
            kept.push_back(std::move(e));
        *map = std::move(kept);
      }
      return true;
    }
    if (!v.is_struct())
      require_failed("Struct", v, "header " + std::string(move_ ? "move" : "copy"));
    const Value::StructData& s = v.as_struct();
    for (std::size_t i = 0; i < fields_.size(); ++i) {
      const Field* f = schema->field(fields_[i]);
      if (f == nullptr) throw DataException(fields_[i] + " is not a valid field name");
      const Value& x = s.fields[static_cast<std::size_t>(f->index)];
      r.headers.push_back(
          Header{headers_[i], f->schema, replace_null_ ? get_or_default(*f, x) : x});
    }
    if (move_) {
      // Kafka copies the kept fields through Struct.get (or getWithoutDefault); `copy` leaves
      // the value as it is.
      const Moved& out = cache_.get(schema, [this](const Schema& in) {
        SchemaBuilder b = copy_schema_basics(in, Type::Struct);
        if (in.optional()) b.optional();
        for (const Field& f : in.fields())
          if (!listed(f.name)) b.field(f.name, f.schema);
        SchemaPtr moved = b.build();
        const bool defaults = replace_null_ && any_field_default(*moved);
        return Moved{std::move(moved), defaults};
      });
      std::vector<Value> in = take_fields(v);
      auto kept = std::make_shared<Value::StructData>(Value::StructData{out.schema, {}});
      for (const Field& f : schema->fields())
        if (!listed(f.name))
          kept->fields.push_back(std::move(in[static_cast<std::size_t>(f.index)]));
      if (out.defaults) fill_defaults(*kept);
      v = Value(std::move(kept));
      schema = out.schema;
    }
    return true;
  }

 private:
  bool listed(const std::string& name) const {
    for (const auto& f : fields_)
      if (f == name) return true;
    return false;
  }

  // The value schema under `move`, and whether its fields take their defaults for nulls.
  struct Moved {
    SchemaPtr schema;
    bool defaults = false;
  };

  Side side_;
  std::vector<std::string> fields_, headers_;
  bool move_ = false;
  bool replace_null_ = true;
  PerSchemaCache<Moved> cache_;
};

// Values.parseString's inference for the common literals: booleans, integers (the smallest
// integer type that holds them), decimals (float64), anything else a string.
Header literal_header(const std::string& name, const std::string& text) {
  if (text == "true" || text == "false")
    return Header{name, schemas::boolean(), Value(text == "true")};
  if (!text.empty()) {
    if (auto n = parse_long(text); n && text.find_first_of(".eE") == std::string::npos) {
      if (*n >= INT8_MIN && *n <= INT8_MAX)
        return Header{name, schemas::int8(), Value(static_cast<std::int8_t>(*n))};
      if (*n >= INT16_MIN && *n <= INT16_MAX)
        return Header{name, schemas::int16(), Value(static_cast<std::int16_t>(*n))};
      if (*n >= INT32_MIN && *n <= INT32_MAX)
        return Header{name, schemas::int32(), Value(static_cast<std::int32_t>(*n))};
      return Header{name, schemas::int64(), Value(*n)};
    }
    if (auto d = parse_double(text);
        d && text.find_first_not_of("0123456789+-.eE") == std::string::npos)
      return Header{name, schemas::float64(), Value(*d)};
  }
  return Header{name, schemas::string(), Value(text)};
}

class InsertHeader : public Transformation {
 public:
  void configure(const ConfigMap& props) override {
    const Config c = checked_config(insert_header_config_def(), props);
    header_ = literal_header(c.get_string("header"), c.get_string("value.literal"));
  }
  bool apply(SourceRecord& r) override {
    r.headers.push_back(header_);
    return true;
  }

 private:
  Header header_;
};

class DropHeaders : public Transformation {
 public:
  void configure(const ConfigMap& props) override {
    names_ = checked_config(drop_headers_config_def(), props).get_list("headers");
    if (names_.empty()) invalid("headers", "", "Must specify at least one header.");
  }
  bool apply(SourceRecord& r) override {
    std::erase_if(r.headers, [this](const Header& h) {
      for (const auto& n : names_)
        if (n == h.key) return true;
      return false;
    });
    return true;
  }

 private:
  std::vector<std::string> names_;
};

class DropAll : public Transformation {
 public:
  void configure(const ConfigMap&) override {}
  bool apply(SourceRecord&) override { return false; }
};

}  // namespace

const ConfigDef& header_from_config_def() {
  static const ConfigDef def = [] {
    ConfigDef d;
    d.define("fields", ConfigType::List, std::nullopt, Importance::High,
             "Field names in the record whose values are to be copied or moved to headers.");
    d.define("headers", ConfigType::List, std::nullopt, Importance::High,
             "Header names, in the same order as the field names listed in the fields "
             "configuration property.");
    d.define(choice("operation", std::nullopt, {"move", "copy"}, Importance::High,
                    "Either <code>move</code> if the fields are to be moved to the headers "
                    "(removed from the key/value), or <code>copy</code> if the fields are to be "
                    "copied to the headers (retained in the key/value).",
                    false));
    define_replace_null_with_default(d);
    return d;
  }();
  return def;
}

const ConfigDef& insert_header_config_def() {
  static const ConfigDef def = [] {
    ConfigDef d;
    d.define("header", ConfigType::String, std::nullopt, Importance::High,
             "The name of the header.", "", validators::non_empty_string());
    d.define("value.literal", ConfigType::String, std::nullopt, Importance::High,
             "The literal value that is to be set as the header value on all records.");
    return d;
  }();
  return def;
}

const ConfigDef& drop_headers_config_def() {
  static const ConfigDef def = [] {
    ConfigDef d;
    d.define("headers", ConfigType::List, std::nullopt, Importance::High,
             "The name of the headers to be removed.");
    return d;
  }();
  return def;
}

std::unique_ptr<Transformation> make_header_from(Side s) {
  return std::make_unique<HeaderFrom>(s);
}
std::unique_ptr<Transformation> make_insert_header() {
  return std::make_unique<InsertHeader>();
}
std::unique_ptr<Transformation> make_drop_headers() {
  return std::make_unique<DropHeaders>();
}
std::unique_ptr<Transformation> make_kafka_filter() {
  return std::make_unique<DropAll>();
}

}  // namespace tributary::transforms
