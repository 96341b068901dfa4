#include "common.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace tributary::transforms {

void invalid(const std::string& key, const std::string& value, const std::string& why) {
  throw ConfigError(key, "Invalid value " + value + " for configuration " + key + ": " + why);
}

Config checked_config(const ConfigDef& def, const ConfigMap& props) {
  for (const auto& [key, errors] : def.validate(props))
    if (!errors.empty()) throw ConfigError(key, errors.front());
  return Config(def, props);
}

ConfigKey choice(std::string name, std::optional<std::string> def, std::vector<std::string> values,
                 Importance importance, std::string doc, bool case_insensitive) {
  ConfigKey k;
  k.name = std::move(name);
  k.type = ConfigType::String;
  k.importance = importance;
  k.documentation = std::move(doc);
  std::vector<std::string> allowed = values;
  if (def && def->empty()) allowed.insert(allowed.begin(), "");
  k.default_value = std::move(def);
  k.validator = validators::one_of(std::move(allowed), case_insensitive);
  std::string shown = "[";
  for (std::size_t i = 0; i < values.size(); ++i) shown += (i ? ", " : "") + values[i];
  k.valid_values_doc = shown + "]";
  k.recommended_values = std::move(values);
  return k;
}

void define_replace_null_with_default(ConfigDef& d) {
  d.define("replace.null.with.default", ConfigType::Boolean, "true", Importance::Medium,
           "Whether to replace fields that have a default value and that are null to the default "
           "value. When set to true, the default value is used, otherwise null is used.");
}

// ---------------------------------------------------------------------------------------------
// Regular expressions

JavaRegex::JavaRegex(const std::string& pattern) : pattern_(pattern) {
  try {
    re_.assign(pattern, boost::regex::perl);
  } catch (const boost::regex_error& e) {
    throw std::invalid_argument(e.what());
  }
}

bool JavaRegex::matches(std::string_view s) const {
  return boost::regex_match(s.begin(), s.end(), re_);
}

bool JavaRegex::find(std::string_view s,
                     boost::match_results<std::string_view::const_iterator>& m) const {
  return boost::regex_search(s.begin(), s.end(), m, re_);
}

int JavaRegex::group_index(const std::string& name) const {
  const int i = re_.get_named_subs()->get_id(name.data(), name.data() + name.size());
  return i > 0 ? i : -1;
}

JavaReplacement::JavaReplacement(std::string_view r, const JavaRegex& regex) {
  std::string literal;
  const auto groups = static_cast<int>(regex.group_count());
  for (std::size_t i = 0; i < r.size(); ++i) {
    const char c = r[i];
    if (c == '\\') {
      if (++i == r.size()) throw std::invalid_argument("character to be escaped is missing");
      literal += r[i];
    } else if (c == '$') {
      if (++i == r.size())
        throw std::invalid_argument("Illegal group reference: group index is missing");
      int group = 0;
      if (r[i] == '{') {
        const auto end = r.find('}', i);
        if (end == std::string_view::npos)
          throw std::invalid_argument("named capturing group is missing trailing '}'");
        const std::string name(r.substr(i + 1, end - i - 1));
        if (name.empty()) throw std::invalid_argument("named capturing group has 0 length name");
        group = regex.group_index(name);
        if (group < 0) throw std::invalid_argument("No group with name {" + name + "}");
        i = end;
      } else {
        if (r[i] < '0' || r[i] > '9') throw std::invalid_argument("Illegal group reference");
        group = r[i] - '0';
        // Further digits belong to the reference while it still names a group.
        while (i + 1 < r.size() && r[i + 1] >= '0' && r[i + 1] <= '9' &&
               group * 10 + (r[i + 1] - '0') <= groups) {
          group = group * 10 + (r[++i] - '0');
        }
        if (group > groups) throw std::invalid_argument("No group " + std::to_string(group));
      }
      if (!literal.empty()) parts_.emplace_back(std::move(literal));
      literal.clear();
      parts_.emplace_back(group);
    } else {
      literal += c;
    }
  }
  if (!literal.empty()) parts_.emplace_back(std::move(literal));
}

void JavaReplacement::append(const boost::match_results<std::string_view::const_iterator>& m,
                             std::string& out) const {
  for (const auto& p : parts_) {
    if (const auto* s = std::get_if<std::string>(&p)) {
      out += *s;
    } else {
      const auto& g = m[std::get<int>(p)];
      if (g.matched) out.append(g.first, g.second);
    }
  }
}

std::string JavaReplacement::replace_first(const JavaRegex& regex, std::string_view s) const {
  boost::match_results<std::string_view::const_iterator> m;
  if (!regex.find(s, m)) return std::string(s);
  std::string out(s.begin(), m[0].first);
  append(m, out);
  out.append(m[0].second, s.end());
  return out;
}

// ---------------------------------------------------------------------------------------------
// Structs and schemas

Value::StructData* own_struct(Value& v) {
  auto* sp = std::get_if<std::shared_ptr<Value::StructData>>(&v.storage());
  if (sp == nullptr || !*sp) return nullptr;
  if (sp->use_count() != 1) *sp = std::make_shared<Value::StructData>(**sp);
  return sp->get();
}

std::vector<Value> take_fields(Value& v) {
  auto* sp = std::get_if<std::shared_ptr<Value::StructData>>(&v.storage());
  if (sp == nullptr || !*sp) return {};
  if (sp->use_count() == 1) return std::move((*sp)->fields);
  return (*sp)->fields;
}

void copy_schema_basics(const Schema& s, SchemaBuilder& b) {
  if (s.name()) b.name(*s.name());
  if (s.version()) b.version(*s.version());
  if (s.doc()) b.doc(*s.doc());
  for (const auto& [k, v] : s.parameters()) b.parameter(k, v);
}

void log_line(const char* level, const std::string& logger, const std::string& message) {
  const auto now = std::chrono::system_clock::now();
  const std::time_t secs = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
  std::fprintf(stderr, "%s.%03dZ %-5s [%s] %s\n", stamp, static_cast<int>(ms.count()), level,
               logger.c_str(), message.c_str());
}

bool any_field_default(const Schema& s) {
  for (const Field& f : s.fields())
    if (has_default(*f.schema)) return true;
  return false;
}

void fill_defaults(Value::StructData& s) {
  for (const Field& f : s.schema->fields()) {
    Value& x = s.fields[static_cast<std::size_t>(f.index)];
    if (x.is_null() && has_default(*f.schema)) x = *f.schema->default_value();
  }
}

Value* map_get(Value::MapEntries& map, std::string_view name) {
  Value* out = nullptr;
  for (auto& [k, x] : map)
    if (k.is<std::string>() && k.as<std::string>() == name) out = &x;
  return out;
}

std::string java_class_of(const Value& v) {
  struct Visitor {
    std::string operator()(std::monostate) const { return "null"; }
    std::string operator()(bool) const { return "java.lang.Boolean"; }
    std::string operator()(std::int8_t) const { return "java.lang.Byte"; }
    std::string operator()(std::int16_t) const { return "java.lang.Short"; }
    std::string operator()(std::int32_t) const { return "java.lang.Integer"; }
    std::string operator()(std::int64_t) const { return "java.lang.Long"; }
    std::string operator()(float) const { return "java.lang.Float"; }
    std::string operator()(double) const { return "java.lang.Double"; }
    std::string operator()(const std::string&) const { return "java.lang.String"; }
    std::string operator()(const Bytes&) const { return "[B"; }
    std::string operator()(const Value::Array&) const { return "java.util.ArrayList"; }
    std::string operator()(const Value::MapEntries&) const { return "java.util.HashMap"; }
    std::string operator()(const std::shared_ptr<Value::StructData>&) const {
      return "org.apache.kafka.connect.data.Struct";
    }
  };
  return std::visit(Visitor{}, v.storage());
}

void require_failed(const char* expected, const Value& v, const std::string& purpose) {
  if (std::string_view(expected) == "Map")
    throw DataException("Only Map objects supported in absence of schema for [" + purpose +
                        "], found: " + java_class_of(v));
  throw DataException(std::string("Only ") + expected + " objects supported for [" + purpose +
                      "], found: " + java_class_of(v));
}

}  // namespace tributary::transforms
