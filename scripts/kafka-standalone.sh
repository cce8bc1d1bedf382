#!/usr/bin/env bash
# Start a single-node Kafka broker (KRaft, broker and controller in one JVM) on 127.0.0.1:9092 for
# the sample app and the benchmarks, from the Kafka jars on Maven Central: no Kafka distribution,
# no Docker. Needs only a JDK 17+ (the Maven wrapper fetches the jars).
#
#   scripts/kafka-standalone.sh          download the jars (once), format the storage (once), start
#   scripts/kafka-standalone.sh --stop   stop the broker started here
#
# Everything lives in target/kafka-standalone (libs/, data/, server.properties, kafka.log,
# kafka.pid); delete that folder to start from empty storage. KAFKA_VERSION picks the version
# (default: the one Spring Boot manages for this project).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
dir="$root/target/kafka-standalone"
version=${KAFKA_VERSION:-4.1.2}
pid_file="$dir/kafka.pid"

running() {
	[ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null
}

if [ "${1:-}" = "--stop" ]; then
	if running; then
		pid=$(cat "$pid_file")
		kill "$pid"
		for _ in $(seq 1 60); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 1
		done
		if kill -0 "$pid" 2>/dev/null; then
			echo "kafka-standalone: broker $pid did not stop within 60s; killing it" >&2
			kill -9 "$pid"
		fi
		echo "kafka-standalone: stopped broker $pid"
	else
		echo "kafka-standalone: no broker running"
	fi
	rm -f "$pid_file"
	exit 0
fi

if running; then
	echo "kafka-standalone: already running (pid $(cat "$pid_file")) on 127.0.0.1:9092"
	exit 0
fi

listening() {
	(exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null
}

# Something else on our ports would make the wait below report a broker that is not ours.
for port in 9092 9093; do
	if listening "$port"; then
		echo "kafka-standalone: 127.0.0.1:$port is already in use by another process (not a broker started here);" \
			"stop it or use that broker" >&2
		exit 1
	fi
done

mkdir -p "$dir"
if [ ! -f "$dir/libs/.version-$version-2" ]; then
	echo "kafka-standalone: fetching kafka_2.13 $version and its dependencies from Maven Central"
	cat > "$dir/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>io.worker.tools</groupId>
  <artifactId>kafka-standalone</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_2.13</artifactId>
      <version>$version</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-api</artifactId>
      <version>2.0.18</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-simple</artifactId>
      <version>2.0.18</version>
    </dependency>
  </dependencies>
</project>
POM
	rm -rf "$dir/libs"
	./mvnw -q -B -f "$dir/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
		-DoutputDirectory="$dir/libs"
	touch "$dir/libs/.version-$version-2"
fi

cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:9093
listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093
advertised.listeners=PLAINTEXT://127.0.0.1:9092
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
num.partitions=6
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS

classpath="$dir/libs/*"
if [ ! -f "$dir/data/meta.properties" ]; then
	cluster_id=$(java -cp "$classpath" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
	java -cp "$classpath" kafka.tools.StorageTool format -t "$cluster_id" -c "$dir/server.properties" >/dev/null
	echo "kafka-standalone: formatted storage in $dir/data (cluster $cluster_id)"
fi

nohup java -Xms256m -Xmx512m -cp "$classpath" kafka.Kafka "$dir/server.properties" >"$dir/kafka.log" 2>&1 &
echo $! >"$pid_file"
for _ in $(seq 1 60); do
	if running && listening 9092; then
		echo "kafka-standalone: broker $(cat "$pid_file") listening on 127.0.0.1:9092 (log: $dir/kafka.log)"
		exit 0
	fi
	if ! running; then
		echo "kafka-standalone: the broker exited; see $dir/kafka.log" >&2
		tail -20 "$dir/kafka.log" >&2
		exit 1
	fi
	sleep 1
done
echo "kafka-standalone: the broker did not listen on 127.0.0.1:9092 within 60s; see $dir/kafka.log" >&2
exit 1
