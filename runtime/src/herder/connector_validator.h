// Validation of a connector config, as Kafka Connect's AbstractHerder.validateConnectorConfig:
// the common connector keys and the plugin's ConfigDef, converters, transforms and predicates,
// then the plugin's own checks (which may reach a database). Config-provider references are
// resolved for the checks, but the result echoes the values as given, PASSWORD values as
// "[hidden]", and no message carries what a reference resolved to.
//
// Threading: pure functions of their arguments (the registry and providers are only read); any
// thread. They may block as long as a plugin's validate() does (a database connect timeout), so
// the herder runs them off its control thread.
#pragma once

#include <string>

#include "common/properties.h"
#include "herder/herder.h"
#include "plugins/registry.h"

namespace tributary {

/// ConfigInfos for `raw_config` against `plugin` (nullptr: unknown class, reported on
/// connector.class; `plugin_name` names it).
ConfigInfos validate_connector_config(const PluginRegistry& registry,
                                      const ConfigProviders& providers,
                                      const PluginDescriptor* plugin,
                                      const std::string& plugin_name, const ConfigMap& raw_config);

/// Throws HerderError(BadRequest) with Kafka's message listing every error, or when the config
/// has no connector.class (secrets masked in the message).
void check_connector_config(const PluginRegistry& registry, const ConfigProviders& providers,
                            const ConfigMap& config);

}  // namespace tributary
