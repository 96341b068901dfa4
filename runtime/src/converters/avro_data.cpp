#include "converters/avro_data.h"

#include <avro.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <utility>
#include <variant>
#include <vector>

#include "converters/json_converter.h"
#include "tributary/bounded_json.h"
#include "tributary/java_text.h"

namespace tributary::avro {
namespace {

constexpr const char* kDefaultNamespace = "io.confluent.connect.avro";
constexpr const char* kDefaultName = "ConnectDefault";
constexpr const char* kMapEntry = "MapEntry";
constexpr const char* kFieldDefaultParam = "io.confluent.connect.avro.field.default";
constexpr const char* kDecimalPrecisionParam = "connect.decimal.precision";
constexpr int kDefaultDecimalPrecision = 64;
// AvroData's enum, fixed and union conventions (§1.6).
constexpr const char* kAvroEnum = "io.confluent.connect.avro.Enum";
constexpr const char* kGeneralizedEnum = "org.apache.kafka.connect.data.Enum";
constexpr const char* kAvroUnion = "io.confluent.connect.avro.Union";
constexpr const char* kGeneralizedUnion = "org.apache.kafka.connect.data.Union";
constexpr const char* kGeneralizedUnionPrefix = "connect_union_";
constexpr const char* kEnumDocPrefix = "io.confluent.connect.avro.enum.doc.";
constexpr const char* kEnumDefaultPrefix = "io.confluent.connect.avro.enum.default.";
constexpr const char* kFieldDocPrefix = "io.confluent.connect.avro.field.doc.";
constexpr const char* kRecordDocParam = "io.confluent.connect.avro.record.doc";
constexpr const char* kFixedSizeParam = "connect.fixed.size";

// A struct AvroData writes as an Avro union of its fields' types.
bool is_union_schema(const Schema& s) {
  return s.type() == Type::Struct &&
         ((s.name() && *s.name() == kAvroUnion) || s.parameter(kGeneralizedUnion).has_value());
}

// The parameter holding the Avro enum's name when AvroData writes string `s` as an enum (under
// enhanced.avro.schema.support or generalized.sum.type.support), else nullptr.
const char* enum_param(const Schema& s, const AvroDataConfig& c) {
  if (s.type() != Type::String ||
      !(c.enhanced_avro_schema_support || c.generalized_sum_type_support))
    return nullptr;
  if (!s.parameter(kAvroEnum) && !s.parameter(kGeneralizedEnum)) return nullptr;
  return c.generalized_sum_type_support ? kGeneralizedEnum : kAvroEnum;
}

// The enum's symbols: the keys "<param>.<symbol>", in parameter order.
std::vector<std::string> enum_symbols(const Schema& s, const std::string& param) {
  std::vector<std::string> out;
  const std::string prefix = param + ".";
  for (const auto& [k, v] : s.parameters())
    if (k.size() > prefix.size() && k.compare(0, prefix.size(), prefix) == 0)
      out.push_back(k.substr(prefix.size()));
  return out;
}

// Bytes AvroData writes as an Avro fixed: named, with connect.fixed.size.
bool is_fixed_schema(const Schema& s) {
  return s.type() == Type::Bytes && s.name() && s.parameter(kFixedSizeParam).has_value();
}

std::int64_t fixed_size(const Schema& s) {
  const std::string text = s.parameter(kFixedSizeParam).value_or("");
  std::int64_t n = -1;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 0 || n > INT32_MAX)
    throw AvroSchemaError("Schema " + s.name().value_or("") + ": " + kFixedSizeParam + " '" + text +
                          "' is not a size");
  return n;
}

// ---- A JSON value as Jackson holds it (floats and doubles apart: they print differently) ----

struct JNode;
struct JMember;
using JArray = std::vector<JNode>;
using JObject = std::vector<JMember>;  // members in insertion order
struct JNode {
  std::variant<std::monostate, bool, std::int64_t, float, double, std::string, JArray, JObject> v;
};
struct JMember {
  std::string key;
  JNode value;
};
bool operator==(const JNode& a, const JNode& b);
bool operator==(const JMember& a, const JMember& b) {
  return a.key == b.key && a.value == b.value;
}
bool operator==(const JNode& a, const JNode& b) {
  return a.v == b.v;
}

// Jackson's escaping and Java's number text: the JsonConverter's primitives (one home).
void write_string(const std::string& s, std::string& out) {
  json::append_string(s, out);
}

void write_json(const JNode& n, std::string& out) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          out += "null";
        } else if constexpr (std::is_same_v<T, bool>) {
          out += x ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          out += std::to_string(x);
        } else if constexpr (std::is_same_v<T, float>) {
          append_java_float(x, out);
        } else if constexpr (std::is_same_v<T, double>) {
          append_java_double(x, out);
        } else if constexpr (std::is_same_v<T, std::string>) {
          write_string(x, out);
        } else if constexpr (std::is_same_v<T, JArray>) {
          out += '[';
          for (std::size_t i = 0; i < x.size(); ++i) {
            if (i) out += ',';
            write_json(x[i], out);
          }
          out += ']';
        } else {
          out += '{';
          for (std::size_t i = 0; i < x.size(); ++i) {
            if (i) out += ',';
            write_string(x[i].key, out);
            out += ':';
            write_json(x[i].value, out);
          }
          out += '}';
        }
      },
      n.v);
}

// A field default goes through Jackson's toObject and back (§4.2): floats become doubles.
JNode widen(const JNode& n) {
  if (const auto* f = std::get_if<float>(&n.v)) return JNode{static_cast<double>(*f)};
  if (const auto* a = std::get_if<JArray>(&n.v)) {
    JArray out;
    for (const auto& e : *a) out.push_back(widen(e));
    return JNode{std::move(out)};
  }
  if (const auto* o = std::get_if<JObject>(&n.v)) {
    JObject out;
    for (const auto& [k, e] : *o) out.push_back({k, widen(e)});
    return JNode{std::move(out)};
  }
  return n;
}

// ---- The Avro schema model ----------------------------------------------------------------

struct Node;
using NodePtr = std::shared_ptr<Node>;
struct AvroField {
  std::string name;
  NodePtr type;
  std::optional<std::string> doc;  // the struct's parameter io.confluent.connect.avro.field.doc.*
  std::optional<JNode> default_value;
};
struct Node {
  enum class Kind { Primitive, Record, Enum, Fixed, Array, Map, Union } kind = Kind::Primitive;
  std::string primitive;  // "null", "int", ...
  std::string name;       // record, enum, fixed
  std::optional<std::string> ns;
  std::optional<std::string> doc;  // record doc: parameter io.confluent.connect.avro.record.doc
  std::vector<AvroField> fields;
  std::vector<std::string> symbols;         // enum
  std::optional<std::string> enum_default;  // enum
  std::int64_t size = 0;                    // fixed
  NodePtr items;                            // array items, map values
  std::vector<NodePtr> branches;
  JObject props;

  std::string full_name() const { return ns && !ns->empty() ? *ns + "." + name : name; }
};

NodePtr primitive(std::string type) {
  auto n = std::make_shared<Node>();
  n->primitive = std::move(type);
  return n;
}

bool same(const NodePtr& a, const NodePtr& b);
bool same_fields(const std::vector<AvroField>& a, const std::vector<AvroField>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].name != b[i].name || a[i].doc != b[i].doc ||
        a[i].default_value != b[i].default_value || !same(a[i].type, b[i].type))
      return false;
  return true;
}
bool same(const NodePtr& a, const NodePtr& b) {
  if (a == b) return true;
  if (!a || !b || a->kind != b->kind || a->primitive != b->primitive || a->name != b->name ||
      a->ns != b->ns || a->doc != b->doc || !(a->props == b->props) || a->symbols != b->symbols ||
      a->enum_default != b->enum_default || a->size != b->size ||
      !same_fields(a->fields, b->fields) || !same(a->items, b->items) ||
      a->branches.size() != b->branches.size())
    return false;
  for (std::size_t i = 0; i < a->branches.size(); ++i)
    if (!same(a->branches[i], b->branches[i])) return false;
  return true;
}

// ---- Connect → Avro (AvroData.fromConnectSchema) ------------------------------------------

bool valid_avro_name(const std::string& s) {
  if (s.empty()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    if (!(alpha || (i > 0 && c >= '0' && c <= '9'))) return false;
  }
  return true;
}

bool equal_as_required(const Schema& a, const Schema& b) {
  return a.type() == b.type() && a.name() == b.name() && a.version() == b.version() &&
         a.doc() == b.doc() && a.parameters() == b.parameters() &&
         a.default_value() == b.default_value() && a.fields().size() == b.fields().size() &&
         [&] {
           for (std::size_t i = 0; i < a.fields().size(); ++i)
             if (a.fields()[i].name != b.fields()[i].name ||
                 !(*a.fields()[i].schema == *b.fields()[i].schema))
               return false;
           return true;
         }() &&
         ((!a.key_schema() && !b.key_schema()) ||
          (a.key_schema() && b.key_schema() && *a.key_schema() == *b.key_schema())) &&
         ((!a.value_schema() && !b.value_schema()) ||
          (a.value_schema() && b.value_schema() && *a.value_schema() == *b.value_schema()));
}

class FromConnect {
 public:
  explicit FromConnect(const AvroDataConfig& config) : config_(config) {}

  NodePtr convert(const Schema& s, bool ignore_optional) {
    if (is_union_schema(s)) return convert_union(s);
    const bool optional = s.optional() && !ignore_optional;
    if (!optional) {
      // One conversion reuses the Avro schema of an equal required Connect schema (so a record
      // met twice is one record, written the second time as a reference, §1.1, §2.3).
      for (const auto& [seen, node] : seen_)
        if (equal_as_required(*seen, s)) return node;
    }
    if (s.type() == Type::Struct && optional) {
      auto u = std::make_shared<Node>();
      u->kind = Node::Kind::Union;
      u->branches = {primitive("null"), convert(s, true)};
      return u;
    }
    NodePtr base = convert_base(s);
    if (!optional) {
      seen_.emplace_back(&s, base);
      return base;
    }
    auto u = std::make_shared<Node>();
    u->kind = Node::Kind::Union;
    const bool has_default = s.default_value() && !s.default_value()->is_null();
    if (has_default)
      u->branches = {base, primitive("null")};
    else
      u->branches = {primitive("null"), base};
    return u;
  }

 private:
  std::string part(const std::string& p) const {
    if (config_.scrub_invalid_names) return scrub_name(p);
    if (!valid_avro_name(p))
      throw AvroSchemaError("Illegal character in: " + p +
                            " (Avro names are [A-Za-z_][A-Za-z0-9_]*; scrub.invalid.names=true "
                            "rewrites them)");
    return p;
  }

  // Splits a Connect name at every '.' into the Avro name and namespace (§2.1).
  void set_name(Node& n, const std::string& full) const {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t dot; (dot = full.find('.', start)) != std::string::npos; start = dot + 1)
      parts.push_back(full.substr(start, dot - start));
    parts.push_back(full.substr(start));
    n.name = part(parts.back());
    if (parts.size() > 1) {
      std::string ns;
      for (std::size_t i = 0; i + 1 < parts.size(); ++i) ns += (i ? "." : "") + part(parts[i]);
      n.ns = ns;
    }
  }

  // Avro's Name of a dotted full name: split at the last dot, every part checked, none scrubbed
  // (an enum's name is the Enum parameter's value, as given).
  static void set_raw_name(Node& n, const std::string& full) {
    std::size_t start = 0;
    for (std::size_t dot; (dot = full.find('.', start)) != std::string::npos; start = dot + 1)
      if (!valid_avro_name(full.substr(start, dot - start)))
        throw AvroSchemaError("Illegal character in: " + full);
    if (!valid_avro_name(full.substr(start)))
      throw AvroSchemaError("Illegal character in: " + full);
    const auto dot = full.rfind('.');
    n.name = dot == std::string::npos ? full : full.substr(dot + 1);
    if (dot != std::string::npos) n.ns = full.substr(0, dot);
  }

  // The Connect name's last part (scrubbed as set_name does), or the next ConnectDefault name.
  std::string short_name_or_default(const Schema& s) {
    Node n;
    if (s.name()) {
      set_name(n, *s.name());
      return n.name;
    }
    ++name_index_;
    return name_index_ == 1 ? kDefaultName : kDefaultName + std::to_string(name_index_);
  }

  // A struct named io.confluent.connect.avro.Union (or with the Union parameter): the union of
  // its fields' types, "null" first when it is optional; Avro refuses a union inside a union
  // and two members of one type or name (§1.6).
  NodePtr convert_union(const Schema& s) {
    auto u = std::make_shared<Node>();
    u->kind = Node::Kind::Union;
    if (s.optional()) u->branches.push_back(primitive("null"));
    std::set<std::string> seen;
    for (const auto& f : s.fields()) {
      NodePtr b = convert(*f.schema, true);
      if (b->kind == Node::Kind::Union)
        throw AvroSchemaError("Nested union: field '" + f.name + "' of " +
                              s.name().value_or(kAvroUnion) + " is itself a union");
      u->branches.push_back(b);
    }
    for (const auto& b : u->branches) {
      const std::string key = b->kind == Node::Kind::Record || b->kind == Node::Kind::Enum ||
                                      b->kind == Node::Kind::Fixed
                                  ? b->full_name()
                                  : (b->kind == Node::Kind::Array ? "array"
                                     : b->kind == Node::Kind::Map ? "map"
                                                                  : b->primitive);
      if (!seen.insert(key).second)
        throw AvroSchemaError("Duplicate in union: " + key + " (in " +
                              s.name().value_or(kAvroUnion) + ")");
    }
    return u;
  }

  AvroField field(const std::string& name, const Schema& schema,
                  std::optional<std::string> doc = std::nullopt) {
    AvroField f;
    f.name = config_.scrub_invalid_names ? scrub_name(name) : part(name);
    f.doc = std::move(doc);
    f.type = convert(schema, false);
    if (schema.default_value() && !schema.default_value()->is_null())
      f.default_value = widen(json_of(schema, *schema.default_value()));
    else if (schema.optional())
      f.default_value = JNode{};
    // Avro drops a default that does not fit the field's type (the first branch of a union):
    // an optional struct's default, whose union starts with null (§1.4).
    if (f.default_value && !fits(*f.default_value, f.type)) f.default_value.reset();
    return f;
  }

  NodePtr convert_base(const Schema& s) {
    NodePtr n;
    switch (s.type()) {
      case Type::Int8:
      case Type::Int16:
      case Type::Int32: n = primitive("int"); break;
      case Type::Int64: n = primitive("long"); break;
      case Type::Float32: n = primitive("float"); break;
      case Type::Float64: n = primitive("double"); break;
      case Type::Boolean: n = primitive("boolean"); break;
      case Type::String:
        if (const char* param = enum_param(s, config_)) {
          // An Avro enum named by the Enum parameter's value, its symbols the parameter keys
          // "<param>.<symbol>" (§1.6).
          n = std::make_shared<Node>();
          n->kind = Node::Kind::Enum;
          const auto enum_name = s.parameter(param);
          if (!enum_name)
            throw AvroSchemaError("Schema " + s.name().value_or("(string)") + " has no parameter " +
                                  param + " naming its Avro enum");
          set_raw_name(*n, *enum_name);
          n->symbols = enum_symbols(s, param);
          const std::string type_name = short_name_or_default(s);
          n->doc = s.parameter(kEnumDocPrefix + type_name);
          n->enum_default = s.parameter(kEnumDefaultPrefix + type_name);
          std::set<std::string> symbols;
          for (const auto& sym : n->symbols) {
            if (!valid_avro_name(sym))
              throw AvroSchemaError("Illegal character in enum symbol: " + sym);
            if (!symbols.insert(sym).second) throw AvroSchemaError("Duplicate enum symbol: " + sym);
          }
          if (n->enum_default && symbols.count(*n->enum_default) == 0)
            throw AvroSchemaError("The Enum Default: " + *n->enum_default +
                                  " is not in the enum symbol set of " + *enum_name);
        } else {
          n = primitive("string");
        }
        break;
      case Type::Bytes:
        if (is_fixed_schema(s)) {
          n = std::make_shared<Node>();
          n->kind = Node::Kind::Fixed;
          set_name(*n, *s.name());
          n->size = fixed_size(s);
        } else {
          n = primitive("bytes");
        }
        if (s.name() && *s.name() == logical::kDecimal) {
          int scale = 0, precision = kDefaultDecimalPrecision;
          if (auto v = s.parameter(logical::kDecimalScaleParam)) scale = std::stoi(*v);
          if (auto v = s.parameter(kDecimalPrecisionParam)) precision = std::stoi(*v);
          n->props.push_back({"scale", JNode{std::int64_t{scale}}});
          n->props.push_back({"precision", JNode{std::int64_t{precision}}});
        }
        break;
      case Type::Array:
        n = std::make_shared<Node>();
        n->kind = Node::Kind::Array;
        n->items = convert(*s.value_schema(), false);
        break;
      case Type::Map:
        if (s.key_schema()->type() == Type::String && !s.key_schema()->optional()) {
          n = std::make_shared<Node>();
          n->kind = Node::Kind::Map;
          n->items = convert(*s.value_schema(), false);
        } else {
          // An array of key/value records (§6).
          auto entry = std::make_shared<Node>();
          entry->kind = Node::Kind::Record;
          if (s.name()) {
            set_name(*entry, *s.name());
          } else {
            entry->name = kMapEntry;
            entry->ns = kDefaultNamespace;
          }
          entry->fields.push_back(field("key", *s.key_schema()));
          entry->fields.push_back(field("value", *s.value_schema()));
          if (s.name()) entry->props.push_back({"connect.internal.type", JNode{kMapEntry}});
          n = std::make_shared<Node>();
          n->kind = Node::Kind::Array;
          n->items = entry;
        }
        break;
      case Type::Struct:
        n = std::make_shared<Node>();
        n->kind = Node::Kind::Record;
        if (s.name()) {
          set_name(*n, *s.name());
        } else {
          // Counted before use: ConnectDefault, ConnectDefault2, ... (§2.2).
          ++name_index_;
          n->name = name_index_ == 1 ? kDefaultName : kDefaultName + std::to_string(name_index_);
          n->ns = kDefaultNamespace;
        }
        n->doc = s.parameter(kRecordDocParam);
        for (const auto& f : s.fields())
          n->fields.push_back(field(f.name, *f.schema, s.parameter(kFieldDocPrefix + f.name)));
        break;
    }
    add_properties(s, *n);
    return n;
  }

  // The connect.* properties, the logical type and the avro* parameters, in AvroData's order (§3).
  void add_properties(const Schema& s, Node& n) {
    const bool field_default_param = s.parameter(kFieldDefaultParam).has_value();
    if (config_.connect_meta_data) {
      if (s.doc()) n.props.push_back({"connect.doc", JNode{*s.doc()}});
      if (s.version()) n.props.push_back({"connect.version", JNode{std::int64_t{*s.version()}}});
      JObject params;
      for (const auto& [k, v] : s.parameters())
        if (k != kFieldDefaultParam) params.push_back({k, JNode{v}});
      if (!params.empty()) n.props.push_back({"connect.parameters", JNode{std::move(params)}});
      if (s.default_value() && !s.default_value()->is_null() && !field_default_param)
        n.props.push_back({"connect.default", json_of(s, *s.default_value())});
      if (s.name()) n.props.push_back({"connect.name", JNode{*s.name()}});
      if (s.type() == Type::Int8) n.props.push_back({"connect.type", JNode{"int8"}});
      if (s.type() == Type::Int16) n.props.push_back({"connect.type", JNode{"int16"}});
    }
    if (s.name()) {
      const std::string& name = *s.name();
      const char* logical_type = nullptr;
      if (name == logical::kDecimal) logical_type = "decimal";
      if (name == logical::kDate) logical_type = "date";
      if (name == logical::kTime) logical_type = "time-millis";
      if (name == logical::kTimestamp) logical_type = "timestamp-millis";
      if (logical_type != nullptr) n.props.push_back({"logicalType", JNode{logical_type}});
    }
    for (const auto& [k, v] : s.parameters())
      if (k.rfind("avro", 0) == 0) n.props.push_back({k, JNode{v}});
  }

  // A Connect value as the JSON AvroData writes for defaults (§4.1); values are already physical.
  JNode json_of(const Schema& s, const Value& v) const {
    if (v.is_null()) return JNode{};
    switch (s.type()) {
      case Type::Int8: return JNode{std::int64_t{v.as<std::int8_t>()}};
      case Type::Int16: return JNode{std::int64_t{v.as<std::int16_t>()}};
      case Type::Int32: return JNode{std::int64_t{v.as<std::int32_t>()}};
      case Type::Int64: return JNode{v.as<std::int64_t>()};
      case Type::Float32: return JNode{v.as<float>()};
      case Type::Float64: return JNode{v.as<double>()};
      case Type::Boolean: return JNode{v.as<bool>()};
      case Type::String: return JNode{v.as<std::string>()};
      case Type::Bytes: {
        // Each byte as the character of that code point (ISO-8859-1), written as UTF-8.
        std::string out;
        for (std::uint8_t b : v.as<Bytes>()) {
          if (b < 0x80) {
            out += static_cast<char>(b);
          } else {
            out += static_cast<char>(0xC0 | (b >> 6));
            out += static_cast<char>(0x80 | (b & 0x3F));
          }
        }
        return JNode{std::move(out)};
      }
      case Type::Array: {
        JArray a;
        for (const auto& e : v.as<Value::Array>()) a.push_back(json_of(*s.value_schema(), e));
        return JNode{std::move(a)};
      }
      case Type::Map: {
        if (s.key_schema()->type() == Type::String) {
          JObject o;
          for (const auto& [k, e] : v.as<Value::MapEntries>())
            o.push_back({k.as<std::string>(), json_of(*s.value_schema(), e)});
          return JNode{std::move(o)};
        }
        JArray a;
        for (const auto& [k, e] : v.as<Value::MapEntries>())
          a.push_back(JNode{JArray{json_of(*s.key_schema(), k), json_of(*s.value_schema(), e)}});
        return JNode{std::move(a)};
      }
      case Type::Struct: {
        const auto& data = v.as_struct();
        if (is_union_schema(s)) {
          // AvroData's default of a union: its first field's value (or that field's default).
          if (s.fields().empty()) return JNode{};
          const auto& first = s.fields().front();
          const Value& fv = data.fields.at(static_cast<std::size_t>(first.index));
          return json_of(*first.schema, fv.is_null() && first.schema->default_value()
                                            ? *first.schema->default_value()
                                            : fv);
        }
        JObject o;
        for (const auto& f : s.fields())
          o.push_back({config_.scrub_invalid_names ? scrub_name(f.name) : f.name,
                       json_of(*f.schema, data.fields.at(static_cast<std::size_t>(f.index)))});
        return JNode{std::move(o)};
      }
    }
    return JNode{};
  }

  // Avro's check of a default against a schema (a union: against its first branch).
  static bool fits(const JNode& d, const NodePtr& n) {
    switch (n->kind) {
      case Node::Kind::Union: return fits(d, n->branches.front());
      case Node::Kind::Array: {
        const auto* a = std::get_if<JArray>(&d.v);
        if (a == nullptr) return false;
        for (const auto& e : *a)
          if (!fits(e, n->items)) return false;
        return true;
      }
      case Node::Kind::Map: {
        const auto* o = std::get_if<JObject>(&d.v);
        if (o == nullptr) return false;
        for (const auto& [_, e] : *o)
          if (!fits(e, n->items)) return false;
        return true;
      }
      case Node::Kind::Record: {
        const auto* o = std::get_if<JObject>(&d.v);
        if (o == nullptr) return false;
        for (const auto& f : n->fields) {
          const JNode* value = nullptr;
          for (const auto& [k, e] : *o)
            if (k == f.name) value = &e;
          if (value != nullptr ? !fits(*value, f.type) : !f.default_value) return false;
        }
        return true;
      }
      case Node::Kind::Enum: {
        const auto* sym = std::get_if<std::string>(&d.v);
        return sym != nullptr &&
               std::find(n->symbols.begin(), n->symbols.end(), *sym) != n->symbols.end();
      }
      case Node::Kind::Fixed: return std::holds_alternative<std::string>(d.v);
      case Node::Kind::Primitive: break;
    }
    const std::string& t = n->primitive;
    if (t == "null") return std::holds_alternative<std::monostate>(d.v);
    if (t == "boolean") return std::holds_alternative<bool>(d.v);
    if (t == "string" || t == "bytes") return std::holds_alternative<std::string>(d.v);
    if (t == "int" || t == "long") return std::holds_alternative<std::int64_t>(d.v);
    return std::holds_alternative<std::int64_t>(d.v) || std::holds_alternative<float>(d.v) ||
           std::holds_alternative<double>(d.v);
  }

  const AvroDataConfig& config_;
  int name_index_ = 0;
  std::vector<std::pair<const Schema*, NodePtr>> seen_;
};

// ---- Avro's Schema.toString (compact) -----------------------------------------------------

class Writer {
 public:
  void write(const NodePtr& n, const std::optional<std::string>& current_ns, std::string& out) {
    switch (n->kind) {
      case Node::Kind::Primitive:
        if (n->props.empty()) {
          write_string(n->primitive, out);
        } else {
          out += "{\"type\":";
          write_string(n->primitive, out);
          write_props(n->props, out);
          out += '}';
        }
        return;
      case Node::Kind::Union:
        out += '[';
        for (std::size_t i = 0; i < n->branches.size(); ++i) {
          if (i) out += ',';
          write(n->branches[i], current_ns, out);
        }
        out += ']';
        return;
      case Node::Kind::Array:
      case Node::Kind::Map:
        out += n->kind == Node::Kind::Array ? "{\"type\":\"array\",\"items\":"
                                            : "{\"type\":\"map\",\"values\":";
        write(n->items, current_ns, out);
        write_props(n->props, out);
        out += '}';
        return;
      case Node::Kind::Record:
      case Node::Kind::Enum:
      case Node::Kind::Fixed: break;
    }
    const std::string full = n->full_name();
    if (auto it = defined_.find(full); it != defined_.end()) {
      // Defined before: a reference (short when in the current namespace), or Avro's refusal.
      if (!same(it->second, n)) throw AvroSchemaError("Can't redefine: " + full);
      write_string(n->ns == current_ns || (!n->ns && !current_ns) ? n->name : full, out);
      return;
    }
    defined_.emplace(full, n);
    out += n->kind == Node::Kind::Record ? "{\"type\":\"record\",\"name\":"
           : n->kind == Node::Kind::Enum ? "{\"type\":\"enum\",\"name\":"
                                         : "{\"type\":\"fixed\",\"name\":";
    write_string(n->name, out);
    if (n->ns != current_ns) {
      out += ",\"namespace\":";
      write_string(n->ns.value_or(""), out);
    }
    if (n->doc) {
      out += ",\"doc\":";
      write_string(*n->doc, out);
    }
    if (n->kind == Node::Kind::Enum) {  // Avro 1.11: symbols, default, then the properties
      out += ",\"symbols\":[";
      for (std::size_t i = 0; i < n->symbols.size(); ++i) {
        if (i) out += ',';
        write_string(n->symbols[i], out);
      }
      out += ']';
      if (n->enum_default) {
        out += ",\"default\":";
        write_string(*n->enum_default, out);
      }
      write_props(n->props, out);
      out += '}';
      return;
    }
    if (n->kind == Node::Kind::Fixed) {
      out += ",\"size\":" + std::to_string(n->size);
      write_props(n->props, out);
      out += '}';
      return;
    }
    out += ",\"fields\":[";
    for (std::size_t i = 0; i < n->fields.size(); ++i) {
      const auto& f = n->fields[i];
      if (i) out += ',';
      out += "{\"name\":";
      write_string(f.name, out);
      out += ",\"type\":";
      write(f.type, n->ns, out);
      if (f.doc) {
        out += ",\"doc\":";
        write_string(*f.doc, out);
      }
      if (f.default_value) {
        out += ",\"default\":";
        write_json(*f.default_value, out);
      }
      out += '}';
    }
    out += ']';
    write_props(n->props, out);
    out += '}';
  }

 private:
  static void write_props(const JObject& props, std::string& out) {
    for (const auto& [k, v] : props) {
      out += ',';
      write_string(k, out);
      out += ':';
      write_json(v, out);
    }
  }
  std::map<std::string, NodePtr> defined_;
};

}  // namespace

std::string scrub_name(const std::string& part) {
  if (valid_avro_name(part)) return part;
  // Java's URLEncoder (UTF-8): letters, digits and . - * _ stay, space becomes '+', the rest %XX.
  std::string enc;
  for (char ch : part) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
        c == '-' || c == '*' || c == '_') {
      enc += ch;
    } else if (c == ' ') {
      enc += '+';
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      enc += buf;
    }
  }
  if (!enc.empty() && enc[0] >= '0' && enc[0] <= '9') enc.insert(0, "x");
  for (char& ch : enc) {
    const auto c = static_cast<unsigned char>(ch);
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
      ch = '_';
  }
  return enc;
}

std::string avro_schema_json(const SchemaPtr& schema, const AvroDataConfig& config) {
  FromConnect from(config);
  NodePtr root = from.convert(*schema, false);
  std::string out;
  Writer().write(root, std::nullopt, out);
  return out;
}

// ---- Values: AvroData.fromConnectData through avro-c's generic values ----------------------

namespace {

void check(int rc, const std::string& what) {
  if (rc != 0) throw std::invalid_argument(what + ": " + avro_strerror());
}

std::string describe(const std::string& path) {
  return path.empty() ? std::string("the value") : "field " + path;
}

void set_value(avro_value_t& av, const Schema& s, const Value& v, const std::string& path,
               const AvroDataConfig& c, bool ignore_optional = false) {
  if (is_union_schema(s)) {
    const int first = s.optional() ? 1 : 0;
    avro_value_t branch;
    if (!v.is_null()) {
      const auto& data = v.as_struct();
      for (const auto& f : s.fields()) {
        Value fv = static_cast<std::size_t>(f.index) < data.fields.size()
                       ? data.fields[static_cast<std::size_t>(f.index)]
                       : Value();
        if (fv.is_null() && f.schema->default_value()) fv = *f.schema->default_value();
        if (fv.is_null()) continue;
        check(avro_value_set_branch(&av, first + f.index, &branch), describe(path));
        set_value(branch, *f.schema, fv, path.empty() ? f.name : path + "." + f.name, c, true);
        return;
      }
    }
    if (!s.optional())
      throw std::invalid_argument("Invalid null value for required " + describe(path));
    check(avro_value_set_branch(&av, 0, &branch), describe(path));
    check(avro_value_set_null(&branch), describe(path));
    return;
  }
  if (s.optional() && !ignore_optional) {
    // The union AvroData made: ["null", T], or [T, "null"] for a non-struct with a default.
    const bool null_first =
        s.type() == Type::Struct || !(s.default_value() && !s.default_value()->is_null());
    avro_value_t branch;
    if (v.is_null()) {
      check(avro_value_set_branch(&av, null_first ? 0 : 1, &branch), describe(path));
      check(avro_value_set_null(&branch), describe(path));
      return;
    }
    check(avro_value_set_branch(&av, null_first ? 1 : 0, &branch), describe(path));
    set_value(branch, s, v, path, c, true);
    return;
  }
  if (v.is_null()) {
    // A required value left null is its default (Connect's Struct.get), else an error.
    if (s.default_value() && !s.default_value()->is_null())
      return set_value(av, s, *s.default_value(), path, c, true);
    throw std::invalid_argument("Invalid null value for required " + describe(path));
  }
  try {
    switch (s.type()) {
      case Type::Int8: check(avro_value_set_int(&av, v.as<std::int8_t>()), describe(path)); break;
      case Type::Int16: check(avro_value_set_int(&av, v.as<std::int16_t>()), describe(path)); break;
      case Type::Int32: check(avro_value_set_int(&av, v.as<std::int32_t>()), describe(path)); break;
      case Type::Int64:
        check(avro_value_set_long(&av, v.as<std::int64_t>()), describe(path));
        break;
      case Type::Float32: check(avro_value_set_float(&av, v.as<float>()), describe(path)); break;
      case Type::Float64: check(avro_value_set_double(&av, v.as<double>()), describe(path)); break;
      case Type::Boolean: check(avro_value_set_boolean(&av, v.as<bool>()), describe(path)); break;
      case Type::String: {
        const auto& str = v.as<std::string>();
        if (const char* param = enum_param(s, c)) {
          const auto symbols = enum_symbols(s, param);
          const auto it = std::find(symbols.begin(), symbols.end(), str);
          if (it == symbols.end())
            throw std::invalid_argument("not an enum symbol: " + describe(path));
          check(avro_value_set_enum(&av, static_cast<int>(it - symbols.begin())), describe(path));
          break;
        }
        // avro-c's length counts the terminating NUL it keeps.
        check(avro_value_set_string_len(&av, str.c_str(), str.size() + 1), describe(path));
        break;
      }
      case Type::Bytes: {
        const auto& b = v.as<Bytes>();
        if (is_fixed_schema(s)) {
          if (static_cast<std::int64_t>(b.size()) != fixed_size(s))
            throw std::invalid_argument("wrong fixed size: " + describe(path));
          check(avro_value_set_fixed(&av, const_cast<std::uint8_t*>(b.data()), b.size()),
                describe(path));
          break;
        }
        static std::uint8_t none = 0;  // libavro refuses a null pointer, even for no bytes
        check(avro_value_set_bytes(&av, b.empty() ? &none : const_cast<std::uint8_t*>(b.data()),
                                   b.size()),
              describe(path));
        break;
      }
      case Type::Array: {
        std::size_t i = 0;
        for (const auto& e : v.as<Value::Array>()) {
          avro_value_t child;
          check(avro_value_append(&av, &child, nullptr), describe(path));
          set_value(child, *s.value_schema(), e, path + "[" + std::to_string(i++) + "]", c);
        }
        break;
      }
      case Type::Map: {
        const bool string_keys =
            s.key_schema()->type() == Type::String && !s.key_schema()->optional();
        for (const auto& [k, e] : v.as<Value::MapEntries>()) {
          avro_value_t child;
          if (string_keys) {
            check(avro_value_add(&av, k.as<std::string>().c_str(), &child, nullptr, nullptr),
                  describe(path));
            set_value(child, *s.value_schema(), e, path + "[" + k.as<std::string>() + "]", c);
          } else {
            avro_value_t entry, key;
            check(avro_value_append(&av, &entry, nullptr), describe(path));
            check(avro_value_get_by_index(&entry, 0, &key, nullptr), describe(path));
            set_value(key, *s.key_schema(), k, path + ".key", c);
            check(avro_value_get_by_index(&entry, 1, &child, nullptr), describe(path));
            set_value(child, *s.value_schema(), e, path + ".value", c);
          }
        }
        break;
      }
      case Type::Struct: {
        const auto& data = v.as_struct();
        for (const auto& f : s.fields()) {
          avro_value_t child;
          check(avro_value_get_by_index(&av, static_cast<std::size_t>(f.index), &child, nullptr),
                describe(path));
          const auto at = static_cast<std::size_t>(f.index);
          set_value(child, *f.schema, at < data.fields.size() ? data.fields[at] : Value(),
                    path.empty() ? f.name : path + "." + f.name, c);
        }
        break;
      }
    }
  } catch (const std::bad_variant_access&) {
    throw std::invalid_argument("Invalid value for " + describe(path) + ": not a " +
                                std::string(type_name(s.type())));
  }
}

}  // namespace

struct AvroEncoder::Impl {
  SchemaPtr connect;
  AvroDataConfig config;
  std::string json;
  avro_schema_t schema = nullptr;
  avro_value_iface_t* iface = nullptr;
  avro_value_t value{};
  bool has_value = false;

  ~Impl() {
    if (has_value) avro_value_decref(&value);
    if (iface != nullptr) avro_value_iface_decref(iface);
    if (schema != nullptr) avro_schema_decref(schema);
  }
};

AvroEncoder::AvroEncoder(SchemaPtr schema, const AvroDataConfig& config)
    : impl_(std::make_unique<Impl>()) {
  impl_->connect = std::move(schema);
  impl_->config = config;
  impl_->json = avro_schema_json(impl_->connect, config);
}

AvroEncoder::~AvroEncoder() = default;

const std::string& AvroEncoder::schema_json() const {
  return impl_->json;
}

void AvroEncoder::encode_with_libavro(const Value& value, std::string& out) {
  // libavro's schema and generic value are made on first use: only the tests' oracle needs them
  // (and libavro's JSON parser refuses "\u0000" in a string, which a bytes default may hold).
  if (!impl_->has_value) {
    if (impl_->schema == nullptr &&
        avro_schema_from_json_length(impl_->json.data(), impl_->json.size(), &impl_->schema) != 0)
      throw AvroSchemaError(std::string("Avro refused the schema: ") + avro_strerror());
    impl_->iface = avro_generic_class_from_schema(impl_->schema);
    if (impl_->iface == nullptr || avro_generic_value_new(impl_->iface, &impl_->value) != 0)
      throw AvroSchemaError(std::string("Cannot make Avro values of the schema: ") +
                            avro_strerror());
    impl_->has_value = true;
  }
  check(avro_value_reset(&impl_->value), "resetting the Avro value");
  set_value(impl_->value, *impl_->connect, value, "", impl_->config);
  std::size_t size = 0;
  check(avro_value_sizeof(&impl_->value, &size), "sizing the Avro value");
  const std::size_t at = out.size();
  out.resize(at + size);
  avro_writer_t w = avro_writer_memory(out.data() + at, static_cast<int64_t>(size));
  const int rc = avro_value_write(w, &impl_->value);
  avro_writer_free(w);
  check(rc, "writing the Avro value");
}

// ---- The hand-written binary writer ---------------------------------------------------------
//
// Hand-written on purpose: bench_convert measured libavro's generic values at 819 ns per record
// (5 fields) and 3.9 us (30 fields), 4.7-5.2x the JsonConverter with schemas off, the issue's
// floor. The format is the Avro spec's binary encoding; libavro stays the oracle the tests compare
// every byte with (encode_with_libavro).

namespace {

// A value that does not fit, with the path to it filled in on the way out.
struct FieldError : std::invalid_argument {
  FieldError(std::string path, const std::string& what)
      : std::invalid_argument(what), path(std::move(path)) {}
  std::string path;
};

void write_long(std::int64_t v, std::string& out) {
  auto z = (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
  while (z > 0x7F) {
    out += static_cast<char>((z & 0x7F) | 0x80);
    z >>= 7;
  }
  out += static_cast<char>(z);
}

template <class T>
void write_little_endian(T v, std::string& out) {
  char raw[sizeof(T)];
  std::memcpy(raw, &v, sizeof(T));
  if constexpr (std::endian::native == std::endian::big) std::reverse(raw, raw + sizeof(T));
  out.append(raw, sizeof(T));
}

void write_bytes(const void* data, std::size_t size, std::string& out) {
  write_long(static_cast<std::int64_t>(size), out);
  out.append(static_cast<const char*>(data), size);
}

// A Union struct: the branch of its first non-null field (a field left null counts as its
// default, as Struct.get), or the null branch.
void write_union(const Schema& s, const Value& v, std::string& out, const AvroDataConfig& c);

void write_value(const Schema& s, const Value& v, std::string& out, const AvroDataConfig& c,
                 bool ignore_optional = false) {
  if (is_union_schema(s)) return write_union(s, v, out, c);
  if (s.optional() && !ignore_optional) {
    const bool null_first =
        s.type() == Type::Struct || !(s.default_value() && !s.default_value()->is_null());
    if (v.is_null()) {
      write_long(null_first ? 0 : 1, out);
      return;
    }
    write_long(null_first ? 1 : 0, out);
    write_value(s, v, out, c, true);
    return;
  }
  if (v.is_null()) {
    if (s.default_value() && !s.default_value()->is_null())
      return write_value(s, *s.default_value(), out, c, true);
    throw FieldError("", "Invalid null value for required ");
  }
  try {
    switch (s.type()) {
      case Type::Int8: write_long(v.as<std::int8_t>(), out); return;
      case Type::Int16: write_long(v.as<std::int16_t>(), out); return;
      case Type::Int32: write_long(v.as<std::int32_t>(), out); return;
      case Type::Int64: write_long(v.as<std::int64_t>(), out); return;
      case Type::Float32: write_little_endian(v.as<float>(), out); return;
      case Type::Float64: write_little_endian(v.as<double>(), out); return;
      case Type::Boolean: out += static_cast<char>(v.as<bool>() ? 1 : 0); return;
      case Type::String: {
        const auto& str = v.as<std::string>();
        if (const char* param = enum_param(s, c)) {
          const auto symbols = enum_symbols(s, param);
          const auto it = std::find(symbols.begin(), symbols.end(), str);
          if (it == symbols.end())
            throw FieldError("", "Invalid value: '" + str + "' is not a symbol of enum " +
                                     s.parameter(param).value_or("") + " for ");
          write_long(it - symbols.begin(), out);
          return;
        }
        write_bytes(str.data(), str.size(), out);
        return;
      }
      case Type::Bytes: {
        const auto& b = v.as<Bytes>();
        if (is_fixed_schema(s)) {
          const std::int64_t size = fixed_size(s);
          if (static_cast<std::int64_t>(b.size()) != size)
            throw FieldError("", "Invalid value: " + std::to_string(b.size()) +
                                     " bytes for a fixed of " + std::to_string(size) + " for ");
          out.append(reinterpret_cast<const char*>(b.data()), b.size());
          return;
        }
        write_bytes(b.data(), b.size(), out);
        return;
      }
      case Type::Array: {
        const auto& items = v.as<Value::Array>();
        if (!items.empty()) write_long(static_cast<std::int64_t>(items.size()), out);
        for (std::size_t i = 0; i < items.size(); ++i) {
          try {
            write_value(*s.value_schema(), items[i], out, c);
          } catch (FieldError& e) {
            e.path = "[" + std::to_string(i) + "]" + e.path;
            throw;
          }
        }
        out += '\0';
        return;
      }
      case Type::Map: {
        const auto& entries = v.as<Value::MapEntries>();
        const bool string_keys =
            s.key_schema()->type() == Type::String && !s.key_schema()->optional();
        if (!entries.empty()) write_long(static_cast<std::int64_t>(entries.size()), out);
        for (const auto& [k, e] : entries) {
          if (string_keys) {
            const auto& key = k.as<std::string>();
            write_bytes(key.data(), key.size(), out);
          } else {
            write_value(*s.key_schema(), k, out, c);
          }
          write_value(*s.value_schema(), e, out, c);
        }
        out += '\0';
        return;
      }
      case Type::Struct: {
        const auto& data = v.as_struct();
        static const Value kNull;
        for (const auto& f : s.fields()) {
          const auto at = static_cast<std::size_t>(f.index);
          try {
            write_value(*f.schema, at < data.fields.size() ? data.fields[at] : kNull, out, c);
          } catch (FieldError& e) {
            e.path = (e.path.empty() || e.path[0] == '[' ? f.name : f.name + ".") + e.path;
            throw;
          }
        }
        return;
      }
    }
  } catch (const std::bad_variant_access&) {
    throw FieldError("", "Invalid value: not a " + std::string(type_name(s.type())) + " for ");
  }
}

void write_union(const Schema& s, const Value& v, std::string& out, const AvroDataConfig& c) {
  const std::int64_t first = s.optional() ? 1 : 0;
  if (!v.is_null()) {
    try {
      const auto& data = v.as_struct();
      for (const auto& f : s.fields()) {
        const auto at = static_cast<std::size_t>(f.index);
        const Value* fv = at < data.fields.size() ? &data.fields[at] : nullptr;
        if ((fv == nullptr || fv->is_null()) && f.schema->default_value() &&
            !f.schema->default_value()->is_null())
          fv = &*f.schema->default_value();
        if (fv == nullptr || fv->is_null()) continue;
        write_long(first + f.index, out);
        try {
          write_value(*f.schema, *fv, out, c, true);
        } catch (FieldError& e) {
          e.path = (e.path.empty() || e.path[0] == '[' ? f.name : f.name + ".") + e.path;
          throw;
        }
        return;
      }
    } catch (const std::bad_variant_access&) {
      throw FieldError("", "Invalid value: not a struct for ");
    }
  }
  if (!s.optional()) throw FieldError("", "Invalid null value for required ");
  write_long(0, out);
}

}  // namespace

void AvroEncoder::encode(const Value& value, std::string& out) {
  const std::size_t at = out.size();
  try {
    write_value(*impl_->connect, value, out, impl_->config);
  } catch (const FieldError& e) {
    out.resize(at);  // nothing of a record that cannot be written
    throw std::invalid_argument(e.what() + describe(e.path));
  }
}

}  // namespace tributary::avro

// ---- Avro -> Connect: AvroData's toConnectSchema and toConnectData ---------------------------
//
// The schema side reads the connect.* properties AvroData writes (so a schema this file wrote
// comes back equal, tested over random schemas and values) and otherwise follows AvroData's
// defaults: ["null",T] / [T,"null"] unions are optional T; an array of MapEntry records (named
// io.confluent.connect.avro.MapEntry or marked connect.internal.type) is a map; logicalType date /
// time-millis / timestamp-millis / decimal are Connect's logical types; ConnectDefault records are
// unnamed structs. Other unions, enums and fixed are refused (AvroData maps them to its own
// Union struct, Enum parameters and fixed-size bytes; no Connect schema we write uses them).

namespace tributary::avro {
namespace {

// Ordered: connect.parameters keep the order they were written in (Jackson's, as Connect's
// LinkedHashMap of parameters).
using Json = nlohmann::ordered_json;

// The full name of a named type by Avro's rules (any nlohmann JSON type).
template <class J>
std::string full_name_impl(const J& named, const std::string& enclosing_namespace) {
  std::string name = named.is_object() && named.contains("name") && named["name"].is_string()
                         ? named["name"].template get<std::string>()
                         : "";
  if (name.find('.') != std::string::npos) return name;
  const std::string ns =
      named.is_object() && named.contains("namespace") && named["namespace"].is_string()
          ? named["namespace"].template get<std::string>()
          : enclosing_namespace;
  return ns.empty() ? name : ns + "." + name;
}

// The named types of a schema by full name: records, and with `all_named` enums and fixed too.
template <class J>
void collect_records(const J& t, const std::string& ns, std::map<std::string, const J*>& out,
                     int depth, bool all_named = false) {
  if (depth > kMaxJsonDepth) return;  // parse_bounded_json bounds real input well below this
  if (t.is_array()) {
    for (const auto& b : t) collect_records(b, ns, out, depth + 1, all_named);
    return;
  }
  if (!t.is_object() || !t.contains("type")) return;
  const J& type = t["type"];
  if (!type.is_string()) {
    collect_records(type, ns, out, depth + 1, all_named);
    return;
  }
  const std::string kind = type.template get<std::string>();
  if (all_named && (kind == "enum" || kind == "fixed")) {
    out.emplace(full_name_impl(t, ns), &t);
    return;
  }
  if (kind == "record" || kind == "error") {
    const std::string full = full_name_impl(t, ns);
    out.emplace(full, &t);
    const auto dot = full.rfind('.');
    const std::string inner_ns = dot == std::string::npos ? "" : full.substr(0, dot);
    if (t.contains("fields") && t["fields"].is_array())
      for (const auto& f : t["fields"])
        if (f.is_object() && f.contains("type"))
          collect_records(f["type"], inner_ns, out, depth + 1, all_named);
  } else if (kind == "array" && t.contains("items")) {
    collect_records(t["items"], ns, out, depth + 1, all_named);
  } else if (kind == "map" && t.contains("values")) {
    collect_records(t["values"], ns, out, depth + 1, all_named);
  }
}

struct DecNode {
  enum class Kind {
    Null,
    Boolean,
    Int,
    Long,
    Float,
    Double,
    Bytes,
    String,
    Record,
    Array,
    Map,
    MapArray,
    Union,        // ["null", T]: an optional T
    UnionStruct,  // any other union: a Union struct with one field per non-null branch
    Enum,
    Fixed
  };
  Kind kind = Kind::Null;
  std::vector<const DecNode*> children;  // record fields; array/map items; union branches
  int null_branch = -1;                  // union: the index of "null"
  std::vector<int> branch_field;         // union struct: each branch's field (-1: null)
  std::vector<std::string> symbols;      // enum
  std::int64_t size = 0;                 // fixed
};

class ToConnect {
 public:
  ToConnect(std::vector<std::unique_ptr<DecNode>>& pool, const AvroDataConfig& config)
      : pool_(pool), config_(config) {}

  // Named types first, so references resolve.
  void collect(const Json& schema) { collect_records(schema, "", named_, 0, true); }

  // The Connect schema and the decode node of type `t`; `field_default` is the Avro field's
  // default (used when the type has no connect.default).
  std::pair<SchemaPtr, const DecNode*> convert(const Json& t, const std::string& ns, bool optional,
                                               const Json* field_default, int depth = 0) {
    if (depth > 64) throw AvroSchemaError("the Avro schema is recursive or nested too deeply");
    if (t.is_array()) {
      if (t.size() == 2 && (t[0] == "null" || t[1] == "null") && t[0] != t[1]) {
        const int null_at = t[0] == "null" ? 0 : 1;
        auto [schema, inner] = convert(t[1 - null_at], ns, true, field_default, depth + 1);
        auto* u = node(DecNode::Kind::Union);
        u->null_branch = null_at;
        u->children = null_at == 0 ? std::vector<const DecNode*>{null_node(), inner}
                                   : std::vector<const DecNode*>{inner, null_node()};
        return {schema, u};
      }
      return convert_union(t, ns, optional, field_default, depth);
    }
    if (t.is_string()) {
      const std::string name = t.get<std::string>();
      if (auto p = primitive(name, Json::object(), optional, field_default)) return *p;
      const std::string full =
          name.find('.') == std::string::npos && !ns.empty() ? ns + "." + name : name;
      auto it = named_.find(full);
      if (it == named_.end()) it = named_.find(name);
      if (it == named_.end()) throw AvroSchemaError("unknown Avro type name '" + name + "'");
      return convert(*it->second, namespace_of(it->first), optional, field_default, depth + 1);
    }
    if (!t.is_object() || !t.contains("type"))
      throw AvroSchemaError("not an Avro schema: " + t.dump().substr(0, 200));
    const Json& type = t["type"];
    if (!type.is_string()) return convert(type, ns, optional, field_default, depth + 1);
    const std::string kind = type.get<std::string>();
    if (auto p = primitive(kind, t, optional, field_default)) return *p;
    if (kind == "array") {
      const Json& items = t.value("items", Json());
      // An array of MapEntry records is a Connect map with non-string keys.
      const Json* entry = resolve_record(items, ns);
      if (entry != nullptr && is_map_entry(*entry, ns) && entry->contains("fields") &&
          (*entry)["fields"].is_array()) {
        const std::string entry_ns = namespace_of(full_name_of(*entry, ns));
        const Json* key_field = nullptr;
        const Json* value_field = nullptr;
        for (const auto& f : (*entry)["fields"]) {
          if (f.value("name", "") == "key") key_field = &f;
          if (f.value("name", "") == "value") value_field = &f;
        }
        if (key_field == nullptr || value_field == nullptr)
          throw AvroSchemaError("a MapEntry record needs fields 'key' and 'value'");
        auto [ks, kn] =
            convert((*key_field)["type"], entry_ns, false,
                    key_field->contains("default") ? &(*key_field)["default"] : nullptr, depth + 1);
        auto [vs, vn] = convert(
            (*value_field)["type"], entry_ns, false,
            value_field->contains("default") ? &(*value_field)["default"] : nullptr, depth + 1);
        SchemaBuilder b = SchemaBuilder::map(ks, vs);
        if (entry->contains("connect.internal.type")) b.name(full_name_of(*entry, ns));
        auto* n = node(DecNode::Kind::MapArray);
        n->children = {kn, vn};
        return {finish(b, t, optional, field_default, Type::Map), n};
      }
      auto [is, in] = convert(items, ns, false, nullptr, depth + 1);
      SchemaBuilder b = SchemaBuilder::array(is);
      auto* n = node(DecNode::Kind::Array);
      n->children = {in};
      return {finish(b, t, optional, field_default, Type::Array), n};
    }
    if (kind == "map") {
      auto [vs, vn] = convert(t.value("values", Json()), ns, false, nullptr, depth + 1);
      SchemaBuilder b = SchemaBuilder::map(schemas::string(), vs);
      auto* n = node(DecNode::Kind::Map);
      n->children = {vn};
      return {finish(b, t, optional, field_default, Type::Map), n};
    }
    if (kind == "record") {
      const std::string full = full_name_of(t, ns);
      const std::string inner_ns = namespace_of(full);
      SchemaBuilder b = SchemaBuilder::struct_();
      auto* n = node(DecNode::Kind::Record);
      if (!t.contains("fields") || !t["fields"].is_array())
        throw AvroSchemaError("Avro record " + full + " has no fields");
      // The record's and the fields' docs are the struct's parameters (§1.4, §1.5).
      if (config_.connect_meta_data && t.contains("doc") && t["doc"].is_string())
        b.parameter(kRecordDocParam, t["doc"].get<std::string>());
      for (const auto& f : t["fields"]) {
        if (!f.is_object() || !f.contains("name") || !f["name"].is_string() || !f.contains("type"))
          throw AvroSchemaError("a field of Avro record " + full + " has no name or type");
        if (config_.connect_meta_data && f.contains("doc") && f["doc"].is_string())
          b.parameter(kFieldDocPrefix + f["name"].get<std::string>(), f["doc"].get<std::string>());
        auto [fs, fn] = convert(f["type"], inner_ns, false,
                                f.contains("default") ? &f["default"] : nullptr, depth + 1);
        b.field(f["name"].get<std::string>(), fs);
        n->children.push_back(fn);
      }
      // An unnamed Connect struct was written as ConnectDefault (without connect.name).
      if (!t.contains("connect.name") &&
          full.rfind(std::string(kDefaultNamespace) + "." + kDefaultName, 0) != 0)
        b.name(full);
      return {finish(b, t, optional, field_default, Type::Struct), n};
    }
    if (kind == "enum") return convert_enum(t, ns, optional, field_default);
    if (kind == "fixed") return convert_fixed(t, ns, optional, field_default);
    throw AvroSchemaError("Avro type '" + kind + "' is not supported");
  }

 private:
  // A union other than ["null", T] (§1.6): one member is that member (flatten.singleton.union);
  // more are a struct named io.confluent.connect.avro.Union (generalized.sum.type.support:
  // connect_union_<n>), optional when a member is "null", with one optional field per other
  // member named by its type (a named type by its name, its full name under
  // enhanced.avro.schema.support; connect_union_field_<i> when generalized).
  std::pair<SchemaPtr, const DecNode*> convert_union(const Json& t, const std::string& ns,
                                                     bool optional, const Json* field_default,
                                                     int depth) {
    if (t.empty()) throw AvroSchemaError("an empty Avro union has no Connect schema");
    if (t.size() == 1) {
      auto [schema, inner] = convert(t[0], ns, optional, nullptr, depth + 1);
      auto* u = node(DecNode::Kind::Union);
      u->children = {inner};
      return {schema, u};
    }
    const bool generalized = config_.generalized_sum_type_support;
    const std::string union_name =
        generalized ? std::string(kGeneralizedUnionPrefix) + std::to_string(union_index_++)
                    : std::string(kAvroUnion);
    SchemaBuilder b = SchemaBuilder::struct_();
    b.name(union_name);
    if (generalized) b.parameter(kGeneralizedUnion, union_name);
    auto* n = node(DecNode::Kind::UnionStruct);
    std::set<std::string> names;
    int field_index = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
      const Json& member = t[i];
      if (member == "null" || (member.is_object() && member.value("type", Json()) == "null")) {
        optional = true;
        n->children.push_back(null_node());
        n->branch_field.push_back(-1);
        continue;
      }
      if (member.is_array()) throw AvroSchemaError("Nested union: " + t.dump().substr(0, 200));
      auto [fs, fn] = convert(member, ns, true, nullptr, depth + 1);
      const std::string field_name = member_field_name(member, ns, i);
      if (!names.insert(field_name).second)
        throw AvroSchemaError("Multiple union schemas map to the Connect union field name " +
                              field_name);
      b.field(field_name, fs);
      n->children.push_back(fn);
      n->branch_field.push_back(field_index++);
    }
    if (optional) b.optional();
    SchemaPtr schema = b.build();
    // The field's default is its first member's value (a null first member: no default).
    if (field_default != nullptr && !field_default->is_null() && n->branch_field.front() >= 0) {
      try {
        const auto& first = schema->fields().front();
        auto data = std::make_shared<Value::StructData>();
        data->schema = schema;
        data->fields.resize(schema->fields().size());
        data->fields[0] = value_of(first.schema, *field_default);
        b.default_value(Value(std::move(data)));
        schema = b.build();
      } catch (const std::exception&) {  // AvroData ignores a default it cannot read
      }
    }
    return {schema, n};
  }

  // AvroData's unionMemberFieldName for an Avro member type.
  std::string member_field_name(const Json& member, const std::string& ns,
                                std::size_t index) const {
    if (config_.generalized_sum_type_support)
      return std::string(kGeneralizedUnionPrefix) + "field_" + std::to_string(index);
    const Json* named = &member;
    if (member.is_string()) {
      const std::string name = member.get<std::string>();
      auto it =
          named_.find(name.find('.') == std::string::npos && !ns.empty() ? ns + "." + name : name);
      if (it == named_.end()) it = named_.find(name);
      if (it == named_.end()) return name;  // a primitive type's name
      named = it->second;
    }
    const std::string kind = named->is_object() ? named->value("type", std::string()) : "";
    if (kind == "record" || kind == "error" || kind == "enum" || kind == "fixed") {
      const std::string full = full_name_of(*named, ns);
      if (config_.enhanced_avro_schema_support) return full;
      const auto dot = full.rfind('.');
      return dot == std::string::npos ? full : full.substr(dot + 1);
    }
    return kind;  // "int", "string", "array", "map", ...
  }

  // An Avro enum: a string with the Enum parameters (§1.6), named by its full name.
  std::pair<SchemaPtr, const DecNode*> convert_enum(const Json& t, const std::string& ns,
                                                    bool optional, const Json* field_default) {
    if (!t.contains("symbols") || !t["symbols"].is_array())
      throw AvroSchemaError("Avro enum " + t.value("name", std::string()) + " has no symbols");
    const std::string full = full_name_of(t, ns);
    const std::string name =
        full.substr(full.rfind('.') == std::string::npos ? 0 : full.rfind('.') + 1);
    SchemaBuilder b(Type::String);
    if (config_.connect_meta_data) {
      if (t.contains("doc") && t["doc"].is_string())
        b.parameter(kEnumDocPrefix + name, t["doc"].get<std::string>());
      if (t.contains("default") && t["default"].is_string())
        b.parameter(kEnumDefaultPrefix + name, t["default"].get<std::string>());
    }
    const bool generalized = config_.generalized_sum_type_support;
    const std::string param = generalized ? kGeneralizedEnum : kAvroEnum;
    b.parameter(param, full);
    auto* n = node(DecNode::Kind::Enum);
    for (const auto& sym : t["symbols"]) {
      if (!sym.is_string())
        throw AvroSchemaError("Avro enum " + full + " has a symbol that is not a string");
      const std::string symbol = sym.get<std::string>();
      b.parameter(param + "." + symbol, generalized ? std::to_string(n->symbols.size()) : symbol);
      n->symbols.push_back(symbol);
    }
    if (!t.contains("connect.name")) b.name(full);
    return {finish(b, t, optional, field_default, Type::String), n};
  }

  // An Avro fixed: bytes (or a Decimal) with connect.fixed.size, named by its full name.
  std::pair<SchemaPtr, const DecNode*> convert_fixed(const Json& t, const std::string& ns,
                                                     bool optional, const Json* field_default) {
    if (!t.contains("size") || !t["size"].is_number_integer() ||
        t["size"].get<std::int64_t>() < 0 || t["size"].get<std::int64_t>() > INT32_MAX)
      throw AvroSchemaError("Avro fixed " + t.value("name", std::string()) + " has no size");
    const std::int64_t size = t["size"].get<std::int64_t>();
    SchemaBuilder b(Type::Bytes);
    if (t.value("logicalType", "") == "decimal") {
      b.name(std::string(logical::kDecimal)).version(1);
      b.parameter(std::string(logical::kDecimalScaleParam), std::to_string(t.value("scale", 0)));
      if (t.contains("precision") && t["precision"].is_number_integer() &&
          t["precision"].get<int>() != kDefaultDecimalPrecision)
        b.parameter(kDecimalPrecisionParam, std::to_string(t["precision"].get<int>()));
    }
    b.parameter(kFixedSizeParam, std::to_string(size));
    if (!t.contains("connect.name") && !b.build()->name()) b.name(full_name_of(t, ns));
    auto* n = node(DecNode::Kind::Fixed);
    n->size = size;
    return {finish(b, t, optional, field_default, Type::Bytes), n};
  }

  static std::string namespace_of(const std::string& full) {
    auto dot = full.rfind('.');
    return dot == std::string::npos ? "" : full.substr(0, dot);
  }
  static std::string full_name_of(const Json& t, const std::string& ns) {
    return full_name_impl(t, ns);
  }
  const Json* resolve_record(const Json& t, const std::string& ns) const {
    if (t.is_object() && t.value("type", Json()) == "record") return &t;
    if (t.is_string()) {
      const std::string name = t.get<std::string>();
      auto it =
          named_.find(name.find('.') == std::string::npos && !ns.empty() ? ns + "." + name : name);
      if (it == named_.end()) it = named_.find(name);
      if (it != named_.end() && it->second->value("type", Json()) == "record") return it->second;
    }
    return nullptr;
  }
  static bool is_map_entry(const Json& r, const std::string& ns) {
    return r.contains("connect.internal.type") ||
           full_name_of(r, ns) == std::string(kDefaultNamespace) + "." + kMapEntry;
  }

  DecNode* node(DecNode::Kind k) {
    pool_.push_back(std::make_unique<DecNode>());
    pool_.back()->kind = k;
    return pool_.back().get();
  }
  const DecNode* null_node() {
    if (null_ == nullptr) null_ = node(DecNode::Kind::Null);
    return null_;
  }

  std::optional<std::pair<SchemaPtr, const DecNode*>> primitive(const std::string& kind,
                                                                const Json& t, bool optional,
                                                                const Json* field_default) {
    Type type;
    DecNode::Kind k;
    if (kind == "boolean")
      type = Type::Boolean, k = DecNode::Kind::Boolean;
    else if (kind == "int")
      type = Type::Int32, k = DecNode::Kind::Int;
    else if (kind == "long")
      type = Type::Int64, k = DecNode::Kind::Long;
    else if (kind == "float")
      type = Type::Float32, k = DecNode::Kind::Float;
    else if (kind == "double")
      type = Type::Float64, k = DecNode::Kind::Double;
    else if (kind == "bytes")
      type = Type::Bytes, k = DecNode::Kind::Bytes;
    else if (kind == "string")
      type = Type::String, k = DecNode::Kind::String;
    else if (kind == "null")
      throw AvroSchemaError("a bare Avro null type has no Connect schema");
    else
      return std::nullopt;
    if (type == Type::Int32 && t.is_object() && t.contains("connect.type")) {
      if (t["connect.type"] == "int8") type = Type::Int8;
      if (t["connect.type"] == "int16") type = Type::Int16;
    }
    auto* n = node(k);
    SchemaBuilder b(type);
    if (t.is_object()) {
      const std::string logical = t.value("logicalType", "");
      if (!t.contains("connect.name")) {  // AvroData: the logical type names the Connect type
        if (logical == "decimal" && type == Type::Bytes) {
          b.name(std::string(logical::kDecimal));
          if (!t.contains("connect.parameters"))
            b.parameter(std::string(logical::kDecimalScaleParam),
                        std::to_string(t.value("scale", 0)));
        } else if (logical == "date" && type == Type::Int32) {
          b.name(std::string(logical::kDate));
        } else if (logical == "time-millis" && type == Type::Int32) {
          b.name(std::string(logical::kTime));
        } else if (logical == "timestamp-millis" && type == Type::Int64) {
          b.name(std::string(logical::kTimestamp));
        }
        // Connect's logical schemas are version 1.
        if (b.build()->name() && !t.contains("connect.version")) b.version(1);
      }
    }
    return std::make_pair(
        finish(b, t.is_object() ? t : Json::object(), optional, field_default, type),
        static_cast<const DecNode*>(n));
  }

  // The connect.* properties, the optional flag and the default.
  SchemaPtr finish(SchemaBuilder& b, const Json& t, bool optional, const Json* field_default,
                   Type type) {
    if (config_.connect_meta_data && t.contains("connect.doc") && t["connect.doc"].is_string())
      b.doc(t["connect.doc"].get<std::string>());
    if (t.contains("connect.version") && t["connect.version"].is_number_integer())
      b.version(t["connect.version"].get<int>());
    if (config_.connect_meta_data && t.contains("connect.parameters") &&
        t["connect.parameters"].is_object())
      for (const auto& [k, v] : t["connect.parameters"].items())
        if (v.is_string()) b.parameter(k, v.get<std::string>());
    if (t.contains("connect.name") && t["connect.name"].is_string())
      b.name(t["connect.name"].get<std::string>());
    if (optional) b.optional();
    const Json* d = t.contains("connect.default") ? &t["connect.default"] : nullptr;
    if (d == nullptr && field_default != nullptr && !field_default->is_null()) d = field_default;
    if (d != nullptr && !d->is_null()) {
      SchemaPtr bare = b.build();
      try {
        b.default_value(value_of(bare, *d));
      } catch (const std::exception& e) {
        throw AvroSchemaError("a default of type " + std::string(type_name(type)) +
                              " does not fit: " + e.what());
      }
    }
    return b.build();
  }

  // A JSON default as the Connect value of `s` (the inverse of FromConnect::json_of).
  static Value value_of(const SchemaPtr& sp, const Json& j) {
    const Schema& s = *sp;
    auto need = [&](bool ok) {
      if (!ok) throw std::invalid_argument(j.dump().substr(0, 100));
    };
    if (j.is_null()) return Value();
    switch (s.type()) {
      case Type::Int8: need(j.is_number_integer()); return Value(j.get<std::int8_t>());
      case Type::Int16: need(j.is_number_integer()); return Value(j.get<std::int16_t>());
      case Type::Int32: need(j.is_number_integer()); return Value(j.get<std::int32_t>());
      case Type::Int64: need(j.is_number_integer()); return Value(j.get<std::int64_t>());
      case Type::Float32: need(j.is_number()); return Value(j.get<float>());
      case Type::Float64: need(j.is_number()); return Value(j.get<double>());
      case Type::Boolean: need(j.is_boolean()); return Value(j.get<bool>());
      case Type::String: need(j.is_string()); return Value(j.get<std::string>());
      case Type::Bytes: {
        need(j.is_string());
        // Each character is one byte (ISO-8859-1 code points, as Avro writes bytes defaults).
        const std::string text = j.get<std::string>();
        Bytes out;
        for (std::size_t i = 0; i < text.size(); ++i) {
          const auto c = static_cast<unsigned char>(text[i]);
          if (c < 0x80) {
            out.push_back(c);
          } else {
            need((c & 0xE0) == 0xC0 && i + 1 < text.size());
            const auto c2 = static_cast<unsigned char>(text[++i]);
            const unsigned cp = ((c & 0x1Fu) << 6) | (c2 & 0x3Fu);
            need(cp <= 0xFF);
            out.push_back(static_cast<std::uint8_t>(cp));
          }
        }
        return Value(std::move(out));
      }
      case Type::Array: {
        need(j.is_array());
        Value::Array a;
        for (const auto& e : j) a.push_back(value_of(s.value_schema(), e));
        return Value(std::move(a));
      }
      case Type::Map: {
        Value::MapEntries m;
        if (j.is_object()) {
          for (const auto& [k, e] : j.items())
            m.emplace_back(Value(k), value_of(s.value_schema(), e));
        } else {
          need(j.is_array());
          for (const auto& kv : j) {
            need(kv.is_array() && kv.size() == 2);
            m.emplace_back(value_of(s.key_schema(), kv[0]), value_of(s.value_schema(), kv[1]));
          }
        }
        return Value(std::move(m));
      }
      case Type::Struct: {
        need(j.is_object());
        auto data = std::make_shared<Value::StructData>();
        data->schema = sp;
        for (const auto& f : s.fields())
          data->fields.push_back(j.contains(f.name) ? value_of(f.schema, j[f.name]) : Value());
        return Value(std::move(data));
      }
    }
    return Value();
  }

  std::vector<std::unique_ptr<DecNode>>& pool_;
  const AvroDataConfig& config_;
  const DecNode* null_ = nullptr;
  std::map<std::string, const Json*> named_;
  int union_index_ = 0;  // generalized.sum.type.support's union names
};

// Reads Avro binary; every length is checked against what is left.
class Reader {
 public:
  explicit Reader(std::string_view data) : p_(data.data()), end_(data.data() + data.size()) {}
  bool done() const { return p_ == end_; }
  // Items that take no bytes (nulls) allowed in the rest of the datum.
  bool spend_empty_items(std::int64_t n) {
    if (n > empty_items_left_) return false;
    empty_items_left_ -= n;
    return true;
  }
  std::size_t left() const { return static_cast<std::size_t>(end_ - p_); }

  std::int64_t varlong() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (p_ == end_) fail("the data ends inside a number");
      const auto b = static_cast<std::uint8_t>(*p_++);
      v |= std::uint64_t{b & 0x7Fu} << shift;
      if ((b & 0x80) == 0) return static_cast<std::int64_t>((v >> 1) ^ (~(v & 1) + 1));
    }
    fail("a number is longer than 10 bytes");
  }
  std::string_view take(std::int64_t n) {
    if (n < 0 || static_cast<std::uint64_t>(n) > left()) fail("a length runs past the end");
    std::string_view out(p_, static_cast<std::size_t>(n));
    p_ += n;
    return out;
  }
  template <class T>
  T fixed() {
    auto bytes = take(sizeof(T));
    T v;
    std::memcpy(&v, bytes.data(), sizeof(T));  // little-endian, as the writer (x86/ARM)
    return v;
  }
  [[noreturn]] static void fail(const std::string& what) {
    throw std::invalid_argument("Invalid Avro data: " + what);
  }

 private:
  const char* p_;
  const char* end_;
  std::int64_t empty_items_left_ = std::int64_t{1} << 16;
};

// Whether an item can take no bytes at all: null, or a record of such items (a union writes
// its branch, every other type at least a byte).
bool may_be_empty(const DecNode& n) {
  if (n.kind == DecNode::Kind::Null) return true;
  if (n.kind == DecNode::Kind::Fixed) return n.size == 0;
  if (n.kind != DecNode::Kind::Record && n.kind != DecNode::Kind::MapArray) return false;
  return std::all_of(n.children.begin(), n.children.end(),
                     [](const DecNode* c) { return may_be_empty(*c); });
}

// The next block's item count, bounded by what the input pays for: items of at least a byte
// cannot outnumber the bytes left, and items of no bytes share one budget of 65536 per datum
// (else ten bytes could claim 2^62 values, or nested arrays multiply a small claim).
std::int64_t block_count(Reader& r, bool empty_items) {
  std::int64_t n = r.varlong();
  if (n < 0) {
    if (n == std::numeric_limits<std::int64_t>::min()) Reader::fail("a block count out of range");
    n = -n;
    r.varlong();  // the block's size in bytes
  }
  if (empty_items ? !r.spend_empty_items(n) : n > static_cast<std::int64_t>(r.left()))
    Reader::fail("a block holds more items than the data can");
  return n;
}

Value read_value(Reader& r, const DecNode& n, const SchemaPtr& sp, int depth = 0) {
  if (depth > 256) Reader::fail("nested too deeply");
  const Schema& s = *sp;
  switch (n.kind) {
    case DecNode::Kind::Null: return Value();
    case DecNode::Kind::Boolean: {
      auto b = r.take(1);
      if (b[0] != 0 && b[0] != 1) Reader::fail("a boolean is neither 0 nor 1");
      return Value(b[0] == 1);
    }
    case DecNode::Kind::Int: {
      const std::int64_t v = r.varlong();
      if (v < INT32_MIN || v > INT32_MAX) Reader::fail("an int out of range");
      if (s.type() == Type::Int8) return Value(static_cast<std::int8_t>(v));
      if (s.type() == Type::Int16) return Value(static_cast<std::int16_t>(v));
      return Value(static_cast<std::int32_t>(v));
    }
    case DecNode::Kind::Long: return Value(r.varlong());
    case DecNode::Kind::Float: return Value(r.fixed<float>());
    case DecNode::Kind::Double: return Value(r.fixed<double>());
    case DecNode::Kind::String: {
      auto t = r.take(r.varlong());
      return Value(std::string(t));
    }
    case DecNode::Kind::Bytes: {
      auto t = r.take(r.varlong());
      return Value(Bytes(t.begin(), t.end()));
    }
    case DecNode::Kind::Union: {
      const std::int64_t i = r.varlong();
      if (i < 0 || i >= static_cast<std::int64_t>(n.children.size()))
        Reader::fail("union branch " + std::to_string(i) + " does not exist");
      if (i == n.null_branch) return Value();
      return read_value(r, *n.children[static_cast<std::size_t>(i)], sp, depth + 1);
    }
    case DecNode::Kind::UnionStruct: {
      const std::int64_t i = r.varlong();
      if (i < 0 || i >= static_cast<std::int64_t>(n.children.size()))
        Reader::fail("union branch " + std::to_string(i) + " does not exist");
      const int field = n.branch_field[static_cast<std::size_t>(i)];
      if (field < 0) return Value();
      auto data = std::make_shared<Value::StructData>();
      data->schema = sp;
      data->fields.resize(s.fields().size());
      data->fields[static_cast<std::size_t>(field)] =
          read_value(r, *n.children[static_cast<std::size_t>(i)],
                     s.fields()[static_cast<std::size_t>(field)].schema, depth + 1);
      return Value(std::move(data));
    }
    case DecNode::Kind::Enum: {
      const std::int64_t i = r.varlong();
      if (i < 0 || i >= static_cast<std::int64_t>(n.symbols.size()))
        Reader::fail("enum symbol " + std::to_string(i) + " does not exist");
      return Value(n.symbols[static_cast<std::size_t>(i)]);
    }
    case DecNode::Kind::Fixed: {
      auto t = r.take(n.size);
      return Value(Bytes(t.begin(), t.end()));
    }
    case DecNode::Kind::Record: {
      auto data = std::make_shared<Value::StructData>();
      data->schema = sp;
      const auto& fields = s.fields();
      data->fields.reserve(fields.size());
      for (std::size_t i = 0; i < fields.size(); ++i)
        data->fields.push_back(read_value(r, *n.children[i], fields[i].schema, depth + 1));
      return Value(std::move(data));
    }
    case DecNode::Kind::Array: {
      Value::Array a;
      const bool empty_items = may_be_empty(*n.children[0]);
      while (std::int64_t count = block_count(r, empty_items))
        for (; count > 0; --count)
          a.push_back(read_value(r, *n.children[0], s.value_schema(), depth + 1));
      return Value(std::move(a));
    }
    case DecNode::Kind::Map:
    case DecNode::Kind::MapArray: {
      Value::MapEntries m;
      const bool empty_items = n.kind == DecNode::Kind::MapArray && may_be_empty(n);
      while (std::int64_t count = block_count(r, empty_items)) {
        for (; count > 0; --count) {
          if (n.kind == DecNode::Kind::Map) {
            auto k = r.take(r.varlong());
            m.emplace_back(Value(std::string(k)),
                           read_value(r, *n.children[0], s.value_schema(), depth + 1));
          } else {
            Value k = read_value(r, *n.children[0], s.key_schema(), depth + 1);
            Value v = read_value(r, *n.children[1], s.value_schema(), depth + 1);
            m.emplace_back(std::move(k), std::move(v));
          }
        }
      }
      return Value(std::move(m));
    }
  }
  return Value();
}

}  // namespace

std::string avro_full_name(const nlohmann::json& named, const std::string& enclosing_namespace) {
  return full_name_impl(named, enclosing_namespace);
}

std::map<std::string, const nlohmann::json*> avro_named_records(const nlohmann::json& schema) {
  std::map<std::string, const nlohmann::json*> out;
  collect_records(schema, "", out, 0);
  return out;
}

struct AvroDecoder::Impl {
  Json json;
  std::vector<std::unique_ptr<DecNode>> pool;
  SchemaPtr schema;
  const DecNode* root = nullptr;
};

AvroDecoder::AvroDecoder(const std::string& avro_schema, const AvroDataConfig& config)
    : impl_(std::make_unique<Impl>()) {
  try {
    impl_->json = parse_bounded_json<Json>(avro_schema, "The Avro schema");
  } catch (const std::exception& e) {
    throw AvroSchemaError(std::string("not an Avro schema: ") + e.what());
  }
  ToConnect t(impl_->pool, config);
  try {
    t.collect(impl_->json);
    auto [schema, root] = t.convert(impl_->json, "", false, nullptr);
    impl_->schema = std::move(schema);
    impl_->root = root;
  } catch (const std::invalid_argument& e) {  // SchemaBuilder: a duplicate field name
    throw AvroSchemaError(e.what());
  } catch (const Json::exception& e) {
    throw AvroSchemaError(std::string("not an Avro schema: ") + e.what());
  }
}

AvroDecoder::~AvroDecoder() = default;

const SchemaPtr& AvroDecoder::schema() const {
  return impl_->schema;
}

Value AvroDecoder::decode(std::string_view data) const {
  Reader r(data);
  Value v = read_value(r, *impl_->root, impl_->schema);
  if (!r.done()) Reader::fail(std::to_string(r.left()) + " bytes left after the datum");
  return v;
}

}  // namespace tributary::avro
