// ConfigDef, validators, Config getters and parsing helpers (see tributary/config.h).
//
// Error texts follow Kafka's ConfigDef / ConfigException word for word, so REST clients and
// operators see the messages they know from Kafka Connect.
//
// Threading: ConfigDef is immutable after registration; Config is owned by one thread.
#include "tributary/config.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace tributary {

std::string_view config_type_name(ConfigType t) {
  switch (t) {
    case ConfigType::Boolean: return "BOOLEAN";
    case ConfigType::String: return "STRING";
    case ConfigType::Int: return "INT";
    case ConfigType::Short: return "SHORT";
    case ConfigType::Long: return "LONG";
    case ConfigType::Double: return "DOUBLE";
    case ConfigType::List: return "LIST";
    case ConfigType::Class: return "CLASS";
    case ConfigType::Password: return "PASSWORD";
  }
  return "UNKNOWN";
}

std::string_view importance_name(Importance i) {
  switch (i) {
    case Importance::High: return "HIGH";
    case Importance::Medium: return "MEDIUM";
    case Importance::Low: return "LOW";
  }
  return "UNKNOWN";
}

// ---------------------------------------------------------------------------------------------
// Parsing helpers

namespace {

bool is_blank(char c) {
  // Java's String.trim() removes every char <= ' '.
  return static_cast<unsigned char>(c) <= ' ';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string to_upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string invalid_value(std::string_view key, std::string_view value, std::string_view why) {
  std::string m = "Invalid value ";
  m += value;
  m += " for configuration ";
  m += key;
  m += ": ";
  m += why;
  return m;
}

std::string missing_required(std::string_view key) {
  return "Missing required configuration \"" + std::string(key) + "\" which has no default value.";
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) out += sep;
    out += items[i];
  }
  return out;
}

// Parses `raw` as `type`; returns Kafka's error text, or nullopt when it parses.
std::optional<std::string> type_error(std::string_view key, std::string_view raw, ConfigType type) {
  switch (type) {
    case ConfigType::Boolean:
      if (!parse_bool(raw)) {
        return invalid_value(key, raw, "Expected value to be either true or false");
      }
      return std::nullopt;
    case ConfigType::Int:
    case ConfigType::Short:
    case ConfigType::Long: {
      const auto v = parse_long(raw);
      bool ok = v.has_value();
      if (ok && type == ConfigType::Int) {
        ok = *v >= std::numeric_limits<std::int32_t>::min() &&
             *v <= std::numeric_limits<std::int32_t>::max();
      } else if (ok && type == ConfigType::Short) {
        ok = *v >= std::numeric_limits<std::int16_t>::min() &&
             *v <= std::numeric_limits<std::int16_t>::max();
      }
      if (!ok) {
        return invalid_value(key, raw,
                             "Not a number of type " + std::string(config_type_name(type)));
      }
      return std::nullopt;
    }
    case ConfigType::Double:
      if (!parse_double(raw)) return invalid_value(key, raw, "Not a number of type DOUBLE");
      return std::nullopt;
    case ConfigType::String:
    case ConfigType::List:
    case ConfigType::Class:
    case ConfigType::Password: return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

std::optional<bool> parse_bool(std::string_view s) {
  s = trim(s);
  if (iequals(s, "true")) return true;
  if (iequals(s, "false")) return false;
  return std::nullopt;
}

std::optional<std::int64_t> parse_long(std::string_view s) {
  s = trim(s);
  // Java's Long.parseLong: optional sign, then decimal digits only.
  bool negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  std::uint64_t mag = 0;
  constexpr std::uint64_t kLimit =
      static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + 1;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (mag > (kLimit - d) / 10) return std::nullopt;
    mag = mag * 10 + d;
  }
  if (!negative && mag == kLimit) return std::nullopt;
  if (negative) return static_cast<std::int64_t>(~mag + 1);
  return static_cast<std::int64_t>(mag);
}

std::optional<double> parse_double(std::string_view s) {
  s = trim(s);
  // Java's Double.parseDouble also takes a sign, "NaN", "Infinity" and a trailing f/F/d/D.
  if (s.empty()) return std::nullopt;
  bool negative = false;
  std::string_view body = s;
  if (body.front() == '+' || body.front() == '-') {
    negative = body.front() == '-';
    body.remove_prefix(1);
  }
  if (body == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (body == "Infinity") {
    return negative ? -std::numeric_limits<double>::infinity()
                    : std::numeric_limits<double>::infinity();
  }
  if (!body.empty() && std::strchr("fFdD", body.back()) != nullptr) body.remove_suffix(1);
  if (body.empty()) return std::nullopt;
  // Only digits, one '.', and an exponent: from_chars would also take "inf" / "nan" / hex.
  for (char c : body) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.' && c != 'e' && c != 'E' &&
        c != '+' && c != '-') {
      return std::nullopt;
    }
  }
  double v = 0;
  const auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), v);
  if (ptr != body.data() + body.size()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) {
    // Java rounds overflow to infinity and underflow to zero instead of failing.
    const std::string copy(body);
    v = std::strtod(copy.c_str(), nullptr);
  } else if (ec != std::errc()) {
    return std::nullopt;
  }
  return negative ? -v : v;
}

std::vector<std::string> split_list(std::string_view s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t end = s.find(',', start);
    if (end == std::string_view::npos) end = s.size();
    const std::string_view item = trim(s.substr(start, end - start));
    if (!item.empty()) out.emplace_back(item);
    start = end + 1;
  }
  return out;
}

ConfigMap with_prefix_stripped(const ConfigMap& props, std::string_view prefix) {
  ConfigMap out;
  for (auto it = props.lower_bound(std::string(prefix)); it != props.end(); ++it) {
    const std::string& k = it->first;
    if (k.compare(0, prefix.size(), prefix) != 0) break;  // sorted: past the prefix range
    if (k.size() > prefix.size()) out.emplace(k.substr(prefix.size()), it->second);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// ConfigDef

ConfigDef& ConfigDef::define(ConfigKey key) {
  if (find(key.name) != nullptr) {
    throw std::invalid_argument("Configuration " + key.name + " is defined twice.");
  }
  if (key.default_value && !key.default_value->empty()) {
    if (auto err = type_error(key.name, *key.default_value, key.type)) {
      throw std::invalid_argument("Invalid default for configuration " + key.name + ": " + *err);
    }
  }
  if (key.display_name.empty()) key.display_name = key.name;
  keys_.push_back(std::move(key));
  return *this;
}

ConfigDef& ConfigDef::define(std::string name, ConfigType type,
                             std::optional<std::string> default_value, Importance importance,
                             std::string doc, std::string group, ConfigValidator validator) {
  ConfigKey key;
  key.name = std::move(name);
  key.type = type;
  key.default_value = std::move(default_value);
  key.importance = importance;
  key.documentation = std::move(doc);
  key.group = std::move(group);
  key.validator = std::move(validator);
  return define(std::move(key));
}

ConfigDef& ConfigDef::merge(const ConfigDef& other) {
  for (const ConfigKey& k : other.keys_) {
    if (find(k.name) == nullptr) keys_.push_back(k);
  }
  return *this;
}

const ConfigKey* ConfigDef::find(std::string_view name) const {
  for (const ConfigKey& k : keys_) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

std::map<std::string, std::vector<std::string>> ConfigDef::validate(const ConfigMap& props) const {
  std::map<std::string, std::vector<std::string>> result;
  for (const ConfigKey& k : keys_) {
    auto& errors = result[k.name];
    const auto it = props.find(k.name);
    if (it == props.end()) {
      if (!k.default_value) errors.push_back(missing_required(k.name));
      continue;
    }
    if (auto err = type_error(k.name, it->second, k.type)) {
      errors.push_back(std::move(*err));
      continue;
    }
    if (k.validator) {
      if (auto err = k.validator(k.name, it->second)) errors.push_back(std::move(*err));
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Validators

namespace validators {

ConfigValidator one_of(std::vector<std::string> allowed, bool case_insensitive) {
  if (case_insensitive) {
    for (auto& a : allowed) a = to_upper(a);
  }
  return [allowed = std::move(allowed), case_insensitive](
             std::string_view key, std::string_view value) -> std::optional<std::string> {
    const std::string v = case_insensitive ? to_upper(trim(value)) : std::string(trim(value));
    if (std::find(allowed.begin(), allowed.end(), v) != allowed.end()) return std::nullopt;
    return invalid_value(key, value,
                         std::string(case_insensitive ? "String must be one of (case insensitive): "
                                                      : "String must be one of: ") +
                             join(allowed, ", "));
  };
}

namespace {

std::string number_text(std::int64_t v) {
  return std::to_string(v);
}

}  // namespace

ConfigValidator at_least(std::int64_t min) {
  return [min](std::string_view key, std::string_view value) -> std::optional<std::string> {
    const auto v = parse_double(value);
    if (!v) return invalid_value(key, value, "Not a number");
    if (*v < static_cast<double>(min)) {
      return invalid_value(key, value, "Value must be at least " + number_text(min));
    }
    return std::nullopt;
  };
}

ConfigValidator between(std::int64_t min, std::int64_t max) {
  return [min, max](std::string_view key, std::string_view value) -> std::optional<std::string> {
    const auto v = parse_double(value);
    if (!v) return invalid_value(key, value, "Not a number");
    if (*v < static_cast<double>(min)) {
      return invalid_value(key, value, "Value must be at least " + number_text(min));
    }
    if (*v > static_cast<double>(max)) {
      return invalid_value(key, value, "Value must be no more than " + number_text(max));
    }
    return std::nullopt;
  };
}

ConfigValidator non_empty_string() {
  return [](std::string_view key, std::string_view value) -> std::optional<std::string> {
    if (trim(value).empty()) return invalid_value(key, value, "String must be non-empty");
    return std::nullopt;
  };
}

}  // namespace validators

// ---------------------------------------------------------------------------------------------
// Config

namespace {

// The value of `key`: the user's, else the default. Throws ConfigError when it is missing.
// `checked` is set when the value must still pass the key's validator (user values only).
std::string value_for(const ConfigDef& def, const ConfigMap& props, std::string_view key,
                      const ConfigKey*& k, bool& checked) {
  k = def.find(key);
  const auto it = props.find(std::string(key));
  if (it != props.end()) {
    checked = k != nullptr && static_cast<bool>(k->validator);
    return it->second;
  }
  checked = false;
  if (k == nullptr) {
    throw ConfigError(std::string(key), "Unknown configuration '" + std::string(key) + "'");
  }
  if (!k->default_value) throw ConfigError(std::string(key), missing_required(key));
  return *k->default_value;
}

// Runs the key's validator once the value has parsed as its type (Kafka parses, then validates).
void run_validator(const ConfigKey* k, bool checked, std::string_view key, const std::string& v) {
  if (!checked) return;
  if (auto err = k->validator(key, v)) throw ConfigError(std::string(key), *err);
}

}  // namespace

std::optional<std::string> Config::raw(std::string_view key) const {
  const auto it = props_.find(std::string(key));
  if (it != props_.end()) return it->second;
  const ConfigKey* k = def_->find(key);
  if (k != nullptr && k->default_value) return *k->default_value;
  return std::nullopt;
}

std::string Config::get_string(std::string_view key) const {
  const ConfigKey* k = nullptr;
  bool checked = false;
  std::string v = value_for(*def_, props_, key, k, checked);
  run_validator(k, checked, key, v);
  if (k != nullptr && k->type == ConfigType::Password) return v;
  return std::string(trim(v));
}

std::int64_t Config::get_long(std::string_view key) const {
  const ConfigKey* k = nullptr;
  bool checked = false;
  const std::string v = value_for(*def_, props_, key, k, checked);
  const ConfigType type = k != nullptr ? k->type : ConfigType::Long;
  const ConfigType check =
      (type == ConfigType::Int || type == ConfigType::Short) ? type : ConfigType::Long;
  if (auto err = type_error(key, v, check)) throw ConfigError(std::string(key), *err);
  run_validator(k, checked, key, v);
  return *parse_long(v);
}

double Config::get_double(std::string_view key) const {
  const ConfigKey* k = nullptr;
  bool checked = false;
  const std::string v = value_for(*def_, props_, key, k, checked);
  const auto d = parse_double(v);
  if (!d) throw ConfigError(std::string(key), invalid_value(key, v, "Not a number of type DOUBLE"));
  run_validator(k, checked, key, v);
  return *d;
}

bool Config::get_bool(std::string_view key) const {
  const ConfigKey* k = nullptr;
  bool checked = false;
  const std::string v = value_for(*def_, props_, key, k, checked);
  const auto b = parse_bool(v);
  if (!b) {
    throw ConfigError(std::string(key),
                      invalid_value(key, v, "Expected value to be either true or false"));
  }
  run_validator(k, checked, key, v);
  return *b;
}

std::vector<std::string> Config::get_list(std::string_view key) const {
  const ConfigKey* k = nullptr;
  bool checked = false;
  const std::string v = value_for(*def_, props_, key, k, checked);
  run_validator(k, checked, key, v);
  return split_list(v);
}

}  // namespace tributary
