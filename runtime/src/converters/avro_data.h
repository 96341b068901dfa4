// The Connect → Avro schema mapping of Confluent's AvroData (fromConnectSchema), as the compact
// JSON text Avro's Schema.toString() prints: the text AvroConverter registers, so it decides what
// the schema registry stores and which compatibility it computes. The rules, each with where it
// was read, are in docs/AVRODATA.md (§ numbers below refer to it).
//
// Also the binary encoding of values (AvroData's fromConnectData then Avro's binary encoder), by a
// hand-written writer; Debian's Apache Avro C library (libavro) is the tests' byte-for-byte oracle.
// The wire format and the registry are avro_converter.h and schema_registry.h.
//
// Threading: the free functions are pure (any thread); an AvroEncoder belongs to one thread.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

#include "tributary/data.h"

namespace tributary::avro {

/// AvroData's own settings (the converter's config keys of the same names).
struct AvroDataConfig {
  bool connect_meta_data = true;     // connect.meta.data: the connect.* properties (§3)
  bool scrub_invalid_names = false;  // scrub.invalid.names (§2.4)
  // enhanced.avro.schema.support: a string with parameter io.confluent.connect.avro.Enum is an
  // Avro enum; union members that are named types are named by their full names (§1.6).
  bool enhanced_avro_schema_support = false;
  // generalized.sum.type.support: the same with org.apache.kafka.connect.data.Enum / .Union and
  // unions read as connect_union_N structs with fields connect_union_field_<i> (§1.6).
  bool generalized_sum_type_support = false;
};

/// A Connect schema Avro cannot express with these settings (an invalid name without
/// scrub.invalid.names, two different records of one full name).
struct AvroSchemaError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The Avro schema text for `schema` (compact, Avro's key order, Jackson's number and string
/// formatting).
std::string avro_schema_json(const SchemaPtr& schema, const AvroDataConfig& config = {});

/// scrub.invalid.names applied to one name part: kept when it is [A-Za-z_][A-Za-z0-9_]*, else
/// URL-encoded (Java's URLEncoder), prefixed with 'x' when it starts with a digit, and every
/// remaining character outside [A-Za-z0-9_] replaced by '_' (§2.4).
std::string scrub_name(const std::string& part);

/// Encodes Connect values of one Connect schema as Avro binary, in the schema avro_schema_json()
/// gives: optional values as their union branch (["null",T] or [T,"null"]), maps with non-string
/// keys as arrays of key/value records, logical types as their physical values, a required field
/// left null as its default, enum strings as their symbol's index, fixed-size bytes without a
/// length, a Union struct as the branch of its first non-null field. Throws AvroSchemaError
/// (schema) or std::invalid_argument (a value that does not fit, naming the field).
class AvroEncoder {
 public:
  AvroEncoder(SchemaPtr schema, const AvroDataConfig& config = {});
  ~AvroEncoder();
  AvroEncoder(const AvroEncoder&) = delete;
  AvroEncoder& operator=(const AvroEncoder&) = delete;

  /// The Avro schema text (what is registered).
  const std::string& schema_json() const;
  /// Appends the Avro binary of `value` to `out` (the hand-written writer).
  void encode(const Value& value, std::string& out);
  /// The same through libavro's generic values: the tests' byte-for-byte oracle (5x slower).
  void encode_with_libavro(const Value& value, std::string& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The full name of a named Avro type (a JSON object with "name" and maybe "namespace") defined
/// inside `enclosing_namespace`, by Avro's rules.
std::string avro_full_name(const nlohmann::json& named, const std::string& enclosing_namespace);

/// Every record type an Avro schema defines, by full name (pointers into `schema`).
std::map<std::string, const nlohmann::json*> avro_named_records(const nlohmann::json& schema);

/// AvroData's toConnectSchema and toConnectData: the Connect schema of an Avro schema text (the
/// connect.* properties restore names, versions, docs, parameters, defaults, int8 / int16 and
/// logical types; ["null",T] / [T,"null"] unions are optional T; arrays of MapEntry records are
/// maps with non-string keys; ConnectDefault records are unnamed structs; record and field docs
/// are the struct's avro.record.doc / avro.field.doc.* parameters; enums are strings with the
/// Enum parameters; fixed is bytes with connect.fixed.size; other unions are Union structs with
/// one optional field per member), and Connect values of Avro binary written in that schema. A
/// schema avro_schema_json() wrote comes back equal.
class AvroDecoder {
 public:
  explicit AvroDecoder(const std::string& avro_schema, const AvroDataConfig& config = {});
  ~AvroDecoder();
  AvroDecoder(const AvroDecoder&) = delete;
  AvroDecoder& operator=(const AvroDecoder&) = delete;

  const SchemaPtr& schema() const;
  /// The value of one whole datum. Throws std::invalid_argument ("Invalid Avro data: ...") when
  /// `data` is truncated, has bytes left over, names a union branch that does not exist, or
  /// claims more items or bytes than it holds; never reads past `data`.
  Value decode(std::string_view data) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tributary::avro
