package dev.arenaflow.plugins.enrich.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Reads a lookup response: one JSON object, whose top-level fields become string attributes. */
final class JsonAttributes {

    /** Immutable and thread-safe, so one reader serves every instance and thread. */
    private static final ObjectReader READER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .reader();

    private JsonAttributes() {
    }

    /**
     * @param body a response body, UTF-8 JSON
     * @return the fields in document order, string values as they are and others as their JSON
     *     text; empty if the body is not exactly one JSON object
     */
    static Optional<Map<String, String>> parse(byte[] body) {
        JsonNode node;
        try {
            node = READER.readTree(body);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (node == null || !node.isObject()) {
            return Optional.empty();
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        node.properties().forEach(field -> attributes.put(field.getKey(), text(field.getValue())));
        return Optional.of(attributes);
    }

    private static String text(JsonNode value) {
        return value.isTextual() ? value.textValue() : value.toString();
    }
}
