package dev.mhc.hf.fuzz;

/** How long each fuzz test mutates inputs: the build's {@code mhc.fuzz.duration} (5 s; -Pfuzz: 10 min). */
final class FuzzBudget {

    static final String DURATION = "${mhc.fuzz.duration}";

    /** One input taking longer than this is a finding: a parser must never hang. */
    static final long MAX_MILLIS_PER_INPUT = 1000;

    private FuzzBudget() {}
}
