// org.apache.kafka.connect.transforms.InsertField$Key / $Value: adds the record's topic,
// partition, timestamp (and, for sink records only, offset) and a static string to the key or
// value struct (or schemaless map). A field spec ending in `!` makes the field required, `?` (the
// default) optional. A null key or value passes unchanged.
#include "transforms.h"

namespace tributary::transforms {
namespace {

constexpr const char* kPurpose = "field insertion";

struct Spec {
  std::string name;
  bool optional = true;
};

std::optional<Spec> parse_spec(const Config& c, const char* key) {
  const std::string s = c.raw(key).value_or("");
  if (s.empty()) return std::nullopt;
  if (s.back() == '?') return Spec{s.substr(0, s.size() - 1), true};
  if (s.back() == '!') return Spec{s.substr(0, s.size() - 1), false};
  return Spec{s, true};
}

class InsertField : public Transformation {
 public:
  explicit InsertField(Side side) : side_(side) {}

  void configure(const ConfigMap& props) override {
    const Config c = checked_config(insert_field_config_def(), props);
    topic_ = parse_spec(c, "topic.field");
    partition_ = parse_spec(c, "partition.field");
    offset_ = parse_spec(c, "offset.field");
    timestamp_ = parse_spec(c, "timestamp.field");
    static_ = parse_spec(c, "static.field");
    if (auto it = props.find("static.value"); it != props.end()) static_value_ = it->second;
    replace_null_with_default_ = c.get_bool("replace.null.with.default");
  }

  bool apply(SourceRecord& r) override {
    Value& v = value_of(r, side_);
    if (v.is_null()) return true;
    if (offset_) {
      throw DataException(std::string("Only SinkRecord supported for [") + kPurpose +
                          "], found: org.apache.kafka.connect.source.SourceRecord");
    }
    SchemaPtr& schema = schema_of(r, side_);
    if (!schema) {
      apply_schemaless(r, v);
    } else {
      apply_with_schema(r, schema, v);
    }
    return true;
  }

 private:
  void apply_schemaless(const SourceRecord& r, Value& v) {
    auto* map = std::get_if<Value::MapEntries>(&v.storage());
    if (map == nullptr) require_failed("Map", v, kPurpose);
    auto put = [&](const std::string& key, Value value) {
      for (auto& [k, old] : *map) {
        if (k.is<std::string>() && k.as<std::string>() == key) {
          old = std::move(value);
          return;
        }
      }
      map->emplace_back(Value(key), std::move(value));
    };
    if (topic_) put(topic_->name, Value(r.topic));
    if (partition_ && r.kafka_partition) put(partition_->name, Value(*r.kafka_partition));
    if (timestamp_ && r.timestamp) put(timestamp_->name, Value(*r.timestamp));
    if (static_ && static_value_) put(static_->name, Value(*static_value_));
  }

  void apply_with_schema(const SourceRecord& r, SchemaPtr& schema, Value& v) {
    if (!v.is_struct()) require_failed("Struct", v, kPurpose);
    const SchemaPtr& out = cache_.get(schema, [this](const Schema& in) { return updated(in); });
    const std::size_t old_count = schema->fields().size();
    std::vector<Value> fields = take_fields(v);
    fields.resize(out->fields().size());
    if (replace_null_with_default_) {
      for (std::size_t i = 0; i < old_count; ++i) {
        const auto& def = schema->fields()[i].schema->default_value();
        if (fields[i].is_null() && def && !def->is_null()) fields[i] = *def;
      }
    }
    std::size_t next = old_count;
    if (topic_) fields[next++] = Value(r.topic);
    if (partition_) fields[next++] = r.kafka_partition ? Value(*r.kafka_partition) : Value();
    if (timestamp_) fields[next++] = r.timestamp ? Value(*r.timestamp) : Value();
    if (static_) fields[next++] = static_value_ ? Value(*static_value_) : Value();
    v = Value(std::make_shared<Value::StructData>(Value::StructData{out, std::move(fields)}));
    schema = out;
  }

  SchemaPtr updated(const Schema& in) const {
    SchemaBuilder b = copy_schema_basics(in, Type::Struct);
    try {
      for (const Field& f : in.fields()) b.field(f.name, f.schema);
      if (topic_) b.field(topic_->name, schemas::string(topic_->optional));
      if (partition_) b.field(partition_->name, schemas::int32(partition_->optional));
      if (timestamp_) b.field(timestamp_->name, schemas::timestamp(timestamp_->optional));
      if (static_) b.field(static_->name, schemas::string(static_->optional));
    } catch (const std::invalid_argument& e) {
      throw DataException(e.what());
    }
    return b.build();
  }

  Side side_;
  std::optional<Spec> topic_, partition_, offset_, timestamp_, static_;
  std::optional<std::string> static_value_;
  bool replace_null_with_default_ = true;
  SchemaCache cache_;
};

std::string spec_doc(const std::string& what) {
  return "Field name for " + what +
         ". Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep "
         "it optional (the default).";
}

}  // namespace

const ConfigDef& insert_field_config_def() {
  static const ConfigDef def = [] {
    ConfigDef d;
    d.define("topic.field", ConfigType::String, "", Importance::Medium, spec_doc("Kafka topic"));
    d.define("partition.field", ConfigType::String, "", Importance::Medium,
             spec_doc("Kafka partition"));
    d.define("offset.field", ConfigType::String, "", Importance::Medium,
             spec_doc("Kafka offset - only applicable to sink connectors"));
    d.define("timestamp.field", ConfigType::String, "", Importance::Medium,
             spec_doc("record timestamp"));
    d.define("static.field", ConfigType::String, "", Importance::Medium,
             spec_doc("static data field"));
    d.define("static.value", ConfigType::String, "", Importance::Medium,
             "Static field value, if field name configured.");
    d.define("replace.null.with.default", ConfigType::Boolean, "true", Importance::Medium,
             "Whether to replace fields that have a default value and that are null to the default "
             "value. When set to true, the default value is used, otherwise null is used.");
    return d;
  }();
  return def;
}

std::unique_ptr<Transformation> make_insert_field(Side side) {
  return std::make_unique<InsertField>(side);
}

}  // namespace tributary::transforms
