package dev.arenaflow.cli.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class SendTallyTest {

    @Test
    void shouldCountOutcomesAndKeepTheFirstFailureMessages() {
        SendTally tally = new SendTally();
        tally.onCompletion(null, null);
        for (int i = 1; i <= 7; i++) {
            tally.onCompletion(null, new TimeoutException("t" + i));
        }

        assertThat(tally.acknowledged()).isEqualTo(1);
        assertThat(tally.failed()).isEqualTo(7);
        assertThat(tally.drainFailureMessages()).containsExactly("TimeoutException: t1", "TimeoutException: t2",
                "TimeoutException: t3", "TimeoutException: t4",
                "TimeoutException: t5 (further failures are only counted)");
        assertThat(tally.drainFailureMessages()).isEmpty();
        assertThat(tally.fatal()).isNull();
    }

    @Test
    void shouldMarkAuthenticationFailuresFatal() {
        SendTally tally = new SendTally();

        tally.onCompletion(null, new SaslAuthenticationException("bad password"));

        assertThat(tally.fatal()).isEqualTo("SaslAuthenticationException: bad password");
    }
}
