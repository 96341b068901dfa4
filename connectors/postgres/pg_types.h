// PostgreSQL column types -> Kafka Connect schemas and values, as Debezium 2.7's PostgreSQL
// connector maps them (REFERENCE §6), in every decimal / time / binary / interval / hstore
// handling mode. Input is PostgreSQL's text output (what pgoutput and a text-mode SELECT send).
//
// A ColumnCodec is built once per column when a table's schema is (re)built and then decodes that
// column's text for every row. Codecs are immutable and shared by the task thread only.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tributary/config.h"
#include "tributary/data.h"

namespace tributary::pg {

/// What the catalog says about a type (pg_type + pg_enum).
struct PgTypeInfo {
  std::uint32_t oid = 0;
  std::string name;           // typname, e.g. "int4", "_int4", "mood", "hstore"
  char category = 'U';        // typcategory: A array, E enum, ...
  char kind = 'b';            // typtype: b base, d domain, e enum, c composite, ...
  std::uint32_t element = 0;  // typelem, for arrays
  std::uint32_t base = 0;     // typbasetype, for domains
  std::vector<std::string> enum_labels;
};

/// The types of one database, loaded from its catalog (or added by hand in unit tests).
class TypeCatalog {
 public:
  void add(PgTypeInfo t);
  const PgTypeInfo* find(std::uint32_t oid) const;
  /// Domains resolved to their base type.
  const PgTypeInfo* resolve(std::uint32_t oid) const;
  size_t size() const { return types_.size(); }

 private:
  std::map<std::uint32_t, PgTypeInfo> types_;
};

enum class DecimalMode { Precise, Double, String };
enum class TimeMode { Adaptive, AdaptiveTimeMicroseconds, Connect };
enum class BinaryMode { Bytes, Base64, Base64UrlSafe, Hex };
enum class IntervalMode { Numeric, String };
enum class HstoreMode { Json, Map };

struct ValueModes {
  DecimalMode decimal = DecimalMode::Precise;
  TimeMode time = TimeMode::Adaptive;
  BinaryMode binary = BinaryMode::Bytes;
  IntervalMode interval = IntervalMode::Numeric;
  HstoreMode hstore = HstoreMode::Json;
  bool include_unknown = false;  // include.unknown.datatypes
  std::string unavailable_placeholder = "__debezium_unavailable_value";

  static ValueModes from(const ConfigMap& props);
};

class ColumnCodec {
 public:
  enum class Kind {
    Int16,
    Int32,
    Int64,
    Float32,
    Float64,
    Boolean,
    String,
    DecimalPrecise,
    DecimalDouble,
    DecimalString,
    VarDecimalStruct,
    MoneyPrecise,
    Date,
    ConnectDate,
    MicroTime,
    MilliTime,
    ConnectTime,
    MicroTimestamp,
    MilliTimestamp,
    ConnectTimestamp,
    ZonedTimestamp,
    ZonedTime,
    MicroDuration,
    IntervalString,
    Bytes,
    BinaryString,
    UnknownBytes,
    UnknownString,
    Bit,
    Bits,
    Point,
    HstoreJson,
    HstoreMap,
    Array,
  };

  /// The codec of a column of type `oid` with modifier `typmod`; nullopt when the type is not
  /// supported (the column is left out, as Debezium does) unless include.unknown.datatypes.
  static std::optional<ColumnCodec> make(const TypeCatalog& types, std::uint32_t oid,
                                         std::int32_t typmod, const ValueModes& modes);

  /// The field schema: optional or not, with a default value when given.
  SchemaPtr schema(bool optional, const std::optional<Value>& default_value) const;
  /// Struct-valued columns (point, VariableScaleDecimal) build their values with the exact
  /// field schema (Connect compares a struct's schema with its field's): bind it once.
  void bind(SchemaPtr field_schema) { built_ = std::move(field_schema); }
  /// The column's text -> value. Throws std::invalid_argument on malformed text.
  Value decode(std::string_view text) const;
  /// The value written for an unchanged TOASTed column (the placeholder in the column's type).
  Value unavailable() const;
  /// Debezium's column default from pg_get_expr(adbin): literals are parsed, anything else
  /// (functions, sequences) gives the type's fallback value (0, "", epoch).
  std::optional<Value> default_from_expression(std::string_view expr) const;
  /// The type's empty value (0, "", false, epoch): Debezium's fallback for unparseable
  /// defaults and for NOT NULL columns a key-only old tuple leaves out.
  Value empty_value() const;
  Kind kind() const { return kind_; }

 private:
  Kind kind_ = Kind::String;
  SchemaBuilder proto_{Type::String};
  int scale_ = 0;
  int precision_ = 6;  // fractional digits of times (typmod), or bit length
  SchemaPtr built_;    // proto_ built once (required, no default)
  std::shared_ptr<const ValueModes> modes_;
  std::shared_ptr<const ColumnCodec> element_;  // arrays
};

/// Java's (long) cast of a double: saturating, NaN -> 0.
std::int64_t java_double_to_long(double d);

}  // namespace tributary::pg
