// The MySQL / MariaDB connector's metrics: the shared Debezium streaming and snapshot metrics
// (connectors/common/cdc_metrics.h, plugin="mysql" or "mariadb"), and Debezium's MySQL streaming
// metrics that are numbers: BinlogPosition, IsGtidModeEnabled, NumberOfSkippedEvents,
// NumberOfDisconnects; the binlog file, a string in Debezium (BinlogFilename), is published as
// the number of its suffix (tributary_mysql_binlog_file_number).
//
// Threading: the task's reader thread only (gauges are safe to set from any thread).
#pragma once

#include <cstdint>
#include <string>

#include "cdc_metrics.h"

namespace tributary::mysql {

class MySqlMetrics : public cdc::CdcMetrics {
 public:
  MySqlMetrics(SourceTaskContext& ctx, const std::string& plugin, const std::string& prefix,
               int queue_capacity, std::int64_t queue_max_bytes);

  std::uint64_t binlog_position = 0;
  std::uint64_t binlog_file_number = 0;
  bool gtid_mode = false;
  std::int64_t skipped_events = 0, disconnects = 0;

  void publish(std::size_t queued, std::size_t queued_bytes) override;

 private:
  MetricGauge *position_, *file_, *gtid_, *skipped_, *disconnects_;
};

}  // namespace tributary::mysql
