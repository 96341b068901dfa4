// org.apache.kafka.connect.transforms.Cast$Key / $Value: `spec` casts fields of a struct (or
// map) — `field:type,...` — or, as a single type, the whole key or value, to int8 ... float64,
// boolean or string. Values are converted as Java converts the objects Connect holds: Number's
// narrowing (wrap-around for integers, saturation for floating point), Byte.parseByte and
// friends for strings, Double.toString / BigDecimal.toString / base64 for text, Date / Time /
// Timestamp as their internal numbers (or Connect's ISO text, in UTC, when cast to string);
// Decimal fields are BigDecimal, as in Connect. `replace.null.with.default` as Kafka 3.9.
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "java_date.h"
#include "transforms.h"
#include "tributary/java_text.h"

namespace tributary::transforms {
namespace {

constexpr std::int64_t kDayMs = 86400000;

bool castable_to(Type t) {
  return t != Type::Bytes && t != Type::Array && t != Type::Map && t != Type::Struct;
}

// The Java object Cast sees: a Number of some kind, a Boolean, a String, a byte[] or a Date.
struct JavaValue {
  enum Kind { Integral, Float, Double, Decimal, Boolean, String, Binary, Date } kind;
  std::int64_t i = 0;        // Integral, Boolean (0/1), Date (epoch ms)
  double d = 0;              // Float, Double
  const Value* v = nullptr;  // String, Binary, Decimal (unscaled bytes)
  int scale = 0;             // Decimal
};

[[noreturn]] void out_of_range(const std::string& text) {
  throw DataException("Value (" + text + ") was out of range for requested data type");
}

// Integer.parseInt / Long.parseLong, then the range of the target width.
std::int64_t parse_java_integer(const std::string& s, std::int64_t min, std::int64_t max) {
  std::size_t at = 0;
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    at = 1;
  }
  if (at == s.size()) out_of_range(s);
  // Accumulate as a negative number, as Java does, so that the minimum fits.
  std::int64_t v = 0;
  for (; at < s.size(); ++at) {
    if (s[at] < '0' || s[at] > '9') out_of_range(s);
    const int digit = s[at] - '0';
    if (v < (std::numeric_limits<std::int64_t>::min() + digit) / 10) out_of_range(s);
    v = v * 10 - digit;
  }
  if (!negative) {
    if (v == std::numeric_limits<std::int64_t>::min()) out_of_range(s);
    v = -v;
  }
  if (v < min || v > max) out_of_range(s);
  return v;
}

// Float.parseFloat / Double.parseDouble: surrounding spaces trimmed, an optional sign, NaN,
// Infinity, decimal or hexadecimal (0x1.8p3) digits and exponent, an optional f/F/d/D suffix.
double parse_java_floating(const std::string& s, bool single) {
  std::size_t b = 0, e = s.size();
  while (b < e && static_cast<unsigned char>(s[b]) <= ' ') ++b;
  while (e > b && static_cast<unsigned char>(s[e - 1]) <= ' ') --e;
  std::string t = s.substr(b, e - b);
  std::size_t at = 0;
  if (at < t.size() && (t[at] == '+' || t[at] == '-')) ++at;
  const std::string body = t.substr(at);
  bool ok = false;
  if (body == "NaN" || body == "Infinity") {
    ok = true;
  } else {
    if (!body.empty() &&
        (body.back() == 'f' || body.back() == 'F' || body.back() == 'd' || body.back() == 'D'))
      t.pop_back();
    const std::string num = t.substr(at);
    std::size_t i = 0;
    const bool hex = num.size() > 2 && num[0] == '0' && (num[1] == 'x' || num[1] == 'X');
    auto digit = [&](char c) {
      return hex ? std::isxdigit(static_cast<unsigned char>(c)) != 0 : (c >= '0' && c <= '9');
    };
    if (hex) i = 2;
    std::size_t digits = 0;
    while (i < num.size() && digit(num[i])) ++i, ++digits;
    if (i < num.size() && num[i] == '.') {
      ++i;
      while (i < num.size() && digit(num[i])) ++i, ++digits;
    }
    ok = digits > 0;
    const char exp_char = hex ? 'p' : 'e';
    if (i < num.size() && std::tolower(static_cast<unsigned char>(num[i])) == exp_char) {
      ++i;
      if (i < num.size() && (num[i] == '+' || num[i] == '-')) ++i;
      std::size_t exp_digits = 0;
      while (i < num.size() && num[i] >= '0' && num[i] <= '9') ++i, ++exp_digits;
      ok = ok && exp_digits > 0;
    } else if (hex) {
      ok = false;  // Java requires the binary exponent
    }
    ok = ok && i == num.size();
  }
  if (!ok) out_of_range(s);
  return single ? static_cast<double>(std::strtof(t.c_str(), nullptr))
                : std::strtod(t.c_str(), nullptr);
}

// Java's narrowing of a floating point value to long (saturating, NaN = 0).
std::int64_t java_d2l(double d) {
  if (std::isnan(d)) return 0;
  if (d >= 9223372036854775807.0) return std::numeric_limits<std::int64_t>::max();
  if (d <= -9223372036854775808.0) return std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(d);
}
// ... to int, which byte and short narrow from.
std::int32_t java_d2i(double d) {
  if (std::isnan(d)) return 0;
  if (d >= 2147483647.0) return std::numeric_limits<std::int32_t>::max();
  if (d <= -2147483648.0) return std::numeric_limits<std::int32_t>::min();
  return static_cast<std::int32_t>(d);
}

// BigDecimal.longValue: the integer part (truncated toward zero), its low 64 bits.
std::int64_t decimal_long_value(const Bytes& unscaled, int scale) {
  // Magnitude as base-1e9 limbs, most significant first.
  const bool negative = !unscaled.empty() && (unscaled[0] & 0x80) != 0;
  std::vector<std::uint8_t> mag(unscaled.begin(), unscaled.end());
  if (negative) {  // two's complement negation
    bool carry = true;
    for (auto it = mag.rbegin(); it != mag.rend(); ++it) {
      *it = static_cast<std::uint8_t>(~*it);
      if (carry) carry = ++*it == 0;
    }
  }
  // Divide (or multiply) by powers of ten on a base-256 big-endian number.
  auto divide10 = [&mag] {
    unsigned rem = 0;
    for (auto& byte : mag) {
      const unsigned cur = (rem << 8) | byte;
      byte = static_cast<std::uint8_t>(cur / 10);
      rem = cur % 10;
    }
  };
  auto multiply10 = [&mag] {
    unsigned carry = 0;
    for (auto it = mag.rbegin(); it != mag.rend(); ++it) {
      const unsigned cur = *it * 10u + carry;
      *it = static_cast<std::uint8_t>(cur & 0xFF);
      carry = cur >> 8;
    }
    if (carry) mag.insert(mag.begin(), static_cast<std::uint8_t>(carry));
  };
  for (int i = 0; i < scale; ++i) divide10();
  for (int i = 0; i < -scale && mag.size() < 64; ++i) multiply10();  // low 64 bits settle early
  std::uint64_t low = 0;
  for (std::size_t i = mag.size() > 8 ? mag.size() - 8 : 0; i < mag.size(); ++i)
    low = (low << 8) | mag[i];
  if (negative) low = ~low + 1;
  return static_cast<std::int64_t>(low);
}

double decimal_double_value(const Bytes& unscaled, int scale) {
  return std::strtod(big_decimal_to_string(unscaled, scale).c_str(), nullptr);
}

JavaValue java_value(const Schema* schema, const Value& v, Type target) {
  JavaValue j{JavaValue::Integral};
  const std::string* name = schema && schema->name() ? &*schema->name() : nullptr;
  if (name != nullptr && *name == logical::kDecimal && v.is<Bytes>()) {
    j.kind = JavaValue::Decimal;
    j.v = &v;
    const auto p = schema->parameter(logical::kDecimalScaleParam);
    j.scale = p ? std::atoi(p->c_str()) : 0;
    return j;
  }
  if (name != nullptr && target == Type::String) {
    if (*name == logical::kDate && v.is<std::int32_t>()) {
      j.kind = JavaValue::Date;
      j.i = static_cast<std::int64_t>(v.as<std::int32_t>()) * kDayMs;
      return j;
    }
    if (*name == logical::kTime && v.is<std::int32_t>()) {
      j.kind = JavaValue::Date;
      j.i = v.as<std::int32_t>();
      return j;
    }
    if (*name == logical::kTimestamp && v.is<std::int64_t>()) {
      j.kind = JavaValue::Date;
      j.i = v.as<std::int64_t>();
      return j;
    }
  }
  const auto& s = v.storage();
  if (const auto* b = std::get_if<bool>(&s)) {
    j.kind = JavaValue::Boolean;
    j.i = *b ? 1 : 0;
  } else if (const auto* i8 = std::get_if<std::int8_t>(&s)) {
    j.i = *i8;
  } else if (const auto* i16 = std::get_if<std::int16_t>(&s)) {
    j.i = *i16;
  } else if (const auto* i32 = std::get_if<std::int32_t>(&s)) {
    j.i = *i32;
  } else if (const auto* i64 = std::get_if<std::int64_t>(&s)) {
    j.i = *i64;
  } else if (const auto* f = std::get_if<float>(&s)) {
    j.kind = JavaValue::Float;
    j.d = *f;
  } else if (const auto* d = std::get_if<double>(&s)) {
    j.kind = JavaValue::Double;
    j.d = *d;
  } else if (v.is<std::string>()) {
    j.kind = JavaValue::String;
    j.v = &v;
  } else {
    j.kind = JavaValue::Binary;
    j.v = &v;
  }
  return j;
}

// Number.longValue / intValue of the kinds that are numbers.
std::int64_t long_value(const JavaValue& j) {
  switch (j.kind) {
    case JavaValue::Float:
    case JavaValue::Double: return java_d2l(j.d);
    case JavaValue::Decimal: return decimal_long_value(j.v->as<Bytes>(), j.scale);
    default: return j.i;
  }
}
std::int32_t int_value(const JavaValue& j) {
  switch (j.kind) {
    case JavaValue::Float:
    case JavaValue::Double: return java_d2i(j.d);
    default: return static_cast<std::int32_t>(long_value(j));
  }
}

[[noreturn]] void unexpected(const Value& v) {
  throw DataException("Unexpected type in Cast transformation: class " + java_class_of(v));
}

std::string date_text(std::int64_t ms) {
  // Connect's Values.dateFormatFor: a time before one day, a date at midnight, else both.
  static const JavaDateFormat kTime("HH:mm:ss.SSS'Z'"), kDate("yyyy-MM-dd"),
      kTimestamp("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
  if (ms < kDayMs) return kTime.format(ms);
  if (ms % kDayMs == 0) return kDate.format(ms);
  return kTimestamp.format(ms);
}

Value cast_to(const JavaValue& j, const Value& original, Type target) {
  const bool text = j.kind == JavaValue::String;
  const bool number = j.kind == JavaValue::Integral || j.kind == JavaValue::Float ||
                      j.kind == JavaValue::Double || j.kind == JavaValue::Decimal;
  switch (target) {
    case Type::Int8:
      if (text)
        return Value(static_cast<std::int8_t>(
            parse_java_integer(j.v->as<std::string>(), INT8_MIN, INT8_MAX)));
      if (number || j.kind == JavaValue::Boolean)
        return Value(static_cast<std::int8_t>(int_value(j)));
      unexpected(original);
    case Type::Int16:
      if (text)
        return Value(static_cast<std::int16_t>(
            parse_java_integer(j.v->as<std::string>(), INT16_MIN, INT16_MAX)));
      if (number || j.kind == JavaValue::Boolean)
        return Value(static_cast<std::int16_t>(int_value(j)));
      unexpected(original);
    case Type::Int32:
      if (text)
        return Value(static_cast<std::int32_t>(
            parse_java_integer(j.v->as<std::string>(), INT32_MIN, INT32_MAX)));
      if (number || j.kind == JavaValue::Boolean) return Value(int_value(j));
      unexpected(original);
    case Type::Int64:
      if (text) return Value(parse_java_integer(j.v->as<std::string>(), INT64_MIN, INT64_MAX));
      if (number || j.kind == JavaValue::Boolean) return Value(long_value(j));
      unexpected(original);
    case Type::Float32:
      if (text) return Value(static_cast<float>(parse_java_floating(j.v->as<std::string>(), true)));
      if (j.kind == JavaValue::Decimal)
        return Value(
            std::strtof(big_decimal_to_string(j.v->as<Bytes>(), j.scale).c_str(), nullptr));
      if (j.kind == JavaValue::Float || j.kind == JavaValue::Double)
        return Value(static_cast<float>(j.d));
      if (number || j.kind == JavaValue::Boolean) return Value(static_cast<float>(j.i));
      unexpected(original);
    case Type::Float64:
      if (text) return Value(parse_java_floating(j.v->as<std::string>(), false));
      if (j.kind == JavaValue::Decimal)
        return Value(decimal_double_value(j.v->as<Bytes>(), j.scale));
      if (j.kind == JavaValue::Float || j.kind == JavaValue::Double) return Value(j.d);
      if (number || j.kind == JavaValue::Boolean) return Value(static_cast<double>(j.i));
      unexpected(original);
    case Type::Boolean: {
      if (text) {
        const std::string& s = j.v->as<std::string>();
        return Value(s.size() == 4 && (s[0] | 0x20) == 't' && (s[1] | 0x20) == 'r' &&
                     (s[2] | 0x20) == 'u' && (s[3] | 0x20) == 'e');
      }
      if (number || j.kind == JavaValue::Boolean) return Value(long_value(j) != 0);
      unexpected(original);
    }
    case Type::String: {
      std::string out;
      switch (j.kind) {
        case JavaValue::Integral:
        case JavaValue::Boolean:
          if (j.kind == JavaValue::Boolean) return Value(j.i ? "true" : "false");
          return Value(std::to_string(j.i));
        case JavaValue::Float: append_java_float(static_cast<float>(j.d), out); break;
        case JavaValue::Double: append_java_double(j.d, out); break;
        case JavaValue::Decimal: out = big_decimal_to_string(j.v->as<Bytes>(), j.scale); break;
        case JavaValue::String: return *j.v;
        case JavaValue::Binary: {
          if (!j.v->is<Bytes>()) unexpected(original);
          const Bytes& b = j.v->as<Bytes>();
          append_base64(b.data(), b.size(), out);
          break;
        }
        case JavaValue::Date: out = date_text(j.i); break;
      }
      return Value(std::move(out));
    }
    default:
      throw DataException(std::string(connect_type_enum_name(target)) +
                          " is not supported in the Cast transformation.");
  }
}

std::optional<Type> schemaless_type(const Value& v) {
  const auto& s = v.storage();
  if (std::holds_alternative<bool>(s)) return Type::Boolean;
  if (std::holds_alternative<std::int8_t>(s)) return Type::Int8;
  if (std::holds_alternative<std::int16_t>(s)) return Type::Int16;
  if (std::holds_alternative<std::int32_t>(s)) return Type::Int32;
  if (std::holds_alternative<std::int64_t>(s)) return Type::Int64;
  if (std::holds_alternative<float>(s)) return Type::Float32;
  if (std::holds_alternative<double>(s)) return Type::Float64;
  if (std::holds_alternative<std::string>(s)) return Type::String;
  if (std::holds_alternative<Bytes>(s)) return Type::Bytes;
  if (std::holds_alternative<Value::Array>(s)) return Type::Array;
  if (std::holds_alternative<Value::MapEntries>(s)) return Type::Map;
  if (v.is_struct()) return Type::Struct;
  return std::nullopt;
}

// Cast.castValueToType: `schema` null for a schemaless value.
Value cast_value(const Schema* schema, const Value& v, Type target) {
  if (v.is_null()) return Value();
  const std::optional<Type> from =
      schema ? std::optional<Type>(schema->type()) : schemaless_type(v);
  if (!from || !(castable_to(*from) || *from == Type::Bytes))
    throw DataException("Cast transformation does not support casting from " +
                        (from ? std::string(connect_type_enum_name(*from)) : std::string("null")) +
                        "; supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, "
                        "BOOLEAN, STRING, BYTES]");
  return cast_to(java_value(schema, v, target), v, target);
}

class Cast : public Transformation {
 public:
  explicit Cast(Side side) : side_(side) {}

  void configure(const ConfigMap& props) override {
    const Config c = checked_config(cast_config_def(), props);
    const auto spec = c.get_list("spec");
    const std::string raw = c.get_string("spec");
    if (spec.empty()) invalid("spec", raw, "Must specify at least one field to cast.");
    for (const std::string& mapping : spec) {
      // Java's split(":") drops trailing empty strings.
      std::vector<std::string> parts;
      std::size_t from = 0;
      for (std::size_t at; (at = mapping.find(':', from)) != std::string::npos; from = at + 1)
        parts.push_back(mapping.substr(from, at - from));
      parts.push_back(mapping.substr(from));
      while (parts.size() > 1 && parts.back().empty()) parts.pop_back();
      if (parts.size() > 2) invalid("spec", raw, "Invalid rename mapping: " + mapping);
      const std::string type_text = trim(parts.back());
      // Schema.Type.valueOf(upper case): the enum names, which type_from_name knows in lower
      // case next to JsonConverter's "float" / "double" (not enum names).
      std::string lower = type_text;
      for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      const std::optional<Type> t =
          lower == "float" || lower == "double" ? std::nullopt : type_from_name(lower);
      if (!t) invalid("spec", raw, "Invalid type found in casting spec: " + type_text);
      if (!castable_to(*t))
        invalid("spec", raw,
                "Cast transformation does not support casting to " +
                    std::string(connect_type_enum_name(*t)) +
                    "; supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, "
                    "STRING]");
      if (parts.size() == 1) {
        whole_ = *t;
      } else {
        casts_.emplace_back(trim(parts[0]), *t);
      }
    }
    if (whole_ && spec.size() > 1)
      invalid("spec", raw,
              "Cast transformations that specify a type to cast the entire value to may ony "
              "specify a single cast in their spec");
    replace_null_ = c.get_bool("replace.null.with.default");
  }

  bool apply(SourceRecord& r) override {
    Value& v = value_of(r, side_);
    if (v.is_null()) return true;
    SchemaPtr& schema = schema_of(r, side_);
    if (!schema) {
      if (whole_) {
        v = cast_value(nullptr, v, *whole_);
        return true;
      }
      auto* map = std::get_if<Value::MapEntries>(&v.storage());
      if (map == nullptr) require_failed("Map", v, "cast types");
      for (const auto& [field, type] : casts_)
        map_put_converted(*map, field,
                          [t = type](const Value& x) { return cast_value(nullptr, x, t); });
      return true;
    }
    const Plan& plan = cache_.get(schema, [this](const Schema& s) { return build(s); });
    const SchemaPtr& updated = plan.schema;
    if (whole_) {
      v = cast_value(schema.get(), v, *whole_);
      // The cast schema keeps the input's name; a Connect logical name now labels a plain
      // number or string, which Kafka's converters refuse.
      if (const auto& name = updated->name(); name == logical::kDate || name == logical::kTime ||
                                              name == logical::kTimestamp ||
                                              name == logical::kDecimal) {
        const std::string simple = name->substr(name->rfind('.') + 1);
        throw DataException("Invalid type for " + simple + ", expected " +
                            (simple == "Decimal" ? "BigDecimal" : "Date") + " but was class " +
                            java_class_of(v));
      }
      schema = updated;
      return true;
    }
    if (!v.is_struct()) require_failed("Struct", v, "cast types");
    std::vector<Value> fields = take_fields(v);
    for (const Field& f : schema->fields()) {
      Value& x = fields[static_cast<std::size_t>(f.index)];
      if (replace_null_ && x.is_null()) x = get_or_default(f, x);
      if (const auto& t = plan.casts[static_cast<std::size_t>(f.index)])
        x = cast_value(f.schema.get(), x, *t);
    }
    v = Value(std::make_shared<Value::StructData>(Value::StructData{updated, std::move(fields)}));
    schema = updated;
    return true;
  }

 private:
  static std::string trim(const std::string& s) {
    std::size_t b = 0, e = s.size();
    while (b < e && static_cast<unsigned char>(s[b]) <= ' ') ++b;
    while (e > b && static_cast<unsigned char>(s[e - 1]) <= ' ') --e;
    return s.substr(b, e - b);
  }

  const Type* cast_for(const std::string& field) const {
    for (const auto& [name, type] : casts_)
      if (name == field) return &type;
    return nullptr;
  }

  // What a schema casts to, and the target type of each of its fields (by index).
  struct Plan {
    SchemaPtr schema;
    std::vector<std::optional<Type>> casts;
  };

  Plan build(const Schema& in) const {
    Plan plan;
    SchemaBuilder b = copy_schema_basics(in, whole_ ? *whole_ : Type::Struct);
    if (!whole_) {
      plan.casts.resize(in.fields().size());
      for (const Field& f : in.fields()) {
        const Type* t = cast_for(f.name);
        if (t == nullptr) {
          b.field(f.name, f.schema);
          continue;
        }
        plan.casts[static_cast<std::size_t>(f.index)] = *t;
        SchemaBuilder fb(*t);
        if (f.schema->optional()) fb.optional();
        if (f.schema->default_value())
          fb.default_value(cast_value(f.schema.get(), *f.schema->default_value(), *t));
        b.field(f.name, fb.build());
      }
    }
    if (in.optional()) b.optional();
    if (in.default_value())
      b.default_value(cast_value(&in, *in.default_value(), whole_ ? *whole_ : Type::Struct));
    plan.schema = b.build();
    return plan;
  }

  Side side_;
  std::vector<std::pair<std::string, Type>> casts_;
  std::optional<Type> whole_;
  bool replace_null_ = true;
  PerSchemaCache<Plan> cache_;
};

}  // namespace

const ConfigDef& cast_config_def() {
  static const ConfigDef def = [] {
    ConfigDef d;
    d.define("spec", ConfigType::List, std::nullopt, Importance::High,
             "List of fields and the type to cast them to of the form field1:type,field2:type to "
             "cast fields of Maps or Structs. A single type to cast the entire value. Valid types "
             "are int8, int16, int32, int64, float32, float64, boolean, and string. Note that "
             "binary fields can only be cast to string.");
    define_replace_null_with_default(d);
    return d;
  }();
  return def;
}

std::unique_ptr<Transformation> make_cast(Side side) {
  return std::make_unique<Cast>(side);
}

}  // namespace tributary::transforms
