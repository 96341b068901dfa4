#include "herder/connector_validator.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>

#include "worker/transform_chain.h"
#include "worker/worker_config.h"

namespace tributary {
namespace {

// Kafka quotes the whole config when it has no connector.class; without a class there are no
// types to tell passwords by, so values of keys named like secrets are hidden.
std::string masked_config_text(const ConfigMap& m) {
  nlohmann::ordered_json o = nlohmann::ordered_json::object();
  for (const auto& [k, v] : m) {
    std::string lower = k;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char ch) { return std::tolower(ch); });
    bool secret = false;
    for (const char* word : {"password", "secret", "credential", "token", "sasl.jaas"})
      secret |= lower.find(word) != std::string::npos;
    o[k] = secret ? std::string("[hidden]") : v;
  }
  return o.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace

ConfigInfos validate_connector_config(const PluginRegistry& registry,
                                      const ConfigProviders& providers,
                                      const PluginDescriptor* plugin,
                                      const std::string& plugin_name, const ConfigMap& raw_config) {
  ConfigDef def = connector_common_config_def();
  if (plugin != nullptr) def.merge(plugin->config_def);
  // Validation sees what the connector will see: references to config providers resolved. A
  // reference that does not resolve is an error on its key. The response echoes the values as
  // given (references, not what they resolve to) and PASSWORD values as Kafka's "[hidden]".
  std::map<std::string, std::vector<std::string>> provider_errors;
  ConfigMap config;
  for (const auto& [k, v] : raw_config) {
    try {
      config[k] = providers.resolve_value(k, v);
    } catch (const std::exception& e) {
      provider_errors[k].push_back(e.what());
      config[k] = v;
    }
  }
  auto errors = def.validate(config);
  for (auto& [k, v] : provider_errors) errors[k].insert(errors[k].begin(), v.begin(), v.end());
  if (plugin == nullptr) {
    auto it = config.find("connector.class");
    std::string cls = it == config.end() ? plugin_name : it->second;
    if (!cls.empty()) {
      std::string names;
      for (const auto& p : registry.all())
        if (p->type == PluginType::Source) names += (names.empty() ? "" : ", ") + p->class_name;
      errors["connector.class"].push_back(
          "Failed to find any class that implements Connector and which name matches " + cls +
          ", available connectors are: " + names);
    }
  }
  // Converters, transforms and predicates must resolve and accept their configs. A converter
  // the connector names is checked against its ConfigDef with the connector's `<role>.*` keys
  // (what it will be configured with), errors reported under the prefixed key: a missing
  // key.converter.schema.registry.url is a 400 at create, not a FAILED task later.
  std::set<std::string> converter_passwords;
  for (const char* role : {"key.converter", "value.converter"}) {
    auto it = config.find(role);
    if (it == config.end() || it->second.empty()) continue;
    const PluginDescriptor* conv = registry.find(it->second, PluginType::Converter);
    if (conv == nullptr) {
      errors[role].push_back("Invalid value " + it->second + " for configuration " + role +
                             ": Class " + it->second + " could not be found.");
      continue;
    }
    const std::string prefix = std::string(role) + ".";
    ConfigMap sub;
    for (const auto& [k, v] : config)
      if (k.size() > prefix.size() && k.compare(0, prefix.size(), prefix) == 0)
        sub[k.substr(prefix.size())] = v;
    for (const auto& k : conv->config_def.keys())
      if (k.type == ConfigType::Password) converter_passwords.insert(prefix + k.name);
    for (auto& [k, msgs] : conv->config_def.validate(sub)) {
      if (k == "converter.type") continue;  // the worker sets it
      for (auto& m : msgs) {
        // The message names the key as the connector config has it.
        if (auto at = m.find(k); at != std::string::npos) m.replace(at, k.size(), prefix + k);
        errors[prefix + k].push_back(m);
      }
    }
  }
  if (auto it = config.find("header.converter");
      it != config.end() && !it->second.empty() &&
      registry.find(it->second, PluginType::HeaderConverter) == nullptr)
    errors["header.converter"].push_back("Invalid value " + it->second +
                                         " for configuration header.converter: Class " +
                                         it->second + " could not be found.");
  for (auto& [k, v] : TransformChain::validate(config, registry))
    errors[k].insert(errors[k].end(), v.begin(), v.end());
  if (plugin != nullptr && plugin->make_source) {
    try {
      auto inst = plugin->make_source();
      for (auto& [k, v] : inst->validate(config))
        errors[k].insert(errors[k].end(), v.begin(), v.end());
    } catch (const std::exception& e) {
      errors["connector.class"].push_back(std::string("Connector validation failed: ") + e.what());
    }
  }

  // No message may carry a secret: what a reference resolved to, or a PASSWORD value (a
  // validator or a plugin may quote the value it refused).
  std::vector<std::string> secrets;
  for (const auto& [k, v] : raw_config) {
    const ConfigKey* key = def.find(k);
    if (((key != nullptr && key->type == ConfigType::Password) || converter_passwords.count(k)) &&
        v.size() >= 4)
      secrets.push_back(v);
    if (const auto& r = config.at(k); r != v && r.size() >= 4) secrets.push_back(r);
  }
  if (!secrets.empty())
    for (auto& [_, msgs] : errors)
      for (auto& m : msgs)
        for (const auto& secret : secrets)
          for (size_t at = m.find(secret); at != std::string::npos; at = m.find(secret, at + 8))
            m.replace(at, secret.size(), "[hidden]");

  ConfigInfos out;
  out.name = plugin != nullptr ? plugin->class_name : plugin_name;
  std::set<std::string> seen;
  auto add = [&](const ConfigKey* k, const std::string& name) {
    ConfigValueInfo entry;
    if (k != nullptr) entry.definition = *k;
    entry.name = name;
    auto it = raw_config.find(name);
    if (it != raw_config.end())
      entry.value = it->second;
    else if (k != nullptr && k->default_value)
      entry.value = *k->default_value;
    if (((k != nullptr && k->type == ConfigType::Password) || converter_passwords.count(name)) &&
        entry.value)
      entry.value = "[hidden]";
    if (k != nullptr) entry.recommended_values = k->recommended_values;
    if (auto e = errors.find(name); e != errors.end()) entry.errors = e->second;
    out.error_count += static_cast<int>(entry.errors.size());
    out.configs.push_back(std::move(entry));
    seen.insert(name);
  };
  for (const auto& k : def.keys()) {
    if (!k.group.empty() &&
        std::find(out.groups.begin(), out.groups.end(), k.group) == out.groups.end())
      out.groups.push_back(k.group);
    add(&k, k.name);
  }
  for (const auto& [name, errs] : errors)
    if (!errs.empty() && !seen.count(name)) add(nullptr, name);
  return out;
}

void check_connector_config(const PluginRegistry& registry, const ConfigProviders& providers,
                            const ConfigMap& config) {
  auto it = config.find("connector.class");
  if (it == config.end() || it->second.empty())
    throw HerderError(ErrorKind::BadRequest,
                      "Connector config " + masked_config_text(config) +
                          " contains no connector type (missing required key "
                          "\"connector.class\")");
  const auto* plugin = registry.find(it->second, PluginType::Source);
  ConfigInfos v = validate_connector_config(registry, providers, plugin, it->second, config);
  if (v.error_count == 0) return;
  std::string msg = "Connector configuration is invalid and contains the following " +
                    std::to_string(v.error_count) + " error(s):";
  for (const auto& c : v.configs)
    for (const auto& e : c.errors) msg += "\n" + e;
  msg +=
      "\nYou can also find the above list of errors at the endpoint "
      "`/connector-plugins/{connectorType}/config/validate`";
  throw HerderError(ErrorKind::BadRequest, msg);
}

}  // namespace tributary
