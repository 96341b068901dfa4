// The row images of binlog ROWS events (WRITE / UPDATE / DELETE, v1 and v2), decoded by the
// column types and metadata of the table's TABLE_MAP event. MariaDB Connector/C frames the events
// and parses their headers and the TABLE_MAP (connectors/mysql/README.md); its row decoder
// (mariadb_rpl_extract_rows) loses signs, misreads CHAR / ENUM / SET and negative fractional TIME
// (docs/MYSQL.md), so the values are decoded here. The formats are the server's
// (MySQL 5.6+ / MariaDB 10.1+ temporal types, binary DECIMAL); unknown or malformed input throws
// BinlogFormatError naming the column, never reads past the event.
//
// Threading: pure functions; a TableColumns is immutable once parsed.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tributary::mysql {

struct BinlogFormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Column type codes of the binlog (enum_field_types).
enum ColumnType : std::uint8_t {
  kTypeDecimal = 0,
  kTypeTiny = 1,
  kTypeShort = 2,
  kTypeLong = 3,
  kTypeFloat = 4,
  kTypeDouble = 5,
  kTypeNull = 6,
  kTypeTimestamp = 7,
  kTypeLongLong = 8,
  kTypeInt24 = 9,
  kTypeDate = 10,
  kTypeTime = 11,
  kTypeDateTime = 12,
  kTypeYear = 13,
  kTypeNewDate = 14,
  kTypeVarchar = 15,
  kTypeBit = 16,
  kTypeTimestamp2 = 17,
  kTypeDateTime2 = 18,
  kTypeTime2 = 19,
  kTypeJson = 245,
  kTypeNewDecimal = 246,
  kTypeEnum = 247,
  kTypeSet = 248,
  kTypeTinyBlob = 249,
  kTypeMediumBlob = 250,
  kTypeLongBlob = 251,
  kTypeBlob = 252,
  kTypeVarString = 253,
  kTypeString = 254,
  kTypeGeometry = 255,
};

/// One column as the TABLE_MAP describes it.
struct BinlogColumn {
  std::uint8_t type = 0;     // the binlog type; for STRING the real one (CHAR, ENUM, SET)
  std::uint32_t meta = 0;    // per-type metadata, decoded (see binlog_rows.cpp)
  bool is_unsigned = false;  // from the optional metadata's signedness bitmap
  bool nullable = true;
};

/// The columns of a TABLE_MAP: `types` is its column_types (one byte per column), `metadata` its
/// metadata block, `null_bits` its nullability bitmap, `signedness` the optional metadata's
/// SIGNEDNESS bitmap (MSB first, one bit per column signedness_columns() counts; empty: all
/// signed).
std::vector<BinlogColumn> parse_table_columns(std::string_view types, std::string_view metadata,
                                              std::string_view null_bits,
                                              std::string_view signedness = {});

/// How many columns of `types` the SIGNEDNESS bitmap has a bit for (its size: (n + 7) / 8).
std::size_t signedness_columns(std::string_view types);

/// A decoded cell, before any Debezium type mapping.
struct BinlogValue {
  enum class Kind : std::uint8_t {
    Null,
    Int,        // i: TINY..LONGLONG signed, YEAR (0 or 1901..2155)
    UInt,       // u: unsigned integers
    Float,      // d
    Double,     // d
    Decimal,    // up to 18 digits: i, decimal_scale, negative; longer: text; decimal_text()
    Bytes,      // bytes: CHAR / VARCHAR / TEXT / BLOB / BINARY / JSON (MariaDB) / GEOMETRY
    Bits,       // bytes: BIT, big-endian
    Date,       // year, month, day (zero parts kept: 0000-00-00)
    Time,       // negative, hour (up to 838), minute, second, micros
    DateTime,   // year .. second, micros
    Timestamp,  // seconds since the epoch, micros
    Enum,       // u: 1-based index, 0 for the empty string of an invalid value
    Set,        // u: bitmap of members
  };
  Kind kind = Kind::Null;
  std::int64_t i = 0;
  std::uint64_t u = 0;
  double d = 0;
  std::string text;
  std::string_view bytes;  // into the event's data
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  std::int32_t micros = 0;
  bool negative = false;
  std::int8_t decimal_scale = -1;  // Decimal: i is the unscaled value at this scale (when >= 0)
};

/// A Decimal value's text, "-1234.50" (all its scale digits kept; "-0.00" for a negative zero),
/// from its unscaled value or, beyond 18 digits, its text.
std::string decimal_text(const BinlogValue& v);

/// The row images of a ROWS event body after its post-header: `present` is the columns-present
/// bitmap (after-image bitmap for UPDATE in `present_after`), `data` the images one after the
/// other (UPDATE: before, after, before, after ...). Each image is a vector with one value per
/// column (Null for a column not present).
std::vector<std::vector<BinlogValue>> decode_rows(const std::vector<BinlogColumn>& columns,
                                                  std::string_view present, std::string_view data,
                                                  std::string_view present_after = {});
/// The same into `images`, reusing its vectors and values from earlier calls. Returns the number
/// of images decoded: the first that many of `images` are this event's; any after them are an
/// earlier event's.
std::size_t decode_rows(const std::vector<BinlogColumn>& columns, std::string_view present,
                        std::string_view data, std::string_view present_after,
                        std::vector<std::vector<BinlogValue>>& images);

/// decode_rows() one row at a time: the reader maps each row as it is decoded, so that one row's
/// values are all it keeps, in an image it reuses (an image and its values allocated and freed per
/// row were a fifth of a wide row's decoding; a whole event's images decoded first, ~100 KB of
/// wide rows, were written out of the L1 cache and read back). The columns and the views must
/// outlive it. Not thread-safe (the reader thread's).
class RowImages {
 public:
  RowImages(const std::vector<BinlogColumn>& columns, std::string_view present,
            std::string_view data, std::string_view present_after = {});
  /// Whether every row has been read.
  bool done() const { return at_ == data_.size(); }
  /// The next row's image into `image` (an earlier row's vector is reused); with
  /// `present_after`, an UPDATE's after-image into `*after` too. Throws BinlogFormatError.
  void next(std::vector<BinlogValue>& image, std::vector<BinlogValue>* after = nullptr);

 private:
  const std::vector<BinlogColumn>& columns_;
  std::string_view present_, present_after_, data_;
  std::size_t n_ = 0, n_after_ = 0;  // the columns each bitmap marks
  std::size_t at_ = 0;
};

}  // namespace tributary::mysql
