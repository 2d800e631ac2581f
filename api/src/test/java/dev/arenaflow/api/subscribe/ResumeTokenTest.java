package dev.arenaflow.api.subscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class ResumeTokenTest {

    @Test
    void roundTripsEveryPartitionsOffset() {
        long[] offsets = {0, 1, 127, 128, 300_000_000_000L, Long.MAX_VALUE};
        String token = ResumeToken.encode("snapshots.session", offsets);
        assertThat(token).matches("[A-Za-z0-9_-]+");
        assertThat(ResumeToken.decode(token, "snapshots.session")).containsExactly(offsets);
    }

    @Test
    void refusesATokenOfAnotherTopic() {
        String token = ResumeToken.encode("orders.snapshots.session", new long[] {5});
        assertThatThrownBy(() -> ResumeToken.decode(token, "snapshots.session"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'orders.snapshots.session'").hasMessageContaining("another plugin or application");
    }

    @Test
    void refusesADamagedToken() {
        byte[] bytes = Base64.getUrlDecoder().decode(ResumeToken.encode("t", new long[] {42, 7}));
        bytes[bytes.length - 6] ^= 0x01;
        String damaged = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        assertThatThrownBy(() -> ResumeToken.decode(damaged, "t")).hasMessageContaining("checksum");
    }

    @Test
    void refusesTextThatIsNoToken() {
        assertThatThrownBy(() -> ResumeToken.decode("not a token!", "t")).hasMessageContaining("base64url");
        assertThatThrownBy(() -> ResumeToken.decode("AAAA", "t")).hasMessageContaining("too short");
        assertThatThrownBy(() -> ResumeToken.decode("", "t")).hasMessageContaining("too short");
    }

    @Test
    void refusesATruncatedTokenWithAValidChecksum() {
        // Version 1, a topic length of 9 but only one byte of name: the checksum matches what is there.
        byte[] body = {1, 9, 't'};
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(body);
        int sum = (int) crc.getValue();
        byte[] bytes = {1, 9, 't', (byte) (sum >>> 24), (byte) (sum >>> 16), (byte) (sum >>> 8), (byte) sum};
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        assertThatThrownBy(() -> ResumeToken.decode(token, "t")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("impossible length");
    }
}
