#!/usr/bin/env bash
# The fault run (docs/RELIABILITY.md): for Redis, RabbitMQ and Kafka, 10,000 tasks of 5–50 ms in
# worker child JVMs while the worker JVM is SIGKILLed twice, the broker is restarted, the network
# is cut for 20 s and a second worker JVM joins and leaves. It starts its own brokers (Redis on
# 6390, a RabbitMQ node worker-fault@localhost on 5690, a KRaft Kafka on 9190) with their data
# under /tmp, and proxies on 6391, 5691 and 9191; it needs redis-server, rabbitmq-server and
# rabbitmqctl on the path. Not part of ./mvnw verify: a full run takes about 15 minutes.
#
#   scripts/fault-run.sh [--backends=redis,rabbitmq,kafka] [--tasks=10000] [--concurrency=20] [--cut=20s] [--report=FILE]
#
# Exit code 0 when every scenario passed.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl worker-bench -am compile dependency:build-classpath -Dmdep.includeScope=test \
	-Dmdep.outputFile=target/fault-classpath.txt
exec java -Xmx512m -cp "worker-bench/target/classes:$(cat worker-bench/target/fault-classpath.txt)" \
	io.worker.bench.fault.FaultRun "$@"
