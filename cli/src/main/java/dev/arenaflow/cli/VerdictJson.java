package dev.arenaflow.cli;

import dev.arenaflow.record.DecodeError;
import dev.arenaflow.record.RawRecordView;

/**
 * Writes the one-line JSON verdict on a record value that {@code inspect} prints, and that other
 * commands print for dead-letter records. Key order and spacing are part of the contract in
 * {@code docs/inspect.md}.
 */
final class VerdictJson {

    private static final String BAD_HEX = "{\"ok\":false,\"error\":\"BAD_HEX\"}";
    private static final String HEX_DIGITS = "0123456789ABCDEF";
    private static final int NIBBLE_BITS = 4;
    private static final int NIBBLE_MASK = 0xF;

    private VerdictJson() {
    }

    /**
     * @param view a wrapped, not released view; read during this call only
     * @return the verdict on its record, without a line end
     */
    static String of(RawRecordView view) {
        return view.isValid() ? valid(view) : invalid(view.error(), view.errorDetail());
    }

    /** @return the verdict on input that is not hex, without a line end */
    static String badHex() {
        return BAD_HEX;
    }

    static String invalid(DecodeError error, String detail) {
        StringBuilder json = new StringBuilder("{\"ok\":false,\"error\":\"").append(error.name()).append("\",\"detail\":");
        return appendString(json, detail).append('}').toString();
    }

    private static String valid(RawRecordView view) {
        StringBuilder json = new StringBuilder("{\"ok\":true")
                .append(",\"type\":").append(view.type())
                .append(",\"flags\":").append(view.flags())
                .append(",\"eventTime\":").append(view.eventTime())
                .append(",\"sequence\":").append(view.sequence())
                .append(",\"source\":");
        return appendString(json, view.sourceAsString())
                .append(",\"payloadLength\":").append(view.payloadLength())
                .append(",\"checksum\":").append(view.hasChecksum())
                .append('}').toString();
    }

    /** Quotes a string; non-ASCII text stays as it is, control characters become {@code \}{@code u00XX}. */
    static StringBuilder appendString(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            appendChar(json, value.charAt(i));
        }
        return json.append('"');
    }

    // C1 controls and DEL are escaped too: they are legal raw JSON but can drive a terminal.
    private static void appendChar(StringBuilder json, char c) {
        if (c == '"' || c == '\\') {
            json.append('\\').append(c);
        } else if (Character.isISOControl(c)) {
            json.append("\\u00").append(HEX_DIGITS.charAt(c >> NIBBLE_BITS)).append(HEX_DIGITS.charAt(c & NIBBLE_MASK));
        } else {
            json.append(c);
        }
    }
}
