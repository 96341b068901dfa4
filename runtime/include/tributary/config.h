// Declarative configuration definitions, as Kafka's ConfigDef.
//
// One ConfigDef per class: each key has a name, type, default, importance, documentation, group,
// and an optional validator. The same table drives validation (REST PUT .../config/validate and the
// 400 on create), GET /connector-plugins/{p}/config, and the generated docs/CONFIG.md.
//
// Threading: a ConfigDef is immutable after the plugin registers it and is read from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tributary {

/// A flat string-to-string config, as connectors receive it (Connect's Map<String,String>).
using ConfigMap = std::map<std::string, std::string>;

enum class ConfigType { Boolean, String, Int, Short, Long, Double, List, Class, Password };
enum class Importance { High, Medium, Low };

std::string_view config_type_name(ConfigType t);  // "BOOLEAN", "STRING", ... as Kafka's REST shows
std::string_view importance_name(Importance i);   // "HIGH", "MEDIUM", "LOW"

/// Returns an error message for an invalid value, or nullopt. `value` is the raw string.
using ConfigValidator =
    std::function<std::optional<std::string>(std::string_view key, std::string_view value)>;

struct ConfigKey {
  std::string name;
  ConfigType type = ConfigType::String;
  /// nullopt means the key is required (Kafka's NO_DEFAULT_VALUE).
  std::optional<std::string> default_value;
  Importance importance = Importance::Medium;
  std::string documentation;
  std::string group;
  int order_in_group = -1;
  std::string width = "NONE";
  std::string display_name;
  std::vector<std::string> dependents;
  ConfigValidator validator;
  /// Values the validator accepts, listed as recommended_values in /config/validate.
  std::vector<std::string> recommended_values;
  /// Human text for the validator ("[0,...]", "[none, all]"), shown in the docs.
  std::string valid_values_doc;
};

class ConfigDef {
 public:
  ConfigDef& define(ConfigKey key);
  /// Convenience for the common case.
  ConfigDef& define(std::string name, ConfigType type, std::optional<std::string> default_value,
                    Importance importance, std::string doc, std::string group = "",
                    ConfigValidator validator = nullptr);
  /// Adds every key of `other` not already defined here.
  ConfigDef& merge(const ConfigDef& other);

  const std::vector<ConfigKey>& keys() const { return keys_; }
  const ConfigKey* find(std::string_view name) const;

  /// Per-key error messages (empty vector = valid). Keys not in the definition are not checked:
  /// they pass through (connectors and converters read their own prefixes).
  std::map<std::string, std::vector<std::string>> validate(const ConfigMap& props) const;

 private:
  std::vector<ConfigKey> keys_;
};

/// Validators.
namespace validators {
ConfigValidator one_of(std::vector<std::string> allowed, bool case_insensitive = true);
ConfigValidator at_least(std::int64_t min);
ConfigValidator between(std::int64_t min, std::int64_t max);
ConfigValidator non_empty_string();
}  // namespace validators

/// Typed read access to a config map with defaults from a ConfigDef. Throws ConfigError naming the
/// key when a value is missing or cannot be parsed.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string key, const std::string& message)
      : std::runtime_error(message), key_(std::move(key)) {}
  const std::string& key() const { return key_; }

 private:
  std::string key_;
};

class Config {
 public:
  Config(const ConfigDef& def, ConfigMap props) : def_(&def), props_(std::move(props)) {}
  std::optional<std::string> raw(std::string_view key) const;
  std::string get_string(std::string_view key) const;
  std::int64_t get_long(std::string_view key) const;
  int get_int(std::string_view key) const { return static_cast<int>(get_long(key)); }
  double get_double(std::string_view key) const;
  bool get_bool(std::string_view key) const;
  std::vector<std::string> get_list(std::string_view key) const;
  const ConfigMap& props() const { return props_; }

 private:
  const ConfigDef* def_;
  ConfigMap props_;
};

/// Parsing helpers shared by Config and validators.
std::optional<bool> parse_bool(std::string_view s);
std::optional<std::int64_t> parse_long(std::string_view s);
std::optional<double> parse_double(std::string_view s);
/// Splits a comma list, trimming blanks and dropping empty items (Kafka's LIST type).
std::vector<std::string> split_list(std::string_view s);
/// Keys of `props` that start with `prefix`, with the prefix removed.
ConfigMap with_prefix_stripped(const ConfigMap& props, std::string_view prefix);

}  // namespace tributary
