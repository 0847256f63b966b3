package dev.mhc.hf.generate;

/** Receives each new token as it is chosen (streaming). */
@FunctionalInterface
public interface TokenListener {

    void onToken(int row, long token);
}
