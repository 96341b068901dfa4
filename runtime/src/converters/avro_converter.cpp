// AvroConverter (see avro_converter.h).
//
// Threading: the task thread; interrupt() forwards to the registry client's atomic flag.
#include "converters/avro_converter.h"

#include <nlohmann/json.hpp>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

#include "converters/json_converter.h"
#include "tributary/bounded_json.h"

namespace tributary::avro {

namespace {

constexpr const char* kGroup = "Schema Registry";

const char* kStrategyPrefix = "io.confluent.kafka.serializers.subject.";

std::optional<SubjectStrategy> parse_strategy(std::string_view v) {
  if (v.rfind(kStrategyPrefix, 0) == 0) v.remove_prefix(std::string_view(kStrategyPrefix).size());
  if (v == "TopicNameStrategy") return SubjectStrategy::TopicName;
  if (v == "RecordNameStrategy") return SubjectStrategy::RecordName;
  if (v == "TopicRecordNameStrategy") return SubjectStrategy::TopicRecordName;
  return std::nullopt;
}

ConfigValidator strategy_validator() {
  return [](std::string_view k, std::string_view v) -> std::optional<std::string> {
    if (parse_strategy(v)) return std::nullopt;
    return "Invalid value " + std::string(v) + " for configuration " + std::string(k) +
           ": supported: " + kStrategyPrefix + "TopicNameStrategy, RecordNameStrategy, " +
           "TopicRecordNameStrategy (with or without the package)";
  };
}

// ---------------------------------------------------------------------------------------------
// Schema changes, for messages.

using Json = nlohmann::json;

// A short text for a type: named types by name, logical and Connect types in parentheses.
std::string type_text(const Json& t, int depth = 0) {
  if (depth > 16) return "...";
  if (t.is_string()) return t.get<std::string>();
  if (t.is_array()) {
    std::string out;
    for (const auto& b : t) out += (out.empty() ? "" : "|") + type_text(b, depth + 1);
    return "[" + out + "]";
  }
  if (!t.is_object()) return t.dump();
  const Json& type = t.contains("type") ? t["type"] : Json();
  std::string base;
  if (type.is_string()) {
    const std::string s = type.get<std::string>();
    if (s == "record" || s == "enum" || s == "fixed" || s == "error") return t.value("name", s);
    if (s == "array")
      base = "array<" + type_text(t.value("items", Json()), depth + 1) + ">";
    else if (s == "map")
      base = "map<" + type_text(t.value("values", Json()), depth + 1) + ">";
    else
      base = s;
  } else {
    base = type_text(type, depth + 1);
  }
  if (t.contains("logicalType") && t["logicalType"].is_string())
    return base + "(" + t["logicalType"].get<std::string>() + ")";
  if (t.contains("connect.name") && t["connect.name"].is_string())
    return base + "(" + t["connect.name"].get<std::string>() + ")";
  return base;
}

std::string field_text(const Json& f) {
  std::string out = type_text(f.value("type", Json()));
  if (f.contains("default"))
    out += ", default " + f["default"].dump();
  else
    out += ", no default";
  return out;
}

}  // namespace

Value project_value(const Schema& from, const Value* value, const SchemaPtr& to_ptr,
                    const std::string& path) {
  const Schema& to = *to_ptr;
  auto fail = [&](const std::string& why) -> Value {
    throw std::invalid_argument("field '" + (path.empty() ? std::string("(root)") : path) +
                                "': " + why);
  };
  auto missing = [&]() -> Value {  // no value from the record: the reader's default
    if (to.default_value()) return *to.default_value();
    if (to.optional()) return Value();
    return fail("the record has no value and the latest schema has no default");
  };
  const bool check_only = value == nullptr;
  if (!check_only && value->is_null()) return to.optional() ? Value() : missing();
  if (check_only && from.optional() && !to.optional() && !to.default_value())
    fail("optional in the record, required without a default in the latest schema");
  const Type a = from.type();
  const Type b = to.type();
  auto is_int = [](Type t) { return t == Type::Int8 || t == Type::Int16 || t == Type::Int32; };
  auto as_i64 = [&]() -> std::int64_t {
    const auto& st = value->storage();
    if (auto p = std::get_if<std::int8_t>(&st)) return *p;
    if (auto p = std::get_if<std::int16_t>(&st)) return *p;
    if (auto p = std::get_if<std::int32_t>(&st)) return *p;
    return value->as<std::int64_t>();
  };
  if (a == Type::Struct && b == Type::Struct) {
    if (check_only) {
      for (const auto& f : to.fields()) {
        const Field* src = from.field(f.name);
        if (src == nullptr) {
          if (!f.schema->default_value() && !f.schema->optional())
            fail("the record has no field '" + f.name +
                 "' and the latest schema gives it no default");
        } else {
          project_value(*src->schema, nullptr, f.schema,
                        path.empty() ? f.name : path + "." + f.name);
        }
      }
      return Value();
    }
    const auto& data = value->as_struct();
    auto out = std::make_shared<Value::StructData>();
    out->schema = to_ptr;
    for (const auto& f : to.fields()) {
      const Field* src = from.field(f.name);
      const std::string sub = path.empty() ? f.name : path + "." + f.name;
      if (src == nullptr) {
        if (!f.schema->default_value() && !f.schema->optional())
          fail("the record has no field '" + f.name +
               "' and the latest schema gives it no default");
        out->fields.push_back(f.schema->default_value() ? *f.schema->default_value() : Value());
      } else {
        const auto at = static_cast<std::size_t>(src->index);
        out->fields.push_back(project_value(*src->schema, &data.fields.at(at), f.schema, sub));
      }
    }
    return Value(std::move(out));
  }
  if (a == Type::Array && b == Type::Array) {
    if (check_only)
      return project_value(*from.value_schema(), nullptr, to.value_schema(), path + "[]");
    Value::Array out;
    for (const auto& e : value->as<Value::Array>())
      out.push_back(project_value(*from.value_schema(), &e, to.value_schema(), path + "[]"));
    return Value(std::move(out));
  }
  if (a == Type::Map && b == Type::Map) {
    if (check_only) {
      project_value(*from.key_schema(), nullptr, to.key_schema(), path + "{key}");
      return project_value(*from.value_schema(), nullptr, to.value_schema(), path + "{}");
    }
    Value::MapEntries out;
    for (const auto& [k, v] : value->as<Value::MapEntries>())
      out.emplace_back(project_value(*from.key_schema(), &k, to.key_schema(), path + "{key}"),
                       project_value(*from.value_schema(), &v, to.value_schema(), path + "{}"));
    return Value(std::move(out));
  }
  if (a == b) return check_only ? Value() : *value;
  // Avro's promotions: int -> long, float, double; long -> float, double; float -> double;
  // string <-> bytes. (int8 / int16 / int32 are all Avro int.)
  if (is_int(a) && is_int(b)) {
    if (check_only) return Value();
    const std::int64_t v = as_i64();
    if (b == Type::Int8) return Value(static_cast<std::int8_t>(v));
    if (b == Type::Int16) return Value(static_cast<std::int16_t>(v));
    return Value(static_cast<std::int32_t>(v));
  }
  if ((is_int(a) || a == Type::Int64) &&
      (b == Type::Int64 || b == Type::Float32 || b == Type::Float64) &&
      !(a == Type::Int64 && b == Type::Int64)) {
    if (check_only) return Value();
    const std::int64_t v = as_i64();
    if (b == Type::Int64) return Value(v);
    if (b == Type::Float32) return Value(static_cast<float>(v));
    return Value(static_cast<double>(v));
  }
  if (a == Type::Float32 && b == Type::Float64)
    return check_only ? Value() : Value(static_cast<double>(value->as<float>()));
  if (a == Type::String && b == Type::Bytes) {
    if (check_only) return Value();
    const auto& t = value->as<std::string>();
    return Value(Bytes(t.begin(), t.end()));
  }
  if (a == Type::Bytes && b == Type::String) {
    if (check_only) return Value();
    const auto& t = value->as<Bytes>();
    return Value(std::string(t.begin(), t.end()));
  }
  return fail(std::string("a ") + std::string(json::connect_type_enum_name(a)) +
              " in the record cannot be read as the latest schema's " +
              std::string(json::connect_type_enum_name(b)));
}

namespace {

std::string schema_changes(const std::string& old_schema, const std::string& new_schema) {
  const Json a = parse_bounded_json<Json>(old_schema, "The old schema");
  const Json b = parse_bounded_json<Json>(new_schema, "The new schema");
  const auto ra = avro_named_records(a);
  const auto rb = avro_named_records(b);
  std::vector<std::string> changes;
  for (const auto& [name, nr] : rb) {
    auto it = ra.find(name);
    if (it == ra.end()) continue;
    const Json& of = (*it->second).value("fields", Json::array());
    const Json& nf = nr->value("fields", Json::array());
    std::map<std::string, const Json*> old_fields, new_fields;
    for (const auto& f : of)
      if (f.is_object() && f.contains("name")) old_fields[f["name"].dump()] = &f;
    for (const auto& f : nf)
      if (f.is_object() && f.contains("name")) new_fields[f["name"].dump()] = &f;
    for (const auto& f : nf) {
      if (!f.is_object() || !f.contains("name")) continue;
      auto o = old_fields.find(f["name"].dump());
      const std::string fname = f["name"].is_string() ? f["name"].get<std::string>() : "?";
      if (o == old_fields.end()) {
        changes.push_back(name + ": added field '" + fname + "' (" + field_text(f) + ")");
      } else if (field_text(*o->second) != field_text(f)) {
        changes.push_back(name + ": field '" + fname + "' changed from " + field_text(*o->second) +
                          " to " + field_text(f));
      }
    }
    for (const auto& f : of) {
      if (!f.is_object() || !f.contains("name")) continue;
      if (new_fields.count(f["name"].dump()) != 0) continue;
      const std::string fname = f["name"].is_string() ? f["name"].get<std::string>() : "?";
      changes.push_back(name + ": removed field '" + fname + "' (" + field_text(f) + ")");
    }
  }
  for (const auto& [name, _] : rb)
    if (ra.count(name) == 0 && !ra.empty()) changes.push_back("added record " + name);
  for (const auto& [name, _] : ra)
    if (rb.count(name) == 0 && !rb.empty()) changes.push_back("removed record " + name);
  std::string out;
  for (const auto& c : changes) {
    if (out.size() > 2000) {
      out += "; ...";
      break;
    }
    out += (out.empty() ? "" : "; ") + c;
  }
  return out;
}

}  // namespace

std::string describe_schema_changes(const std::string& old_schema, const std::string& new_schema) {
  // Only for messages: a text that is not a schema (a registry may answer anything) gives "".
  try {
    return schema_changes(old_schema, new_schema);
  } catch (const std::exception&) {
    return "";
  }
}

ConfigDef avro_converter_config_def() {
  using CT = ConfigType;
  using I = Importance;
  ConfigDef d;
  d.define("schema.registry.url", CT::List, std::nullopt, I::High,
           "Comma-separated list of URLs for Schema Registry instances that can be used to "
           "register or look up schemas. If you wish to get a connection to a mocked schema "
           "registry for testing, you can specify a scope using the 'mock://' pseudo-protocol. "
           "For example, 'mock://my-scope-name' corresponds to "
           "'MockSchemaRegistry.getClientForScope(\"my-scope-name\")'. Tributary: mock:// is "
           "not supported; a request that cannot reach one URL moves to the next.",
           kGroup);
  d.define("max.schemas.per.subject", CT::Int, "1000", I::Low,
           "Maximum number of schemas to create or cache locally.", kGroup,
           validators::at_least(1));
  d.define("auto.register.schemas", CT::Boolean, "true", I::Medium,
           "Specify if the Serializer should attempt to register the Schema with Schema "
           "Registry",
           kGroup);
  d.define("use.latest.version", CT::Boolean, "false", I::Low,
           "Specify if the Serializer should use the latest subject version for "
           "serialization. Tributary: with auto.register.schemas=false, the record is "
           "projected on the latest schema as Avro's schema resolution reads it (fields by "
           "name, defaults for missing ones) and fails naming the field when it cannot be.",
           kGroup);
  d.define("latest.compatibility.strict", CT::Boolean, "true", I::Low,
           "If true, and use.latest.version is true, check that the latest subject version is "
           "backward compatible with the schema of the object being serialized.",
           kGroup);
  d.define("normalize.schemas", CT::Boolean, "false", I::Low,
           "Whether to normalize schemas, which generally ignores ordering when it is not "
           "significant",
           kGroup);
  d.define("key.subject.name.strategy", CT::Class,
           "io.confluent.kafka.serializers.subject.TopicNameStrategy", I::Medium,
           "Determines how to construct the subject name under which the key schema is "
           "registered with the schema registry. By default, <topic>-key is used as subject.",
           kGroup, strategy_validator());
  d.define("value.subject.name.strategy", CT::Class,
           "io.confluent.kafka.serializers.subject.TopicNameStrategy", I::Medium,
           "Determines how to construct the subject name under which the value schema is "
           "registered with the schema registry. By default, <topic>-value is used as "
           "subject.",
           kGroup, strategy_validator());
  d.define("basic.auth.credentials.source", CT::String, "URL", I::Medium,
           "Specify how to pick the credentials for Basic Auth header. The supported values "
           "are URL, USER_INFO and SASL_INHERIT. Tributary: SASL_INHERIT is refused.",
           kGroup, validators::one_of({"URL", "USER_INFO", "SASL_INHERIT"}, false));
  d.define("basic.auth.user.info", CT::Password, "", I::Medium,
           "Specify the user info for Basic Auth in the form of {username}:{password}", kGroup);
  d.define("schema.registry.basic.auth.user.info", CT::Password, "", I::Medium,
           "Specify the user info for Basic Auth in the form of {username}:{password} "
           "(deprecated: use basic.auth.user.info)",
           kGroup);
  d.define("max.retries", CT::Int, "3", I::Low,
           "Maximum number of retries for a request to Schema Registry (Tributary: an "
           "unreachable registry or a 408, 429 or 5xx answer).",
           kGroup, validators::at_least(0));
  d.define("retries.wait.ms", CT::Int, "1000", I::Low,
           "Time in milliseconds to wait before the first retry; each later retry waits up to "
           "twice as long (exponential backoff with full jitter).",
           kGroup, validators::at_least(0));
  d.define("retries.max.wait.ms", CT::Int, "20000", I::Low,
           "Maximum time in milliseconds to wait before a retry.", kGroup, validators::at_least(0));
  d.define("http.connect.timeout.ms", CT::Int, "60000", I::Low,
           "Timeout in milliseconds for connecting to Schema Registry.", kGroup,
           validators::at_least(1));
  d.define("http.read.timeout.ms", CT::Int, "60000", I::Low,
           "Timeout in milliseconds for reading an answer from Schema Registry.", kGroup,
           validators::at_least(1));
  // AvroDataConfig.
  d.define("schemas.cache.config", CT::Int, "1000", I::Low, "Size of the converted schemas cache",
           kGroup, validators::at_least(1));
  d.define("connect.meta.data", CT::Boolean, "true", I::Low,
           "Toggle for enabling/disabling connect converter to add its meta data to the "
           "output schema or not",
           kGroup);
  d.define("enhanced.avro.schema.support", CT::Boolean, "false", I::Low,
           "Toggle for enabling/disabling enhanced avro schema support: Enum symbol "
           "preservation and Package Name awareness",
           kGroup);
  d.define("generalized.sum.type.support", CT::Boolean, "false", I::Medium,
           "Toggle for enabling/disabling generalized sum type support: interoperability of "
           "enum/union with other schema formats",
           kGroup);
  d.define("scrub.invalid.names", CT::Boolean, "false", I::Low,
           "Whether to scrub invalid names by replacing invalid characters with valid "
           "characters",
           kGroup);
  d.define("avro.remove.java.properties", CT::Boolean, "false", I::Low,
           "Whether to remove avro.java.string properties from the schema (read side only).",
           kGroup);
  // Client TLS: Kafka's client SSL keys under schema.registry.
  for (const auto& [name, type, def, doc] :
       std::vector<std::tuple<std::string, CT, std::string, std::string>>{
           {"ssl.truststore.type", CT::String, "JKS",
            "The file format of the trust store file: PKCS12, PEM, or JKS (read when the file is "
            "PKCS12)."},
           {"ssl.truststore.location", CT::String, "",
            "The location of the trust store file. When no truststore is given, the system's CA "
            "certificates are trusted."},
           {"ssl.truststore.password", CT::Password, "", "The password for the trust store file."},
           {"ssl.truststore.certificates", CT::Password, "",
            "Trusted certificates in the format specified by 'ssl.truststore.type' (PEM)."},
           {"ssl.keystore.type", CT::String, "JKS",
            "The file format of the key store file (mutual TLS): PKCS12, PEM, or JKS (read when "
            "the file is PKCS12)."},
           {"ssl.keystore.location", CT::String, "", "The location of the key store file."},
           {"ssl.keystore.password", CT::Password, "",
            "The store password for the key store file."},
           {"ssl.key.password", CT::Password, "", "The password of the private key."},
           {"ssl.keystore.certificate.chain", CT::Password, "",
            "Certificate chain in the format specified by 'ssl.keystore.type' (PEM)."},
           {"ssl.keystore.key", CT::Password, "",
            "Private key in the format specified by 'ssl.keystore.type' (PEM)."},
           {"ssl.enabled.protocols", CT::List, "TLSv1.2,TLSv1.3",
            "The list of protocols enabled for SSL connections."},
           {"ssl.cipher.suites", CT::List, "",
            "A list of cipher suites (IANA names). By default all the available cipher suites "
            "are supported."},
           {"ssl.endpoint.identification.algorithm", CT::String, "https",
            "The endpoint identification algorithm to validate server hostname using server "
            "certificate; empty turns the check off."},
       }) {
    d.define("schema.registry." + name, type, def, I::Medium, doc, kGroup);
  }
  return d;
}

AvroConverter::AvroConverter() = default;
AvroConverter::~AvroConverter() = default;

void AvroConverter::configure(const ConfigMap& props, bool is_key) {
  static const ConfigDef def = avro_converter_config_def();
  for (const auto& [k, errors] : def.validate(props))
    if (!errors.empty()) throw ConfigError(k, errors.front());
  const Config config(def, props);
  is_key_ = is_key;
  data_config_.connect_meta_data = config.get_bool("connect.meta.data");
  data_config_.scrub_invalid_names = config.get_bool("scrub.invalid.names");
  data_config_.enhanced_avro_schema_support = config.get_bool("enhanced.avro.schema.support");
  data_config_.generalized_sum_type_support = config.get_bool("generalized.sum.type.support");
  auto_register_ = config.get_bool("auto.register.schemas");
  use_latest_ = config.get_bool("use.latest.version");
  latest_strict_ = config.get_bool("latest.compatibility.strict");
  cache_capacity_ = static_cast<std::size_t>(config.get_int("schemas.cache.config"));
  max_per_subject_ = static_cast<std::size_t>(config.get_int("max.schemas.per.subject"));
  strategy_ = *parse_strategy(
      config.get_string(is_key ? "key.subject.name.strategy" : "value.subject.name.strategy"));
  client_ = std::make_unique<RegistryClient>(RegistrySettings::from(props));
  entries_.clear();
  encoders_.clear();
  ids_.clear();
  decoders_.clear();
  last_ = nullptr;
}

void AvroConverter::interrupt() noexcept {
  if (client_) client_->interrupt();
}

std::string AvroConverter::subject_for(std::string_view topic,
                                       const std::string& avro_schema) const {
  if (strategy_ == SubjectStrategy::TopicName)
    return std::string(topic) + (is_key_ ? "-key" : "-value");
  std::string record;
  try {
    auto j = parse_bounded_json<Json>(avro_schema, "The Avro schema");
    if (j.is_object() && j.value("type", Json()) == "record") record = avro_full_name(j, "");
  } catch (const std::exception&) {
  }
  if (record.empty())
    throw AvroConversionError(std::string(strategy_ == SubjectStrategy::RecordName
                                              ? "RecordNameStrategy"
                                              : "TopicRecordNameStrategy") +
                              " needs a record schema, but the " + (is_key_ ? "key" : "value") +
                              " schema of topic '" + std::string(topic) + "' is " + avro_schema);
  if (strategy_ == SubjectStrategy::RecordName) return record;
  return std::string(topic) + "-" + record;
}

void AvroConverter::fail(std::string_view topic, const std::string& subject,
                         const std::string& text, const RegistryError& e) {
  if (e.interrupted) throw e;
  std::string what = "Failed to register the Avro " + std::string(is_key_ ? "key" : "value") +
                     " schema of topic '" + std::string(topic) + "' under subject '" + subject +
                     "': " + e.what();
  if (e.retriable())
    throw std::runtime_error(what +
                             ". The task stops so that no record is skipped; it resumes "
                             "from its last committed offset when restarted");
  if (e.status == 401 || e.status == 403)
    throw std::runtime_error(what + " (check basic.auth.user.info)");
  if (e.status == 409) {
    try {
      ++registry_calls_;
      auto latest = client_->latest(subject);
      std::string changes = describe_schema_changes(latest.schema, text);
      what += ". Changes from the latest registered version " + std::to_string(latest.version) +
              " (id " + std::to_string(latest.id) +
              "): " + (changes.empty() ? "none found" : changes);
    } catch (const RegistryError&) {
    }
  }
  throw AvroConversionError(what);
}

int AvroConverter::schema_id(std::string_view topic, const std::string& subject,
                             const std::string& text) {
  auto& known = ids_[subject];
  if (auto it = known.find(text); it != known.end()) return it->second;
  int id = 0;
  try {
    ++registry_calls_;
    if (auto_register_) {
      id = client_->register_schema(subject, text);
    } else {
      id = client_->lookup(subject, text).id;
    }
  } catch (const RegistryError& e) {
    fail(topic, subject, text, e);
  }
  if (known.size() >= max_per_subject_) known.clear();
  known.emplace(text, id);
  return id;
}

std::pair<int, SchemaPtr> AvroConverter::latest_for(std::string_view topic,
                                                    const std::string& subject,
                                                    const std::string& text,
                                                    const SchemaPtr& schema) {
  RegisteredSchema latest;
  try {
    ++registry_calls_;
    latest = client_->latest(subject);
  } catch (const RegistryError& e) {
    fail(topic, subject, text, e);
  }
  const std::string what = "use.latest.version: the latest version " +
                           std::to_string(latest.version) + " (id " + std::to_string(latest.id) +
                           ") of subject '" + subject + "'";
  Json ours = parse_bounded_json<Json>(text, "The Avro schema");
  Json theirs;
  try {
    theirs = parse_bounded_json<Json>(latest.schema, "The latest registered schema");
  } catch (const std::exception& e) {
    throw AvroConversionError(what + " is not JSON: " + e.what());
  }
  if (ours == theirs) return {latest.id, nullptr};
  SchemaPtr target;
  try {
    target = AvroDecoder(latest.schema, data_config_).schema();
  } catch (const AvroSchemaError& e) {
    throw AvroConversionError(what + " has no Connect form: " + e.what());
  }
  // The record is written by AvroEncoder(target): only right when that is the latest's layout.
  Json rewritten;
  try {
    rewritten = parse_bounded_json<Json>(avro_schema_json(target, data_config_), "The schema");
  } catch (const std::exception&) {
  }
  if (rewritten != theirs)
    throw AvroConversionError(what +
                              " is not a schema AvroData writes, so Tributary cannot write "
                              "records in it");
  try {
    project_value(*schema, nullptr, target);
  } catch (const std::invalid_argument& e) {
    throw AvroConversionError(what + " cannot read the record's schema" +
                              (latest_strict_ ? "" : " (latest.compatibility.strict=false)") +
                              ": " + e.what() +
                              ". Changes: " + describe_schema_changes(latest.schema, text));
  }
  return {latest.id, target};
}

AvroConverter::Encoded& AvroConverter::entry_for(std::string_view topic, const SchemaPtr& schema) {
  if (last_ != nullptr && last_->schema.get() == schema.get() && last_topic_ == topic)
    return *last_;
  key_scratch_.assign(topic);
  const Schema* addr = schema.get();
  key_scratch_.append(reinterpret_cast<const char*>(&addr), sizeof addr);
  auto it = entries_.find(key_scratch_);
  if (it == entries_.end()) {
    std::shared_ptr<AvroEncoder> encoder;
    if (auto e = encoders_.find(addr); e != encoders_.end()) {
      encoder = e->second;
    } else {
      try {
        encoder = std::make_shared<AvroEncoder>(schema, data_config_);
      } catch (const AvroSchemaError& e) {
        throw AvroConversionError("The " + std::string(is_key_ ? "key" : "value") +
                                  " schema of topic '" + std::string(topic) +
                                  "' has no Avro form: " + e.what());
      }
    }
    const std::string subject = subject_for(topic, encoder->schema_json());
    int id = 0;
    SchemaPtr project_to;
    std::shared_ptr<AvroEncoder> writer = encoder;
    if (use_latest_ && !auto_register_) {
      std::tie(id, project_to) = latest_for(topic, subject, encoder->schema_json(), schema);
      if (project_to) writer = std::make_shared<AvroEncoder>(project_to, data_config_);
    } else {
      id = schema_id(topic, subject, encoder->schema_json());
    }
    if (entries_.size() >= cache_capacity_) {
      entries_.clear();
      encoders_.clear();
    }
    encoders_.emplace(addr, encoder);
    it = entries_.emplace(key_scratch_, Encoded{schema, std::move(writer), id, project_to}).first;
  }
  last_ = &it->second;
  last_topic_.assign(topic);
  return *last_;
}

bool AvroConverter::from_connect(std::string_view topic, const SchemaPtr& schema,
                                 const Value& value, std::string& out) {
  out.clear();
  if (value.is_null()) return false;  // a tombstone: nothing registered, a Kafka null
  if (!schema)
    throw AvroConversionError("AvroConverter needs a schema: the " +
                              std::string(is_key_ ? "key" : "value") + " of a record to topic '" +
                              std::string(topic) + "' has none");
  Encoded& e = entry_for(topic, schema);
  out.push_back('\0');
  const auto id = static_cast<std::uint32_t>(e.id);
  out.push_back(static_cast<char>(id >> 24));
  out.push_back(static_cast<char>(id >> 16));
  out.push_back(static_cast<char>(id >> 8));
  out.push_back(static_cast<char>(id));
  if (e.project_to) {
    Value projected;
    try {
      projected = project_value(*schema, &value, e.project_to);
    } catch (const std::invalid_argument& err) {
      out.clear();
      throw AvroConversionError("use.latest.version: a record of topic '" + std::string(topic) +
                                "' does not fit the latest schema: " + err.what());
    }
    e.encoder->encode(projected, out);
    return true;
  }
  e.encoder->encode(value, out);
  return true;
}

std::pair<SchemaPtr, Value> AvroConverter::to_connect(std::string_view topic,
                                                      const std::string* data) {
  if (data == nullptr) return {nullptr, Value()};
  const std::string where =
      std::string(is_key_ ? "key" : "value") + " of a record of topic '" + std::string(topic) + "'";
  if (data->size() < 5 || (*data)[0] != '\0')
    throw AvroConversionError("The " + where +
                              " is not in Confluent's wire format (magic byte 0, then a 4-byte "
                              "schema id)");
  const auto* b = reinterpret_cast<const unsigned char*>(data->data());
  const int id = static_cast<int>((std::uint32_t{b[1]} << 24) | (std::uint32_t{b[2]} << 16) |
                                  (std::uint32_t{b[3]} << 8) | std::uint32_t{b[4]});
  auto it = decoders_.find(id);
  if (it == decoders_.end()) {
    ++registry_calls_;
    std::string text = client_->schema_by_id(id);
    std::shared_ptr<AvroDecoder> decoder;
    try {
      decoder = std::make_shared<AvroDecoder>(text, data_config_);
    } catch (const AvroSchemaError& e) {
      throw AvroConversionError("The schema " + std::to_string(id) + " of the " + where +
                                " has no Connect form: " + e.what());
    }
    if (decoders_.size() >= cache_capacity_) decoders_.clear();
    it = decoders_.emplace(id, std::move(decoder)).first;
  }
  try {
    return {it->second->schema(), it->second->decode(std::string_view(*data).substr(5))};
  } catch (const std::invalid_argument& e) {
    throw AvroConversionError("The " + where + " (schema " + std::to_string(id) +
                              ") cannot be read: " + e.what());
  }
}

}  // namespace tributary::avro
