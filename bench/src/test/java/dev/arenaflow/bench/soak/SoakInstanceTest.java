package dev.arenaflow.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

class SoakInstanceTest {

    /** The soak names the CLI's main class instead of importing it; the name must still load. */
    @Test
    void shouldNameAMainClassOnTheRunTimeClassPath() throws Exception {
        Method main = Class.forName(SoakInstance.CLI_MAIN).getMethod("main", String[].class);

        assertThat(Modifier.isStatic(main.getModifiers())).isTrue();
    }
}
