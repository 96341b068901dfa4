// TransformChain: a connector's `transforms` applied in order, each optionally guarded by a
// predicate (`transforms.X.predicate`, `transforms.X.negate`), built from the plugin registry.
//
// Threading: one chain per task, used only on that task's thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "plugins/registry.h"
#include "tributary/record.h"
#include "tributary/transform.h"

namespace tributary {

class TransformChain {
 public:
  /// Builds the chain from a connector config. Throws ConfigError naming
  /// `transforms.X.type` / `predicates.P.type` / `transforms.X.predicate` when a class or alias is
  /// unknown, or the key the transform's configure() rejected.
  TransformChain(const ConfigMap& connector_config, const PluginRegistry& registry);
  TransformChain() = default;

  bool empty() const { return steps_.empty(); }
  /// Applies every step; returns false when a step dropped the record. Exceptions from a
  /// transform propagate with the alias recorded in failed_step().
  bool apply(SourceRecord& record);
  const std::string& failed_step() const { return failed_step_; }

  /// Checks a connector config's transforms and predicates without keeping them: per-key errors.
  static std::map<std::string, std::vector<std::string>> validate(const ConfigMap& config,
                                                                  const PluginRegistry& registry);

 private:
  struct Step {
    std::string alias;
    std::unique_ptr<Transformation> transform;
    const Predicate* predicate = nullptr;
    bool negate = false;
  };
  std::vector<std::unique_ptr<Predicate>> predicates_;
  std::vector<Step> steps_;
  std::string failed_step_;
};

}  // namespace tributary
