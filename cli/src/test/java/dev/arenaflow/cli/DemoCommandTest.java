package dev.arenaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.local.LocalStack;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

class DemoCommandTest {

    @Test
    void shouldNameTheLocalStackClassItChecksFor() {
        assertThat(DemoCommand.LOCAL_STACK_CLASS).isEqualTo(LocalStack.class.getName());
    }

    @Test
    void shouldFindTheLocalStackOnTheTestClassPath() {
        assertThat(DemoCommand.localStackOn(DemoCommandTest.class.getClassLoader())).isTrue();
    }

    @Test
    void shouldNotFindTheLocalStackThroughALoaderThatLacksIt() throws IOException {
        // Only the JDK's own classes, as in an image whose class path lacks demo-lib.
        try (URLClassLoader jdkOnly = new URLClassLoader(new URL[0], null)) {
            assertThat(DemoCommand.localStackOn(jdkOnly)).isFalse();
        }
    }
}
