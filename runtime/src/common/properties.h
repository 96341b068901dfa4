// Java .properties parsing (as java.util.Properties.load) and Kafka config-provider references
// (${file:path:key}, ${env:NAME}) used in worker.properties and connector configs.
//
// Threading: pure functions.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "tributary/config.h"

namespace tributary {

/// Parses .properties text: '#'/'!' comments, '=', ':' or blank separators, backslash escapes
/// (\t \n \r \f \uXXXX) and line continuations.
ConfigMap parse_properties(std::string_view text);
/// Reads and parses a file. Throws std::runtime_error naming the file when it cannot be read.
ConfigMap load_properties_file(const std::string& path);

/// Kafka's config providers: resolves ${provider:[path:]key} references with the providers the
/// worker config declares (config.providers=file,env,directory with
/// config.providers.<p>.class and config.providers.<p>.param.<name>). Kafka's class names and the
/// short names "file", "env" and "directory" are understood:
///   FileConfigProvider       ${file:/path/x.properties:key}   a key of a .properties file
///   DirectoryConfigProvider  ${directory:/path/dir:name}      the content of the file dir/name
///   EnvVarConfigProvider     ${env:NAME}                      an environment variable
/// Parameters as Kafka's: `allowed.paths` (file, directory; KIP-993) limits the files that may
/// be read, `allowlist.pattern` (env; KIP-887) the variables. A reference is split as Kafka's
/// pattern splits it: provider up to the first ':', path up to the next, the key is the rest.
///
/// Connect stores and returns connector and task configs with their references unresolved and
/// resolves them only to validate and to start; reverse_transform() puts the references back into
/// the task configs a connector hands out.
///
/// Threading: immutable after construction; every method may be called from any thread.
class ConfigProviders {
 public:
  /// Throws ConfigError naming the key of an unsupported class or an invalid parameter.
  explicit ConfigProviders(const ConfigMap& worker_props);
  /// Throws ConfigError naming the key whose reference cannot be resolved.
  ConfigMap resolve(const ConfigMap& props) const;
  std::string resolve_value(std::string_view key, std::string_view value) const;
  /// True when `value` holds a reference to one of this worker's providers.
  bool has_reference(std::string_view value) const;
  /// Kafka's ConfigTransformer reverse transform: every key of `task_config` whose value in
  /// `raw_connector_config` holds a reference gets that raw value back, so GET .../tasks never
  /// shows what a reference resolved to.
  void reverse_transform(const ConfigMap& raw_connector_config, ConfigMap& task_config) const;

 private:
  struct Provider;
  std::string lookup(const Provider& p, std::string_view key, const std::string& path,
                     const std::string& name) const;
  std::map<std::string, std::shared_ptr<const Provider>> providers_;  // by alias
};

}  // namespace tributary
