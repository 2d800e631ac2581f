package dev.arenaflow.local.lookup;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Made-up but stable attributes of a source, the same for the same source on every run. */
final class SourceAttributes {

    private static final List<String> KINDS = List.of("thermometer", "hygrometer", "barometer", "flow-meter",
            "power-meter", "camera");
    private static final int SITES = 4;
    private static final int TEAMS = 9;

    private SourceAttributes() {
    }

    /**
     * @param source any source
     * @return {@code source}, {@code site}, {@code kind} and {@code owner}, in that order
     */
    static Map<String, String> of(String source) {
        // String.hashCode is specified, so the values do not change between JVMs or runs.
        int h = mix(source.hashCode());
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("source", source);
        attributes.put("site", "plant-" + (Math.floorMod(h, SITES) + 1));
        attributes.put("kind", KINDS.get(Math.floorMod(h >>> 8, KINDS.size())));
        attributes.put("owner", "team-" + (Math.floorMod(h >>> 16, TEAMS) + 1));
        return attributes;
    }

    /** Spreads similar names such as sensor-001 and sensor-002 over all values. */
    private static int mix(int h) {
        int x = h * 0x9E3779B9;
        return x ^ (x >>> 15);
    }
}
