// io.debezium.transforms.outbox.EventRouter (Debezium 2.7): an outbox table's inserts become
// events — topic from `route.by.field` through `route.topic.regex` / `route.topic.replacement`,
// key from `table.field.event.key`, value the payload column (optionally parsed from JSON into a
// struct, optionally in an envelope with more columns), header `id`, timestamp from the event's
// timestamp column or the change's ts_ms. Deletes and tombstones are dropped; updates per
// `table.op.invalid.behavior`. Records that are not change events pass unchanged.
#include <nlohmann/json.hpp>

#include "transforms.h"
#include "tributary/bounded_json.h"

namespace tributary::transforms {
namespace {

constexpr const char* kLogger = "io.debezium.transforms.outbox.EventRouterDelegate";

enum class Placement { Header, Envelope, Partition };
struct Additional {
  std::string column;
  Placement placement;
  std::string alias;
};

// ---------------------------------------------------------------------------------------------
// table.expand.json.payload: JSON text -> Connect schema and value, as Debezium's JsonSchemaData
// infers them (every schema optional; objects as structs named by their path; ints that fit 32
// bits as int32, other integers int64, other numbers float64; nulls and empty arrays left out, or
// nulls as optional bytes with table.json.payload.null.behavior=optional_bytes).

class JsonExpansionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class JsonSchemas {
 public:
  explicit JsonSchemas(bool null_as_bytes) : null_as_bytes_(null_as_bytes) {}

  SchemaPtr schema_of(const std::string& name, const nlohmann::ordered_json& j) const {
    switch (j.type()) {
      case nlohmann::json::value_t::object: {
        SchemaBuilder b = SchemaBuilder::struct_().name(name).optional();
        for (const auto& [k, v] : j.items()) {
          SchemaPtr fs = schema_of(name + "." + k, v);
          if (fs) {
            try {
              b.field(k, fs);
            } catch (const std::invalid_argument&) {
              // a repeated name keeps the first
            }
          }
        }
        return b.build();
      }
      case nlohmann::json::value_t::array: {
        if (j.empty()) return nullptr;
        SchemaPtr items;
        for (const auto& e : j) {
          SchemaPtr es = schema_of(name, e);
          if (!es) continue;
          if (!items) {
            items = es;
          } else if (items->type() == Type::Struct && es->type() == Type::Struct) {
            items = merge(name, items, es);
          } else if (items->type() == Type::Bytes) {
            items = es;
          } else if (es->type() != Type::Bytes && !(*items == *es)) {
            throw JsonExpansionError("Field is not a homogenous array (" + name + ")");
          }
        }
        if (!items) return nullptr;
        return SchemaBuilder::array(items).optional().build();
      }
      case nlohmann::json::value_t::string: return schemas::string(true);
      case nlohmann::json::value_t::boolean: return schemas::boolean(true);
      case nlohmann::json::value_t::number_integer:
      case nlohmann::json::value_t::number_unsigned: {
        if (j.is_number_unsigned() &&
            j.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
          throw JsonExpansionError("integer out of range in " + name);
        const auto v = j.get<std::int64_t>();
        return v >= INT32_MIN && v <= INT32_MAX ? schemas::int32(true) : schemas::int64(true);
      }
      case nlohmann::json::value_t::number_float: return schemas::float64(true);
      case nlohmann::json::value_t::null: return null_as_bytes_ ? schemas::bytes(true) : nullptr;
      default: return nullptr;
    }
  }

  Value value_of(const Schema& s, const nlohmann::ordered_json& j) const {
    if (j.is_null()) return Value();
    switch (s.type()) {
      case Type::Struct: {
        if (!j.is_object()) throw JsonExpansionError("expected an object for " + *s.name());
        auto data = std::make_shared<Value::StructData>();
        data->fields.resize(s.fields().size());
        for (const Field& f : s.fields()) {
          auto it = j.find(f.name);
          if (it != j.end())
            data->fields[static_cast<std::size_t>(f.index)] = value_of(*f.schema, *it);
        }
        return Value(std::move(data));  // schema set by the caller
      }
      case Type::Array: {
        Value::Array a;
        for (const auto& e : j) {
          Value v = value_of(*s.value_schema(), e);
          if (v.is_struct()) v.as_struct().schema = s.value_schema();
          a.push_back(std::move(v));
        }
        return Value(std::move(a));
      }
      case Type::String:
        if (!j.is_string()) throw JsonExpansionError("expected a string");
        return Value(j.get<std::string>());
      case Type::Boolean:
        if (!j.is_boolean()) throw JsonExpansionError("expected a boolean");
        return Value(j.get<bool>());
      case Type::Int32:
        if (!j.is_number_integer()) throw JsonExpansionError("expected an integer");
        return Value(static_cast<std::int32_t>(j.get<std::int64_t>()));
      case Type::Int64:
        if (!j.is_number_integer()) throw JsonExpansionError("expected an integer");
        return Value(j.get<std::int64_t>());
      case Type::Float64:
        if (!j.is_number()) throw JsonExpansionError("expected a number");
        return Value(j.get<double>());
      default: return Value();
    }
  }

  // Sets each nested struct's schema (value_of leaves them unset while descending).
  static void attach(const SchemaPtr& s, Value& v) {
    if (v.is_struct()) {
      auto& d = v.as_struct();
      d.schema = s;
      for (const Field& f : s->fields())
        attach(f.schema, d.fields[static_cast<std::size_t>(f.index)]);
    } else if (v.is<Value::Array>()) {
      for (auto& e : v.as<Value::Array>()) attach(s->value_schema(), e);
    }
  }

 private:
  static SchemaPtr merge(const std::string& name, const SchemaPtr& a, const SchemaPtr& b) {
    SchemaBuilder m = SchemaBuilder::struct_().name(name).optional();
    for (const Field& f : a->fields()) {
      const Field* other = b->field(f.name);
      m.field(f.name, f.schema->type() == Type::Bytes && other ? other->schema : f.schema);
    }
    for (const Field& f : b->fields())
      if (a->field(f.name) == nullptr) m.field(f.name, f.schema);
    return m.build();
  }

  bool null_as_bytes_;
};

// ---------------------------------------------------------------------------------------------

enum class InvalidOp { Warn, Error, Fatal };

class EventRouter : public Transformation {
 public:
  void configure(const ConfigMap& props) override {
    const Config c = checked_config(event_router_config_def(), props);
    const std::string invalid_op = c.get_string("table.op.invalid.behavior");
    invalid_op_ = invalid_op == "fatal"   ? InvalidOp::Fatal
                  : invalid_op == "error" ? InvalidOp::Error
                                          : InvalidOp::Warn;
    id_ = c.get_string("table.field.event.id");
    key_ = c.get_string("table.field.event.key");
    payload_ = c.get_string("table.field.event.payload");
    timestamp_ = c.get_string("table.field.event.timestamp");
    schema_version_ = c.get_string("table.field.event.schema.version");
    error_on_missing_ = c.get_bool("table.fields.additional.error.on.missing");
    route_by_ = c.get_string("route.by.field");
    tombstone_on_empty_ = c.get_bool("route.tombstone.on.empty.payload");
    expand_json_ = c.get_bool("table.expand.json.payload");
    json_null_bytes_ = c.get_string("table.json.payload.null.behavior") == "optional_bytes";
    const std::string regex = c.get_string("route.topic.regex");
    try {
      route_regex_.emplace(regex);
    } catch (const std::invalid_argument& e) {
      invalid("route.topic.regex", regex,
              std::string("must be a valid regular expression: ") + e.what());
    }
    const std::string replacement = c.get_string("route.topic.replacement");
    try {
      route_replacement_.emplace(replacement, *route_regex_);
    } catch (const std::invalid_argument& e) {
      invalid("route.topic.replacement", replacement, e.what());
    }
    const std::string placements = c.raw("table.fields.additional.placement").value_or("");
    for (const auto& entry : c.get_list("table.fields.additional.placement")) {
      std::vector<std::string> parts;
      std::size_t start = 0;
      while (true) {
        const auto colon = entry.find(':', start);
        parts.push_back(entry.substr(start, colon == std::string::npos ? colon : colon - start));
        if (colon == std::string::npos) break;
        start = colon + 1;
      }
      std::string where = parts.size() >= 2 ? parts[1] : "";
      for (auto& ch : where) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (parts.size() < 2 || parts.size() > 3 || parts[0].empty() ||
          (where != "header" && where != "envelope" && where != "partition"))
        invalid("table.fields.additional.placement", placements,
                "A comma-separated list of valid String pairs or trios is expected: "
                "column:header|envelope|partition[:alias], but got: " +
                    entry);
      additional_.push_back(Additional{parts[0],
                                       where == "header"     ? Placement::Header
                                       : where == "envelope" ? Placement::Envelope
                                                             : Placement::Partition,
                                       parts.size() == 3 ? parts[2] : parts[0]});
      if (additional_.back().placement == Placement::Envelope) envelope_ = true;
    }
  }

  bool apply(SourceRecord& r) override {
    if (r.value.is_null()) return false;  // tombstones are not events
    if (!r.value_schema || !r.value_schema->name() ||
        !r.value_schema->name()->ends_with(".Envelope") || !r.value.is_struct())
      return true;
    const Value::StructData& env = r.value.as_struct();
    const Value& op_value = get(env, "op");
    const std::string op = op_value.is<std::string>() ? op_value.as<std::string>() : "";
    if (op == "d") return false;
    if (op == "u") {
      const std::string msg = "Unexpected update message received " + describe_key(r);
      if (invalid_op_ == InvalidOp::Fatal) throw DataException(msg + ", fail.");
      log_line(invalid_op_ == InvalidOp::Error ? "ERROR" : "WARN", kLogger, msg + " and ignored");
      return false;
    }
    const Value& after_value = get(env, "after");
    if (!after_value.is_struct()) require_failed("Struct", after_value, "Read Outbox Event");
    const Value after = after_value;  // keeps the row alive while the record is rebuilt
    const Value::StructData& row = after.as_struct();
    const Schema& row_schema = *row.schema;

    const Field* payload_field = row_schema.field(payload_);
    if (payload_field == nullptr)
      throw DataException("Unable to find payload field " + payload_ + " in event");
    const std::int64_t timestamp = event_timestamp(env, row);
    const Field* id_field = field_or_throw(row_schema, id_);
    std::vector<Header> headers = std::move(r.headers);
    headers.push_back(
        Header{"id", id_field->schema, row.fields[static_cast<std::size_t>(id_field->index)]});

    SchemaPtr payload_schema = payload_field->schema;
    Value payload = row.fields[static_cast<std::size_t>(payload_field->index)];
    if (expand_json_) expand(r, payload_schema, payload);

    std::optional<std::int32_t> partition;
    std::vector<std::pair<const Additional*, const Field*>> in_envelope;
    for (const Additional& a : additional_) {
      const Field* f = row_schema.field(a.column);
      if (f == nullptr) {
        if (error_on_missing_ || a.placement == Placement::Envelope)
          throw DataException(a.column + " is not a valid field name");
        continue;
      }
      const Value& v = row.fields[static_cast<std::size_t>(f->index)];
      switch (a.placement) {
        case Placement::Header: headers.push_back(Header{a.alias, f->schema, v}); break;
        case Placement::Partition:
          if (f->schema->type() != Type::Int32)
            throw DataException("Field '" + a.column + "' is not of type INT32");
          if (v.is<std::int32_t>()) partition = v.as<std::int32_t>();
          break;
        case Placement::Envelope: in_envelope.emplace_back(&a, f); break;
      }
    }

    const Field* key_field = field_or_throw(row_schema, key_);
    SchemaPtr key_schema = key_field->schema;
    Value key = row.fields[static_cast<std::size_t>(key_field->index)];
    const Field* route_field = field_or_throw(row_schema, route_by_);
    if (route_field->schema->type() != Type::String)
      throw DataException("Field '" + route_by_ + "' is not of type STRING");
    const Value& route_value = row.fields[static_cast<std::size_t>(route_field->index)];
    const std::string route = route_value.is<std::string>() ? route_value.as<std::string>() : "";

    SchemaPtr value_schema;
    Value value;
    const bool empty_payload =
        payload.is_null() ||
        (payload.is<std::string>() &&
         payload.as<std::string>().find_first_not_of(" \t\r\n") == std::string::npos);
    if (empty_payload && tombstone_on_empty_) {
      // A tombstone: key and headers, no value.
    } else if (!envelope_) {
      value_schema = payload_schema;
      value = std::move(payload);
    } else {
      value_schema = envelope_schema(row, row_schema, route, payload_schema, in_envelope);
      std::vector<Value> fields;
      fields.push_back(std::move(payload));
      for (const auto& [a, f] : in_envelope)
        fields.push_back(row.fields[static_cast<std::size_t>(f->index)]);
      value = Value(
          std::make_shared<Value::StructData>(Value::StructData{value_schema, std::move(fields)}));
    }

    r.topic = topic_for(route);
    r.kafka_partition = partition;
    r.key_schema = std::move(key_schema);
    r.key = std::move(key);
    r.value_schema = std::move(value_schema);
    r.value = std::move(value);
    r.timestamp = timestamp;
    r.headers = std::move(headers);
    return true;
  }

 private:
  // RegexRouter's rule on the route value, remembered per value (there are few).
  const std::string& topic_for(const std::string& route) {
    auto it = topics_.find(route);
    if (it != topics_.end()) return it->second;
    if (topics_.size() >= 4096) topics_.clear();
    std::string topic = route_regex_->matches(route)
                            ? route_replacement_->replace_first(*route_regex_, route)
                            : route;
    return topics_.emplace(route, std::move(topic)).first->second;
  }

  static const Value& get(const Value::StructData& s, const std::string& name) {
    const Field* f = s.schema->field(name);
    if (f == nullptr) throw DataException(name + " is not a valid field name");
    return s.fields[static_cast<std::size_t>(f->index)];
  }

  static const Field* field_or_throw(const Schema& s, const std::string& name) {
    const Field* f = s.field(name);
    if (f == nullptr) throw DataException(name + " is not a valid field name");
    return f;
  }

  static std::string describe_key(const SourceRecord& r) {
    if (r.key.is_struct() && !r.key.as_struct().fields.empty()) {
      std::string out = "Struct{";
      const auto& k = r.key.as_struct();
      for (const Field& f : k.schema->fields()) {
        const Value& v = k.fields[static_cast<std::size_t>(f.index)];
        if (out.size() > 7) out += ",";
        out += f.name + "=";
        if (v.is<std::string>())
          out += v.as<std::string>();
        else if (v.is<std::int32_t>())
          out += std::to_string(v.as<std::int32_t>());
        else if (v.is<std::int64_t>())
          out += std::to_string(v.as<std::int64_t>());
        else
          out += v.is_null() ? "null" : "...";
      }
      return out + "}";
    }
    return r.key.is<std::string>() ? r.key.as<std::string>() : "null";
  }

  std::int64_t event_timestamp(const Value::StructData& env, const Value::StructData& row) const {
    auto envelope_ts = [&]() -> std::int64_t {
      const Value& ts = get(env, "ts_ms");
      return ts.is<std::int64_t>() ? ts.as<std::int64_t>() : 0;
    };
    if (timestamp_.empty()) return envelope_ts();
    const Field* f = row.schema->field(timestamp_);
    if (f == nullptr)
      throw DataException("Unable to find timestamp field " + timestamp_ + " in event");
    if (f->schema->type() != Type::Int64)
      throw DataException("Field '" + timestamp_ + "' is not of type INT64");
    const Value& v = row.fields[static_cast<std::size_t>(f->index)];
    if (!v.is<std::int64_t>()) return envelope_ts();
    const std::int64_t t = v.as<std::int64_t>();
    const auto& name = f->schema->name();
    if (!name)
      throw DataException("Unsupported field type " + std::string(type_name(f->schema->type())) +
                          " (without logical schema name) for event timestamp");
    if (*name == "io.debezium.time.Timestamp") return t;
    if (*name == "io.debezium.time.MicroTimestamp") return t / 1000;
    if (*name == "io.debezium.time.NanoTimestamp") return t / 1000000;
    throw DataException("Unsupported field type " + *name + " for event timestamp");
  }

  void expand(const SourceRecord& r, SchemaPtr& schema, Value& payload) const {
    if (!payload.is<std::string>()) {
      log_line(
          "WARN", kLogger,
          "Expand JSON payload is turned on but payload is not a string in " + describe_key(r));
      return;
    }
    const std::string& text = payload.as<std::string>();
    if (text.empty() || (text.front() != '{' && text.front() != '[')) {
      log_line("WARN", kLogger,
               "JSON expansion failed: the payload of " + describe_key(r) +
                   " is not a JSON object or array");
      return;
    }
    try {
      const auto j = parse_bounded_json(text, "The payload of " + describe_key(r));
      JsonSchemas js(json_null_bytes_);
      SchemaPtr s = js.schema_of(payload_, j);
      if (!s) return;
      Value v = js.value_of(*s, j);
      JsonSchemas::attach(s, v);
      schema = std::move(s);
      payload = std::move(v);
    } catch (const std::exception& e) {
      log_line("WARN", kLogger, std::string("JSON expansion failed: ") + e.what());
    }
  }

  // The envelope's schema: named after the row's, with the route value before its last part
  // ("db.public.outbox.Value" -> "db.public.outbox.<route>.Value"), version from
  // table.field.event.schema.version.
  SchemaPtr envelope_schema(const Value::StructData& row, const Schema& row_schema,
                            const std::string& route, const SchemaPtr& payload_schema,
                            const std::vector<std::pair<const Additional*, const Field*>>& fields) {
    std::optional<int> version;
    if (!schema_version_.empty()) {
      const Field* vf = field_or_throw(row_schema, schema_version_);
      const Value& v = row.fields[static_cast<std::size_t>(vf->index)];
      if (v.is<std::int32_t>()) version = v.as<std::int32_t>();
    }
    const std::string cache_key =
        route + '\n' + std::to_string(version.value_or(-1)) + '\n' +
        std::to_string(reinterpret_cast<std::uintptr_t>(payload_schema.get()));
    auto it = envelopes_.find(cache_key);
    if (it != envelopes_.end()) return it->second.second;
    std::string name = row_schema.name().value_or("");
    const auto dot = name.rfind('.');
    name = dot == std::string::npos ? route + "." + name
                                    : name.substr(0, dot) + "." + route + name.substr(dot);
    SchemaBuilder b = SchemaBuilder::struct_().name(name);
    if (version) b.version(*version);
    b.field("payload", payload_schema);
    for (const auto& [a, f] : fields) b.field(a->alias, f->schema);
    if (envelopes_.size() >= 64) envelopes_.clear();
    return envelopes_.emplace(cache_key, std::make_pair(payload_schema, b.build()))
        .first->second.second;
  }

  InvalidOp invalid_op_ = InvalidOp::Warn;
  std::string id_, key_, payload_, timestamp_, schema_version_, route_by_;
  bool error_on_missing_ = true, tombstone_on_empty_ = false, expand_json_ = false;
  bool json_null_bytes_ = false, envelope_ = false;
  std::optional<JavaRegex> route_regex_;
  std::optional<JavaReplacement> route_replacement_;
  std::vector<Additional> additional_;
  std::unordered_map<std::string, std::pair<SchemaPtr, SchemaPtr>> envelopes_;
  std::unordered_map<std::string, std::string> topics_;  // route value -> topic
};

}  // namespace

const ConfigDef& event_router_config_def() {
  static const ConfigDef def = [] {
    ConfigDef d;
    d.define(choice("table.op.invalid.behavior", "warn", {"warn", "error", "fatal"},
                    Importance::Medium,
                    "While Debezium is monitoring the table, it's expecting only to see 'create' "
                    "row events, in case something else is processed this transform can log it "
                    "as warning, error or stop the process."));
    d.define("table.field.event.id", ConfigType::String, "id", Importance::Low,
             "The column which contains the event ID within the outbox table");
    d.define("table.field.event.key", ConfigType::String, "aggregateid", Importance::Low,
             "The column which contains the event key within the outbox table");
    d.define("table.field.event.type", ConfigType::String, "type", Importance::Low,
             "The column which contains the event type within the outbox table (not added to "
             "the event: place it with table.fields.additional.placement)");
    d.define("table.field.event.payload", ConfigType::String, "payload", Importance::Low,
             "The column which contains the event payload within the outbox table");
    d.define("table.field.event.timestamp", ConfigType::String, "", Importance::Low,
             "Optionally you can override the Kafka message timestamp with a value from a chosen "
             "column, otherwise it'll be the Debezium event processed timestamp.");
    d.define("table.fields.additional.placement", ConfigType::List, "", Importance::Low,
             "Extra fields can be added as part of the event envelope or a message header, "
             "format is a list of colon-delimited pairs or trios when you desire to have "
             "aliases, e.g. <code>id:header,field_name:envelope:alias,field_name:partition</code>");
    d.define("table.fields.additional.error.on.missing", ConfigType::Boolean, "true",
             Importance::Low,
             "When transforming records, whether an additional field missing from the outbox "
             "row is an error (true) or skipped (false).");
    d.define("table.field.event.schema.version", ConfigType::String, "", Importance::Low,
             "The column which contains the event schema version within the outbox table");
    d.define("route.by.field", ConfigType::String, "aggregatetype", Importance::Low,
             "The column which determines how the events will be routed, the value will become "
             "part of the topic name");
    d.define("route.topic.regex", ConfigType::String, "(?<routedByValue>.*)", Importance::Low,
             "The default regex to use within the RegexRouter, the default capture will allow "
             "to replace the routed field into a new topic name defined in "
             "'route.topic.replacement'");
    d.define("route.topic.replacement", ConfigType::String, "outbox.event.${routedByValue}",
             Importance::Low,
             "The name of the topic in which the events will be routed, a replacement "
             "'${routedByValue}' is available which is the value of The column configured via "
             "'route.by.field'");
    d.define("route.tombstone.on.empty.payload", ConfigType::Boolean, "false", Importance::Low,
             "Whether or not an empty payload should cause a tombstone event.");
    d.define("table.expand.json.payload", ConfigType::Boolean, "false", Importance::Low,
             "Whether or not to try unfolding a JSON object or array into a struct or array");
    d.define(choice("table.json.payload.null.behavior", "ignore", {"ignore", "optional_bytes"},
                    Importance::Medium,
                    "Behavior when json payload including null value, the default will ignore "
                    "null, optional_bytes will keep the null value, and treat null as optional "
                    "bytes of connect."));
    d.define("tracing.span.context.field", ConfigType::String, "tracingspancontext",
             Importance::Low,
             "The name of the field containing java.util.Properties representation of "
             "serialized span context (accepted; Tributary does not trace)");
    d.define("tracing.operation.name", ConfigType::String, "debezium-read", Importance::Low,
             "The operation name representing Debezium processing span (accepted; not used)");
    d.define("tracing.with.context.field.only", ConfigType::Boolean, "false", Importance::Low,
             "Only events that have serialized context field should be traced (accepted; not "
             "used)");
    return d;
  }();
  return def;
}

std::unique_ptr<Transformation> make_event_router() {
  return std::make_unique<EventRouter>();
}

}  // namespace tributary::transforms
