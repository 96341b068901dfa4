// The plugin entry of the PostgreSQL connector: registers PostgresConnector under Debezium's
// class name and short aliases. The connector runs one task (a replication slot has one reader).
//
// Threading: connector methods run on the herder's thread; the task on its own thread.
#include "pg_connection.h"
#include "postgres_config.h"
#include "postgres_task.h"
#include "tributary/plugin.h"

namespace tributary::pg {
namespace {

class PostgresConnector : public SourceConnector {
 public:
  void start(const ConfigMap& props, ConnectorContext&) override {
    for (const auto& [key, errors] : postgres_config_def().validate(props))
      if (!errors.empty()) throw ConfigError(key, errors.front());
    if (auto e = check_queue_size(props)) throw ConfigError("max.queue.size", *e);
    for (const auto& [key, error] : check_select_overrides(props)) throw ConfigError(key, error);
    for (const auto& [key, error] :
         cdc::check_unsupported(props, postgres_unsupported_keys()).errors)
      throw ConfigError(key, error);
    props_ = props;
  }
  std::vector<ConfigMap> task_configs(int) override { return {props_}; }
  void stop() override {}
  std::map<std::string, std::vector<std::string>> validate(const ConfigMap& props) override {
    auto errors = check_server(props);
    try {
      if (auto e = check_queue_size(props)) errors["max.queue.size"].push_back(*e);
      for (const auto& [key, error] : check_select_overrides(props)) errors[key].push_back(error);
    } catch (const std::exception&) {
      // A malformed number: the ConfigDef's own validation names it.
    }
    for (const auto& [key, error] :
         cdc::check_unsupported(props, postgres_unsupported_keys()).errors)
      errors[key].push_back(error);
    return errors;
  }
  std::unique_ptr<SourceTask> create_task() override { return std::make_unique<PostgresTask>(); }

 private:
  ConfigMap props_;
};

void register_postgres(PluginRegistrar& r) {
  PluginDescriptor d;
  d.class_name = "io.debezium.connector.postgresql.PostgresConnector";
  d.aliases = {"PostgresConnector", "postgres", "postgresql"};
  d.type = PluginType::Source;
  d.version = "2.7.4.Final";
  d.config_def = postgres_config_def();
  d.unimplemented_keys = cdc::describe_unsupported(postgres_unsupported_keys());
  d.make_source = [] { return std::make_unique<PostgresConnector>(); };
  r.add(std::move(d));
}

}  // namespace
}  // namespace tributary::pg

TRIBUTARY_PLUGIN(tributary::pg::register_postgres)
