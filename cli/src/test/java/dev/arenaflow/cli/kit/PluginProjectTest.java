package dev.arenaflow.cli.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PluginProjectTest {

    @Test
    void shouldDeriveJavaNamesFromThePluginName() {
        PluginProject project = PluginProject.of("geo-ip_v2", "com.example", false);

        assertThat(project.classPrefix()).isEqualTo("GeoIpV2");
        assertThat(project.packageName()).isEqualTo("com.example.geo_ip_v2");
    }

    @Test
    void shouldMakeJavaNamesOfNamesThatAreNotJavaIdentifiers() {
        assertThat(PluginProject.classPrefix("7up")).isEqualTo("P7up");
        assertThat(PluginProject.classPrefix("-")).isEqualTo("P");
        assertThat(PluginProject.packageSegment("7up")).isEqualTo("p7up");
        assertThat(PluginProject.packageSegment("Class")).isEqualTo("class_");
    }

    @Test
    void shouldRejectAGroupIdThatIsNotAPackageName() {
        assertThatThrownBy(() -> PluginProject.of("geo", "com.example-corp", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--group-id 'com.example-corp'");
    }

    @Test
    void shouldPassEveryArchetypePropertyIncludingTheVariant() {
        assertThat(PluginProject.of("geo", "org.acme", true).archetypeProperties("1.2.3", "file:/kit/"))
                .containsExactly("-DgroupId=org.acme", "-DartifactId=geo", "-Dversion=0.1.0-SNAPSHOT",
                        "-Dpackage=org.acme.geo", "-DpluginName=geo", "-DclassPrefix=Geo", "-Dasync=true",
                        "-DarenaflowVersion=1.2.3", "-DarenaflowRepository=file:/kit/");
    }
}
