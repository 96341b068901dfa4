# Sourced by tests/bench/run_postgres.sh and run_mysql.sh: what both need around their benchmark
# binaries. Sets nothing until called; `root` and `build` must be set by the sourcing script.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# bench_kafka_start DIR PORT: a broker for benchmarks, its log on DIR (tmpfs: pass a /dev/shm
# dir). Old segments go while a run streams (2 GB per partition), and a deleted topic's files at
# once (log.segment.delete.delay.ms; the default 60 s let three 1M-event runs of ~7 GB each fill
# the tmpfs and the broker was OOM-killed), so a long run fits in tmpfs.
bench_kafka_start() {
  KAFKA_EXTRA_PROPS="log.segment.delete.delay.ms=0
log.retention.bytes=2147483648
log.segment.bytes=268435456
log.retention.check.interval.ms=5000" KAFKA_JVM_OPTS="-Xms2g -Xmx2g -XX:+UseG1GC" \
    "$root/tests/env/kafka.sh" start "$1" "$2" >/dev/null
}

# rss_worker_start WDIR BOOTSTRAP CONNECTOR_JSON: the real worker binary (bin/tributary
# standalone, JsonConverter with schemas, file offsets in WDIR) with the connector POSTed once
# its REST answers; sets rss_pid and rss_rest (its port). RSS_WORKER_PROPS: more
# worker.properties lines (e.g. "producer.buffer.memory=16777216").
rss_worker_start() {
  local wdir="$1" bootstrap="$2" connector="$3"
  rss_rest="$(free_port)"
  cat > "$wdir/worker.properties" <<PROPS
bootstrap.servers=$bootstrap
listeners=http://127.0.0.1:$rss_rest
plugin.path=$build/plugins
offset.storage.file.filename=$wdir/offsets
offset.flush.interval.ms=1000
key.converter=org.apache.kafka.connect.json.JsonConverter
value.converter=org.apache.kafka.connect.json.JsonConverter
PROPS
  [ -n "${RSS_WORKER_PROPS:-}" ] && echo "$RSS_WORKER_PROPS" >>"$wdir/worker.properties"
  "$build/bin/tributary" standalone "$wdir/worker.properties" >"$wdir/log" 2>&1 &
  rss_pid=$!
  echo "$rss_pid" >"$wdir/pid"
  for _ in $(seq 100); do curl -sf "127.0.0.1:$rss_rest/" >/dev/null && break; sleep 0.1; done
  curl -sf -XPOST -H 'Content-Type: application/json' "127.0.0.1:$rss_rest/connectors" \
    -d "$connector" >/dev/null
}

# rss_sample ROWS [LOADER_PID]: samples the worker's RSS from /proc every 100 ms until it has
# written ROWS records (tributary_source_records_written_total); fails when the loader process
# fails first. Sets rss_peak_mb and rss_seconds.
rss_sample() {
  local rows="$1" loader="${2:-}" peak=0 rss written start end
  start=$(date +%s.%N)
  while :; do
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$rss_pid/status")
    [ "$rss" -gt "$peak" ] && peak=$rss
    written=$(curl -s "127.0.0.1:$rss_rest/metrics" | awk '/^tributary_source_records_written_total\{/ {s += $2} END {print s}')
    [ -n "$written" ] && [ "${written%.*}" -ge "$rows" ] && break
    if [ -n "$loader" ] && ! kill -0 "$loader" 2>/dev/null; then
      wait "$loader" || { echo "rss: loading the rows failed" >&2; exit 1; }
      loader=""
    fi
    sleep 0.1
  done
  end=$(date +%s.%N)
  [ -n "$loader" ] && wait "$loader"
  rss_peak_mb=$((peak / 1024))
  rss_seconds="$(python3 -c "print(round($end-$start,1))")"
}
