package dev.arenaflow.bench.soak;

import java.util.ArrayList;
import java.util.List;

/**
 * Which fault is going on now, and every fault so far with its start and end, in seconds since
 * the soak began.
 *
 * <p>Threading notes: the fault thread begins and ends faults; the producer thread reads
 * {@link #current()} for every record; {@link #faults()} from any thread.
 */
public final class FaultLog {

    /** A fault: its window's name, e.g. {@code #2 kill broker}, and when it began and ended. */
    public record Fault(String window, double startS, double endS) {
    }

    private volatile long startNanos = System.nanoTime();
    private final List<Fault> faults = new ArrayList<>();
    private volatile String current = SoakAccount.NO_FAULT;
    private double currentStart;

    /** Sets the soak's start, when the producer begins: times are counted from here. */
    public void start() {
        startNanos = System.nanoTime();
    }

    /** @return the window of the fault going on now, or {@link SoakAccount#NO_FAULT} */
    public String current() {
        return current;
    }

    /** @return seconds since the soak began */
    public double elapsedS() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Begins a fault; one at a time. */
    public synchronized String begin(String what) {
        String window = "#" + (faults.size() + 1) + " " + what;
        currentStart = elapsedS();
        current = window;
        SoakMain.progress(String.format("fault %s begins at %.0f s", window, currentStart));
        return window;
    }

    /** Ends the fault going on. */
    public synchronized void end() {
        Fault fault = new Fault(current, currentStart, elapsedS());
        faults.add(fault);
        current = SoakAccount.NO_FAULT;
        SoakMain.progress(String.format("fault %s ends at %.0f s (%.0f s)", fault.window(), fault.endS(),
                fault.endS() - fault.startS()));
    }

    /** @return the faults that ended, in order */
    public synchronized List<Fault> faults() {
        return List.copyOf(faults);
    }

    /** @return the windows of the faults that ended, in order */
    public synchronized List<String> windows() {
        return faults.stream().map(Fault::window).toList();
    }

    /** @return whether a fault is going on */
    public boolean inFault() {
        return !current.equals(SoakAccount.NO_FAULT);
    }
}
