#include "plugins/registry.h"

#include <dlfcn.h>

#include <algorithm>
#include <filesystem>

#include "common/log.h"

namespace tributary {
namespace {
constexpr const char* kLogger = "io.tributary.plugins";
}

void PluginRegistry::add(PluginDescriptor d) {
  if (find(d.class_name, d.type) != nullptr) {
    TLOG(Warn, kLogger,
         "Plugin class " << d.class_name << " (" << plugin_type_name(d.type) << ") from " << origin_
                         << " is already registered; skipped");
    return;
  }
  auto owned = std::make_unique<PluginDescriptor>(std::move(d));
  const PluginDescriptor* p = owned.get();
  std::vector<std::string> names{p->class_name};
  names.insert(names.end(), p->aliases.begin(), p->aliases.end());
  for (const auto& n : names) {
    if (const auto* other = find(n, p->type); other != nullptr) {
      TLOG(Warn, kLogger,
           "Plugin alias " << n << " of " << p->class_name << " is taken by " << other->class_name
                           << "; alias skipped");
      continue;
    }
    by_name_.emplace(n, p);
  }
  TLOG(Debug, kLogger,
       "Registered " << plugin_type_name(p->type) << " " << p->class_name << " from " << origin_);
  plugins_.push_back(std::move(owned));
}

const PluginDescriptor* PluginRegistry::find(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

const PluginDescriptor* PluginRegistry::find(std::string_view name, PluginType type) const {
  auto [lo, hi] = by_name_.equal_range(name);
  for (auto it = lo; it != hi; ++it)
    if (it->second->type == type) return it->second;
  return nullptr;
}

namespace {

PluginLoadResult load_one(const std::filesystem::path& file, PluginRegistry& registry) {
  PluginLoadResult r;
  r.path = file.string();
  void* handle = dlopen(r.path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* e = dlerror();
    r.error = "dlopen failed for " + r.path + ": " + (e ? e : "unknown error");
    return r;
  }
  using AbiFn = std::uint32_t (*)();
  using RegFn = const char* (*)(PluginRegistrar*);
  auto abi = reinterpret_cast<AbiFn>(dlsym(handle, "tributary_plugin_abi_version"));
  if (abi == nullptr) {
    r.error = r.path + ": missing symbol tributary_plugin_abi_version (not a Tributary plugin?)";
    dlclose(handle);
    return r;
  }
  if (auto v = abi(); v != kPluginAbiVersion) {
    r.error = r.path + ": symbol tributary_plugin_abi_version returned " + std::to_string(v) +
              ", this worker needs " + std::to_string(kPluginAbiVersion);
    dlclose(handle);
    return r;
  }
  auto reg = reinterpret_cast<RegFn>(dlsym(handle, "tributary_plugin_register"));
  if (reg == nullptr) {
    r.error = r.path + ": missing symbol tributary_plugin_register";
    dlclose(handle);
    return r;
  }
  // Register into a scratch registry first so a failing plugin adds nothing.
  struct Collector : PluginRegistrar {
    std::vector<PluginDescriptor> got;
    void add(PluginDescriptor d) override { got.push_back(std::move(d)); }
  } collector;
  const char* err = nullptr;
  try {
    err = reg(&collector);
  } catch (const std::exception& e) {
    r.error = r.path + ": tributary_plugin_register threw: " + e.what();
    return r;  // keep the handle: descriptors may reference its code
  }
  if (err != nullptr) {
    r.error = r.path + ": tributary_plugin_register failed: " + err;
    return r;
  }
  registry.set_origin(r.path);
  for (auto& d : collector.got) registry.add(std::move(d));
  registry.set_origin("builtin");
  r.classes = static_cast<int>(collector.got.size());
  r.ok = true;
  // The handle stays open for the life of the process: descriptors point into it.
  return r;
}

bool is_plugin_file(const std::filesystem::path& p) {
  auto name = p.filename().string();
  return p.extension() == ".so" && name.rfind("lib", 0) == 0;
}

}  // namespace

std::vector<PluginLoadResult> load_plugins(const std::vector<std::string>& plugin_path,
                                           PluginRegistry& registry) {
  namespace fs = std::filesystem;
  std::vector<PluginLoadResult> results;
  for (const auto& entry : plugin_path) {
    std::error_code ec;
    fs::path root(entry);
    std::vector<fs::path> files;
    if (fs::is_regular_file(root, ec)) {
      files.push_back(root);
    } else if (fs::is_directory(root, ec)) {
      for (const auto& e : fs::directory_iterator(root, ec)) {
        if (e.is_regular_file() && is_plugin_file(e.path())) {
          files.push_back(e.path());
        } else if (e.is_directory()) {
          for (const auto& s : fs::directory_iterator(e.path(), ec))
            if (s.is_regular_file() && is_plugin_file(s.path())) files.push_back(s.path());
        }
      }
    } else {
      TLOG(Warn, kLogger, "plugin.path entry '" << entry << "' does not exist; skipped");
      continue;
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      auto r = load_one(f, registry);
      if (r.ok)
        TLOG(Info, kLogger, "Loaded plugin " << r.path << " (" << r.classes << " classes)");
      else
        TLOG(Error, kLogger, "Failed to load plugin: " << r.error);
      results.push_back(std::move(r));
    }
  }
  return results;
}

}  // namespace tributary
