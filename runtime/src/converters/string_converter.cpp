// StringConverter, ByteArrayConverter and SimpleHeaderConverter (see the header).
//
// Threading: instances are per task and role; the helpers are pure.
#include "converters/string_converter.h"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <stdexcept>

#include "converters/json_converter.h"

namespace tributary {

namespace {

constexpr std::int64_t kMillisPerDay = 86400000;

enum class Logical { None, Decimal, Date, Time, Timestamp };

Logical logical_of(const Schema* s) {
  if (s == nullptr || !s->name()) return Logical::None;
  const std::string& n = *s->name();
  if (n == logical::kDecimal) return Logical::Decimal;
  if (n == logical::kDate) return Logical::Date;
  if (n == logical::kTime) return Logical::Time;
  if (n == logical::kTimestamp) return Logical::Timestamp;
  return Logical::None;
}

// Milliseconds since the epoch of a Date / Time / Timestamp value, or nullopt when the value does
// not have the logical type's representation.
std::optional<std::int64_t> logical_millis(Logical l, const Value& v) {
  switch (l) {
    case Logical::Date:
      if (v.is<std::int32_t>()) return std::int64_t{v.as<std::int32_t>()} * kMillisPerDay;
      break;
    case Logical::Time:
      if (v.is<std::int32_t>()) return std::int64_t{v.as<std::int32_t>()};
      break;
    case Logical::Timestamp:
      if (v.is<std::int64_t>()) return v.as<std::int64_t>();
      break;
    default: break;
  }
  return std::nullopt;
}

struct CivilTime {
  std::int64_t year;
  int month;  // 1..12
  int day;    // 1..31
  int hour, minute, second, millis;
  int weekday;  // 0 = Sunday
};

// Proleptic Gregorian calendar fields of a UTC instant (days-to-civil by 400-year eras).
CivilTime civil_from_millis(std::int64_t ms) {
  std::int64_t days = ms / kMillisPerDay;
  std::int64_t rem = ms % kMillisPerDay;
  if (rem < 0) {
    rem += kMillisPerDay;
    --days;
  }
  CivilTime t{};
  t.millis = static_cast<int>(rem % 1000);
  t.second = static_cast<int>(rem / 1000 % 60);
  t.minute = static_cast<int>(rem / 60000 % 60);
  t.hour = static_cast<int>(rem / 3600000);
  t.weekday = static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday (4)
  const std::int64_t z = days + 719468;                 // days since 0000-03-01
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;                                       // [0, 146096]
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const std::int64_t mp = (5 * doy + 2) / 153;                                     // [0, 11]
  t.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  t.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  t.year = yoe + era * 400 + (t.month <= 2 ? 1 : 0);
  return t;
}

void append_padded(std::int64_t v, int width, std::string& out) {
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%0*lld", width, static_cast<long long>(v));
  out.append(buf, static_cast<std::size_t>(n));
}

// java.util.Date.toString() with the JVM in UTC: "Thu Jan 01 00:00:00 UTC 1970".
void append_java_date(std::int64_t ms, std::string& out) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const CivilTime t = civil_from_millis(ms);
  out += kDays[t.weekday];
  out += ' ';
  out += kMonths[t.month - 1];
  out += ' ';
  append_padded(t.day, 2, out);
  out += ' ';
  append_padded(t.hour, 2, out);
  out += ':';
  append_padded(t.minute, 2, out);
  out += ':';
  append_padded(t.second, 2, out);
  out += " UTC ";
  out += std::to_string(t.year);
}

// Connect's Values.dateFormatFor: a time of day below one day, a date at midnight, else a
// timestamp; formatted in UTC.
void append_iso_date(std::int64_t ms, std::string& out) {
  const CivilTime t = civil_from_millis(ms);
  const auto time_part = [&] {
    append_padded(t.hour, 2, out);
    out += ':';
    append_padded(t.minute, 2, out);
    out += ':';
    append_padded(t.second, 2, out);
    out += '.';
    append_padded(t.millis, 3, out);
    out += 'Z';
  };
  const auto date_part = [&] {
    append_padded(t.year, 4, out);
    out += '-';
    append_padded(t.month, 2, out);
    out += '-';
    append_padded(t.day, 2, out);
  };
  if (ms < kMillisPerDay) {
    time_part();
  } else if (ms % kMillisPerDay == 0) {
    date_part();
  } else {
    date_part();
    out += 'T';
    time_part();
  }
}

std::string_view kind_of(const Value& v) {
  static constexpr std::string_view kKinds[] = {"null",  "boolean", "int8",   "int16",  "int32",
                                                "int64", "float",   "double", "string", "bytes",
                                                "array", "map",     "struct"};
  return kKinds[v.storage().index()];
}

const Schema* value_schema_of(const Schema* s) {
  return s != nullptr ? s->value_schema().get() : nullptr;
}
const Schema* key_schema_of(const Schema* s) {
  return s != nullptr ? s->key_schema().get() : nullptr;
}

// Appends the Java toString of a number, boolean or string; false for other kinds.
bool append_scalar(const Value& v, std::string& out) {
  return std::visit(
      [&out](const auto& x) -> bool {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, bool>) {
          out += x ? "true" : "false";
          return true;
        } else if constexpr (std::is_same_v<T, float>) {
          json::append_java_float(x, out);
          return true;
        } else if constexpr (std::is_same_v<T, double>) {
          json::append_java_double(x, out);
          return true;
        } else if constexpr (std::is_integral_v<T>) {
          out += std::to_string(static_cast<std::int64_t>(x));
          return true;
        } else if constexpr (std::is_same_v<T, std::string>) {
          out += x;
          return true;
        } else {
          return false;
        }
      },
      v.storage());
}

// ---- Java toString (StringConverter)

void java_to_string(const Schema* schema, const Value& v, std::string& out) {
  if (v.is_null()) {
    out += "null";
    return;
  }
  const Logical l = logical_of(schema);
  if (l == Logical::Decimal && v.is<Bytes>()) {
    out += json::big_decimal_to_string(v.as<Bytes>(), json::decimal_scale(*schema));
    return;
  }
  if (const auto ms = logical_millis(l, v)) {
    append_java_date(*ms, out);
    return;
  }
  if (append_scalar(v, out)) return;
  if (v.is<Bytes>()) {
    const Bytes& b = v.as<Bytes>();
    out.append(reinterpret_cast<const char*>(b.data()), b.size());
  } else if (v.is<Value::Array>()) {
    // AbstractCollection.toString: "[a, b]"
    out += '[';
    bool first = true;
    for (const Value& item : v.as<Value::Array>()) {
      if (!first) out += ", ";
      first = false;
      java_to_string(value_schema_of(schema), item, out);
    }
    out += ']';
  } else if (v.is<Value::MapEntries>()) {
    // AbstractMap.toString: "{k=v, k2=v2}"
    out += '{';
    bool first = true;
    for (const auto& [k, val] : v.as<Value::MapEntries>()) {
      if (!first) out += ", ";
      first = false;
      java_to_string(key_schema_of(schema), k, out);
      out += '=';
      java_to_string(value_schema_of(schema), val, out);
    }
    out += '}';
  } else if (v.is_struct()) {
    // Connect's Struct.toString: non-null fields only, "Struct{a=1,b=x}"
    const auto& data = v.as_struct();
    out += "Struct{";
    bool first = true;
    const auto& fields = data.schema->fields();
    for (std::size_t i = 0; i < fields.size() && i < data.fields.size(); ++i) {
      if (data.fields[i].is_null()) continue;
      if (!first) out += ',';
      first = false;
      out += fields[i].name;
      out += '=';
      java_to_string(fields[i].schema.get(), data.fields[i], out);
    }
    out += '}';
  }
}

// ---- Values.convertToString (SimpleHeaderConverter)

void append_escaped(std::string_view s, std::string& out) {
  for (char c : s) {
    if (c == '\\' || c == '"') out += '\\';
    out += c;
  }
}

void values_append(const Schema* schema, const Value& v, bool embedded, std::string& out) {
  if (v.is_null()) {
    out += "null";
    return;
  }
  const Logical l = logical_of(schema);
  if (l == Logical::Decimal && v.is<Bytes>()) {
    out += json::big_decimal_to_string(v.as<Bytes>(), json::decimal_scale(*schema));
    return;
  }
  if (const auto ms = logical_millis(l, v)) {
    append_iso_date(*ms, out);
    return;
  }
  if (v.is<std::string>()) {
    if (embedded) {
      out += '"';
      append_escaped(v.as<std::string>(), out);
      out += '"';
    } else {
      out += v.as<std::string>();
    }
    return;
  }
  if (append_scalar(v, out)) return;
  if (v.is<Bytes>()) {
    const Bytes& b = v.as<Bytes>();
    if (embedded) out += '"';
    json::append_base64(b.data(), b.size(), out);
    if (embedded) out += '"';
  } else if (v.is<Value::Array>()) {
    out += '[';
    bool first = true;
    for (const Value& item : v.as<Value::Array>()) {
      if (!first) out += ',';
      first = false;
      values_append(value_schema_of(schema), item, true, out);
    }
    out += ']';
  } else if (v.is<Value::MapEntries>()) {
    out += '{';
    bool first = true;
    for (const auto& [k, val] : v.as<Value::MapEntries>()) {
      if (!first) out += ',';
      first = false;
      values_append(key_schema_of(schema), k, true, out);
      out += ':';
      values_append(value_schema_of(schema), val, true, out);
    }
    out += '}';
  } else if (v.is_struct()) {
    // Every field, null ones included; Struct.get applies the field's default.
    const auto& data = v.as_struct();
    out += '{';
    bool first = true;
    const auto& fields = data.schema->fields();
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (!first) out += ',';
      first = false;
      out += '"';
      append_escaped(fields[i].name, out);
      out += "\":";
      const Schema& fs = *fields[i].schema;
      const Value* fv = i < data.fields.size() ? &data.fields[i] : nullptr;
      if ((fv == nullptr || fv->is_null()) && fs.default_value().has_value()) {
        fv = &*fs.default_value();
      }
      static const Value kNull;
      values_append(&fs, fv != nullptr ? *fv : kNull, true, out);
    }
    out += '}';
  }
}

bool is_utf8_name(std::string_view s) {
  std::string u;
  for (char c : s) {
    if (!std::isspace(static_cast<unsigned char>(c))) {
      u += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  return u == "UTF8" || u == "UTF-8";
}

ConfigKey converter_type_key() {
  ConfigKey type;
  type.name = "converter.type";
  type.type = ConfigType::String;
  type.default_value = std::nullopt;
  type.importance = Importance::Low;
  type.documentation = "How this converter will be used.";
  type.validator = validators::one_of({"key", "value", "header"}, false);
  type.recommended_values = {"key", "value", "header"};
  type.valid_values_doc = "[key, value, header]";
  return type;
}

}  // namespace

void append_java_to_string(const SchemaPtr& schema, const Value& value, std::string& out) {
  java_to_string(schema.get(), value, out);
}

void append_values_string(const SchemaPtr& schema, const Value& value, std::string& out) {
  values_append(schema.get(), value, false, out);
}

// ---------------------------------------------------------------------------------------------
// Config definitions

ConfigDef string_converter_config_def() {
  ConfigDef def;
  def.define(converter_type_key());
  ConfigKey enc;
  enc.name = "converter.encoding";
  enc.type = ConfigType::String;
  enc.default_value = "UTF-8";
  enc.importance = Importance::High;
  enc.documentation =
      "The name of the Java character set to use for encoding strings as byte arrays.";
  enc.width = "MEDIUM";
  enc.display_name = "Encoding";
  def.define(std::move(enc));
  return def;
}

ConfigDef byte_array_converter_config_def() {
  ConfigDef def;
  def.define(converter_type_key());
  return def;
}

ConfigDef simple_header_converter_config_def() {
  return ConfigDef();
}

// ---------------------------------------------------------------------------------------------
// StringConverter

void StringConverter::configure(const ConfigMap& props, bool is_key) {
  (void)is_key;
  configure(props);
}

void StringConverter::configure(const ConfigMap& props) {
  static const ConfigDef def = string_converter_config_def();
  const Config config(def, props);
  const std::string enc = config.get_string("converter.encoding");
  if (!is_utf8_name(enc)) {
    throw ConfigError(
        "converter.encoding",
        "Invalid value " + enc + " for configuration converter.encoding: only UTF-8 is supported");
  }
}

bool StringConverter::from_connect(std::string_view topic, const SchemaPtr& schema,
                                   const Value& value, std::string& out) {
  (void)topic;
  out.clear();
  if (value.is_null()) return false;
  if (value.is<std::string>()) {
    out = value.as<std::string>();  // the common case
    return true;
  }
  java_to_string(schema.get(), value, out);
  return true;
}

bool StringConverter::from_connect_header(std::string_view topic, std::string_view header_key,
                                          const SchemaPtr& schema, const Value& value,
                                          std::string& out) {
  (void)header_key;
  return from_connect(topic, schema, value, out);
}

// ---------------------------------------------------------------------------------------------
// ByteArrayConverter

void ByteArrayConverter::configure(const ConfigMap& props, bool is_key) {
  (void)props;
  (void)is_key;
}

void ByteArrayConverter::configure(const ConfigMap& props) {
  (void)props;
}

bool ByteArrayConverter::from_connect(std::string_view topic, const SchemaPtr& schema,
                                      const Value& value, std::string& out) {
  (void)topic;
  out.clear();
  if (schema && schema->type() != Type::Bytes) {
    throw std::invalid_argument("Invalid schema type for ByteArrayConverter: " +
                                std::string(json::connect_type_enum_name(schema->type())));
  }
  if (value.is_null()) return false;
  if (!value.is<Bytes>()) {
    throw std::invalid_argument("ByteArrayConverter is not compatible with objects of type " +
                                std::string(kind_of(value)));
  }
  const Bytes& b = value.as<Bytes>();
  out.assign(reinterpret_cast<const char*>(b.data()), b.size());
  return true;
}

bool ByteArrayConverter::from_connect_header(std::string_view topic, std::string_view header_key,
                                             const SchemaPtr& schema, const Value& value,
                                             std::string& out) {
  (void)header_key;
  return from_connect(topic, schema, value, out);
}

// ---------------------------------------------------------------------------------------------
// SimpleHeaderConverter

void SimpleHeaderConverter::configure(const ConfigMap& props) {
  (void)props;
}

bool SimpleHeaderConverter::from_connect_header(std::string_view topic, std::string_view header_key,
                                                const SchemaPtr& schema, const Value& value,
                                                std::string& out) {
  (void)topic;
  (void)header_key;
  out.clear();
  if (value.is_null()) return false;
  if (value.is<std::string>()) {
    out = value.as<std::string>();
    return true;
  }
  values_append(schema.get(), value, false, out);
  return true;
}

}  // namespace tributary
