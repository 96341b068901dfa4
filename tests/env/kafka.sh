#!/usr/bin/env bash
# Starts or stops a single-node Apache Kafka broker in KRaft mode on loopback.
#   tests/env/kafka.sh start DIR PORT   -> broker on 127.0.0.1:PORT, data and logs in DIR
#   tests/env/kafka.sh stop DIR
# The KRaft controller listens on a free loopback port picked at each start (not PORT+1, which
# another process may hold: an ephemeral client port once made a start fail). The broker's pid is
# in DIR/kafka.pid, its log in DIR/kafka.log.
# KAFKA_EXTRA_PROPS: more server.properties lines (e.g. "log.segment.delete.delay.ms=0": a deleted
# topic's files go at once, not after 60 s; file.delete.delay.ms is only its per-topic name).
# KAFKA_JVM_OPTS: JVM heap/GC options (default: a small heap with SerialGC, for tests).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cmd="${1:?usage: kafka.sh start|stop DIR [PORT]}"
dir="${2:?usage: kafka.sh start|stop DIR [PORT]}"

case "$cmd" in
start)
  port="${3:?port required}"
  # A single node's quorum state names its voter by id, not address, so a restart may move the
  # controller to another port.
  cport="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
  lib="$("$here/../../deploy/kafka/fetch.sh")"
  mkdir -p "$dir/data"
  dir="$(cd "$dir" && pwd)"
  cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
${KAFKA_EXTRA_PROPS:-}
PROPS
  cat > "$dir/log4j.properties" <<PROPS
log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaServer=INFO
log4j.logger.kafka.server.BrokerServer=INFO
PROPS
  # KAFKA_JVM_OPTS overrides the small default heap (tests) e.g. for benchmarks.
  read -r -a heap <<< "${KAFKA_JVM_OPTS:--Xms256m -Xmx512m -XX:+UseSerialGC}"
  jopts=("${heap[@]}" -Dlog4j.configuration="file:$dir/log4j.properties" -cp "$lib/*")
  if [ ! -f "$dir/data/meta.properties" ]; then
    java "${jopts[@]}" kafka.tools.StorageTool format -t "tributary-test-cluster1" \
         -c "$dir/server.properties" --ignore-formatted > "$dir/format.log" 2>&1 \
      || { cat "$dir/format.log" >&2; exit 1; }
  fi
  nohup java "${jopts[@]}" kafka.Kafka "$dir/server.properties" > "$dir/kafka.log" 2>&1 &
  echo $! > "$dir/kafka.pid"
  for _ in $(seq 1 120); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && grep -q "started" "$dir/kafka.log" 2>/dev/null; then
      echo "kafka: up on 127.0.0.1:$port (pid $(cat "$dir/kafka.pid"))"
      exit 0
    fi
    if ! kill -0 "$(cat "$dir/kafka.pid")" 2>/dev/null; then
      echo "kafka: broker exited during start; log follows" >&2
      tail -50 "$dir/kafka.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "kafka: broker did not start within 60 s; log: $dir/kafka.log" >&2
  exit 1
  ;;
stop)
  if [ -f "$dir/kafka.pid" ]; then
    pid="$(cat "$dir/kafka.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$dir/kafka.pid"
  fi
  ;;
*) echo "usage: kafka.sh start|stop DIR [PORT]" >&2; exit 2 ;;
esac
