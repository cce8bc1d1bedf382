package io.worker.backend.rabbitmq;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a batch is spread over the publisher's channels: small ones stay on one channel, in order;
 * large ones are cut into chunks of at least {@link RabbitPublisher#CHUNK}, on at most
 * {@link RabbitPublisher#CHANNELS} channels.
 */
class RabbitPublisherTests {

	@Test
	void aBatchIsCutIntoChunksOfAtLeastTheChunkSizeOnAtMostEveryChannel() {
		assertThat(RabbitPublisher.chunks(1)).isEqualTo(1);
		assertThat(RabbitPublisher.chunks(RabbitPublisher.CHUNK * 2 - 1)).isEqualTo(1);
		assertThat(RabbitPublisher.chunks(RabbitPublisher.CHUNK * 2)).isEqualTo(2);
		assertThat(RabbitPublisher.chunks(1000)).isEqualTo(4);
		assertThat(RabbitPublisher.chunks(1_000_000)).isEqualTo(RabbitPublisher.CHANNELS);
	}

}
