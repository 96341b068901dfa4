// What the transforms share: Java-compatible regular expressions and replacement strings,
// config errors that name the key, struct editing that reuses a record's fields, and a small cache
// of derived schemas (Kafka's transforms keep one per input schema too).
//
// Threading: every object here belongs to one transform instance, used on one task thread.
#pragma once

#include <boost/regex.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "tributary/config.h"
#include "tributary/data.h"
#include "tributary/record.h"

namespace tributary::transforms {

/// Kafka's DataException: a record the transform cannot handle (fails the task, or is skipped
/// under errors.tolerance=all).
class DataException : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Throws ConfigError(key, "Invalid value <value> for configuration <key>: <why>") — Kafka's
/// ConfigException text. The chain prefixes the key with "transforms.<alias>.".
[[noreturn]] void invalid(const std::string& key, const std::string& value, const std::string& why);

/// Checks `props` against `def` and throws the first error as a ConfigError naming its key. The
/// Config refers to `def`, which must outlive it (the transforms' definitions are static).
Config checked_config(const ConfigDef& def, const ConfigMap& props);

/// A string key taking one of `values` (Kafka's ValidString, Debezium's enumerated options), shown
/// as recommended values and in the docs; with an empty default, "" (unset) is accepted too.
ConfigKey choice(std::string name, std::optional<std::string> def, std::vector<std::string> values,
                 Importance importance, std::string doc, bool case_insensitive = true);

/// Kafka 3.9's `replace.null.with.default` key (BOOLEAN, default true) of ReplaceField, MaskField,
/// ValueToKey, ExtractField, SetSchemaMetadata, HeaderFrom, Cast and TimestampConverter: whether a
/// null field reads as its schema's default (Struct.get) or stays null (Struct.getWithoutDefault).
void define_replace_null_with_default(ConfigDef& d);

/// A java.util.regex pattern, run by Boost.Regex in Perl mode (groups, named groups `(?<n>..)`,
/// classes, lookaround, lazy and possessive quantifiers, `\Q..\E`).
class JavaRegex {
 public:
  /// Throws std::invalid_argument with the parser's reason.
  explicit JavaRegex(const std::string& pattern);
  /// Matcher.matches(): the whole input.
  bool matches(std::string_view s) const;
  /// Matcher.find() from the start: the first match, or nullopt.
  bool find(std::string_view s, boost::match_results<std::string_view::const_iterator>& m) const;
  const std::string& pattern() const { return pattern_; }
  std::size_t group_count() const { return re_.mark_count(); }
  /// The group number of a named group, or -1.
  int group_index(const std::string& name) const;

 private:
  std::string pattern_;
  boost::regex re_;
};

/// A Java replacement string (Matcher.appendReplacement): `$n` (as many digits as still name a
/// group), `${name}`, `\x` for a literal x. Parsed once against the regex's groups; errors are
/// Java's ("Illegal group reference", "No group 3", "No group with name {x}").
class JavaReplacement {
 public:
  /// Throws std::invalid_argument naming the problem.
  JavaReplacement(std::string_view replacement, const JavaRegex& regex);
  /// Appends the replacement for match `m` (an unmatched group appends nothing).
  void append(const boost::match_results<std::string_view::const_iterator>& m,
              std::string& out) const;
  /// Matcher.replaceFirst: `s` with its first match replaced; `s` unchanged when nothing matches.
  std::string replace_first(const JavaRegex& regex, std::string_view s) const;

 private:
  // A literal text piece, or a group number.
  std::vector<std::variant<std::string, int>> parts_;
};

/// The struct data of `v` for editing in place: `v` itself when it holds the only reference,
/// else a copy it now holds (copies of a Value share struct data). nullptr when not a struct.
Value::StructData* own_struct(Value& v);

/// The fields of struct `v` moved out when it holds the only reference, else copied.
std::vector<Value> take_fields(Value& v);

/// Connect's SchemaUtil.copySchemaBasics: type, name, version, doc, parameters (not optional,
/// not the default, not the fields).
void copy_schema_basics(const Schema& s, SchemaBuilder& into);
inline SchemaBuilder copy_schema_basics(const Schema& s, Type type) {
  SchemaBuilder b(type);
  copy_schema_basics(s, b);
  return b;
}

/// Values derived from an input schema (a derived schema, a decision), cached by it (Kafka's
/// transforms keep a small LRU of derived schemas).
template <class T>
class PerSchemaCache {
 public:
  template <class Make>
  const T& get(const SchemaPtr& in, Make&& make) {
    if (in.get() == last_in_) return *last_out_;  // records mostly repeat the last schema
    auto it = map_.find(in.get());
    if (it == map_.end()) {
      if (map_.size() >= 64) {
        map_.clear();
        last_in_ = nullptr;
      }
      T out = make(*in);
      it = map_.emplace(in.get(), std::make_pair(in, std::move(out))).first;
    }
    last_in_ = in.get();
    last_out_ = &it->second.second;
    return *last_out_;
  }

 private:
  // Keyed by address; the input is held so that the address is not reused while cached (and
  // entries, nodes of the map, stay put until cleared).
  std::unordered_map<const Schema*, std::pair<SchemaPtr, T>> map_;
  const Schema* last_in_ = nullptr;
  const T* last_out_ = nullptr;
};

/// Derived schemas by input schema.
using SchemaCache = PerSchemaCache<SchemaPtr>;

/// Connect's `schema.defaultValue() != null`.
inline bool has_default(const Schema& s) {
  return s.default_value().has_value() && !s.default_value()->is_null();
}

/// Whether a field of struct schema `s` has a default. When none has, Connect's Struct.get and
/// getWithoutDefault agree on every field: `replace.null.with.default` has nothing to replace.
bool any_field_default(const Schema& s);

/// Connect's Struct.get(field) for field `f` holding `x`: `x`, or the field's default when `x` is
/// null and there is one.
inline const Value& get_or_default(const Field& f, const Value& x) {
  return x.is_null() && has_default(*f.schema) ? *f.schema->default_value() : x;
}

/// Struct.get for every field of `s` (one `s` holds alone: see own_struct): each null field whose
/// schema has a default now holds that default.
void fill_defaults(Value::StructData& s);

/// Writes one line to the worker's stderr log, as the worker formats its own lines
/// ("2026-01-02T03:04:05.678Z WARN  [logger] message"). Transforms have no task context to log
/// through.
void log_line(const char* level, const std::string& logger, const std::string& message);

/// "Struct", "String", "Integer", ... the Java class name Kafka's messages print for a value.
std::string java_class_of(const Value& v);

/// The value of key `name` in a schemaless map (the last entry, should there be two), or nullptr.
Value* map_get(Value::MapEntries& map, std::string_view name);

/// HashMap.put(name, convert(map.get(name))) on a schemaless map: the entry converted in place,
/// or a new one holding convert(null).
template <class Convert>
void map_put_converted(Value::MapEntries& map, const std::string& name, Convert&& convert) {
  if (Value* x = map_get(map, name)) {
    *x = convert(*x);
  } else {
    map.emplace_back(Value(name), convert(Value()));
  }
}

/// Kafka's Requirements.requireStruct / requireMap messages.
[[noreturn]] void require_failed(const char* expected, const Value& v, const std::string& purpose);

/// The `$Key` / `$Value` side a transform works on.
enum class Side { Key, Value };
inline SchemaPtr& schema_of(SourceRecord& r, Side s) {
  return s == Side::Key ? r.key_schema : r.value_schema;
}
inline Value& value_of(SourceRecord& r, Side s) {
  return s == Side::Key ? r.key : r.value;
}

}  // namespace tributary::transforms
