// The plugin entry: how a shared object registers its classes with the worker.
//
// A plugin .so exports two extern "C" symbols:
//   std::uint32_t tributary_plugin_abi_version(void);         checked first, must equal
//   kPluginAbiVersion const char*   tributary_plugin_register(PluginRegistrar*); nullptr on
//   success, else an error text
// Use TRIBUTARY_PLUGIN(fn) to define both. The registrar is narrow: it only takes descriptors.
//
// Threading: registration runs once, on the worker's main thread, at start-up.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tributary/config.h"
#include "tributary/connector.h"
#include "tributary/converter.h"
#include "tributary/transform.h"

namespace tributary {

/// Bumped whenever any SDK header changes layout or virtual tables.
inline constexpr std::uint32_t kPluginAbiVersion = 3;

enum class PluginType { Source, Sink, Converter, HeaderConverter, Transformation, Predicate };
/// "source", "sink", "converter", "header_converter", "transformation", "predicate".
const char* plugin_type_name(PluginType t);

struct PluginDescriptor {
  /// Full class name, e.g. "io.debezium.connector.postgresql.PostgresConnector".
  std::string class_name;
  /// Other names that resolve to this class (short names, Debezium / Kafka names).
  std::vector<std::string> aliases;
  PluginType type = PluginType::Source;
  std::string version;
  ConfigDef config_def;
  /// Keys of the upstream class (Debezium's) that this plugin does not implement, for the
  /// config reference: (key or pattern, what is done with it when set). Usually empty.
  std::vector<std::pair<std::string, std::string>> unimplemented_keys;
  /// Exactly one factory is set, matching `type`.
  std::function<std::unique_ptr<SourceConnector>()> make_source;
  std::function<std::unique_ptr<Converter>()> make_converter;
  std::function<std::unique_ptr<HeaderConverter>()> make_header_converter;
  std::function<std::unique_ptr<Transformation>()> make_transformation;
  std::function<std::unique_ptr<Predicate>()> make_predicate;
};

class PluginRegistrar {
 public:
  virtual ~PluginRegistrar() = default;
  virtual void add(PluginDescriptor descriptor) = 0;
};

}  // namespace tributary

#define TRIBUTARY_PLUGIN(register_fn)                                                              \
  extern "C" __attribute__((visibility("default"))) std::uint32_t tributary_plugin_abi_version() { \
    return ::tributary::kPluginAbiVersion;                                                         \
  }                                                                                                \
  extern "C" __attribute__((visibility("default"))) const char* tributary_plugin_register(         \
      ::tributary::PluginRegistrar* registrar) {                                                   \
    static std::string error;                                                                      \
    try {                                                                                          \
      register_fn(*registrar);                                                                     \
      return nullptr;                                                                              \
    } catch (const std::exception& e) {                                                            \
      error = e.what();                                                                            \
      return error.c_str();                                                                        \
    }                                                                                              \
  }
