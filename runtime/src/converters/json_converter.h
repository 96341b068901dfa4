// JsonConverter: Connect data to the exact bytes of Kafka's
// org.apache.kafka.connect.json.JsonConverter (fromConnectData), plus the JSON/Java text primitives
// the other built-in converters share.
//
// Output matches Kafka 3.9 with Jackson 2.16 byte for byte: envelope {"schema":..,"payload":..}
// when schemas.enable=true; schema keys in asJsonSchema's order; maps with non-string keys as
// [[k,v],..]; floats as Java's Float/Double.toString (NaN and infinities as quoted strings, as
// Jackson's QUOTE_NON_NUMERIC_NUMBERS); strings escaped as Jackson (only '"', '\' and control
// characters; \uXXXX with upper-case hex); bytes and BASE64 decimals as standard base64. The JSON
// is written straight into the caller's string; the schema part is cached per SchemaPtr (LRU,
// bounded by schemas.cache.size; the cache holds the shared_ptr so a cached address stays valid),
// and so is a struct schema's write plan (its fields' keys as JSON text and how each value is
// written; emptied when it holds schemas.cache.size schemas).
//
// Floating point text depends on the JVM Kafka runs on: JDK 8 to 18 print with the old
// FloatingDecimal algorithm (not always the shortest digits: 1.23456792E8 for 123456792f,
// 9.999999999999999E22 for 1e23), JDK 19+ print the shortest (JDK-4511638). Both are implemented;
// the default is the old one (JDK 17, the usual Connect runtime, which produced tests/golden), and
// tributary.java.float.format=shortest selects the JDK 19+ text.
//
// Threading: one instance per task and role, never shared (the schema cache is unsynchronized).
// The free functions are pure and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "tributary/config.h"
#include "tributary/converter.h"
#include "tributary/data.h"
#include "tributary/java_text.h"

namespace tributary {

/// Kafka's JsonConverterConfig keys: converter.type, schemas.enable, schemas.cache.size,
/// decimal.format, replace.null.with.default (names, defaults, docs, groups as Kafka 3.9), plus
/// the Tributary extension tributary.java.float.format (legacy | shortest).
ConfigDef json_converter_config_def();

enum class DecimalFormat { Base64, Numeric };

class JsonConverter : public Converter, public HeaderConverter {
 public:
  JsonConverter();
  ~JsonConverter() override;

  /// Converter: reads schemas.enable, schemas.cache.size, decimal.format,
  /// replace.null.with.default. Throws ConfigError naming the key.
  void configure(const ConfigMap& props, bool is_key) override;
  /// HeaderConverter: same keys.
  void configure(const ConfigMap& props) override;

  bool from_connect(std::string_view topic, const SchemaPtr& schema, const Value& value,
                    std::string& out) override;
  bool from_connect_header(std::string_view topic, std::string_view header_key,
                           const SchemaPtr& schema, const Value& value, std::string& out) override;

  /// Appends Kafka's asJsonSchema(schema) (uncached; "null" for a null schema).
  void append_schema(const SchemaPtr& schema, std::string& out) const;
  /// Appends Kafka's convertToJson(schema, value): the payload without the envelope.
  /// Throws std::invalid_argument naming the field path when the value does not fit the schema.
  void append_payload(const SchemaPtr& schema, const Value& value, std::string& out) const;

  bool schemas_enabled() const { return schemas_enable_; }
  DecimalFormat decimal_format() const { return decimal_format_; }
  bool replace_null_with_default() const { return replace_null_with_default_; }
  JavaFloatFormat float_format() const { return float_format_; }
  /// Number of schemas whose JSON is cached.
  std::size_t schema_cache_entries() const { return index_.size(); }
  /// Number of struct schemas whose write plan is cached (see StructPlan).
  std::size_t plan_cache_entries() const { return plans_.size(); }

  /// How from_connect writes the fields of one struct schema, worked out once per schema: each
  /// field's key as JSON text, and whether its value can be written inline (integers, booleans,
  /// plain strings, the null of an optional field, a nested struct by its own plan). Defined in
  /// json_converter.cpp.
  struct StructPlan;

 private:
  struct CacheEntry {
    SchemaPtr schema;  // keeps the key's address alive while cached
    std::string json;
  };
  struct PlanEntry {
    SchemaPtr schema;  // keeps the key's address (and its fields' schemas) alive while cached
    std::unique_ptr<const StructPlan> plan;
  };
  /// The plan of a struct `schema`, building it on a miss (a full cache, schemas.cache.size
  /// schemas, is emptied first); nullptr when the cache is disabled (size 0).
  const StructPlan* plan_for(const SchemaPtr& schema);

  void configure_impl(const ConfigMap& props);
  /// The cached JSON of `schema`, building it on a miss (evicts the least recently used).
  const std::string& cached_schema_json(const SchemaPtr& schema);

  bool schemas_enable_ = true;
  std::size_t cache_capacity_ = 1000;
  DecimalFormat decimal_format_ = DecimalFormat::Base64;
  bool replace_null_with_default_ = true;
  JavaFloatFormat float_format_ = JavaFloatFormat::Legacy;

  std::list<CacheEntry> lru_;  // most recently used first
  std::unordered_map<const Schema*, std::list<CacheEntry>::iterator> index_;
  std::string scratch_;  // schema JSON when the cache is disabled (size 0)
  std::unordered_map<const Schema*, PlanEntry> plans_;
  const Schema* last_schema_ = nullptr;  // the schema plan_for() answered last, and its plan
  const StructPlan* last_plan_ = nullptr;
};

/// Text primitives shared by the built-in converters (Jackson / Java semantics).
namespace json {

/// Appends `s` as a JSON string literal escaped as Jackson does.
void append_string(std::string_view s, std::string& out);
/// Writes `v` in decimal at `p` (room for 20 characters) and returns the end: std::to_chars'
/// output, written by fixed groups of two, four and eight digits instead of a division per two
/// digits (the timestamps of every Debezium record are 13 to 19 digits; std::to_chars was 13 % of
/// a MySQL record's instructions, tests/bench/run_mysql.sh instr:5:off).
char* write_int(char* p, std::int64_t v);
/// Appends standard base64 (RFC 4648 alphabet, '=' padding, no line breaks).
inline void append_base64(const std::uint8_t* data, std::size_t size, std::string& out) {
  ::tributary::append_base64(data, size, out);
}
/// Java's Double.toString / Float.toString (tributary/java_text.h).
using ::tributary::append_java_double;
using ::tributary::append_java_float;
/// Jackson's writeNumber: as Java's toString, but NaN / infinities as quoted JSON strings.
void append_json_double(double v, std::string& out,
                        JavaFloatFormat format = JavaFloatFormat::Legacy);
void append_json_float(float v, std::string& out, JavaFloatFormat format = JavaFloatFormat::Legacy);
/// java.math.BigDecimal.toString() (tributary/java_text.h).
using ::tributary::big_decimal_to_string;
/// The scale of a Decimal schema (its "scale" parameter). Throws std::invalid_argument.
int decimal_scale(const Schema& schema);
/// Kafka's Schema.Type enum name ("INT32", "FLOAT64", "STRUCT", ...).
using ::tributary::connect_type_enum_name;

}  // namespace json

}  // namespace tributary
