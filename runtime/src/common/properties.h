// Java .properties parsing (as java.util.Properties.load) and Kafka config-provider references
// (${file:path:key}, ${env:NAME}) used in worker.properties and connector configs.
//
// Threading: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "tributary/config.h"

namespace tributary {

/// Parses .properties text: '#'/'!' comments, '=', ':' or blank separators, backslash escapes
/// (\t \n \r \f \uXXXX) and line continuations.
ConfigMap parse_properties(std::string_view text);
/// Reads and parses a file. Throws std::runtime_error naming the file when it cannot be read.
ConfigMap load_properties_file(const std::string& path);

/// Resolves ${provider:[path:]key} references with the providers the worker config declares
/// (config.providers=file,env with config.providers.<p>.class). Kafka's FileConfigProvider and
/// EnvVarConfigProvider class names (and the short names "file", "env") are understood.
/// Throws ConfigError naming the key whose reference cannot be resolved.
class ConfigProviders {
 public:
  explicit ConfigProviders(const ConfigMap& worker_props);
  ConfigMap resolve(const ConfigMap& props) const;
  std::string resolve_value(std::string_view key, std::string_view value) const;

 private:
  std::map<std::string, std::string> providers_;  // alias -> "file" | "env"
};

}  // namespace tributary
