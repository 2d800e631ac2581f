package dev.arenaflow.record;

/**
 * Checks that bytes are well-formed UTF-8 as in Table 3-7 of the Unicode Standard, without
 * allocating: no overlong forms, no surrogates, nothing above U+10FFFF, no stray or missing
 * continuation bytes. It accepts exactly what the JDK's UTF-8 decoder accepts when it reports
 * malformed input, so decoding a checked source with {@code UTF_8} never substitutes.
 */
final class StrictUtf8 {

    /** Returned by {@link #firstInvalidIndex} for well-formed input. */
    static final int VALID = -1;

    private static final int BYTE_MASK = 0xFF;
    private static final int ASCII_LIMIT = 0x80;
    // The top bit of each of 8 bytes: a word is all ASCII when none is set.
    private static final long ASCII_WORD_MASK = 0x8080_8080_8080_8080L;
    private static final int CONTINUATION_MASK = 0xC0;
    private static final int CONTINUATION_TAG = 0x80;
    private static final int CONTINUATION_MIN = 0x80;
    private static final int CONTINUATION_MAX = 0xBF;
    // Leads C0 and C1 could only start overlong two-byte forms.
    private static final int TWO_BYTE_LEAD_MIN = 0xC2;
    private static final int THREE_BYTE_LEAD_MIN = 0xE0;
    private static final int FOUR_BYTE_LEAD_MIN = 0xF0;
    // Leads above F4 would encode code points above U+10FFFF.
    private static final int FOUR_BYTE_LEAD_MAX = 0xF4;
    // After E0 the second byte must be at least A0, else the form is overlong.
    private static final int E0_SECOND_MIN = 0xA0;
    // After ED the second byte must be at most 9F, else it encodes a surrogate.
    private static final int SURROGATE_LEAD = 0xED;
    private static final int ED_SECOND_MAX = 0x9F;
    // After F0 the second byte must be at least 90, else the form is overlong.
    private static final int F0_SECOND_MIN = 0x90;
    // After F4 the second byte must be at most 8F, else the code point is above U+10FFFF.
    private static final int F4_SECOND_MAX = 0x8F;

    private StrictUtf8() {
    }

    static boolean isValid(byte[] buffer, int offset, int length) {
        return firstInvalidIndex(buffer, offset, length) == VALID;
    }

    /**
     * @return the index, relative to {@code offset}, where the first ill-formed sequence starts,
     *         or {@link #VALID}
     */
    static int firstInvalidIndex(byte[] buffer, int offset, int length) {
        int end = offset + length;
        int index = skipAsciiWords(buffer, offset, end);
        while (index < end) {
            int sequenceLength = wellFormedLength(buffer, index, end);
            if (sequenceLength == 0) {
                return index - offset;
            }
            index += sequenceLength;
        }
        return VALID;
    }

    /**
     * Sources are mostly ASCII, so whole words of it are skipped with one load and one test instead
     * of a loop iteration per byte. Byte order does not matter to the test.
     *
     * @return the index of the first word that holds a non-ASCII byte, or of the last few bytes
     */
    private static int skipAsciiWords(byte[] buffer, int index, int end) {
        while (end - index >= Long.BYTES && (BigEndian.readLong(buffer, index) & ASCII_WORD_MASK) == 0) {
            index += Long.BYTES;
        }
        return index;
    }

    /** @return the length of the well-formed sequence at {@code index}, or 0 if there is none */
    private static int wellFormedLength(byte[] buffer, int index, int end) {
        int lead = buffer[index] & BYTE_MASK;
        if (lead < ASCII_LIMIT) {
            return 1;
        }
        int length = sequenceLength(lead);
        if (length == 0 || end - index < length || !isSecondByteValid(lead, buffer[index + 1] & BYTE_MASK)) {
            return 0;
        }
        for (int i = 2; i < length; i++) {
            if ((buffer[index + i] & CONTINUATION_MASK) != CONTINUATION_TAG) {
                return 0;
            }
        }
        return length;
    }

    private static int sequenceLength(int lead) {
        if (lead < TWO_BYTE_LEAD_MIN || lead > FOUR_BYTE_LEAD_MAX) {
            return 0;
        }
        return lead < THREE_BYTE_LEAD_MIN ? 2 : lead < FOUR_BYTE_LEAD_MIN ? 3 : 4;
    }

    private static boolean isSecondByteValid(int lead, int second) {
        int min = lead == THREE_BYTE_LEAD_MIN ? E0_SECOND_MIN : lead == FOUR_BYTE_LEAD_MIN ? F0_SECOND_MIN : CONTINUATION_MIN;
        int max = lead == SURROGATE_LEAD ? ED_SECOND_MAX : lead == FOUR_BYTE_LEAD_MAX ? F4_SECOND_MAX : CONTINUATION_MAX;
        return second >= min && second <= max;
    }
}
