// Test helper: a Connect JSON envelope ({"schema": ..., "payload": ...}, what Kafka's
// JsonConverter writes with schemas.enable=true) read back into a schema and a value, as Kafka's
// JsonConverter.toConnectData does with replace.null.with.default=false. Nulls stay null;
// schemaless integers become int64 and other numbers float64, as in Kafka.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "tributary/data.h"

namespace tributary::test {

using OrderedJson = nlohmann::ordered_json;

inline Bytes base64_decode(const std::string& s) {
  auto sextet = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  Bytes out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (const char c : s) {
    const int v = sextet(c);
    if (v < 0) continue;  // '=' padding
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

inline SchemaPtr schema_from_json(const OrderedJson& j);
inline Value value_from_json(const SchemaPtr& schema, const OrderedJson& j);

inline SchemaPtr schema_from_json(const OrderedJson& j) {
  if (j.is_null()) return nullptr;
  const std::string type = j.at("type").get<std::string>();
  const auto t = type_from_name(type);
  if (!t) throw std::invalid_argument("unknown schema type " + type);
  SchemaBuilder b = *t == Type::Array ? SchemaBuilder::array(schema_from_json(j.at("items")))
                    : *t == Type::Map ? SchemaBuilder::map(schema_from_json(j.at("keys")),
                                                           schema_from_json(j.at("values")))
                                      : SchemaBuilder(*t);
  if (j.value("optional", false)) b.optional();
  if (j.contains("name")) b.name(j["name"].get<std::string>());
  if (j.contains("version")) b.version(j["version"].get<int>());
  if (j.contains("doc")) b.doc(j["doc"].get<std::string>());
  if (j.contains("parameters"))
    for (const auto& [k, v] : j["parameters"].items()) b.parameter(k, v.get<std::string>());
  if (*t == Type::Struct && j.contains("fields"))
    for (const auto& f : j["fields"])
      b.field(f.at("field").get<std::string>(), schema_from_json(f));
  if (j.contains("default")) {
    OrderedJson bare = j;
    bare.erase("default");
    b.default_value(value_from_json(schema_from_json(bare), j["default"]));
  }
  return b.build();
}

inline Value value_from_json(const SchemaPtr& schema, const OrderedJson& j) {
  if (j.is_null()) return Value();
  if (!schema) {
    if (j.is_boolean()) return Value(j.get<bool>());
    if (j.is_number_integer()) return Value(j.get<std::int64_t>());
    if (j.is_number()) return Value(j.get<double>());
    if (j.is_string()) return Value(j.get<std::string>());
    if (j.is_array()) {
      Value::Array a;
      for (const auto& x : j) a.push_back(value_from_json(nullptr, x));
      return Value(std::move(a));
    }
    Value::MapEntries m;
    for (const auto& [k, v] : j.items()) m.emplace_back(Value(k), value_from_json(nullptr, v));
    return Value(std::move(m));
  }
  switch (schema->type()) {
    case Type::Int8: return Value(j.get<std::int8_t>());
    case Type::Int16: return Value(j.get<std::int16_t>());
    case Type::Int32: return Value(j.get<std::int32_t>());
    case Type::Int64: return Value(j.get<std::int64_t>());
    case Type::Float32: return Value(j.get<float>());
    case Type::Float64: return Value(j.get<double>());
    case Type::Boolean: return Value(j.get<bool>());
    case Type::String: return Value(j.get<std::string>());
    case Type::Bytes: return Value(base64_decode(j.get<std::string>()));
    case Type::Array: {
      Value::Array a;
      for (const auto& x : j) a.push_back(value_from_json(schema->value_schema(), x));
      return Value(std::move(a));
    }
    case Type::Map: {
      Value::MapEntries m;
      if (j.is_object()) {
        for (const auto& [k, v] : j.items())
          m.emplace_back(Value(k), value_from_json(schema->value_schema(), v));
      } else {
        for (const auto& kv : j)
          m.emplace_back(value_from_json(schema->key_schema(), kv.at(0)),
                         value_from_json(schema->value_schema(), kv.at(1)));
      }
      return Value(std::move(m));
    }
    case Type::Struct: {
      Struct s(schema);
      for (const Field& f : schema->fields())
        if (j.contains(f.name)) s.put(f.index, value_from_json(f.schema, j[f.name]));
      return std::move(s).build();
    }
  }
  return Value();
}

}  // namespace tributary::test
