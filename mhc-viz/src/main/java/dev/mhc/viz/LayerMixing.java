package dev.mhc.viz;

/**
 * One injected layer's mixing, as learned.
 *
 * @param path the wrapped layer's dotted path
 * @param className the wrapped layer's class
 * @param position its 1-based place among the injected layers
 * @param available the entries it mixes (min(position, H))
 * @param raw its H learnable weights
 * @param gate its gate scalar, or {@code null} without a gate
 * @param coefficients the effective coefficients over offsets 0..H-1 (0 past {@code available})
 * @param initial the coefficients it started from, laid out the same way
 */
public record LayerMixing(
        String path,
        String className,
        int position,
        int available,
        float[] raw,
        Float gate,
        float[] coefficients,
        float[] initial) {

    /** @return whether any raw weight or the gate is NaN or infinite */
    public boolean hasNonFinite() {
        for (float v : raw) {
            if (!Float.isFinite(v)) {
                return true;
            }
        }
        return gate != null && !Float.isFinite(gate);
    }
}
