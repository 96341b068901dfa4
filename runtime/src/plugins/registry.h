// PluginRegistry: every connector, converter, transform and predicate class the worker knows,
// by full class name and alias. Built-in classes register at start-up; the loader adds the classes
// of each plugin .so found under plugin.path.
//
// Threading: filled on the main thread before the REST server starts, then read-only (lookups
// from any thread need no lock).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tributary/plugin.h"

namespace tributary {

class PluginRegistry : public PluginRegistrar {
 public:
  /// Registers a class. A class may be registered once per type (Kafka's JsonConverter is both
  /// a Converter and a HeaderConverter); a (name, type) already taken is logged and skipped.
  void add(PluginDescriptor descriptor) override;
  /// By full class name or alias (the first registered type when there are several); nullptr if
  /// unknown.
  const PluginDescriptor* find(std::string_view name) const;
  /// Same, restricted to a type.
  const PluginDescriptor* find(std::string_view name, PluginType type) const;
  const std::vector<std::unique_ptr<PluginDescriptor>>& all() const { return plugins_; }
  /// Where each class came from ("builtin" or the .so path), for logs and reports.
  void set_origin(std::string origin) { origin_ = std::move(origin); }

 private:
  std::vector<std::unique_ptr<PluginDescriptor>> plugins_;
  std::multimap<std::string, const PluginDescriptor*, std::less<>> by_name_;
  std::string origin_ = "builtin";
};

/// Outcome of loading one plugin file.
struct PluginLoadResult {
  std::string path;
  bool ok = false;
  std::string error;  // names the file and the symbol
  int classes = 0;
};

/// Scans each entry of plugin.path (comma list of directories or .so files; a directory is
/// searched one level deep, and its subdirectories one more) for lib*.so files, loads each with
/// RTLD_NOW | RTLD_LOCAL, checks tributary_plugin_abi_version() and calls
/// tributary_plugin_register(). A file that fails is reported (and logged), never fatal.
std::vector<PluginLoadResult> load_plugins(const std::vector<std::string>& plugin_path,
                                           PluginRegistry& registry);

}  // namespace tributary
