package io.worker.dashboard;

import java.time.Duration;

import io.worker.QueueInfo;
import io.worker.TaskState;

/**
 * Charts drawn on the server as SVG: no chart library, no script, and sizes as SVG attributes, which
 * a strict Content-Security-Policy allows where it forbids inline styles.
 */
final class Charts {

	private Charts() {
	}

	/** A queue's counts per state as one stacked bar, each part titled with its state and count. */
	static String stackedBar(QueueInfo queue) {
		long total = 0;
		for (TaskState state : TaskState.values()) {
			total += queue.size(state);
		}
		StringBuilder svg = new StringBuilder(
				"<svg class=\"bar\" viewBox=\"0 0 1000 10\" preserveAspectRatio=\"none\" role=\"img\"><rect class=\"empty\" width=\"1000\" height=\"10\"/>");
		double x = 0;
		for (TaskState state : TaskState.values()) {
			long size = queue.size(state);
			if (size > 0) {
				double width = 1000.0 * size / total;
				svg.append("<rect class=\"s-").append(state.name().toLowerCase()).append("\" x=\"")
					.append(String.format(java.util.Locale.ROOT, "%.1f", x)).append("\" width=\"")
					.append(String.format(java.util.Locale.ROOT, "%.1f", width))
					.append("\" height=\"10\"><title>").append(state.name().toLowerCase()).append(": ").append(size)
					.append("</title></rect>");
				x += width;
			}
		}
		return svg.append("</svg>").toString();
	}

	/** Processed and failed per minute as bars, oldest minute left. */
	static String perMinute(long[][] counts) {
		long max = 1;
		long processed = 0;
		long failed = 0;
		for (long[] minute : counts) {
			max = Math.max(max, minute[0]);
			processed += minute[0];
			failed += minute[1];
		}
		StringBuilder svg = new StringBuilder("<svg class=\"chart\" id=\"throughput\" viewBox=\"0 0 600 100\" preserveAspectRatio=\"none\" role=\"img\">");
		for (int i = 0; i < counts.length; i++) {
			long p = counts[i][0];
			long f = counts[i][1];
			if (p > 0) {
				long h = Math.max(1, 100 * p / max);
				long hf = (f > 0) ? Math.max(1, 100 * f / max) : 0;
				svg.append("<rect class=\"processed\" x=\"").append(i * 10).append("\" y=\"").append(100 - h)
					.append("\" width=\"8\" height=\"").append(h).append("\"><title>").append(counts.length - 1 - i)
					.append(" min ago: ").append(p).append(" processed, ").append(f).append(" failed</title></rect>");
				if (hf > 0) {
					svg.append("<rect class=\"failed\" x=\"").append(i * 10).append("\" y=\"").append(100 - hf)
						.append("\" width=\"8\" height=\"").append(hf).append("\"/>");
				}
			}
		}
		return svg.append("</svg><p class=\"legend\"><span class=\"processed\">■</span> processed <span data-test=\"processed-hour\">")
			.append(processed).append("</span> · <span class=\"failed\">■</span> failed <span data-test=\"failed-hour\">")
			.append(failed).append("</span></p>").toString();
	}

	/** A duration, rounded for people. */
	static String age(Duration age) {
		long s = Math.max(0, age.getSeconds());
		if (s < 120) {
			return s + "s";
		}
		if (s < 7200) {
			return (s / 60) + "m";
		}
		if (s < 172800) {
			return (s / 3600) + "h";
		}
		return (s / 86400) + "d";
	}

}
