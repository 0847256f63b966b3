package dev.mhc.core.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the garbage collector and then hands the freed native memory out again, filled with NaN:
 * between a forward and a backward pass, it turns any use of memory that Java has freed into a
 * visibly wrong gradient instead of a rare one.
 */
public final class GcPressure {

    private GcPressure() {}

    public static void apply() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            try {
                Thread.sleep(20); // direct buffers are freed by the Cleaner thread after the GC
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<ByteBuffer> refill = new ArrayList<>();
        for (int size : new int[] {4, 8, 16, 64, 256}) {
            for (int i = 0; i < 2000; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
                while (b.remaining() >= 4) {
                    b.putFloat(Float.NaN);
                }
                refill.add(b);
            }
        }
        if (refill.isEmpty()) {
            throw new AssertionError("unreachable");
        }
    }
}
