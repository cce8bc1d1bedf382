package io.worker.bench.fault;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.worker.TaskHandler;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * A worker JVM of a fault run: Worker's auto-configuration with one handler that works for the
 * task's 5–50 ms and then appends {@code id startMillis endMillis} to its record file (one per
 * JVM, {@code fault.record}). The line reaches the kernel before the task is settled, so it
 * survives a SIGKILL: a task whose line is written but whose settlement is lost runs again, and
 * the harness sees it as a duplicate. Spring properties come as {@code --key=value} arguments.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(FaultWorker.FaultHandler.class)
public class FaultWorker {

	/** The task type and queue of every fault-run task. */
	public static final String TYPE = "fault";

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(FaultWorker.class);
		application.setBannerMode(Banner.Mode.OFF);
		application.run(args);
	}

	static class FaultHandler implements AutoCloseable {

		private final FileChannel record;

		FaultHandler(@Value("${fault.record}") String record) throws IOException {
			this.record = FileChannel.open(Path.of(record), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
					StandardOpenOption.APPEND);
		}

		@TaskHandler(value = TYPE, queue = TYPE)
		void handle(FaultPayload payload) throws InterruptedException, IOException {
			long start = System.currentTimeMillis();
			Thread.sleep(payload.workMillis());
			byte[] line = (payload.id() + " " + start + " " + System.currentTimeMillis() + "\n")
				.getBytes(StandardCharsets.US_ASCII);
			synchronized (this.record) {
				this.record.write(ByteBuffer.wrap(line));
			}
		}

		@Override
		public void close() throws IOException {
			this.record.close();
		}

	}

}
