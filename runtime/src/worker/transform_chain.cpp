#include "worker/transform_chain.h"

#include <map>
#include <optional>

namespace tributary {
namespace {

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

// A transform or predicate names its own keys ("regex"); the connector config knows them as
// "transforms.route.regex", which is what Kafka's messages and the 400's key say.
template <class Configure>
void configure_prefixed(const std::string& prefix, Configure&& configure) {
  try {
    configure();
  } catch (const ConfigError& e) {
    if (e.key().empty()) throw;
    const std::string full = prefix + e.key();
    std::string message = e.what();
    replace_all(message, "configuration " + e.key(), "configuration " + full);
    replace_all(message, "\"" + e.key() + "\"", "\"" + full + "\"");
    throw ConfigError(full, message);
  }
}

}  // namespace

TransformChain::TransformChain(const ConfigMap& config, const PluginRegistry& registry) {
  auto get = [&](const std::string& k) -> std::string {
    auto it = config.find(k);
    return it == config.end() ? "" : it->second;
  };
  std::map<std::string, const Predicate*> by_alias;
  for (const auto& alias : split_list(get("predicates"))) {
    std::string key = "predicates." + alias + ".type";
    std::string cls = get(key);
    if (cls.empty()) throw ConfigError(key, "Missing required configuration \"" + key + "\"");
    const auto* d = registry.find(cls, PluginType::Predicate);
    if (d == nullptr)
      throw ConfigError(key, "Invalid value " + cls + " for configuration " + key + ": Class " +
                                 cls + " could not be found.");
    auto p = d->make_predicate();
    const std::string prefix = "predicates." + alias + ".";
    configure_prefixed(prefix, [&] { p->configure(with_prefix_stripped(config, prefix)); });
    by_alias[alias] = p.get();
    predicates_.push_back(std::move(p));
  }
  for (const auto& alias : split_list(get("transforms"))) {
    std::string key = "transforms." + alias + ".type";
    std::string cls = get(key);
    if (cls.empty()) throw ConfigError(key, "Missing required configuration \"" + key + "\"");
    const auto* d = registry.find(cls, PluginType::Transformation);
    if (d == nullptr)
      throw ConfigError(key, "Invalid value " + cls + " for configuration " + key + ": Class " +
                                 cls + " could not be found.");
    Step s;
    s.alias = alias;
    s.transform = d->make_transformation();
    const std::string prefix = "transforms." + alias + ".";
    configure_prefixed(prefix,
                       [&] { s.transform->configure(with_prefix_stripped(config, prefix)); });
    if (auto pn = get("transforms." + alias + ".predicate"); !pn.empty()) {
      auto it = by_alias.find(pn);
      if (it == by_alias.end())
        throw ConfigError("transforms." + alias + ".predicate",
                          "Invalid value " + pn + " for configuration transforms." + alias +
                              ".predicate: no predicate with that alias is in 'predicates'");
      s.predicate = it->second;
      auto neg = parse_bool(get("transforms." + alias + ".negate"));
      s.negate = neg.value_or(false);
    }
    steps_.push_back(std::move(s));
  }
}

bool TransformChain::apply(SourceRecord& record) {
  for (auto& s : steps_) {
    if (s.predicate != nullptr && s.predicate->test(record) == s.negate) continue;
    failed_step_ = s.alias;
    if (!s.transform->apply(record)) return false;
  }
  failed_step_.clear();
  return true;
}

std::map<std::string, std::vector<std::string>> TransformChain::validate(
    const ConfigMap& config, const PluginRegistry& registry) {
  // The predicates, then each transform on its own (with the predicate it names), so that every
  // failing one is reported, not only the first; an error two runs share is reported once.
  std::map<std::string, std::vector<std::string>> errors;
  auto add = [&errors](const std::string& key, const std::string& message) {
    auto& list = errors[key];
    for (const auto& m : list)
      if (m == message) return;
    list.push_back(message);
  };
  auto get = [&config](const std::string& k) {
    auto it = config.find(k);
    return it == config.end() ? std::string() : it->second;
  };
  std::vector<std::optional<std::string>> runs{std::nullopt};  // nullopt: the predicates alone
  for (const auto& alias : split_list(get("transforms"))) runs.emplace_back(alias);
  for (const auto& alias : runs) {
    ConfigMap one = config;
    one["transforms"] = alias.value_or("");
    if (alias) {
      // Only the predicate it names, when that one is declared (else the chain reports it).
      const std::string named = get("transforms." + *alias + ".predicate");
      bool declared = false;
      for (const auto& p : split_list(get("predicates"))) declared = declared || p == named;
      if (named.empty() || declared) one["predicates"] = named;
    }
    try {
      TransformChain chain(one, registry);
    } catch (const ConfigError& e) {
      add(e.key(), e.what());
    } catch (const std::exception& e) {
      add("transforms", e.what());
    }
  }
  return errors;
}

}  // namespace tributary
