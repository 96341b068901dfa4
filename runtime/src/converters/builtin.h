// Registration of the built-in converters with the plugin registry, under Kafka's class names and
// their simple names as aliases (so worker.properties and connector JSON written for Kafka
// Connect resolve unchanged).
//
// Threading: called once on the main thread at start-up, before the registry is read.
#pragma once

#include "tributary/plugin.h"

namespace tributary {

/// The version string the built-in converters report (GET /connector-plugins).
inline constexpr const char* kBuiltinConverterVersion = "3.9.0-tributary";

/// Registers JsonConverter, StringConverter, ByteArrayConverter (type Converter) and
/// SimpleHeaderConverter (type HeaderConverter).
void register_builtin_converters(PluginRegistrar& registrar);

}  // namespace tributary
