#include "pg_types.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "pg_text.h"
#include "tributary/civil.h"

namespace tributary::pg {
namespace {

std::string get(const ConfigMap& m, const std::string& k, const std::string& def) {
  auto it = m.find(k);
  return it == m.end() || it->second.empty() ? def : it->second;
}

[[noreturn]] void bad(const char* what, std::string_view text) {
  throw std::invalid_argument(std::string("not a PostgreSQL ") + what + ": '" + std::string(text) +
                              "'");
}

std::int64_t parse_int(std::string_view t, const char* what) {
  if (t.empty()) bad(what, t);
  size_t i = 0;
  const bool neg = t[0] == '-';
  if (neg || t[0] == '+') ++i;
  if (i == t.size()) bad(what, t);
  // Accumulate negatively so that the minimum value fits.
  std::int64_t v = 0;
  for (; i < t.size(); ++i) {
    const char c = t[i];
    if (c < '0' || c > '9') bad(what, t);
    const int d = c - '0';
    if (v < (std::numeric_limits<std::int64_t>::min() + d) / 10) bad(what, t);
    v = v * 10 - d;
  }
  if (!neg) {
    if (v == std::numeric_limits<std::int64_t>::min()) bad(what, t);
    v = -v;
  }
  return v;
}

double parse_double(std::string_view t, const char* what) {
  if (t == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (t == "Infinity") return std::numeric_limits<double>::infinity();
  if (t == "-Infinity") return -std::numeric_limits<double>::infinity();
  double d = 0;
  const auto r = std::from_chars(t.data(), t.data() + t.size(), d);
  if (t.empty() || r.ec != std::errc() || r.ptr != t.data() + t.size()) bad(what, t);
  return d;
}

float parse_float(std::string_view t) {
  if (t == "NaN") return std::numeric_limits<float>::quiet_NaN();
  if (t == "Infinity") return std::numeric_limits<float>::infinity();
  if (t == "-Infinity") return -std::numeric_limits<float>::infinity();
  float f = 0;
  const auto r = std::from_chars(t.data(), t.data() + t.size(), f);
  if (t.empty() || r.ec != std::errc() || r.ptr != t.data() + t.size()) bad("real", t);
  return f;
}

bool is_nan_or_inf_numeric(std::string_view t) {
  return t == "NaN" || t == "Infinity" || t == "-Infinity";
}

// Debezium's values for infinite dates and timestamps (what 2.7 writes while streaming).
constexpr std::int32_t kDatePosInfinity = -2147472692;
constexpr std::int32_t kDateNegInfinity = -2147472691;
constexpr std::int64_t kMicrosPosInfinity = 9223372036825200000LL;
constexpr std::int64_t kMicrosNegInfinity = -9223372036832400000LL;

void append_2(std::string& out, int v) {
  out += static_cast<char>('0' + v / 10);
  out += static_cast<char>('0' + v % 10);
}

// Two digits of v (0..99) at p.
char* put_2(char* p, std::int64_t v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
  return p + 2;
}

// "2024-02-29T11:45:30.123456Z" from microseconds since the epoch, `digits` fraction digits
// (0..6). Written into a stack buffer: one allocation per value.
std::string iso_utc(std::int64_t micros, int digits) {
  const std::int64_t days = civil::floor_div(micros, 86400000000LL);
  std::int64_t us = micros - days * 86400000000LL;
  std::int64_t y;
  int m, d;
  civil::civil_from_days(days, y, m, d);
  char buf[64];
  char* p = buf;
  if (y < 0)
    *p++ = '-';
  else if (y > 9999)
    *p++ = '+';
  char year[24];
  const auto yr = std::to_chars(year, year + sizeof(year), y < 0 ? -y : y);
  for (auto n = yr.ptr - year; n < 4; ++n) *p++ = '0';
  p = std::copy(year, yr.ptr, p);
  *p++ = '-';
  p = put_2(p, m);
  *p++ = '-';
  p = put_2(p, d);
  *p++ = 'T';
  p = put_2(p, us / 3600000000LL);
  us %= 3600000000LL;
  *p++ = ':';
  p = put_2(p, us / 60000000);
  us %= 60000000;
  *p++ = ':';
  p = put_2(p, us / 1000000);
  us %= 1000000;
  if (digits > 0) {
    char frac[6];
    for (int i = 5; i >= 0; --i, us /= 10) frac[i] = static_cast<char>('0' + us % 10);
    *p++ = '.';
    p = std::copy(frac, frac + std::min(digits, 6), p);
  }
  *p++ = 'Z';
  return std::string(buf, p);
}

// Java's LocalTime.toString()-style fraction: seconds always, fraction without trailing zeros
// in groups of 3 digits (ISO_LOCAL_TIME prints the shortest of 3, 6 or 9 digits).
std::string iso_time(std::int64_t us) {
  std::string out;
  append_2(out, static_cast<int>(us / 3600000000LL));
  us %= 3600000000LL;
  out += ':';
  append_2(out, static_cast<int>(us / 60000000));
  us %= 60000000;
  out += ':';
  append_2(out, static_cast<int>(us / 1000000));
  us %= 1000000;
  if (us != 0) {
    std::string frac = std::to_string(us);
    frac.insert(0, 6 - frac.size(), '0');
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    out += '.';
    out += frac;
  }
  return out;
}

// "13:45:30.5+02" (timetz) -> "11:45:30.5Z".
std::string zoned_time(std::string_view t) {
  size_t sign = t.find_first_of("+-", 8);
  if (sign == std::string_view::npos) bad("timetz", t);
  const std::int64_t local = parse_time_micros(t.substr(0, sign));
  size_t pos = sign + 1;
  auto two = [&](size_t& p) {
    if (p + 2 > t.size() || !isdigit(t[p]) || !isdigit(t[p + 1])) bad("timetz", t);
    const int v = (t[p] - '0') * 10 + (t[p + 1] - '0');
    p += 2;
    return v;
  };
  std::int64_t offset = two(pos) * 3600LL;
  if (pos < t.size() && t[pos] == ':') {
    ++pos;
    offset += two(pos) * 60LL;
    if (pos < t.size() && t[pos] == ':') {
      ++pos;
      offset += two(pos);
    }
  }
  if (pos != t.size()) bad("timetz", t);
  if (t[sign] == '-') offset = -offset;
  std::int64_t utc = (local - offset * 1000000LL) % 86400000000LL;
  if (utc < 0) utc += 86400000000LL;
  return iso_time(utc) + "Z";
}

// Interval text in IntervalStyle 'postgres': "1 year 2 mons 3 days 04:05:06.789".
struct IntervalParts {
  int years = 0, months = 0, days = 0, hours = 0, minutes = 0;
  double seconds = 0;
};
IntervalParts parse_interval(std::string_view t) {
  IntervalParts p;
  size_t pos = 0;
  auto skip_spaces = [&] {
    while (pos < t.size() && t[pos] == ' ') ++pos;
  };
  skip_spaces();
  while (pos < t.size()) {
    const size_t start = pos;
    if (t[pos] == '-' || t[pos] == '+') ++pos;
    while (pos < t.size() && isdigit(t[pos])) ++pos;
    if (pos < t.size() && t[pos] == ':') {  // the time part
      size_t q = start;
      const bool neg = t[q] == '-';
      if (t[q] == '-' || t[q] == '+') ++q;
      const std::string_view hms = t.substr(q);
      const size_t c1 = hms.find(':');
      const size_t c2 = hms.find(':', c1 + 1);
      if (c1 == std::string_view::npos || c2 == std::string_view::npos) bad("interval", t);
      const int h = static_cast<int>(parse_int(hms.substr(0, c1), "interval"));
      const int mi = static_cast<int>(parse_int(hms.substr(c1 + 1, c2 - c1 - 1), "interval"));
      const double s = parse_double(hms.substr(c2 + 1), "interval");
      p.hours = neg ? -h : h;
      p.minutes = neg ? -mi : mi;
      p.seconds = neg ? -s : s;
      break;
    }
    const auto n = static_cast<int>(parse_int(t.substr(start, pos - start), "interval"));
    skip_spaces();
    const size_t ustart = pos;
    while (pos < t.size() && isalpha(t[pos])) ++pos;
    const std::string_view unit = t.substr(ustart, pos - ustart);
    if (unit == "year" || unit == "years")
      p.years = n;
    else if (unit == "mon" || unit == "mons")
      p.months = n;
    else if (unit == "day" || unit == "days")
      p.days = n;
    else
      bad("interval", t);
    skip_spaces();
  }
  return p;
}

// Debezium's io.debezium.time.Interval ISO-8601 string, e.g. "P1Y2M3DT4H5M6.789S".
std::string interval_iso(const IntervalParts& p) {
  std::string out = "P";
  out += std::to_string(p.years) + "Y" + std::to_string(p.months) + "M" + std::to_string(p.days) +
         "DT" + std::to_string(p.hours) + "H" + std::to_string(p.minutes) + "M";
  // Seconds as BigDecimal.toPlainString() of the parsed value, trailing zeros stripped.
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", p.seconds);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  out += s + "S";
  return out;
}

std::string hex_lower(const Bytes& b) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(b.size() * 2);
  for (auto c : b) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

// The text of a "string" in an hstore or array literal: quoted with backslash escapes, or bare.
std::string read_quoted(std::string_view t, size_t& pos) {
  std::string out;
  ++pos;  // opening quote
  while (pos < t.size() && t[pos] != '"') {
    if (t[pos] == '\\' && pos + 1 < t.size()) ++pos;
    out += t[pos++];
  }
  if (pos >= t.size()) bad("quoted literal", t);
  ++pos;
  return out;
}

// hstore text: "a"=>"1", "b c"=>NULL
std::vector<std::pair<std::string, std::optional<std::string>>> parse_hstore(std::string_view t) {
  std::vector<std::pair<std::string, std::optional<std::string>>> out;
  size_t pos = 0;
  auto skip = [&] {
    while (pos < t.size() && (t[pos] == ' ' || t[pos] == ',')) ++pos;
  };
  skip();
  while (pos < t.size()) {
    if (t[pos] != '"') bad("hstore", t);
    std::string key = read_quoted(t, pos);
    if (t.substr(pos, 2) != "=>") bad("hstore", t);
    pos += 2;
    if (t.substr(pos, 4) == "NULL") {
      out.emplace_back(std::move(key), std::nullopt);
      pos += 4;
    } else {
      if (pos >= t.size() || t[pos] != '"') bad("hstore", t);
      out.emplace_back(std::move(key), read_quoted(t, pos));
    }
    skip();
  }
  return out;
}

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

// Array literal: {1,2,NULL}, {"a","b c"}; one dimension (nested braces are flattened).
std::vector<std::optional<std::string>> parse_array(std::string_view t) {
  std::vector<std::optional<std::string>> out;
  size_t pos = 0;
  // Skip an optional dimension decoration "[1:3]=".
  if (!t.empty() && t[0] == '[') {
    pos = t.find('=');
    if (pos == std::string_view::npos) bad("array", t);
    ++pos;
  }
  if (pos >= t.size() || t[pos] != '{') bad("array", t);
  ++pos;
  while (pos < t.size()) {
    const char c = t[pos];
    if (c == '}' || c == ',' || c == '{' || c == ' ') {
      ++pos;
      continue;
    }
    if (c == '"') {
      out.emplace_back(read_quoted(t, pos));
      continue;
    }
    const size_t start = pos;
    while (pos < t.size() && t[pos] != ',' && t[pos] != '}') ++pos;
    const std::string_view item = t.substr(start, pos - start);
    if (item == "NULL")
      out.emplace_back(std::nullopt);
    else
      out.emplace_back(std::string(item));
  }
  return out;
}

// bit string "101" -> the integer it spells, as little-endian bytes without trailing zero bytes
// (java.util.BitSet.toByteArray(), which Debezium uses for io.debezium.data.Bits).
Bytes bits_to_bytes(std::string_view t) {
  Bytes out((t.size() + 7) / 8, 0);
  for (size_t i = 0; i < t.size(); ++i) {
    const char c = t[t.size() - 1 - i];
    if (c == '1')
      out[i / 8] |= static_cast<std::uint8_t>(1u << (i % 8));
    else if (c != '0')
      bad("bit string", t);
  }
  while (!out.empty() && out.back() == 0) out.pop_back();
  return out;
}

void append_le_double(Bytes& out, double d) {
  std::uint64_t u;
  std::memcpy(&u, &d, 8);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(u >> (8 * i)));
}

SchemaBuilder named(Type t, const char* name) {
  SchemaBuilder b(t);
  b.name(name).version(1);
  return b;
}

// The digits after the decimal point of a numeric's text.
int scale_of(std::string_view t) {
  const size_t dot = t.find('.');
  return dot == std::string_view::npos ? 0 : static_cast<int>(t.size() - dot - 1);
}

}  // namespace

std::int64_t java_double_to_long(double d) {
  if (std::isnan(d)) return 0;
  if (d >= 9223372036854775807.0) return std::numeric_limits<std::int64_t>::max();
  if (d <= -9223372036854775808.0) return std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(d);
}

void TypeCatalog::add(PgTypeInfo t) {
  types_[t.oid] = std::move(t);
}

const PgTypeInfo* TypeCatalog::find(std::uint32_t oid) const {
  auto it = types_.find(oid);
  return it == types_.end() ? nullptr : &it->second;
}

const PgTypeInfo* TypeCatalog::resolve(std::uint32_t oid) const {
  const PgTypeInfo* t = find(oid);
  for (int depth = 0; t && t->kind == 'd' && depth < 16; ++depth) t = find(t->base);
  return t;
}

ValueModes ValueModes::from(const ConfigMap& props) {
  ValueModes m;
  const auto dec = get(props, "decimal.handling.mode", "precise");
  m.decimal = dec == "double"   ? DecimalMode::Double
              : dec == "string" ? DecimalMode::String
                                : DecimalMode::Precise;
  const auto time = get(props, "time.precision.mode", "adaptive");
  m.time = time == "connect"                      ? TimeMode::Connect
           : time == "adaptive_time_microseconds" ? TimeMode::AdaptiveTimeMicroseconds
                                                  : TimeMode::Adaptive;
  const auto bin = get(props, "binary.handling.mode", "bytes");
  m.binary = bin == "base64"            ? BinaryMode::Base64
             : bin == "base64-url-safe" ? BinaryMode::Base64UrlSafe
             : bin == "hex"             ? BinaryMode::Hex
                                        : BinaryMode::Bytes;
  m.interval = get(props, "interval.handling.mode", "numeric") == "string" ? IntervalMode::String
                                                                           : IntervalMode::Numeric;
  m.hstore =
      get(props, "hstore.handling.mode", "json") == "map" ? HstoreMode::Map : HstoreMode::Json;
  m.include_unknown = get(props, "include.unknown.datatypes", "false") == "true";
  m.unavailable_placeholder =
      get(props, "unavailable.value.placeholder", "__debezium_unavailable_value");
  return m;
}

std::optional<ColumnCodec> ColumnCodec::make(const TypeCatalog& types, std::uint32_t oid,
                                             std::int32_t typmod, const ValueModes& modes) {
  const PgTypeInfo* t = types.resolve(oid);
  ColumnCodec c;
  c.modes_ = std::make_shared<const ValueModes>(modes);
  auto set = [&](Kind k, SchemaBuilder b) {
    c.kind_ = k;
    c.proto_ = std::move(b);
    c.built_ = c.proto_.build();
    return std::optional<ColumnCodec>(std::move(c));
  };
  if (t == nullptr) {
    if (!modes.include_unknown) return std::nullopt;
    if (modes.binary == BinaryMode::Bytes)
      return set(Kind::UnknownBytes, SchemaBuilder(Type::Bytes));
    return set(Kind::UnknownString, SchemaBuilder(Type::String));
  }
  const std::string& n = t->name;
  // Time precision from the modifier: -1 (unspecified) means 6.
  const int tprec = typmod < 0 ? 6 : typmod;
  c.precision_ = tprec;
  const bool adaptive = modes.time != TimeMode::Connect;

  if (t->category == 'A' && t->element != 0) {
    auto elem = make(types, t->element, typmod, modes);
    if (!elem) return std::nullopt;
    // Element values in arrays are always optional.
    SchemaPtr item = elem->schema(true, std::nullopt);
    elem->bind(item);
    SchemaBuilder b = SchemaBuilder::array(item);
    c.element_ = std::make_shared<const ColumnCodec>(std::move(*elem));
    return set(Kind::Array, std::move(b));
  }
  if (t->kind == 'e') {
    SchemaBuilder b = named(Type::String, "io.debezium.data.Enum");
    std::string allowed;
    for (const auto& l : t->enum_labels) allowed += (allowed.empty() ? "" : ",") + l;
    b.parameter("allowed", allowed);
    return set(Kind::String, std::move(b));
  }
  if (n == "int2") return set(Kind::Int16, SchemaBuilder(Type::Int16));
  if (n == "int4") return set(Kind::Int32, SchemaBuilder(Type::Int32));
  if (n == "int8" || n == "oid") return set(Kind::Int64, SchemaBuilder(Type::Int64));
  if (n == "float4") return set(Kind::Float32, SchemaBuilder(Type::Float32));
  if (n == "float8") return set(Kind::Float64, SchemaBuilder(Type::Float64));
  if (n == "bool") return set(Kind::Boolean, SchemaBuilder(Type::Boolean));
  if (n == "numeric" || n == "money") {
    const bool money = n == "money";
    if (modes.decimal == DecimalMode::Double)
      return set(Kind::DecimalDouble, SchemaBuilder(Type::Float64));
    if (modes.decimal == DecimalMode::String)
      return set(Kind::DecimalString, SchemaBuilder(Type::String));
    if (money) {
      c.scale_ = 2;
      SchemaBuilder b = named(Type::Bytes, "org.apache.kafka.connect.data.Decimal");
      b.parameter("scale", "2");
      return set(Kind::MoneyPrecise, std::move(b));
    }
    if (typmod < 0) {  // unconstrained numeric
      SchemaBuilder b = SchemaBuilder::struct_();
      b.name("io.debezium.data.VariableScaleDecimal").version(1).doc("Variable scaled decimal");
      b.field("scale", schemas::int32()).field("value", schemas::bytes());
      return set(Kind::VarDecimalStruct, std::move(b));
    }
    const int precision = ((typmod - 4) >> 16) & 0xFFFF;
    c.scale_ = (typmod - 4) & 0xFFFF;
    SchemaBuilder b = named(Type::Bytes, "org.apache.kafka.connect.data.Decimal");
    b.parameter("scale", std::to_string(c.scale_));
    b.parameter("connect.decimal.precision", std::to_string(precision));
    return set(Kind::DecimalPrecise, std::move(b));
  }
  if (n == "date") {
    if (!adaptive)
      return set(Kind::ConnectDate, named(Type::Int32, "org.apache.kafka.connect.data.Date"));
    return set(Kind::Date, named(Type::Int32, "io.debezium.time.Date"));
  }
  if (n == "time") {
    if (!adaptive)
      return set(Kind::ConnectTime, named(Type::Int32, "org.apache.kafka.connect.data.Time"));
    if (modes.time == TimeMode::Adaptive && tprec <= 3)
      return set(Kind::MilliTime, named(Type::Int32, "io.debezium.time.Time"));
    return set(Kind::MicroTime, named(Type::Int64, "io.debezium.time.MicroTime"));
  }
  if (n == "timestamp") {
    if (!adaptive)
      return set(Kind::ConnectTimestamp,
                 named(Type::Int64, "org.apache.kafka.connect.data.Timestamp"));
    if (tprec <= 3)
      return set(Kind::MilliTimestamp, named(Type::Int64, "io.debezium.time.Timestamp"));
    return set(Kind::MicroTimestamp, named(Type::Int64, "io.debezium.time.MicroTimestamp"));
  }
  if (n == "timestamptz")
    return set(Kind::ZonedTimestamp, named(Type::String, "io.debezium.time.ZonedTimestamp"));
  if (n == "timetz") return set(Kind::ZonedTime, named(Type::String, "io.debezium.time.ZonedTime"));
  if (n == "interval") {
    if (modes.interval == IntervalMode::String)
      return set(Kind::IntervalString, named(Type::String, "io.debezium.time.Interval"));
    return set(Kind::MicroDuration, named(Type::Int64, "io.debezium.time.MicroDuration"));
  }
  if (n == "uuid") return set(Kind::String, named(Type::String, "io.debezium.data.Uuid"));
  if (n == "json" || n == "jsonb")
    return set(Kind::String, named(Type::String, "io.debezium.data.Json"));
  if (n == "xml") return set(Kind::String, named(Type::String, "io.debezium.data.Xml"));
  if (n == "ltree") return set(Kind::String, named(Type::String, "io.debezium.data.Ltree"));
  if (n == "bytea") {
    if (modes.binary == BinaryMode::Bytes) return set(Kind::Bytes, SchemaBuilder(Type::Bytes));
    return set(Kind::BinaryString, SchemaBuilder(Type::String));
  }
  if (n == "bit" || n == "varbit") {
    if (n == "bit" && typmod == 1) return set(Kind::Bit, SchemaBuilder(Type::Boolean));
    c.precision_ = typmod < 0 ? 0 : typmod;
    SchemaBuilder b = named(Type::Bytes, "io.debezium.data.Bits");
    b.parameter("length", std::to_string(c.precision_));
    return set(Kind::Bits, std::move(b));
  }
  if (n == "point") {
    SchemaBuilder b = SchemaBuilder::struct_();
    b.name("io.debezium.data.geometry.Point").version(1).doc("Geometry (POINT)");
    b.field("x", schemas::float64())
        .field("y", schemas::float64())
        .field("wkb", schemas::bytes(true))
        .field("srid", schemas::int32(true));
    return set(Kind::Point, std::move(b));
  }
  if (n == "hstore") {
    if (modes.hstore == HstoreMode::Map)
      return set(Kind::HstoreMap, SchemaBuilder::map(schemas::string(), schemas::string(true)));
    return set(Kind::HstoreJson, named(Type::String, "io.debezium.data.Json"));
  }
  if (n == "varchar" || n == "text" || n == "bpchar" || n == "char" || n == "name" ||
      n == "citext" || n == "inet" || n == "cidr" || n == "macaddr" || n == "macaddr8")
    return set(Kind::String, SchemaBuilder(Type::String));
  // include.unknown.datatypes: the value's text as binary, per binary.handling.mode.
  if (!modes.include_unknown) return std::nullopt;
  if (modes.binary == BinaryMode::Bytes) return set(Kind::UnknownBytes, SchemaBuilder(Type::Bytes));
  return set(Kind::UnknownString, SchemaBuilder(Type::String));
}

SchemaPtr ColumnCodec::schema(bool optional, const std::optional<Value>& default_value) const {
  SchemaBuilder b = proto_;
  if (optional) b.optional();
  if (default_value) b.default_value(*default_value);
  return b.build();
}

Value ColumnCodec::decode(std::string_view t) const {
  switch (kind_) {
    case Kind::Int16: return static_cast<std::int16_t>(parse_int(t, "smallint"));
    case Kind::Int32: return static_cast<std::int32_t>(parse_int(t, "integer"));
    case Kind::Int64: return parse_int(t, "bigint");
    case Kind::Float32: return parse_float(t);
    case Kind::Float64: return parse_double(t, "double precision");
    case Kind::Boolean: return t == "t" || t == "true";
    case Kind::Bit: return t == "1";
    case Kind::String: return std::string(t);
    case Kind::DecimalPrecise: {
      if (is_nan_or_inf_numeric(t)) return nullptr;
      return Bytes(parse_numeric(t, scale_).bytes);
    }
    case Kind::MoneyPrecise: {
      std::string digits;
      for (const char ch : t)
        if (isdigit(ch) || ch == '.' || ch == '-') digits += ch;
      if (!t.empty() && t.front() == '(') digits.insert(0, "-");
      return Bytes(parse_numeric(digits, 2).bytes);
    }
    case Kind::DecimalDouble: {
      if (t == "NaN" || t == "Infinity" || t == "-Infinity") return parse_double(t, "numeric");
      std::string digits;
      for (const char ch : t)
        if (isdigit(ch) || ch == '.' || ch == '-' || ch == 'e' || ch == 'E') digits += ch;
      return parse_double(digits, "numeric");
    }
    case Kind::DecimalString: {
      // Debezium writes BigDecimal text; its special values as Java enum-like names.
      if (t == "NaN") return std::string("NAN");
      if (t == "Infinity") return std::string("POSITIVE_INFINITY");
      if (t == "-Infinity") return std::string("NEGATIVE_INFINITY");
      std::string out;  // money: "$1,234.56" -> "1234.56"
      for (const char ch : t)
        if (isdigit(ch) || ch == '.' || ch == '-') out += ch;
      if (!t.empty() && t.front() == '(') out.insert(0, "-");
      return out;
    }
    case Kind::VarDecimalStruct: {
      if (is_nan_or_inf_numeric(t)) return nullptr;
      // Trailing fractional zeros are dropped (integral ones kept): 1.50 -> 15 scale 1.
      std::string_view trimmed = t;
      if (trimmed.find('.') != std::string_view::npos) {
        while (trimmed.back() == '0') trimmed.remove_suffix(1);
        if (trimmed.back() == '.') trimmed.remove_suffix(1);
      }
      auto d = parse_numeric(trimmed);
      Struct s(built_);
      s.put(0, static_cast<std::int32_t>(scale_of(trimmed)));
      s.put(1, Bytes(std::move(d.bytes)));
      return std::move(s).build();
    }
    case Kind::Date:
    case Kind::ConnectDate: {
      const auto inf = infinity_of(t);
      if (inf == Infinity::Positive) return kDatePosInfinity;
      if (inf == Infinity::Negative) return kDateNegInfinity;
      return static_cast<std::int32_t>(parse_date_days(t));
    }
    case Kind::MicroTime: return parse_time_micros(t);
    case Kind::MilliTime:
    case Kind::ConnectTime: return static_cast<std::int32_t>(parse_time_micros(t) / 1000);
    case Kind::MicroTimestamp:
    case Kind::MilliTimestamp:
    case Kind::ConnectTimestamp: {
      const auto inf = infinity_of(t);
      std::int64_t us;
      if (inf == Infinity::Positive)
        us = kMicrosPosInfinity;
      else if (inf == Infinity::Negative)
        us = kMicrosNegInfinity;
      else
        us = parse_timestamp_micros(t);
      return kind_ == Kind::MicroTimestamp ? us : civil::floor_div(us, 1000);
    }
    case Kind::ZonedTimestamp: {
      const auto inf = infinity_of(t);
      if (inf != Infinity::None) return std::string(t);
      if (std::string out; utc_timestamptz_as_iso(t, precision_, out)) return out;
      return iso_utc(parse_timestamptz_micros(t), precision_);
    }
    case Kind::ZonedTime: return zoned_time(t);
    case Kind::MicroDuration: {
      const auto p = parse_interval(t);
      const double days = static_cast<double>(p.years * 12 + p.months) * 30.4375 + p.days;
      const double secs = ((days * 24.0 + p.hours) * 60.0 + p.minutes) * 60.0 + p.seconds;
      return java_double_to_long(secs * 1000000.0);
    }
    case Kind::IntervalString: return interval_iso(parse_interval(t));
    case Kind::Bytes: return parse_bytea_hex(t);
    case Kind::BinaryString: {
      const Bytes b = parse_bytea_hex(t);
      std::string out;
      if (modes_->binary == BinaryMode::Hex) return hex_lower(b);
      append_base64(b.data(), b.size(), out, modes_->binary == BinaryMode::Base64UrlSafe);
      return out;
    }
    case Kind::UnknownBytes: return Bytes(t.begin(), t.end());
    case Kind::UnknownString: {
      const Bytes b(t.begin(), t.end());
      if (modes_->binary == BinaryMode::Hex) return hex_lower(b);
      std::string out;
      append_base64(b.data(), b.size(), out, modes_->binary == BinaryMode::Base64UrlSafe);
      return out;
    }
    case Kind::Bits: return bits_to_bytes(t);
    case Kind::Point: {
      // "(1.5,-2.25)"
      if (t.size() < 5 || t.front() != '(' || t.back() != ')') bad("point", t);
      const size_t comma = t.find(',');
      if (comma == std::string_view::npos) bad("point", t);
      const double x = parse_double(t.substr(1, comma - 1), "point");
      const double y = parse_double(t.substr(comma + 1, t.size() - comma - 2), "point");
      Bytes wkb = {0x01, 0x01, 0x00, 0x00, 0x00};
      append_le_double(wkb, x);
      append_le_double(wkb, y);
      Struct s(built_);
      s.put(0, x).put(1, y).put(2, std::move(wkb)).put(3, nullptr);
      return std::move(s).build();
    }
    case Kind::HstoreJson: {
      std::string out = "{";
      bool first = true;
      for (const auto& [k, v] : parse_hstore(t)) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, k);
        out += ':';
        if (v)
          append_json_string(out, *v);
        else
          out += "null";
      }
      out += '}';
      return out;
    }
    case Kind::HstoreMap: {
      Value::MapEntries m;
      for (auto& [k, v] : parse_hstore(t))
        m.emplace_back(Value(std::move(k)), v ? Value(std::move(*v)) : Value());
      return m;
    }
    case Kind::Array: {
      Value::Array out;
      for (const auto& item : parse_array(t)) {
        if (!item) {
          out.emplace_back();
          continue;
        }
        const Kind ek = element_->kind_;
        if ((ek == Kind::DecimalPrecise || ek == Kind::DecimalDouble || ek == Kind::DecimalString ||
             ek == Kind::VarDecimalStruct) &&
            is_nan_or_inf_numeric(*item))
          return nullptr;  // Debezium fails to convert such an array and writes null
        Value v = element_->decode(*item);
        // An element Debezium cannot represent (numeric NaN) nulls the whole array.
        if (v.is_null()) return nullptr;
        out.push_back(std::move(v));
      }
      return out;
    }
  }
  return std::string(t);
}

Value ColumnCodec::unavailable() const {
  const std::string& p = modes_->unavailable_placeholder;
  if (kind_ == Kind::BinaryString)  // hex: the placeholder itself; base64: Debezium gives null
    return modes_->binary == BinaryMode::Hex ? Value(p) : Value();
  switch (built_->type()) {
    case Type::String: return p;
    case Type::Bytes: return Bytes(p.begin(), p.end());
    case Type::Array: {
      // text[]: the placeholder as one element; integer arrays: its character codes.
      Value::Array a;
      switch (element_->kind_) {
        case Kind::String: a.emplace_back(p); break;
        case Kind::Int16:
          for (const char c : p) a.emplace_back(static_cast<std::int16_t>(c));
          break;
        case Kind::Int32:
          for (const char c : p) a.emplace_back(static_cast<std::int32_t>(c));
          break;
        case Kind::Int64:
          for (const char c : p) a.emplace_back(static_cast<std::int64_t>(c));
          break;
        default: return nullptr;
      }
      return a;
    }
    default: return nullptr;
  }
}

Value ColumnCodec::empty_value() const {
  switch (kind_) {
    case Kind::Int16: return std::int16_t{0};
    case Kind::Int32:
    case Kind::Date:
    case Kind::ConnectDate:
    case Kind::MilliTime:
    case Kind::ConnectTime: return std::int32_t{0};
    case Kind::Int64:
    case Kind::MicroTime:
    case Kind::MicroTimestamp:
    case Kind::MilliTimestamp:
    case Kind::ConnectTimestamp:
    case Kind::MicroDuration: return std::int64_t{0};
    case Kind::Float32: return 0.0f;
    case Kind::Float64:
    case Kind::DecimalDouble: return 0.0;
    case Kind::Boolean:
    case Kind::Bit: return false;
    case Kind::ZonedTimestamp: return iso_utc(0, precision_);
    case Kind::ZonedTime: return std::string("00:00:00Z");
    case Kind::DecimalPrecise:
    case Kind::MoneyPrecise: return Bytes{0};
    case Kind::DecimalString: return std::string("0");
    case Kind::String:
    case Kind::IntervalString:
    case Kind::HstoreJson:
    case Kind::BinaryString: return std::string();
    case Kind::Bytes:
    case Kind::Bits: return Bytes{};
    default: return nullptr;
  }
}

std::optional<Value> ColumnCodec::default_from_expression(std::string_view expr) const {
  // Literals as pg_get_expr prints them: 42, -7 or '-7'::integer, 'text'::type, true, 1.50.
  std::string_view e = expr;
  std::string literal;
  bool quoted = false;
  if (!e.empty() && e.front() == '\'') {
    // Debezium takes the text up to the next quote (so 'it''s' gives "it").
    const size_t close = e.find('\'', 1);
    if (close == std::string_view::npos) return empty_value();
    literal = std::string(e.substr(1, close - 1));
    quoted = true;
  } else if (!e.empty() && e.front() == '(' && e.back() == ')') {
    return default_from_expression(e.substr(1, e.size() - 2));
  } else {
    const size_t cast = e.find("::");
    literal = std::string(e.substr(0, cast));
    if (literal.find('(') != std::string::npos || literal.find(' ') != std::string::npos)
      return empty_value();
  }
  if (kind_ == Kind::Boolean && !quoted) {
    if (literal == "true") return Value(true);
    if (literal == "false") return Value(false);
  }
  if (kind_ == Kind::Array || kind_ == Kind::Point || kind_ == Kind::VarDecimalStruct ||
      kind_ == Kind::HstoreMap)
    return std::nullopt;
  try {
    Value v = decode(literal);
    if (v.is_null()) return empty_value();
    return v;
  } catch (const std::exception&) {
    return empty_value();
  }
}

}  // namespace tributary::pg
