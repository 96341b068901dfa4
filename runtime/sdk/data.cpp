// Connect data model: type names, value equality, Struct, Schema, SchemaBuilder, shared primitive
// and logical schemas, decimal helpers and value validation (see tributary/data.h).
//
// Threading: the shared schema instances are created once (function-local statics, or a mutex-
// guarded cache for decimals) and are immutable; everything else works on caller-owned objects.
#include "tributary/data.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>
#include <stdexcept>

namespace tributary {

// ---------------------------------------------------------------------------------------------
// Types

std::string_view type_name(Type t) {
  switch (t) {
    case Type::Int8: return "int8";
    case Type::Int16: return "int16";
    case Type::Int32: return "int32";
    case Type::Int64: return "int64";
    case Type::Float32: return "float";
    case Type::Float64: return "double";
    case Type::Boolean: return "boolean";
    case Type::String: return "string";
    case Type::Bytes: return "bytes";
    case Type::Array: return "array";
    case Type::Map: return "map";
    case Type::Struct: return "struct";
  }
  return "unknown";
}

std::string_view connect_type_enum_name(Type t) {
  switch (t) {
    case Type::Int8: return "INT8";
    case Type::Int16: return "INT16";
    case Type::Int32: return "INT32";
    case Type::Int64: return "INT64";
    case Type::Float32: return "FLOAT32";
    case Type::Float64: return "FLOAT64";
    case Type::Boolean: return "BOOLEAN";
    case Type::String: return "STRING";
    case Type::Bytes: return "BYTES";
    case Type::Array: return "ARRAY";
    case Type::Map: return "MAP";
    case Type::Struct: return "STRUCT";
  }
  return "UNKNOWN";
}

std::optional<Type> type_from_name(std::string_view name) {
  static constexpr std::pair<std::string_view, Type> kNames[] = {
      {"int8", Type::Int8},
      {"int16", Type::Int16},
      {"int32", Type::Int32},
      {"int64", Type::Int64},
      {"float", Type::Float32},
      {"double", Type::Float64},
      {"boolean", Type::Boolean},
      {"string", Type::String},
      {"bytes", Type::Bytes},
      {"array", Type::Array},
      {"map", Type::Map},
      {"struct", Type::Struct},
      // Connect's own enum names (Schema.Type.getName()), accepted on input.
      {"float32", Type::Float32},
      {"float64", Type::Float64},
  };
  for (const auto& [n, t] : kNames) {
    if (n == name) return t;
  }
  return std::nullopt;
}

bool is_primitive(Type t) {
  return t != Type::Array && t != Type::Map && t != Type::Struct;
}

// ---------------------------------------------------------------------------------------------
// Value equality (Java's equals: NaN equals NaN, 0.0 differs from -0.0; maps ignore order)

namespace {

template <class F>
bool java_float_equals(F a, F b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return a == b && std::signbit(a) == std::signbit(b);
}

bool schema_ptr_equals(const SchemaPtr& a, const SchemaPtr& b) {
  if (a == b) return true;
  if (!a || !b) return false;
  return *a == *b;
}

bool map_entries_equal(const Value::MapEntries& a, const Value::MapEntries& b) {
  if (a.size() != b.size()) return false;
  if (std::equal(a.begin(), a.end(), b.begin())) return true;
  // Different order: equal as maps when every entry of `a` is found in `b`.
  for (const auto& e : a) {
    if (std::find(b.begin(), b.end(), e) == b.end()) return false;
  }
  return true;
}

}  // namespace

bool Value::operator==(const Value& o) const {
  if (v_.index() != o.v_.index()) return false;
  return std::visit(
      [&o](const auto& a) -> bool {
        using T = std::decay_t<decltype(a)>;
        const T& b = std::get<T>(o.v_);
        if constexpr (std::is_same_v<T, std::monostate>) {
          return true;
        } else if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
          return java_float_equals(a, b);
        } else if constexpr (std::is_same_v<T, MapEntries>) {
          return map_entries_equal(a, b);
        } else if constexpr (std::is_same_v<T, std::shared_ptr<StructData>>) {
          if (a == b) return true;
          if (!a || !b) return false;
          return schema_ptr_equals(a->schema, b->schema) && a->fields == b->fields;
        } else {
          return a == b;
        }
      },
      v_);
}

// ---------------------------------------------------------------------------------------------
// Schema

namespace {

// A default that is itself null means "no default", as in Connect.
bool has_default(const Schema& s) {
  return s.default_value().has_value() && !s.default_value()->is_null();
}

}  // namespace

const std::optional<std::string> Schema::parameter(std::string_view key) const {
  for (const auto& [k, v] : params_) {
    if (k == key) return v;
  }
  return std::nullopt;
}

const Field* Schema::field(std::string_view name) const {
  for (const auto& f : fields_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

bool Schema::operator==(const Schema& o) const {
  if (this == &o) return true;
  if (type_ != o.type_ || optional_ != o.optional_ || name_ != o.name_ || version_ != o.version_ ||
      doc_ != o.doc_ || params_ != o.params_ || default_ != o.default_ ||
      fields_.size() != o.fields_.size()) {
    return false;
  }
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    const Field& a = fields_[i];
    const Field& b = o.fields_[i];
    if (a.name != b.name || a.index != b.index || !schema_ptr_equals(a.schema, b.schema)) {
      return false;
    }
  }
  return schema_ptr_equals(key_, o.key_) && schema_ptr_equals(value_, o.value_);
}

// ---------------------------------------------------------------------------------------------
// SchemaBuilder

SchemaBuilder::SchemaBuilder(Type t) {
  s_.type_ = t;
}

SchemaBuilder SchemaBuilder::array(SchemaPtr items) {
  if (!items) throw std::invalid_argument("Array schema requires an element (items) schema");
  SchemaBuilder b(Type::Array);
  b.s_.value_ = std::move(items);
  return b;
}

SchemaBuilder SchemaBuilder::map(SchemaPtr keys, SchemaPtr values) {
  if (!keys || !values) throw std::invalid_argument("Map schema requires key and value schemas");
  SchemaBuilder b(Type::Map);
  b.s_.key_ = std::move(keys);
  b.s_.value_ = std::move(values);
  return b;
}

SchemaBuilder& SchemaBuilder::optional() {
  s_.optional_ = true;
  return *this;
}

SchemaBuilder& SchemaBuilder::required() {
  s_.optional_ = false;
  return *this;
}

SchemaBuilder& SchemaBuilder::name(std::string n) {
  s_.name_ = std::move(n);
  return *this;
}

SchemaBuilder& SchemaBuilder::version(int v) {
  s_.version_ = v;
  return *this;
}

SchemaBuilder& SchemaBuilder::doc(std::string d) {
  s_.doc_ = std::move(d);
  return *this;
}

SchemaBuilder& SchemaBuilder::parameter(std::string k, std::string v) {
  // Connect keeps parameters in a LinkedHashMap: setting a key again replaces it in place.
  for (auto& [key, value] : s_.params_) {
    if (key == k) {
      value = std::move(v);
      return *this;
    }
  }
  s_.params_.emplace_back(std::move(k), std::move(v));
  return *this;
}

SchemaBuilder& SchemaBuilder::default_value(Value v) {
  s_.default_ = std::move(v);
  return *this;
}

SchemaBuilder& SchemaBuilder::field(std::string name, SchemaPtr schema) {
  if (s_.type_ != Type::Struct) {
    throw std::invalid_argument("Cannot create fields on type " + std::string(type_name(s_.type_)));
  }
  if (name.empty()) throw std::invalid_argument("Field name cannot be empty");
  if (!schema) throw std::invalid_argument("Field schema of \"" + name + "\" cannot be null");
  if (s_.field(name) != nullptr) {
    throw std::invalid_argument("Cannot create field because of field name duplication " + name);
  }
  const int index = static_cast<int>(s_.fields_.size());
  const bool plain = std::all_of(name.begin(), name.end(), [](char c) {
    return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
  });
  s_.fields_.push_back(Field{std::move(name), index, std::move(schema), plain});
  return *this;
}

SchemaPtr SchemaBuilder::build() const {
  auto schema = std::make_shared<const Schema>(s_);
  if (schema->default_value().has_value() && !schema->default_value()->is_null()) {
    try {
      validate_value(schema, *schema->default_value(), "");
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(std::string("Invalid default value: ") + e.what());
    }
  }
  return schema;
}

// ---------------------------------------------------------------------------------------------
// Shared schemas

namespace schemas {
namespace {

SchemaPtr make_primitive(Type t, bool opt) {
  SchemaBuilder b(t);
  if (opt) b.optional();
  return b.build();
}

}  // namespace

#define TRIBUTARY_SHARED_PRIMITIVE(fn, type)                       \
  SchemaPtr fn(bool opt) {                                         \
    static const SchemaPtr required = make_primitive(type, false); \
    static const SchemaPtr optional = make_primitive(type, true);  \
    return opt ? optional : required;                              \
  }

TRIBUTARY_SHARED_PRIMITIVE(int8, Type::Int8)
TRIBUTARY_SHARED_PRIMITIVE(int16, Type::Int16)
TRIBUTARY_SHARED_PRIMITIVE(int32, Type::Int32)
TRIBUTARY_SHARED_PRIMITIVE(int64, Type::Int64)
TRIBUTARY_SHARED_PRIMITIVE(float32, Type::Float32)
TRIBUTARY_SHARED_PRIMITIVE(float64, Type::Float64)
TRIBUTARY_SHARED_PRIMITIVE(boolean, Type::Boolean)
TRIBUTARY_SHARED_PRIMITIVE(string, Type::String)
TRIBUTARY_SHARED_PRIMITIVE(bytes, Type::Bytes)
#undef TRIBUTARY_SHARED_PRIMITIVE

SchemaPtr decimal(int scale, bool opt) {
  // One shared instance per (scale, optional); the set of scales in use is small.
  static std::mutex mu;
  static std::map<std::pair<int, bool>, SchemaPtr> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto& slot = cache[{scale, opt}];
  if (!slot) {
    SchemaBuilder b(Type::Bytes);
    b.name(std::string(logical::kDecimal))
        .parameter(std::string(logical::kDecimalScaleParam), std::to_string(scale))
        .version(1);
    if (opt) b.optional();
    slot = b.build();
  }
  return slot;
}

namespace {

SchemaPtr make_logical(Type t, std::string_view name, bool opt) {
  SchemaBuilder b(t);
  b.name(std::string(name)).version(1);
  if (opt) b.optional();
  return b.build();
}

}  // namespace

#define TRIBUTARY_SHARED_LOGICAL(fn, type, logical_name)                       \
  SchemaPtr fn(bool opt) {                                                     \
    static const SchemaPtr required = make_logical(type, logical_name, false); \
    static const SchemaPtr optional = make_logical(type, logical_name, true);  \
    return opt ? optional : required;                                          \
  }

TRIBUTARY_SHARED_LOGICAL(date, Type::Int32, logical::kDate)
TRIBUTARY_SHARED_LOGICAL(time, Type::Int32, logical::kTime)
TRIBUTARY_SHARED_LOGICAL(timestamp, Type::Int64, logical::kTimestamp)
#undef TRIBUTARY_SHARED_LOGICAL

}  // namespace schemas

// ---------------------------------------------------------------------------------------------
// Decimal helpers

Bytes decimal_unscaled_from_int64(std::int64_t v) {
  Bytes out;
  decimal_unscaled_from_int64(v, out);
  return out;
}

void decimal_unscaled_from_int64(std::int64_t v, Bytes& out) {
  // The fewest bytes whose top bit still carries the sign (BigInteger.toByteArray()): the
  // value's bits without its redundant sign bits, rounded up to bytes.
  const auto bits = static_cast<std::size_t>(64 - __builtin_clrsbll(v));
  const std::size_t n = (bits + 7) / 8;
  out.resize(n);
  std::uint8_t* p = out.data();
  for (std::size_t i = 0; i < n; ++i)
    p[i] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(v) >> (8 * (n - 1 - i)));
}

Bytes decimal_unscaled_from_string(std::string_view digits) {
  std::string_view s = digits;
  bool negative = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) {
    throw std::invalid_argument("Invalid unscaled decimal \"" + std::string(digits) + "\"");
  }
  // Up to 18 digits fit in an int64: its minimal two's complement bytes in one allocation (the
  // common case; the general path below costs several allocations per value).
  if (s.size() <= 18) {
    std::int64_t v = 0;
    bool digits = true;
    for (const char c : s) {
      if (c < '0' || c > '9') {
        digits = false;
        break;
      }
      v = v * 10 + (c - '0');
    }
    if (digits) return decimal_unscaled_from_int64(negative ? -v : v);
  }
  // Magnitude, little-endian base 256, built by multiply-and-add per decimal digit.
  std::vector<std::uint8_t> mag;
  for (char c : s) {
    if (c < '0' || c > '9') {
      throw std::invalid_argument("Invalid unscaled decimal \"" + std::string(digits) + "\"");
    }
    unsigned carry = static_cast<unsigned>(c - '0');
    for (auto& b : mag) {
      const unsigned v = static_cast<unsigned>(b) * 10u + carry;
      b = static_cast<std::uint8_t>(v & 0xFFu);
      carry = v >> 8;
    }
    while (carry != 0) {
      mag.push_back(static_cast<std::uint8_t>(carry & 0xFFu));
      carry >>= 8;
    }
  }
  while (!mag.empty() && mag.back() == 0) mag.pop_back();
  if (mag.empty()) return Bytes{0};  // BigInteger.ZERO.toByteArray()
  // Two's complement of the magnitude, with one sign bit: BigInteger.toByteArray() is minimal.
  if (negative) {
    unsigned carry = 1;
    for (auto& b : mag) {
      const unsigned v = static_cast<unsigned>(static_cast<std::uint8_t>(~b)) + carry;
      b = static_cast<std::uint8_t>(v & 0xFFu);
      carry = v >> 8;
    }
    // Needs a 0xFF sign byte unless the top bit is already set.
    if ((mag.back() & 0x80u) == 0) mag.push_back(0xFF);
    // Drop redundant 0xFF bytes (e.g. -128 is 0x80, not 0xFF80).
    while (mag.size() > 1 && mag.back() == 0xFF && (mag[mag.size() - 2] & 0x80u) != 0) {
      mag.pop_back();
    }
  } else if ((mag.back() & 0x80u) != 0) {
    mag.push_back(0x00);
  }
  return Bytes(mag.rbegin(), mag.rend());
}

namespace {

// Decimal digits of the magnitude of a big-endian two's complement integer; sets `negative`.
std::string unscaled_digits(const Bytes& unscaled, bool& negative) {
  negative = !unscaled.empty() && (unscaled.front() & 0x80u) != 0;
  if (unscaled.size() <= 8) {
    // Fast path: fits in 64 bits.
    std::uint64_t u = negative ? ~std::uint64_t{0} : 0;
    for (std::uint8_t b : unscaled) u = (u << 8) | b;
    const std::uint64_t mag = negative ? (~u + 1) : u;  // two's complement magnitude
    return std::to_string(mag);
  }
  // Magnitude as big-endian bytes.
  std::vector<std::uint8_t> mag(unscaled.begin(), unscaled.end());
  if (negative) {
    unsigned carry = 1;
    for (auto it = mag.rbegin(); it != mag.rend(); ++it) {
      const unsigned v = static_cast<unsigned>(static_cast<std::uint8_t>(~*it)) + carry;
      *it = static_cast<std::uint8_t>(v & 0xFFu);
      carry = v >> 8;
    }
  }
  // Repeated division by 10^9 (schoolbook), collecting base-1e9 limbs.
  std::vector<std::uint32_t> limbs;
  std::size_t start = 0;
  while (start < mag.size() && mag[start] == 0) ++start;
  while (start < mag.size()) {
    std::uint64_t rem = 0;
    for (std::size_t i = start; i < mag.size(); ++i) {
      const std::uint64_t cur = (rem << 8) | mag[i];
      mag[i] = static_cast<std::uint8_t>(cur / 1000000000u);
      rem = cur % 1000000000u;
    }
    limbs.push_back(static_cast<std::uint32_t>(rem));
    while (start < mag.size() && mag[start] == 0) ++start;
  }
  if (limbs.empty()) return "0";
  std::string out = std::to_string(limbs.back());
  for (std::size_t i = limbs.size() - 1; i-- > 0;) {
    const std::string part = std::to_string(limbs[i]);
    out.append(9 - part.size(), '0');
    out += part;
  }
  return out;
}

}  // namespace

std::string decimal_to_plain_string(const Bytes& unscaled, int scale) {
  bool negative = false;
  std::string digits = unscaled_digits(unscaled, negative);
  std::string out;
  if (negative) out += '-';
  if (scale <= 0) {
    out += digits;
    // BigDecimal.toPlainString(): a negative scale appends zeros, except to zero itself.
    if (digits != "0") out.append(static_cast<std::size_t>(-static_cast<long long>(scale)), '0');
    return out;
  }
  const auto s = static_cast<std::size_t>(scale);
  if (digits.size() <= s) {
    out += "0.";
    out.append(s - digits.size(), '0');
    out += digits;
  } else {
    out.append(digits, 0, digits.size() - s);
    out += '.';
    out.append(digits, digits.size() - s, std::string::npos);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Validation

namespace {

std::string_view value_kind(const Value& v) {
  switch (v.storage().index()) {
    case 0: return "null";
    case 1: return "boolean";
    case 2: return "int8";
    case 3: return "int16";
    case 4: return "int32";
    case 5: return "int64";
    case 6: return "float";
    case 7: return "double";
    case 8: return "string";
    case 9: return "bytes";
    case 10: return "array";
    case 11: return "map";
    case 12: return "struct";
  }
  return "unknown";
}

bool value_matches_type(Type t, const Value& v) {
  switch (t) {
    case Type::Int8: return v.is<std::int8_t>();
    case Type::Int16: return v.is<std::int16_t>();
    case Type::Int32: return v.is<std::int32_t>();
    case Type::Int64: return v.is<std::int64_t>();
    case Type::Float32: return v.is<float>();
    case Type::Float64: return v.is<double>();
    case Type::Boolean: return v.is<bool>();
    case Type::String: return v.is<std::string>();
    case Type::Bytes: return v.is<Bytes>();
    case Type::Array: return v.is<Value::Array>();
    case Type::Map: return v.is<Value::MapEntries>();
    case Type::Struct: return v.is_struct();
  }
  return false;
}

std::string join_path(std::string_view path, std::string_view name) {
  if (path.empty()) return std::string(name);
  std::string p(path);
  p += '.';
  p += name;
  return p;
}

std::string describe(std::string_view path) {
  return path.empty() ? std::string("value") : "field \"" + std::string(path) + "\"";
}

void validate_struct_fields(const Schema& schema, const Value::StructData& data,
                            std::string_view path) {
  const auto& fields = schema.fields();
  for (const Field& f : fields) {
    const std::string fpath = join_path(path, f.name);
    const auto idx = static_cast<std::size_t>(f.index);
    static const Value kNull;
    const Value& v = idx < data.fields.size() ? data.fields[idx] : kNull;
    validate_value(f.schema, v, fpath);
  }
}

}  // namespace

void validate_value(const SchemaPtr& schema, const Value& v, std::string_view path) {
  if (!schema) return;  // schemaless: anything goes
  if (v.is_null()) {
    if (schema->optional() || has_default(*schema)) return;
    throw std::invalid_argument("Invalid value: null used for required " + describe(path) +
                                ", schema type: " + std::string(type_name(schema->type())));
  }
  if (!value_matches_type(schema->type(), v)) {
    throw std::invalid_argument("Invalid value for " + describe(path) + ": schema type " +
                                std::string(type_name(schema->type())) + " but the value is " +
                                std::string(value_kind(v)));
  }
  switch (schema->type()) {
    case Type::Struct: {
      const auto& data = v.as_struct();
      if (data.schema != schema && (!data.schema || !(*data.schema == *schema))) {
        throw std::invalid_argument("Struct schemas do not match for " + describe(path));
      }
      validate_struct_fields(*schema, data, path);
      break;
    }
    case Type::Array: {
      const auto& items = v.as<Value::Array>();
      for (std::size_t i = 0; i < items.size(); ++i) {
        validate_value(schema->value_schema(), items[i],
                       std::string(path) + "[" + std::to_string(i) + "]");
      }
      break;
    }
    case Type::Map: {
      for (const auto& [k, val] : v.as<Value::MapEntries>()) {
        const std::string p = std::string(path) + "{}";
        validate_value(schema->key_schema(), k, p + ".key");
        validate_value(schema->value_schema(), val, p + ".value");
      }
      break;
    }
    default: break;
  }
}

// ---------------------------------------------------------------------------------------------
// Struct

Struct::Struct(SchemaPtr schema) {
  if (!schema || schema->type() != Type::Struct) {
    throw std::invalid_argument("A Struct needs a schema of type struct");
  }
  data_ = std::make_shared<Value::StructData>();
  data_->fields.resize(schema->fields().size());
  data_->schema = std::move(schema);
}

Struct& Struct::put(std::string_view field, Value v) {
  const Field* f = data_->schema->field(field);
  if (f == nullptr) {
    throw std::invalid_argument("\"" + std::string(field) + "\" is not a valid field name");
  }
  data_->fields[static_cast<std::size_t>(f->index)] = std::move(v);
  return *this;
}

Struct& Struct::put(int index, Value v) {
  if (index < 0 || static_cast<std::size_t>(index) >= data_->fields.size()) {
    throw std::invalid_argument("Field index " + std::to_string(index) + " is out of range");
  }
  data_->fields[static_cast<std::size_t>(index)] = std::move(v);
  return *this;
}

const Value& Struct::get(std::string_view field) const {
  const Field* f = data_->schema->field(field);
  if (f == nullptr) {
    throw std::invalid_argument("\"" + std::string(field) + "\" is not a valid field name");
  }
  const Value& v = data_->fields[static_cast<std::size_t>(f->index)];
  // As Connect's Struct.get: a null field reads as its schema's default, if any.
  if (v.is_null() && has_default(*f->schema)) return *f->schema->default_value();
  return v;
}

void Struct::validate() const {
  validate_struct_fields(*data_->schema, *data_, "");
}

Value Struct::build() && {
  return Value(std::move(data_));
}

void append_base64(const std::uint8_t* data, std::size_t size, std::string& out, bool url_safe) {
  const std::size_t start = out.size();
  out.resize(start + base64_size(size));
  write_base64(data, size, out.data() + start, url_safe);
}

char* write_base64(const std::uint8_t* data, std::size_t size, char* p, bool url_safe) {
  static constexpr char kStandard[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  static constexpr char kUrlSafe[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const char* kAlphabet = url_safe ? kUrlSafe : kStandard;
  std::size_t i = 0;
  for (; i + 3 <= size; i += 3) {
    const std::uint32_t n =
        (std::uint32_t{data[i]} << 16) | (std::uint32_t{data[i + 1]} << 8) | data[i + 2];
    *p++ = kAlphabet[(n >> 18) & 63];
    *p++ = kAlphabet[(n >> 12) & 63];
    *p++ = kAlphabet[(n >> 6) & 63];
    *p++ = kAlphabet[n & 63];
  }
  if (i < size) {
    std::uint32_t n = std::uint32_t{data[i]} << 16;
    if (i + 1 < size) n |= std::uint32_t{data[i + 1]} << 8;
    *p++ = kAlphabet[(n >> 18) & 63];
    *p++ = kAlphabet[(n >> 12) & 63];
    *p++ = i + 1 < size ? kAlphabet[(n >> 6) & 63] : '=';
    *p++ = '=';
  }
  return p;
}

}  // namespace tributary
