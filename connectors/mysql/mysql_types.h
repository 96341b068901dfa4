// MySQL / MariaDB column types -> Kafka Connect schemas and values, as Debezium 2.7's MySQL
// connector maps them on MariaDB (tests/golden/mysql/README.md lists every mapping, from the real
// connector's output), in every bigint.unsigned / decimal / time.precision / binary handling
// mode. A column is described by its definition (ColumnDef: what information_schema.COLUMNS or a
// CREATE TABLE says); its values arrive either decoded from the binlog (BinlogValue, streaming)
// or as the text a SELECT returns (snapshot). Defaults come from the column's DEFAULT clause.
//
// Threading: a ColumnCodec is built once per column when a table's schema is (re)built, and is
// then used by the thread that reads the snapshot or the binlog; immutable after bind().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "binlog_rows.h"
#include "tributary/config.h"
#include "tributary/data.h"

namespace tributary::mysql {

/// One column as its definition gives it.
struct ColumnDef {
  std::string name;
  std::string type;  // upper case, without length or attributes: "INT", "VARCHAR", "ENUM", ...
  std::string
      type_name;    // the type word as written, upper case ("BOOL", "INT"): Debezium's typeName
  int length = -1;  // (M): display width, characters, precision, bits or fractional digits
  int scale = -1;   // DECIMAL's (M,D)
  bool is_unsigned = false;
  bool zerofill = false;
  std::vector<std::string> enum_values;  // ENUM / SET members, unquoted
  std::string charset;                   // "binary" for binary strings, "" if none
  bool optional = true;
  std::optional<std::string> default_expr;  // the DEFAULT clause as SQL ('it''s', 42, b'101')
  bool has_default = false;                 // a DEFAULT clause was written (DEFAULT NULL too)
  std::optional<std::string> comment;
  bool auto_increment = false;
  bool generated = false;  // a virtual or stored generated column
  int position = 0;        // 1-based
};

/// Fills type, length, scale, unsigned, zerofill and enum_values of `c` from a column type as
/// information_schema.COLUMNS.COLUMN_TYPE or a CREATE TABLE writes it ("bigint(20) unsigned",
/// "enum('a','b''c')", "decimal(10,2)", "timestamp(6)"). Throws std::invalid_argument.
void parse_column_type(std::string_view text, ColumnDef& c);

enum class DecimalMode { Precise, Double, String };
enum class BigintUnsignedMode { Long, Precise };
enum class TimeMode { AdaptiveTimeMicroseconds, Connect };
enum class BinaryMode { Bytes, Base64, Base64UrlSafe, Hex };

struct ValueModes {
  DecimalMode decimal = DecimalMode::Precise;
  BigintUnsignedMode bigint_unsigned = BigintUnsignedMode::Long;
  TimeMode time = TimeMode::AdaptiveTimeMicroseconds;
  BinaryMode binary = BinaryMode::Bytes;
  bool time_adjuster = true;  // enable.time.adjuster

  static ValueModes from(const ConfigMap& props);
};

class ColumnCodec {
 public:
  enum class Kind : std::uint8_t {
    Int16,
    Int32,
    Int64,
    UnsignedBigintPrecise,
    DecimalPrecise,
    DecimalDouble,
    DecimalString,
    Float32,
    Float64,
    Bool,     // BOOL / BOOLEAN in a parsed CREATE TABLE (from TINYINT values)
    Boolean,  // BIT(1)
    Bits,     // BIT(n > 1)
    String,
    Binary,  // per binary.handling.mode
    Enum,
    Set,
    Date,
    Time,       // MicroTime, or connect Time
    Timestamp,  // DATETIME: Timestamp / MicroTimestamp, or connect Timestamp
    ZonedTimestamp,
    Year,
    Geometry,
    Point,
  };

  /// The codec of a column; nullopt for a type Debezium leaves out.
  static std::optional<ColumnCodec> make(const ColumnDef& c, const ValueModes& modes);

  /// The field schema: optional or not, with a default value when given.
  SchemaPtr schema(bool optional, const std::optional<Value>& default_value) const;
  /// Struct-valued columns (geometry) build their values with the exact field schema.
  void bind(SchemaPtr field_schema) { built_ = std::move(field_schema); }

  /// A binlog cell -> value (streaming). Null for NULL, and for a zero date in a nullable
  /// column.
  Value from_binlog(const BinlogValue& v) const;
  /// The same value into `slot`, in place where it holds a value of the type (a string's or
  /// bytes' buffer reused: a struct from cdc::StructPool). from_binlog() is this into a null.
  void from_binlog_into(const BinlogValue& v, Value& slot) const;
  /// A SELECT's text -> value (snapshot; the session's time zone is UTC, its charset utf8mb4).
  /// Throws std::invalid_argument on malformed text.
  Value from_text(std::string_view text) const;
  /// from_text() into `slot`, in place where it holds a value of the column's type.
  void from_text_into(std::string_view text, Value& slot) const;
  /// Debezium's schema default from the DEFAULT clause, or nullopt (none, NULL, or a value the
  /// type cannot hold, such as a negative TIME under connect).
  std::optional<Value> default_from_expression(std::string_view expr) const;
  Kind kind() const { return kind_; }

 private:
  Value binary(std::string_view bytes) const;
  Value date(int year, int month, int day) const;
  Value time(bool negative, std::int64_t micros) const;
  Value datetime(int year, int month, int day, std::int64_t micros_of_day) const;
  void datetime_into(Value& slot, int year, int month, int day, std::int64_t micros_of_day) const;
  Value geometry(std::string_view srid_and_wkb) const;

  Kind kind_ = Kind::String;
  SchemaBuilder proto_{Type::String};
  int length_ = -1;  // BINARY pad length, BIT bits, fractional digits
  int scale_ = 0;
  bool optional_ = true;
  bool binary_pad_ = false;
  bool latin1_ = false;
  std::vector<std::string> members_;  // ENUM / SET
  ValueModes modes_;
  SchemaPtr built_;
};

/// MySQL's latin1 (Windows-1252 with the five undefined bytes kept as C1 controls) -> UTF-8.
std::string latin1_to_utf8(std::string_view bytes);

}  // namespace tributary::mysql
