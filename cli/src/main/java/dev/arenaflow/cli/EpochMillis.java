package dev.arenaflow.cli;

import java.time.DateTimeException;
import java.time.Instant;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a time option: an ISO-8601 instant such as {@code 2026-11-26T10:00:00Z}, or epoch milliseconds. */
final class EpochMillis implements ITypeConverter<Long> {

    @Override
    public Long convert(String text) {
        String trimmed = text.trim();
        try {
            long millis = trimmed.chars().allMatch(Character::isDigit) && !trimmed.isEmpty()
                    ? Long.parseLong(trimmed) : Instant.parse(trimmed).toEpochMilli();
            if (millis < 0) {
                throw new TypeConversionException("'" + text + "' is before 1970, earlier than any Kafka timestamp");
            }
            return millis;
        } catch (DateTimeException | ArithmeticException | NumberFormatException e) {
            throw new TypeConversionException("'" + text + "' is neither an ISO-8601 instant like "
                    + "2026-11-26T10:00:00Z nor epoch milliseconds");
        }
    }

    /** @param millis epoch milliseconds @return them as an ISO-8601 instant, for messages */
    static String show(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }
}
