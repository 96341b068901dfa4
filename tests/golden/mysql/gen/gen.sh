#!/usr/bin/env bash
# Regenerates the files of tests/golden/mysql from the real Debezium 2.7.4 classes (Maven
# Central): the ConfigDefs of MySqlConnector and PostgresConnector in definition order, every
# Field the MySQL config reads, and the Source struct and offset maps of MySqlOffsetContext.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/pom.xml" "$work/"
(cd "$work" && mvn -q dependency:copy-dependencies -DoutputDirectory=lib)
mkdir -p "$work/classes"
javac -d "$work/classes" -cp "$work/lib/*" "$here"/*.java
run() { java -cp "$work/classes:$work/lib/*" "$@"; }
run DumpConfigDef io.debezium.connector.mysql.MySqlConnector \
  io.debezium.connector.mysql.MySqlConnectorConfig > "$here/../mysql-configdef.tsv"
run DumpConfigDef io.debezium.connector.postgresql.PostgresConnector \
  io.debezium.connector.postgresql.PostgresConnectorConfig > "$here/../postgres-configdef.tsv"
run DumpAllFields io.debezium.connector.mysql.MySqlConnector io.debezium.connector.mysql.MySqlConnectorConfig \
  io.debezium.relational.history.SchemaHistory io.debezium.storage.kafka.history.KafkaSchemaHistory > "$here/../mysql-allfields.tsv"
run SourceAndOffsets > "$here/../source-and-offsets.txt"
