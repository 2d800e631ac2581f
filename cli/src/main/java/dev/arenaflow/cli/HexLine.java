package dev.arenaflow.cli;

/** Decodes one input line of hex; spaces, tabs and carriage returns around it are ignored. */
final class HexLine {

    private static final int NOT_HEX = -1;
    private static final int RADIX = 16;

    private HexLine() {
    }

    /**
     * @param line the line's bytes, not null
     * @param length how many of them belong to the line
     * @return the decoded bytes (empty for a blank line), or null if the line is not an even number of hex digits
     */
    static byte[] decode(byte[] line, int length) {
        int start = 0;
        int end = length;
        while (start < end && isPadding(line[start])) {
            start++;
        }
        while (end > start && isPadding(line[end - 1])) {
            end--;
        }
        return (end - start) % 2 == 0 ? decodeDigits(line, start, end) : null;
    }

    private static byte[] decodeDigits(byte[] line, int start, int end) {
        byte[] value = new byte[(end - start) / 2];
        for (int i = 0; i < value.length; i++) {
            int high = digit(line[start + 2 * i]);
            int low = digit(line[start + 2 * i + 1]);
            if (high == NOT_HEX || low == NOT_HEX) {
                return null;
            }
            value[i] = (byte) (high << 4 | low);
        }
        return value;
    }

    // Character.digit would also accept non-ASCII digits; the bytes here are raw input.
    private static int digit(byte b) {
        return b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F' ? Character.digit(b, RADIX) : NOT_HEX;
    }

    private static boolean isPadding(byte b) {
        return b == ' ' || b == '\t' || b == '\r';
    }
}
