package io.worker.observation;

import java.util.List;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.propagation.Propagator;
import io.micrometer.tracing.test.simple.SimpleTraceContextBuilder;
import io.micrometer.tracing.test.simple.SimpleTracer;

/**
 * A W3C {@code traceparent} propagator for {@link SimpleTracer}, which has none of its own.
 */
final class W3cTestPropagator implements Propagator {

	private final SimpleTracer tracer;

	W3cTestPropagator(SimpleTracer tracer) {
		this.tracer = tracer;
	}

	@Override
	public List<String> fields() {
		return List.of("traceparent");
	}

	@Override
	public <C> void inject(TraceContext context, C carrier, Setter<C> setter) {
		setter.set(carrier, "traceparent", "00-" + context.traceId() + "-" + context.spanId() + "-01");
	}

	@Override
	public <C> Span.Builder extract(C carrier, Getter<C> getter) {
		String traceparent = getter.get(carrier, "traceparent");
		if (traceparent == null) {
			return this.tracer.spanBuilder();
		}
		String[] parts = traceparent.split("-");
		return this.tracer.spanBuilder()
			.setParent(new SimpleTraceContextBuilder().traceId(parts[1]).spanId(parts[2]).sampled(true).build());
	}

}
