#include "mysql_metrics.h"

namespace tributary::mysql {

MySqlMetrics::MySqlMetrics(SourceTaskContext& ctx, const std::string& plugin,
                           const std::string& prefix, int queue_capacity,
                           std::int64_t queue_max_bytes)
    : CdcMetrics(ctx, plugin, prefix, queue_capacity, queue_max_bytes) {
  position_ = &streaming("BinlogPosition", "Position in the binlog file of the last event read");
  gtid_ = &streaming("IsGtidModeEnabled", "1 when the server has GTIDs (MariaDB: always)");
  skipped_ = &streaming("NumberOfSkippedEvents",
                        "Binlog events skipped: unparseable DDL or inconsistent schemas (warn / "
                        "skip modes) and events already delivered before a restart");
  disconnects_ = &streaming("NumberOfDisconnects", "Times the binlog connection was lost");
  file_ = &ctx.gauge("tributary_mysql_binlog_file_number",
                     "Suffix number of the binlog file being read (Debezium's BinlogFilename)",
                     {{"name", prefix}});
}

void MySqlMetrics::publish(std::size_t queued, std::size_t queued_bytes) {
  CdcMetrics::publish(queued, queued_bytes);
  position_->set(static_cast<double>(binlog_position));
  file_->set(static_cast<double>(binlog_file_number));
  gtid_->set(gtid_mode ? 1 : 0);
  skipped_->set(static_cast<double>(skipped_events));
  disconnects_->set(static_cast<double>(disconnects));
}

}  // namespace tributary::mysql
