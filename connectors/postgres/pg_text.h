// Parsers of PostgreSQL's text output formats (what pgoutput and COPY send) into the numbers
// Debezium's value types carry: days, microseconds, unscaled decimal bytes, raw bytes.
// Pure functions; text that is not in the expected format throws std::invalid_argument quoting it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tributary::pg {

/// 'infinity' / '-infinity' for dates and timestamps.
enum class Infinity { None, Positive, Negative };
Infinity infinity_of(std::string_view text);

/// "2024-01-02" (ISO DateStyle, optional " BC") -> days since 1970-01-01, proleptic Gregorian.
std::int64_t parse_date_days(std::string_view text);
/// "13:45:07.123456" (also "24:00:00") -> microseconds since midnight.
std::int64_t parse_time_micros(std::string_view text);
/// "2024-01-02 03:04:05.123456" [BC] -> microseconds since 1970-01-01T00:00:00.
std::int64_t parse_timestamp_micros(std::string_view text);
/// "2024-01-02 03:04:05.123456+05:30" (offset +HH, +HH:MM or +HH:MM:SS) -> microseconds since
/// 1970-01-01T00:00:00Z.
std::int64_t parse_timestamptz_micros(std::string_view text);
/// The shape nearly every timestamptz has in the connector's UTC session,
/// "2024-02-29 11:45:30.5+00" (years 1000..9999, offset +00, no BC), rewritten as Debezium's
/// ZonedTimestamp text with `digits` (0..6) fraction digits, "2024-02-29T11:45:30.500000Z":
/// the same text as formatting parse_timestamptz_micros' result, without the calendar arithmetic.
/// Returns false, leaving `out` alone, for any other shape (the general path's job).
bool utc_timestamptz_as_iso(std::string_view text, int digits, std::string& out);

/// A numeric's text ("-12.50", "1e3" is not produced by PostgreSQL) as an unscaled integer in
/// big-endian two's complement (Connect's Decimal bytes) and its scale (digits after the point).
struct UnscaledDecimal {
  std::vector<std::uint8_t> bytes;
  int scale = 0;
};
/// With `scale`, the value is rescaled to it (PostgreSQL already prints numeric(p,s) with s
/// digits); without, the scale is the number of digits after the point.
UnscaledDecimal parse_numeric(std::string_view text, std::optional<int> scale = std::nullopt);

/// bytea in hex output format ("\x0aff") -> bytes.
std::vector<std::uint8_t> parse_bytea_hex(std::string_view text);

/// One row of COPY ... TO STDOUT in text format (fields separated by tabs, `\N` for NULL,
/// backslash escapes, a final newline) split into `fields`: nullopt for NULL, else the value.
/// A value without escapes is a view into `line`; one with escapes is decoded into
/// `scratch[i]`, so both `line` and `scratch` must outlive the use of the fields.
void split_copy_row(std::string_view line, std::vector<std::optional<std::string_view>>& fields,
                    std::vector<std::string>& scratch);

}  // namespace tributary::pg
