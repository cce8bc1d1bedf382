package io.worker.backend.rabbitmq;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.worker.backend.rabbitmq.RabbitPublisher.Confirms;
import io.worker.backend.rabbitmq.RabbitPublisher.PublishException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a batch is spread over the publisher's channels: small ones stay on one channel, in order;
 * large ones are cut into chunks of at least {@link RabbitPublisher#CHUNK}, on at most
 * {@link RabbitPublisher#CHANNELS} channels. And how a batch's confirms are awaited together: one
 * wait for the last of them, each message keeping its own outcome.
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

	@Test
	void awaitReturnsOnceTheLastMessageIsSettledWithEachMessagesOwnOutcome() {
		Confirms confirms = new Confirms(3, Duration.ofMinutes(1));
		PublishException refused = new PublishException("refused", null);
		confirms.pending(0).settle(null);

		CompletableFuture<List<PublishException>> awaited = CompletableFuture.supplyAsync(confirms::await);
		confirms.pending(2).settle(refused);
		assertThat(awaited).isNotDone();
		confirms.pending(1).settle(null);

		assertThat(awaited.join()).containsExactly(null, null, refused);
	}

	@Test
	void aMessageNotSettledInTimeFailsAloneWithATimeout() {
		Confirms confirms = new Confirms(2, Duration.ofMillis(50));
		confirms.pending(0).settle(null);

		List<PublishException> failures = confirms.await();

		assertThat(failures.get(0)).isNull();
		assertThat(failures.get(1)).hasMessageContaining("did not confirm the message within PT0.05S");
	}

	@Test
	void anEmptyBatchIsConfirmedAtOnce() {
		assertThat(new Confirms(0, Duration.ofMinutes(1)).await()).isEmpty();
	}

}
