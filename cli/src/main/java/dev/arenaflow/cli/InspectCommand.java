package dev.arenaflow.cli;

import dev.arenaflow.record.RawRecordFormat;
import dev.arenaflow.record.RawRecordView;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code arenaflow inspect --hex}: explains record values, one per input line, as the contract in
 * {@code docs/inspect.md} specifies. Output is flushed whenever no more input is waiting, so it works
 * interactively and in pipes without a flush per line on bulk input.
 */
@Command(name = "inspect",
        mixinStandardHelpOptions = true,
        versionProvider = ArenaflowCommand.Version.class,
        description = {
            "Explains Raw Record v1 values given as hex lines on standard input.",
            "",
            "Reads standard input line by line; each line is the hex of one "
                    + "record value, in upper or lower case, and an empty line is an empty value. Spaces, tabs "
                    + "and carriage returns around the hex are ignored.",
            "Prints one JSON object per line, in input order: {\"ok\":true,...} with the record's fields, "
                    + "{\"ok\":false,\"error\":CODE,\"detail\":...} for a malformed record, or "
                    + "{\"ok\":false,\"error\":\"BAD_HEX\"} for a line that is not hex.",
            "Exits with 0 once all input is read, even if records are malformed."
        })
final class InspectCommand implements Callable<Integer> {

    /** What a shell reports for a process stopped by SIGPIPE, as when piped into {@code head}. */
    static final int EXIT_OUTPUT_CLOSED = 141;
    private static final int OUTPUT_BUFFER_SIZE = 1 << 16;

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private ArenaflowCommand parent;

    @Option(names = "--hex", required = true,
            description = "Read each line as hex. Required: it is the only input format so far.")
    private boolean hex;

    @Option(names = "--max-payload-bytes", paramLabel = "BYTES",
            defaultValue = "" + RawRecordFormat.DEFAULT_MAX_PAYLOAD_LENGTH,
            description = "Largest payload accepted, as the application's setting (default: ${DEFAULT-VALUE}).")
    private int maxPayloadBytes;

    @Override
    public Integer call() throws IOException {
        if (maxPayloadBytes < 1) {
            throw new ParameterException(spec.commandLine(),
                    "--max-payload-bytes must be at least 1 but was " + maxPayloadBytes);
        }
        return inspectAll(new LineReader(parent.stdin()), parent.stdout());
    }

    private int inspectAll(LineReader lines, PrintStream stdout) throws IOException {
        RawRecordView view = new RawRecordView(maxPayloadBytes);
        OutputStream out = new BufferedOutputStream(stdout, OUTPUT_BUFFER_SIZE);
        while (lines.next()) {
            out.write(verdict(lines, view).getBytes(StandardCharsets.UTF_8));
            out.write('\n');
            if (!lines.hasWaitingInput()) {
                out.flush();
                if (stdout.checkError()) {
                    return EXIT_OUTPUT_CLOSED;
                }
            }
        }
        out.flush();
        return stdout.checkError() ? EXIT_OUTPUT_CLOSED : 0;
    }

    private static String verdict(LineReader lines, RawRecordView view) {
        byte[] value = HexLine.decode(lines.line(), lines.lineLength());
        return value == null ? VerdictJson.badHex() : VerdictJson.of(view.wrap(value));
    }
}
