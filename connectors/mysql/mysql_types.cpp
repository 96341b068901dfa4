#include "mysql_types.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "struct_pool.h"

namespace tributary::mysql {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& ch : out) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

std::string get(const ConfigMap& m, const std::string& k, const std::string& def) {
  auto it = m.find(k);
  return it == m.end() ? def : lower(it->second);
}

/// A quoted SQL string starting at s[pos] (' or "): the text with '' and \x unescaped.
std::string read_quoted(std::string_view s, std::size_t& pos) {
  const char q = s[pos++];
  std::string out;
  while (pos < s.size()) {
    const char ch = s[pos++];
    if (ch == '\\' && pos < s.size()) {
      out += s[pos++];
    } else if (ch == q) {
      if (pos < s.size() && s[pos] == q) {
        out += q;
        ++pos;
      } else {
        return out;
      }
    } else {
      out += ch;
    }
  }
  throw std::invalid_argument("unterminated quoted string in column type");
}

std::int64_t parse_int(std::string_view t) {
  // Up to 18 digits (every column of a row but the widest BIGINTs): a digit loop that cannot
  // overflow; from_chars was a tenth of a wide row's snapshot (its checks and its generality).
  {
    std::size_t i = !t.empty() && (t[0] == '-' || t[0] == '+') ? 1 : 0;
    const std::size_t digits = t.size() - i;
    if (digits >= 1 && digits <= 18) {
      std::int64_t v = 0;
      for (; i < t.size(); ++i) {
        const auto d = static_cast<unsigned>(static_cast<unsigned char>(t[i]) - '0');
        if (d > 9) break;
        v = v * 10 + static_cast<std::int64_t>(d);
      }
      if (i == t.size()) return t[0] == '-' ? -v : v;
    }
  }
  std::int64_t v = 0;
  const auto* b = t.data();
  const auto* e = b + t.size();
  if (b != e && *b == '+') ++b;
  auto r = std::from_chars(b, e, v);
  if (r.ec != std::errc() || r.ptr != e)
    throw std::invalid_argument("not an integer: '" + std::string(t) + "'");
  return v;
}

std::uint64_t parse_uint(std::string_view t) {
  std::uint64_t v = 0;
  auto r = std::from_chars(t.data(), t.data() + t.size(), v);
  if (r.ec != std::errc() || r.ptr != t.data() + t.size())
    throw std::invalid_argument("not an unsigned integer: '" + std::string(t) + "'");
  return v;
}

double parse_double(std::string_view t) {
  double v = 0;
  auto r = std::from_chars(t.data(), t.data() + t.size(), v);
  if (r.ec != std::errc() || r.ptr != t.data() + t.size())
    throw std::invalid_argument("not a number: '" + std::string(t) + "'");
  return v;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

void put_digits(std::string& out, std::int64_t v, int width) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  for (auto n = static_cast<int>(r.ptr - buf); n < width; ++n) out += '0';
  out.append(buf, r.ptr);
}

/// ISO-8601 UTC text of epoch micros: `digits` fraction digits (-1: as few as needed, none for
/// a zero fraction, as java.time's ISO formatter writes them).
std::string iso_utc(std::int64_t micros, int digits) {
  const std::int64_t secs = floor_div(micros, 1000000);
  auto frac = static_cast<std::int64_t>(micros - secs * 1000000);
  const std::int64_t days = floor_div(secs, 86400);
  const std::int64_t sod = secs - days * 86400;
  std::int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  std::string out;
  out.reserve(32);
  put_digits(out, y, 4);
  out += '-';
  put_digits(out, m, 2);
  out += '-';
  put_digits(out, d, 2);
  out += 'T';
  put_digits(out, sod / 3600, 2);
  out += ':';
  put_digits(out, sod / 60 % 60, 2);
  out += ':';
  put_digits(out, sod % 60, 2);
  if (digits < 0) {
    if (frac != 0) {
      int n = 6;
      while (frac % 10 == 0) {
        frac /= 10;
        --n;
      }
      out += '.';
      put_digits(out, frac, n);
    }
  } else if (digits > 0) {
    out += '.';
    std::int64_t f = frac;
    for (int i = digits; i < 6; ++i) f /= 10;
    put_digits(out, f, digits);
  }
  out += 'Z';
  return out;
}

struct DateTimeParts {
  int year = 0, month = 0, day = 0;
  std::int64_t micros_of_day = 0;
};

/// "HH:MM:SS[.ffffff]" (hours up to 838 and a sign for TIME) -> micros; sets `negative`.
std::int64_t parse_time(std::string_view t, bool& negative) {
  negative = !t.empty() && t[0] == '-';
  if (negative) t.remove_prefix(1);
  const auto c1 = t.find(':');
  const auto c2 = t.find(':', c1 == std::string_view::npos ? 0 : c1 + 1);
  if (c1 == std::string_view::npos || c2 == std::string_view::npos)
    throw std::invalid_argument("not a time: '" + std::string(t) + "'");
  const std::int64_t h = parse_int(t.substr(0, c1));
  const std::int64_t mi = parse_int(t.substr(c1 + 1, c2 - c1 - 1));
  std::string_view sec = t.substr(c2 + 1);
  std::int64_t frac = 0;
  if (const auto dot = sec.find('.'); dot != std::string_view::npos) {
    std::string_view f = sec.substr(dot + 1);
    sec = sec.substr(0, dot);
    if (f.size() > 6) f = f.substr(0, 6);
    frac = f.empty() ? 0 : parse_int(f);
    for (auto i = f.size(); i < 6; ++i) frac *= 10;
  }
  const std::int64_t s = parse_int(sec);
  return ((h * 60 + mi) * 60 + s) * 1000000 + frac;
}

// The server's own layout, "YYYY-MM-DD[ HH:MM:SS[.f..f]]" with 1 to 6 fraction digits, read by
// position (parse_int() for each of its 7 numbers was a fifth of a wide row's snapshot); false
// for anything else, which parse_datetime() reads field by field.
bool parse_datetime_fixed(std::string_view t, DateTimeParts& p) {
  const std::size_t n = t.size();
  if (!(n == 10 || n == 19 || (n >= 21 && n <= 26))) return false;
  auto digit = [&](std::size_t i, int& out) {
    const auto d = static_cast<unsigned>(static_cast<unsigned char>(t[i]) - '0');
    out = static_cast<int>(d);
    return d <= 9;
  };
  int v[14];  // the digits of YYYYMMDD HHMMSS
  static constexpr std::size_t kAt[14] = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18};
  const std::size_t count = n == 10 ? 8 : 14;
  bool ok = t[4] == '-' && t[7] == '-';
  if (n > 10) ok = ok && t[10] == ' ' && t[13] == ':' && t[16] == ':' && (n == 19 || t[19] == '.');
  for (std::size_t k = 0; ok && k < count; ++k) ok = digit(kAt[k], v[k]);
  if (!ok) return false;
  p.year = ((v[0] * 10 + v[1]) * 10 + v[2]) * 10 + v[3];
  p.month = v[4] * 10 + v[5];
  p.day = v[6] * 10 + v[7];
  p.micros_of_day = 0;
  if (n == 10) return true;
  std::int64_t frac = 0;
  for (std::size_t i = 20; i < 26; ++i) {
    int d = 0;
    if (i < n && !digit(i, d)) return false;
    frac = frac * 10 + d;
  }
  const std::int64_t h = v[8] * 10 + v[9], mi = v[10] * 10 + v[11], s = v[12] * 10 + v[13];
  p.micros_of_day = ((h * 60 + mi) * 60 + s) * 1000000 + frac;
  return true;
}

DateTimeParts parse_datetime(std::string_view t) {
  DateTimeParts p;
  if (parse_datetime_fixed(t, p)) return p;
  if (t.size() < 10 || t[4] != '-' || t[7] != '-')
    throw std::invalid_argument("not a date: '" + std::string(t) + "'");
  p.year = static_cast<int>(parse_int(t.substr(0, 4)));
  p.month = static_cast<int>(parse_int(t.substr(5, 2)));
  p.day = static_cast<int>(parse_int(t.substr(8, 2)));
  if (t.size() > 11) {
    bool neg = false;
    p.micros_of_day = parse_time(t.substr(11), neg);
  }
  return p;
}

int adjust_year(int year, bool adjuster) {
  if (!adjuster) return year;
  if (year >= 0 && year < 70) return year + 2000;
  if (year >= 70 && year < 100) return year + 1900;
  return year;
}

Bytes unscaled_bytes(std::string_view decimal_text, int scale);

// unscaled_bytes() into `out` (its buffer reused): a value of up to 18 digits at the scale is read
// as a 64-bit number, a longer one (or anything unusual) through the digit string.
void unscaled_bytes_into(std::string_view decimal_text, int scale, Bytes& out) {
  std::size_t i = !decimal_text.empty() && (decimal_text[0] == '-' || decimal_text[0] == '+');
  const bool negative = i == 1 && decimal_text[0] == '-';
  std::int64_t v = 0;
  int digits = 0, frac = -1;
  bool simple = i < decimal_text.size();
  for (; simple && i < decimal_text.size(); ++i) {
    const char ch = decimal_text[i];
    if (ch == '.' && frac < 0) {
      frac = 0;
      continue;
    }
    const auto d = static_cast<unsigned>(static_cast<unsigned char>(ch) - '0');
    if (d > 9 || digits == 18) simple = false;
    if (!simple) break;
    if (frac >= 0) {
      if (frac >= scale) continue;  // more digits than the scale: cut, as unscaled_bytes()
      ++frac;
    }
    v = v * 10 + static_cast<std::int64_t>(d);
    ++digits;
  }
  if (digits == 0) simple = false;  // no digit at all: unscaled_bytes() says what it is
  for (int k = std::max(frac, 0); simple && k < scale; ++k) {
    if (digits == 18) simple = false;
    v *= 10;
    ++digits;
  }
  if (!simple) {
    out = unscaled_bytes(decimal_text, scale);
    return;
  }
  decimal_unscaled_from_int64(negative ? -v : v, out);
}

Bytes unscaled_bytes(std::string_view decimal_text, int scale) {
  // "-123.4" with scale 2 -> digits "-12340".
  std::string digits;
  digits.reserve(decimal_text.size() + 4);
  int frac = -1;
  for (char ch : decimal_text) {
    if (ch == '.') {
      frac = 0;
      continue;
    }
    if (ch == '-' || ch == '+') {
      if (ch == '-') digits += '-';
      continue;
    }
    if (ch < '0' || ch > '9')
      throw std::invalid_argument("not a decimal: '" + std::string(decimal_text) + "'");
    if (frac >= 0) {
      if (frac >= scale) continue;  // more digits than the scale: cut (the server rounds first)
      ++frac;
    }
    digits += ch;
  }
  for (int i = std::max(frac, 0); i < scale; ++i) digits += '0';
  return decimal_unscaled_from_string(digits);
}

std::string hex_lower(std::string_view b) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(b.size() * 2);
  for (unsigned char ch : b) {
    out += kHex[ch >> 4];
    out += kHex[ch & 15];
  }
  return out;
}

SchemaBuilder named(Type t, const char* name) {
  SchemaBuilder b(t);
  b.name(name).version(1);
  return b;
}

SchemaBuilder decimal_schema(int precision, int scale) {
  SchemaBuilder b(Type::Bytes);
  b.name("org.apache.kafka.connect.data.Decimal").version(1);
  b.parameter("scale", std::to_string(scale));
  b.parameter("connect.decimal.precision", std::to_string(precision));
  return b;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

double read_le_double(const char* p) {
  std::uint64_t bits = 0;
  for (int i = 7; i >= 0; --i) bits = bits << 8 | static_cast<unsigned char>(p[i]);
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

double read_be_double(const char* p) {
  std::uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) bits = bits << 8 | static_cast<unsigned char>(p[i]);
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

}  // namespace

std::string latin1_to_utf8(std::string_view bytes) {
  // MySQL's latin1 is Windows-1252; 0x81, 0x8D, 0x8F, 0x90 and 0x9D stay C1 controls.
  static const char16_t kHigh[32] = {
      0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 4);
  for (unsigned char ch : bytes) {
    unsigned cp = ch;
    if (ch >= 0x80 && ch < 0xA0) cp = kHigh[ch - 0x80];
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

void parse_column_type(std::string_view text, ColumnDef& c) {
  std::size_t pos = 0;
  while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
  std::size_t start = pos;
  while (pos < text.size() &&
         (std::isalnum(static_cast<unsigned char>(text[pos])) || text[pos] == '_'))
    ++pos;
  if (pos == start) throw std::invalid_argument("no type in '" + std::string(text) + "'");
  c.type = upper(text.substr(start, pos - start));
  c.type_name = c.type;
  c.length = -1;
  c.scale = -1;
  c.enum_values.clear();
  if (pos < text.size() && text[pos] == '(') {
    ++pos;
    if (c.type == "ENUM" || c.type == "SET") {
      while (pos < text.size() && text[pos] != ')') {
        if (text[pos] == '\'' || text[pos] == '"') {
          c.enum_values.push_back(read_quoted(text, pos));
        } else {
          ++pos;  // commas and spaces
        }
      }
    } else {
      const auto close = text.find(')', pos);
      if (close == std::string_view::npos)
        throw std::invalid_argument("unclosed ( in '" + std::string(text) + "'");
      const std::string_view args = text.substr(pos, close - pos);
      const auto comma = args.find(',');
      c.length = static_cast<int>(parse_int(args.substr(0, comma)));
      if (comma != std::string_view::npos) {
        std::string_view s = args.substr(comma + 1);
        while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
        c.scale = static_cast<int>(parse_int(s));
      }
      pos = close;
    }
    if (pos >= text.size())
      throw std::invalid_argument("unclosed ( in '" + std::string(text) + "'");
    ++pos;
  }
  const std::string rest = upper(text.substr(pos));
  c.is_unsigned = rest.find("UNSIGNED") != std::string::npos;
  c.zerofill = rest.find("ZEROFILL") != std::string::npos;
  if (c.zerofill) c.is_unsigned = true;
  // Aliases the server never writes back but a CREATE TABLE may use.
  if (c.type == "INTEGER") c.type = "INT";
  // BOOL in a CREATE TABLE: Debezium maps it to boolean (the server itself writes tinyint(1),
  // which stays int16).
  if (c.type == "BOOL" || c.type == "BOOLEAN") {
    c.type = "BOOLEAN";
    c.length = -1;
  }
  if (c.type == "DEC" || c.type == "NUMERIC" || c.type == "FIXED") c.type = "DECIMAL";
  if (c.type == "REAL") c.type = "DOUBLE";
}

ValueModes ValueModes::from(const ConfigMap& props) {
  ValueModes m;
  const auto dec = get(props, "decimal.handling.mode", "precise");
  m.decimal = dec == "double"   ? DecimalMode::Double
              : dec == "string" ? DecimalMode::String
                                : DecimalMode::Precise;
  m.bigint_unsigned = get(props, "bigint.unsigned.handling.mode", "long") == "precise"
                          ? BigintUnsignedMode::Precise
                          : BigintUnsignedMode::Long;
  m.time = get(props, "time.precision.mode", "adaptive_time_microseconds") == "connect"
               ? TimeMode::Connect
               : TimeMode::AdaptiveTimeMicroseconds;
  const auto bin = get(props, "binary.handling.mode", "bytes");
  m.binary = bin == "base64"            ? BinaryMode::Base64
             : bin == "base64-url-safe" ? BinaryMode::Base64UrlSafe
             : bin == "hex"             ? BinaryMode::Hex
                                        : BinaryMode::Bytes;
  m.time_adjuster = get(props, "enable.time.adjuster", "true") != "false";
  return m;
}

std::optional<ColumnCodec> ColumnCodec::make(const ColumnDef& c, const ValueModes& modes) {
  ColumnCodec k;
  k.modes_ = modes;
  k.optional_ = c.optional;
  k.length_ = c.length;
  auto set = [&](Kind kind, SchemaBuilder proto) {
    k.kind_ = kind;
    k.proto_ = std::move(proto);
    return std::optional<ColumnCodec>(std::move(k));
  };
  const std::string& t = c.type;
  const bool connect = modes.time == TimeMode::Connect;
  if (t == "TINYINT") return set(Kind::Int16, SchemaBuilder(Type::Int16));
  if (t == "BOOLEAN") return set(Kind::Bool, SchemaBuilder(Type::Boolean));
  if (t == "SMALLINT")
    return c.is_unsigned ? set(Kind::Int32, SchemaBuilder(Type::Int32))
                         : set(Kind::Int16, SchemaBuilder(Type::Int16));
  if (t == "MEDIUMINT") return set(Kind::Int32, SchemaBuilder(Type::Int32));
  if (t == "INT")
    return c.is_unsigned ? set(Kind::Int64, SchemaBuilder(Type::Int64))
                         : set(Kind::Int32, SchemaBuilder(Type::Int32));
  if (t == "BIGINT") {
    if (c.is_unsigned && modes.bigint_unsigned == BigintUnsignedMode::Precise)
      return set(Kind::UnsignedBigintPrecise, decimal_schema(20, 0));
    return set(Kind::Int64, SchemaBuilder(Type::Int64));
  }
  if (t == "DECIMAL") {
    const int precision = c.length < 0 ? 10 : c.length;
    k.scale_ = c.scale < 0 ? 0 : c.scale;
    switch (modes.decimal) {
      case DecimalMode::Precise:
        return set(Kind::DecimalPrecise, decimal_schema(precision, k.scale_));
      case DecimalMode::Double: return set(Kind::DecimalDouble, SchemaBuilder(Type::Float64));
      case DecimalMode::String: return set(Kind::DecimalString, SchemaBuilder(Type::String));
    }
  }
  if (t == "FLOAT") return set(Kind::Float32, SchemaBuilder(Type::Float32));
  if (t == "DOUBLE") return set(Kind::Float64, SchemaBuilder(Type::Float64));
  if (t == "BIT") {
    const int bits = c.length < 0 ? 1 : c.length;
    k.length_ = bits;
    if (bits == 1) return set(Kind::Boolean, SchemaBuilder(Type::Boolean));
    SchemaBuilder b = named(Type::Bytes, "io.debezium.data.Bits");
    b.parameter("length", std::to_string(bits));
    return set(Kind::Bits, std::move(b));
  }
  if (t == "CHAR" || t == "VARCHAR" || t == "TINYTEXT" || t == "TEXT" || t == "MEDIUMTEXT" ||
      t == "LONGTEXT" || t == "JSON") {
    if (c.charset == "binary") {  // CHAR(n) BINARY-less binary strings declared via charset
      k.binary_pad_ = t == "CHAR";
      return set(Kind::Binary,
                 SchemaBuilder(modes.binary == BinaryMode::Bytes ? Type::Bytes : Type::String));
    }
    k.latin1_ = c.charset == "latin1";
    // JSON written in a DDL Debezium parsed is io.debezium.data.Json; the server's own
    // definition (information_schema, SHOW CREATE TABLE) says longtext, a plain string.
    if (t == "JSON") return set(Kind::String, named(Type::String, "io.debezium.data.Json"));
    return set(Kind::String, SchemaBuilder(Type::String));
  }
  if (t == "BINARY" || t == "VARBINARY" || t == "TINYBLOB" || t == "BLOB" || t == "MEDIUMBLOB" ||
      t == "LONGBLOB") {
    k.binary_pad_ = t == "BINARY";
    if (k.binary_pad_ && k.length_ < 0) k.length_ = 1;
    return set(Kind::Binary,
               SchemaBuilder(modes.binary == BinaryMode::Bytes ? Type::Bytes : Type::String));
  }
  if (t == "ENUM" || t == "SET") {
    k.members_ = c.enum_values;
    SchemaBuilder b =
        named(Type::String, t == "ENUM" ? "io.debezium.data.Enum" : "io.debezium.data.EnumSet");
    b.parameter("allowed", join(c.enum_values));
    return set(t == "ENUM" ? Kind::Enum : Kind::Set, std::move(b));
  }
  if (t == "DATE")
    return set(Kind::Date, named(Type::Int32, connect ? "org.apache.kafka.connect.data.Date"
                                                      : "io.debezium.time.Date"));
  if (t == "TIME") {
    k.length_ = std::max(c.length, 0);
    return connect ? set(Kind::Time, named(Type::Int32, "org.apache.kafka.connect.data.Time"))
                   : set(Kind::Time, named(Type::Int64, "io.debezium.time.MicroTime"));
  }
  if (t == "DATETIME") {
    k.length_ = std::max(c.length, 0);
    if (connect)
      return set(Kind::Timestamp, named(Type::Int64, "org.apache.kafka.connect.data.Timestamp"));
    return set(Kind::Timestamp,
               named(Type::Int64, k.length_ <= 3 ? "io.debezium.time.Timestamp"
                                                 : "io.debezium.time.MicroTimestamp"));
  }
  if (t == "TIMESTAMP") {
    k.length_ = std::max(c.length, 0);
    return set(Kind::ZonedTimestamp, named(Type::String, "io.debezium.time.ZonedTimestamp"));
  }
  if (t == "YEAR") return set(Kind::Year, named(Type::Int32, "io.debezium.time.Year"));
  if (t == "POINT") {
    SchemaBuilder b = SchemaBuilder::struct_();
    b.name("io.debezium.data.geometry.Point").version(1).doc("Geometry (POINT)");
    b.field("x", SchemaBuilder(Type::Float64).build());
    b.field("y", SchemaBuilder(Type::Float64).build());
    b.field("wkb", SchemaBuilder(Type::Bytes).optional().build());
    b.field("srid", SchemaBuilder(Type::Int32).optional().build());
    return set(Kind::Point, std::move(b));
  }
  if (t == "GEOMETRY" || t == "LINESTRING" || t == "POLYGON" || t == "MULTIPOINT" ||
      t == "MULTILINESTRING" || t == "MULTIPOLYGON" || t == "GEOMETRYCOLLECTION" ||
      t == "GEOMCOLLECTION") {
    SchemaBuilder b = SchemaBuilder::struct_();
    b.name("io.debezium.data.geometry.Geometry").version(1).doc("Geometry");
    b.field("wkb", SchemaBuilder(Type::Bytes).build());
    b.field("srid", SchemaBuilder(Type::Int32).optional().build());
    return set(Kind::Geometry, std::move(b));
  }
  return std::nullopt;
}

SchemaPtr ColumnCodec::schema(bool optional, const std::optional<Value>& default_value) const {
  SchemaBuilder b = proto_;
  if (optional) b.optional();
  if (default_value) b.default_value(*default_value);
  return b.build();
}

Value ColumnCodec::binary(std::string_view bytes) const {
  std::string padded;
  if (binary_pad_ && static_cast<int>(bytes.size()) < length_) {
    padded.assign(bytes);
    padded.resize(static_cast<std::size_t>(length_), '\0');
    bytes = padded;
  }
  switch (modes_.binary) {
    case BinaryMode::Bytes: return Bytes(bytes.begin(), bytes.end());
    case BinaryMode::Hex: return hex_lower(bytes);
    case BinaryMode::Base64:
    case BinaryMode::Base64UrlSafe: {
      std::string out;
      append_base64(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), out,
                    modes_.binary == BinaryMode::Base64UrlSafe);
      return out;
    }
  }
  return Value();
}

Value ColumnCodec::date(int year, int month, int day) const {
  if (month == 0 || day == 0) return optional_ ? Value() : Value(std::int32_t{0});
  year = adjust_year(year, modes_.time_adjuster);
  return static_cast<std::int32_t>(
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)));
}

Value ColumnCodec::time(bool negative, std::int64_t micros) const {
  if (modes_.time == TimeMode::Connect) {
    if (negative && micros != 0) return Value();
    if (micros >= 86400LL * 1000000) return Value();
    return static_cast<std::int32_t>(micros / 1000);
  }
  return negative ? -micros : micros;
}

Value ColumnCodec::datetime(int year, int month, int day, std::int64_t micros_of_day) const {
  Value out;
  datetime_into(out, year, month, day, micros_of_day);
  return out;
}

Value ColumnCodec::geometry(std::string_view b) const {
  if (b.size() < 4) throw std::invalid_argument("geometry value shorter than its SRID");
  const std::uint32_t srid = static_cast<unsigned char>(b[0]) |
                             static_cast<unsigned char>(b[1]) << 8 |
                             static_cast<unsigned char>(b[2]) << 16 |
                             static_cast<std::uint32_t>(static_cast<unsigned char>(b[3])) << 24;
  const std::string_view wkb = b.substr(4);
  Struct s(built_);
  if (kind_ == Kind::Point) {
    if (wkb.size() < 21) throw std::invalid_argument("POINT value shorter than a WKB point");
    const bool le = wkb[0] == 1;
    const double x = le ? read_le_double(wkb.data() + 5) : read_be_double(wkb.data() + 5);
    const double y = le ? read_le_double(wkb.data() + 13) : read_be_double(wkb.data() + 13);
    s.put("x", x).put("y", y);
  }
  s.put("wkb", Bytes(wkb.begin(), wkb.end()));
  s.put("srid", srid == 0 ? Value() : Value(static_cast<std::int32_t>(srid)));
  return std::move(s).build();
}

namespace {
// Sets `slot` to the scalar `x`, in place when it holds one of its type.
template <class T>
void put(Value& slot, T x) {
  if (T* p = std::get_if<T>(&slot.storage())) {
    *p = x;
  } else {
    slot = Value(x);
  }
}
}  // namespace

void ColumnCodec::datetime_into(Value& slot, int year, int month, int day,
                                std::int64_t micros_of_day) const {
  // The zero DATETIME, and a zero month or day: null when optional, else 0.
  if (month == 0 || day == 0) {
    if (optional_) {
      slot = Value();
    } else {
      put(slot, std::int64_t{0});
    }
    return;
  }
  year = adjust_year(year, modes_.time_adjuster);
  const std::int64_t micros =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) *
          86400000000LL +
      micros_of_day;
  put(slot, modes_.time == TimeMode::Connect || length_ <= 3 ? floor_div(micros, 1000) : micros);
}

Value ColumnCodec::from_binlog(const BinlogValue& v) const {
  Value out;
  from_binlog_into(v, out);
  return out;
}

void ColumnCodec::from_binlog_into(const BinlogValue& v, Value& slot) const {
  using K = BinlogValue::Kind;
  if (v.kind == K::Null) {
    slot = Value();
    return;
  }
  switch (kind_) {
    case Kind::Int16:
      return put(slot, static_cast<std::int16_t>(v.kind == K::UInt ? static_cast<std::int64_t>(v.u)
                                                                   : v.i));
    case Kind::Int32:
      return put(slot, static_cast<std::int32_t>(v.kind == K::UInt ? static_cast<std::int64_t>(v.u)
                                                                   : v.i));
    case Kind::Int64: return put(slot, v.kind == K::UInt ? static_cast<std::int64_t>(v.u) : v.i);
    case Kind::UnsignedBigintPrecise:
      slot = decimal_unscaled_from_string(v.kind == K::UInt ? std::to_string(v.u)
                                                            : std::to_string(v.i));
      return;
    case Kind::DecimalPrecise:
      if (v.decimal_scale == scale_) {
        if (auto* b = std::get_if<Bytes>(&slot.storage()))
          return decimal_unscaled_from_int64(v.i, *b);
        slot = decimal_unscaled_from_int64(v.i);
        return;
      }
      slot = unscaled_bytes(decimal_text(v), scale_);
      return;
    case Kind::DecimalDouble: return put(slot, parse_double(decimal_text(v)));
    case Kind::DecimalString: return cdc::assign_text(slot, decimal_text(v));
    case Kind::Float32: return put(slot, static_cast<float>(v.d));
    case Kind::Float64: return put(slot, v.d);
    case Kind::Bool: return put(slot, v.kind == K::UInt ? v.u != 0 : v.i != 0);
    case Kind::Boolean: {
      bool any = false;
      for (char ch : v.bytes) any = any || ch != 0;
      return put(slot, any);
    }
    case Kind::Bits: {
      // The binlog's big-endian bytes; Debezium's Bits are little-endian.
      Bytes out(v.bytes.rbegin(), v.bytes.rend());
      slot = std::move(out);
      return;
    }
    case Kind::String:
      if (latin1_) {
        slot = latin1_to_utf8(v.bytes);
        return;
      }
      return cdc::assign_text(slot, v.bytes);
    case Kind::Binary:
      if (modes_.binary == BinaryMode::Bytes &&
          !(binary_pad_ && static_cast<int>(v.bytes.size()) < length_))
        return cdc::assign_bytes(slot, reinterpret_cast<const std::uint8_t*>(v.bytes.data()),
                                 v.bytes.size());
      slot = binary(v.bytes);
      return;
    case Kind::Enum:
      if (v.u == 0 || v.u > members_.size()) return cdc::assign_text(slot, {});
      return cdc::assign_text(slot, members_[v.u - 1]);
    case Kind::Set: {
      std::string out;
      for (std::size_t i = 0; i < members_.size() && i < 64; ++i)
        if (v.u >> i & 1) out += (out.empty() ? "" : ",") + members_[i];
      return cdc::assign_text(slot, out);
    }
    case Kind::Date: slot = date(v.year, v.month, v.day); return;
    case Kind::Time:
      slot = time(v.negative,
                  ((static_cast<std::int64_t>(v.hour) * 60 + v.minute) * 60 + v.second) * 1000000 +
                      v.micros);
      return;
    case Kind::Timestamp:
      return datetime_into(
          slot, v.year, v.month, v.day,
          ((static_cast<std::int64_t>(v.hour) * 60 + v.minute) * 60 + v.second) * 1000000 +
              v.micros);
    case Kind::ZonedTimestamp:
      return cdc::assign_text(slot, iso_utc(v.i * 1000000 + v.micros, length_));
    case Kind::Year: return put(slot, static_cast<std::int32_t>(v.i == 0 ? 1900 : v.i));
    case Kind::Geometry:
    case Kind::Point: slot = geometry(v.bytes); return;
  }
  slot = Value();
}

void ColumnCodec::from_text_into(std::string_view t, Value& slot) const {
  // The kinds of most columns, in place (a snapshot row's struct is a pooled one); the others as
  // from_text() makes them.
  switch (kind_) {
    case Kind::Int16: return put(slot, static_cast<std::int16_t>(parse_int(t)));
    case Kind::Int32: return put(slot, static_cast<std::int32_t>(parse_int(t)));
    case Kind::Int64:
      if (!t.empty() && t[0] != '-' && t.size() >= 19) break;
      return put(slot, parse_int(t));
    case Kind::DecimalPrecise:
      if (auto* b = std::get_if<Bytes>(&slot.storage())) return unscaled_bytes_into(t, scale_, *b);
      break;
    case Kind::String:
    case Kind::Enum:
    case Kind::Set:
    case Kind::DecimalString: return cdc::assign_text(slot, t);
    case Kind::Timestamp: {
      const auto p = parse_datetime(t);
      return datetime_into(slot, p.year, p.month, p.day, p.micros_of_day);
    }
    default: break;
  }
  slot = from_text(t);
}

Value ColumnCodec::from_text(std::string_view t) const {
  switch (kind_) {
    case Kind::Int16: return static_cast<std::int16_t>(parse_int(t));
    case Kind::Int32: return static_cast<std::int32_t>(parse_int(t));
    case Kind::Int64:
      if (!t.empty() && t[0] != '-' && t.size() >= 19)
        return static_cast<std::int64_t>(parse_uint(t));
      return parse_int(t);
    case Kind::UnsignedBigintPrecise: return decimal_unscaled_from_string(std::string(t));
    case Kind::DecimalPrecise: {
      Bytes out;
      unscaled_bytes_into(t, scale_, out);
      return out;
    }
    case Kind::DecimalDouble: return parse_double(t);
    case Kind::DecimalString: return std::string(t);
    case Kind::Float32: return static_cast<float>(parse_double(t));
    case Kind::Float64: return parse_double(t);
    case Kind::Bool: return t != "0";
    case Kind::Boolean: {
      for (char ch : t)
        if (ch != 0) return true;
      return false;
    }
    case Kind::Bits: {
      Bytes out(t.rbegin(), t.rend());
      out.resize(static_cast<std::size_t>((length_ + 7) / 8), 0);
      return out;
    }
    case Kind::String: return std::string(t);  // the connection's charset is utf8mb4
    case Kind::Binary: return binary(t);
    case Kind::Enum:
    case Kind::Set: return std::string(t);
    case Kind::Date: {
      const auto p = parse_datetime(t);
      return date(p.year, p.month, p.day);
    }
    case Kind::Time: {
      bool negative = false;
      const std::int64_t us = parse_time(t, negative);
      return time(negative, us);
    }
    case Kind::Timestamp: {
      const auto p = parse_datetime(t);
      return datetime(p.year, p.month, p.day, p.micros_of_day);
    }
    case Kind::ZonedTimestamp: {
      const auto p = parse_datetime(t);
      if (p.month == 0 || p.day == 0) return Value();  // the zero TIMESTAMP
      const std::int64_t days =
          days_from_civil(p.year, static_cast<unsigned>(p.month), static_cast<unsigned>(p.day));
      return iso_utc(days * 86400000000LL + p.micros_of_day, -1);
    }
    case Kind::Year:
      return static_cast<std::int32_t>(
          adjust_year(static_cast<int>(parse_int(t)), modes_.time_adjuster));
    case Kind::Geometry:
    case Kind::Point: return geometry(t);
  }
  return Value();
}

std::optional<Value> ColumnCodec::default_from_expression(std::string_view e) const {
  while (!e.empty() && std::isspace(static_cast<unsigned char>(e.front()))) e.remove_prefix(1);
  while (!e.empty() && std::isspace(static_cast<unsigned char>(e.back()))) e.remove_suffix(1);
  if (e.empty() || upper(e) == "NULL") return std::nullopt;
  const std::string u = upper(e);
  if (u.rfind("CURRENT_TIMESTAMP", 0) == 0 || u.rfind("NOW(", 0) == 0 ||
      u.rfind("LOCALTIMESTAMP", 0) == 0) {
    // Debezium gives a NOT NULL TIMESTAMP the epoch; a nullable one no default.
    if (optional_) return std::nullopt;
    if (kind_ == Kind::ZonedTimestamp) return Value(std::string("1970-01-01T00:00:00Z"));
    if (kind_ == Kind::Timestamp) return Value(std::int64_t{0});
    return std::nullopt;
  }
  std::string literal;
  bool quoted = false;
  if (e.front() == '\'' && e.size() >= 2 && e.back() == '\'') {
    // Debezium keeps the SQL quoting inside the literal ('it''s' -> it''s).
    literal.assign(e.substr(1, e.size() - 2));
    quoted = true;
  } else if ((e.front() == 'b' || e.front() == 'B') && e.size() >= 3 && e[1] == '\'') {
    // b'101': a bit literal.
    std::uint64_t bits = 0;
    for (char ch : e.substr(2, e.size() - 3)) bits = bits << 1 | (ch == '1');
    if (kind_ == Kind::Boolean) return Value(bits != 0);
    if (kind_ == Kind::Bits) {
      Bytes out(static_cast<std::size_t>((length_ + 7) / 8), 0);
      for (std::size_t i = 0; i < out.size() && i < 8; ++i)
        out[i] = static_cast<std::uint8_t>(bits >> (8 * i));
      return Value(std::move(out));
    }
    return std::nullopt;
  } else {
    literal.assign(e);
  }
  (void)quoted;
  if (upper(literal) == "TRUE") literal = "1";
  if (upper(literal) == "FALSE") literal = "0";
  try {
    switch (kind_) {
      case Kind::Int64:
        if (!literal.empty() && literal[0] != '-' && literal.size() >= 19) {
          const std::uint64_t u = parse_uint(literal);
          // BIGINT UNSIGNED under long: Debezium saturates the default (the values wrap).
          return Value(u > 9223372036854775807ULL ? std::int64_t{9223372036854775807LL}
                                                  : static_cast<std::int64_t>(u));
        }
        return from_text(literal);
      case Kind::Bool: return Value(literal != "0" && upper(literal) != "FALSE");
      case Kind::Boolean:
      case Kind::Bits: {
        const std::uint64_t bits = parse_uint(literal);
        if (kind_ == Kind::Boolean) return Value(bits != 0);
        Bytes out(static_cast<std::size_t>((length_ + 7) / 8), 0);
        for (std::size_t i = 0; i < out.size() && i < 8; ++i)
          out[i] = static_cast<std::uint8_t>(bits >> (8 * i));
        return Value(std::move(out));
      }
      case Kind::String:
      case Kind::Enum:
      case Kind::Set: return Value(literal);
      case Kind::Binary: return binary(literal);
      case Kind::Geometry:
      case Kind::Point: return std::nullopt;
      case Kind::Date:
      case Kind::Timestamp: {
        // A zero date default of a NOT NULL column is 0; of a nullable one, none.
        Value v = from_text(literal);
        if (v.is_null()) return std::nullopt;
        return v;
      }
      case Kind::ZonedTimestamp: {
        Value v = from_text(literal);
        if (v.is_null())
          return optional_ ? std::nullopt
                           : std::optional<Value>(std::string("1970-01-01T00:00:00Z"));
        return v;
      }
      default: {
        Value v = from_text(literal);
        if (v.is_null()) return std::nullopt;
        return v;
      }
    }
  } catch (const std::exception&) {
    return std::nullopt;  // an expression Debezium cannot evaluate either: no default
  }
}

}  // namespace tributary::mysql
