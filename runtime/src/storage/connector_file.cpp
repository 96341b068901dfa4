#include "storage/connector_file.h"

#include <nlohmann/json.hpp>

#include "tributary/bounded_json.h"

namespace tributary {

using ojson = nlohmann::ordered_json;

const char* target_state_name(TargetState t) {
  switch (t) {
    case TargetState::Started: return "STARTED";
    case TargetState::Paused: return "PAUSED";
    case TargetState::Stopped: return "STOPPED";
  }
  return "STARTED";
}

std::optional<TargetState> parse_target_state(std::string_view s) {
  if (s == "STARTED" || s == "RUNNING") return TargetState::Started;
  if (s == "PAUSED") return TargetState::Paused;
  if (s == "STOPPED") return TargetState::Stopped;
  return std::nullopt;
}

ConnectorFile parse_connector_file(std::string_view text, const std::string& path) {
  ConnectorFile out;
  const std::string where = "Connector config file '" + path + "'";
  ojson doc;
  try {
    doc = parse_bounded_json(text, where);
  } catch (const std::exception& e) {
    out.problems.push_back(where + " is not valid JSON: " + e.what());
    return out;
  }
  auto connectors = doc.is_object() ? doc.find("connectors") : doc.end();
  if (connectors == doc.end() || !connectors->is_object()) {
    out.problems.push_back(where + " has no \"connectors\" object");
    return out;
  }
  for (const auto& [name, entry] : connectors->items()) {
    StoredConnector c;
    c.name = name;
    std::string problem;
    auto cfg = entry.is_object() ? entry.find("config") : entry.end();
    if (cfg == entry.end() || !cfg->is_object()) {
      problem = "has no \"config\" object";
    } else {
      for (const auto& [k, v] : cfg->items()) {
        if (!v.is_string()) {
          problem = "has a non-string value for '" + k + "'";
          break;
        }
        c.config[k] = v.get<std::string>();
      }
    }
    if (problem.empty() && entry.contains("target_state")) {
      const auto& t = entry["target_state"];
      auto parsed = t.is_string() ? parse_target_state(t.get<std::string>()) : std::nullopt;
      if (parsed)
        c.target = *parsed;
      else
        problem = "has an unknown target_state";
    }
    if (!problem.empty()) {
      out.problems.push_back(where + ": the entry for connector '" + name + "' " + problem);
      continue;
    }
    out.connectors.push_back(std::move(c));
  }
  return out;
}

std::string render_connector_file(const std::vector<StoredConnector>& connectors) {
  ojson doc;
  doc["format"] = "tributary-connectors-v1";
  ojson list = ojson::object();
  for (const auto& c : connectors) {
    ojson cfg = ojson::object();
    for (const auto& [k, v] : c.config) cfg[k] = v;
    list[c.name] = {{"config", std::move(cfg)}, {"target_state", target_state_name(c.target)}};
  }
  doc["connectors"] = std::move(list);
  return doc.dump(2, ' ', false, ojson::error_handler_t::replace);
}

}  // namespace tributary
