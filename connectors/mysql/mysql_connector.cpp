// The plugin entry of the MySQL / MariaDB connector: registers Debezium's MySqlConnector and
// MariaDbConnector under their class names and short aliases. Each runs one task (a binlog has
// one reader per server id).
//
// Threading: connector methods run on the herder's thread; the task on its own threads
// (mysql_task.h).
#include "mysql_config.h"
#include "mysql_connection.h"
#include "mysql_task.h"
#include "tributary/plugin.h"

namespace tributary::mysql {
namespace {

class MySqlConnector : public SourceConnector {
 public:
  explicit MySqlConnector(Flavor flavor) : flavor_(flavor) {}
  void start(const ConfigMap& props, ConnectorContext&) override {
    for (const auto& [key, errors] : mysql_config_def().validate(props))
      if (!errors.empty()) throw ConfigError(key, errors.front());
    for (const auto& [key, error] : check_config(props)) throw ConfigError(key, error);
    props_ = props;
  }
  std::vector<ConfigMap> task_configs(int) override { return {props_}; }
  void stop() override {}
  std::map<std::string, std::vector<std::string>> validate(const ConfigMap& props) override {
    // Debezium checks the binlog settings and grants only when the task starts; Tributary also
    // reports them here, where an operator sees them before anything runs (COMPATIBILITY.md).
    auto errors = check_server(props);
    for (const auto& [key, error] : check_config(props)) errors[key].push_back(error);
    return errors;
  }
  std::unique_ptr<SourceTask> create_task() override {
    return std::make_unique<MySqlTask>(flavor_);
  }

 private:
  Flavor flavor_;
  ConfigMap props_;
};

void register_mysql(PluginRegistrar& r) {
  PluginDescriptor d;
  d.class_name = "io.debezium.connector.mysql.MySqlConnector";
  d.aliases = {"MySqlConnector", "mysql"};
  d.type = PluginType::Source;
  d.version = "2.7.4.Final";
  d.config_def = mysql_config_def();
  d.unimplemented_keys = cdc::describe_unsupported(mysql_unsupported_keys());
  d.make_source = [] { return std::make_unique<MySqlConnector>(Flavor::MySql); };
  r.add(d);
  d.class_name = "io.debezium.connector.mariadb.MariaDbConnector";
  d.aliases = {"MariaDbConnector", "mariadb"};
  d.make_source = [] { return std::make_unique<MySqlConnector>(Flavor::MariaDb); };
  r.add(std::move(d));
}

}  // namespace
}  // namespace tributary::mysql

TRIBUTARY_PLUGIN(tributary::mysql::register_mysql)
