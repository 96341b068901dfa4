// Kafka Connect's simple converters: StringConverter, ByteArrayConverter (key/value converters,
// also usable for headers) and SimpleHeaderConverter (the default header converter).
//
// - StringConverter (org.apache.kafka.connect.storage.StringConverter): the value's Java
//   toString() in UTF-8; null is a Kafka null. Numbers use Java's Float/Double.toString, decimals
//   BigDecimal.toString, structs "Struct{a=1,b=x}", arrays "[1, 2]", maps "{k=v, k2=v2}", Date /
//   Time / Timestamp java.util.Date.toString() in UTC. Bytes are written raw (Java would print
//   an identity hash such as "[B@1b6d3586", which no consumer can use).
// - ByteArrayConverter (org.apache.kafka.connect.converters.ByteArrayConverter): bytes pass
//   through; any other schema type or value is an error.
// - SimpleHeaderConverter (org.apache.kafka.connect.storage.SimpleHeaderConverter): Connect's
//   Values.convertToString: strings raw, numbers / booleans as Java prints them, bytes base64,
//   lists "[a,b]", maps "{k:v}", structs {"f":v} with embedded strings quoted, logical dates as
//   ISO-8601 in UTC ("yyyy-MM-dd", "HH:mm:ss.SSS'Z'", "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").
//
// Threading: one instance per task and role, never shared; no mutable state after configure().
#pragma once

#include <string>
#include <string_view>

#include "tributary/config.h"
#include "tributary/converter.h"
#include "tributary/data.h"

namespace tributary {

/// converter.type and converter.encoding (Kafka's StringConverterConfig).
ConfigDef string_converter_config_def();
/// converter.type only (Kafka's ConverterConfig).
ConfigDef byte_array_converter_config_def();
/// Empty, as Kafka's SimpleHeaderConverter.
ConfigDef simple_header_converter_config_def();

class StringConverter : public Converter, public HeaderConverter {
 public:
  /// Only UTF-8 is supported for converter.encoding ("UTF8", "UTF-8", any case); anything else
  /// throws ConfigError.
  void configure(const ConfigMap& props, bool is_key) override;
  void configure(const ConfigMap& props) override;
  bool from_connect(std::string_view topic, const SchemaPtr& schema, const Value& value,
                    std::string& out) override;
  bool from_connect_header(std::string_view topic, std::string_view header_key,
                           const SchemaPtr& schema, const Value& value, std::string& out) override;
};

class ByteArrayConverter : public Converter, public HeaderConverter {
 public:
  void configure(const ConfigMap& props, bool is_key) override;
  void configure(const ConfigMap& props) override;
  /// Throws std::invalid_argument for a non-bytes schema or value.
  bool from_connect(std::string_view topic, const SchemaPtr& schema, const Value& value,
                    std::string& out) override;
  bool from_connect_header(std::string_view topic, std::string_view header_key,
                           const SchemaPtr& schema, const Value& value, std::string& out) override;
};

class SimpleHeaderConverter : public HeaderConverter {
 public:
  void configure(const ConfigMap& props) override;
  bool from_connect_header(std::string_view topic, std::string_view header_key,
                           const SchemaPtr& schema, const Value& value, std::string& out) override;
};

/// Java's toString() of a Connect value, as StringConverter writes it (appends to `out`).
void append_java_to_string(const SchemaPtr& schema, const Value& value, std::string& out);
/// Connect's Values.convertToString(schema, value), as SimpleHeaderConverter writes it.
void append_values_string(const SchemaPtr& schema, const Value& value, std::string& out);

}  // namespace tributary
