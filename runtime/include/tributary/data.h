// Connect-style data model: schemas and values.
//
// Mirrors org.apache.kafka.connect.data: a Schema has a type, optional flag, name, version, doc,
// parameters (insertion-ordered), default value, and for containers the element/key/value schemas
// or the struct fields. Values are a tagged union; a Struct is a schema pointer plus one Value per
// field.
//
// Threading: schemas are immutable once built and shared between threads (SchemaPtr is a
// shared_ptr<const Schema>). Values are plain data owned by one thread at a time, except that
// copies of a struct value share its StructData (a connector may hand the same source block to
// many records, read on other threads): once a record is built, treat its values as immutable and
// build a new struct rather than editing a shared one in place.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace tributary {

enum class Type : std::uint8_t {
  Int8,
  Int16,
  Int32,
  Int64,
  Float32,
  Float64,
  Boolean,
  String,
  Bytes,
  Array,
  Map,
  Struct,
};

/// Connect's type name as written by JsonConverter ("int32", "float", "double", "struct", ...).
std::string_view type_name(Type t);
/// Inverse of type_name; nullopt for an unknown name.
std::optional<Type> type_from_name(std::string_view name);
bool is_primitive(Type t);
/// Kafka's Schema.Type enum name ("INT32", "FLOAT64", "STRUCT", ...), as its messages print it.
std::string_view connect_type_enum_name(Type t);

class Schema;
class Value;
using SchemaPtr = std::shared_ptr<const Schema>;
using Bytes = std::vector<std::uint8_t>;

struct Field {
  std::string name;
  int index = 0;
  SchemaPtr schema;
  /// Set by SchemaBuilder::field: the name is printable ASCII without '"' or '\\', so text
  /// writers (JsonConverter) copy it as is instead of scanning it for every record.
  bool plain_name = false;
};

/// Names of the logical types Kafka Connect defines.
namespace logical {
inline constexpr std::string_view kDecimal = "org.apache.kafka.connect.data.Decimal";
inline constexpr std::string_view kDate = "org.apache.kafka.connect.data.Date";
inline constexpr std::string_view kTime = "org.apache.kafka.connect.data.Time";
inline constexpr std::string_view kTimestamp = "org.apache.kafka.connect.data.Timestamp";
inline constexpr std::string_view kDecimalScaleParam = "scale";
}  // namespace logical

class Value {
 public:
  using Array = std::vector<Value>;
  using MapEntries = std::vector<std::pair<Value, Value>>;
  struct StructData {
    SchemaPtr schema;
    std::vector<Value> fields;
  };
  using Storage = std::variant<std::monostate, bool, std::int8_t, std::int16_t, std::int32_t,
                               std::int64_t, float, double, std::string, Bytes, Array, MapEntries,
                               std::shared_ptr<StructData>>;

  Value() = default;
  Value(std::nullptr_t) {}
  Value(bool v) : v_(v) {}
  Value(std::int8_t v) : v_(v) {}
  Value(std::int16_t v) : v_(v) {}
  Value(std::int32_t v) : v_(v) {}
  Value(std::int64_t v) : v_(v) {}
  Value(float v) : v_(v) {}
  Value(double v) : v_(v) {}
  Value(std::string v) : v_(std::move(v)) {}
  Value(const char* v) : v_(std::string(v)) {}
  Value(Bytes v) : v_(std::move(v)) {}
  Value(Array v) : v_(std::move(v)) {}
  Value(MapEntries v) : v_(std::move(v)) {}
  Value(std::shared_ptr<StructData> v) : v_(std::move(v)) {}

  bool is_null() const { return std::holds_alternative<std::monostate>(v_); }
  template <class T>
  bool is() const {
    return std::holds_alternative<T>(v_);
  }
  template <class T>
  const T& as() const {
    return std::get<T>(v_);
  }
  template <class T>
  T& as() {
    return std::get<T>(v_);
  }
  const Storage& storage() const { return v_; }
  Storage& storage() { return v_; }

  bool is_struct() const { return is<std::shared_ptr<StructData>>(); }
  const StructData& as_struct() const { return *as<std::shared_ptr<StructData>>(); }
  StructData& as_struct() { return *as<std::shared_ptr<StructData>>(); }

  bool operator==(const Value& o) const;

 private:
  Storage v_;
};

/// A struct value under construction: fields set by name, checked against the schema.
class Struct {
 public:
  explicit Struct(SchemaPtr schema);
  /// Sets a field by name. Throws std::invalid_argument naming the field when it is unknown.
  Struct& put(std::string_view field, Value v);
  Struct& put(int index, Value v);
  const Value& get(std::string_view field) const;
  const SchemaPtr& schema() const { return data_->schema; }
  /// Checks that every required field is set and has a value of its schema's type.
  /// Throws std::invalid_argument naming the field otherwise.
  void validate() const;
  Value build() &&;
  operator Value() && { return std::move(*this).build(); }

 private:
  std::shared_ptr<Value::StructData> data_;
};

class Schema {
 public:
  Type type() const { return type_; }
  bool optional() const { return optional_; }
  const std::optional<std::string>& name() const { return name_; }
  const std::optional<int>& version() const { return version_; }
  const std::optional<std::string>& doc() const { return doc_; }
  /// Insertion-ordered, as Connect's SchemaBuilder keeps them.
  const std::vector<std::pair<std::string, std::string>>& parameters() const { return params_; }
  const std::optional<std::string> parameter(std::string_view key) const;
  const std::optional<Value>& default_value() const { return default_; }
  const std::vector<Field>& fields() const { return fields_; }
  /// Field by name, or nullptr.
  const Field* field(std::string_view name) const;
  const SchemaPtr& key_schema() const { return key_; }
  const SchemaPtr& value_schema() const { return value_; }

  bool operator==(const Schema& o) const;

 private:
  friend class SchemaBuilder;
  Type type_ = Type::Struct;
  bool optional_ = false;
  std::optional<std::string> name_;
  std::optional<int> version_;
  std::optional<std::string> doc_;
  std::vector<std::pair<std::string, std::string>> params_;
  std::optional<Value> default_;
  std::vector<Field> fields_;
  SchemaPtr key_;
  SchemaPtr value_;
};

/// Fluent builder, as Connect's SchemaBuilder.
class SchemaBuilder {
 public:
  explicit SchemaBuilder(Type t);
  static SchemaBuilder struct_() { return SchemaBuilder(Type::Struct); }
  static SchemaBuilder array(SchemaPtr items);
  static SchemaBuilder map(SchemaPtr keys, SchemaPtr values);

  SchemaBuilder& optional();
  SchemaBuilder& required();
  SchemaBuilder& name(std::string n);
  SchemaBuilder& version(int v);
  SchemaBuilder& doc(std::string d);
  SchemaBuilder& parameter(std::string k, std::string v);
  SchemaBuilder& default_value(Value v);
  /// Throws std::invalid_argument when the builder is not a struct or the name is taken.
  SchemaBuilder& field(std::string name, SchemaPtr schema);
  SchemaPtr build() const;

 private:
  Schema s_;
};

/// Shared instances of the primitive schemas (required and optional).
namespace schemas {
SchemaPtr int8(bool opt = false);
SchemaPtr int16(bool opt = false);
SchemaPtr int32(bool opt = false);
SchemaPtr int64(bool opt = false);
SchemaPtr float32(bool opt = false);
SchemaPtr float64(bool opt = false);
SchemaPtr boolean(bool opt = false);
SchemaPtr string(bool opt = false);
SchemaPtr bytes(bool opt = false);
/// Logical types.
SchemaPtr decimal(int scale, bool opt = false);
SchemaPtr date(bool opt = false);
SchemaPtr time(bool opt = false);
SchemaPtr timestamp(bool opt = false);
}  // namespace schemas

/// Decimal helpers: the unscaled value as big-endian two's complement bytes (Connect's Decimal).
Bytes decimal_unscaled_from_string(std::string_view digits);            // e.g. "-12345" -> bytes
Bytes decimal_unscaled_from_int64(std::int64_t unscaled);               // the same, from a number
void decimal_unscaled_from_int64(std::int64_t unscaled, Bytes& out);    // the same into `out`
std::string decimal_to_plain_string(const Bytes& unscaled, int scale);  // e.g. "-123.45"

/// Appends base64 of `data`: RFC 4648 standard alphabet, or the URL-safe one (- and _), with
/// '=' padding and no line breaks (java.util.Base64's encoder and URL encoder).
void append_base64(const std::uint8_t* data, std::size_t size, std::string& out,
                   bool url_safe = false);
/// The same written at `out`, which has room for base64_size(size) characters; returns the end.
char* write_base64(const std::uint8_t* data, std::size_t size, char* out, bool url_safe = false);
constexpr std::size_t base64_size(std::size_t size) {
  return (size + 2) / 3 * 4;
}

/// Checks that `v` conforms to `schema` (type, optionality, struct fields). Throws
/// std::invalid_argument whose message names the offending field path.
void validate_value(const SchemaPtr& schema, const Value& v, std::string_view path = "");

}  // namespace tributary
