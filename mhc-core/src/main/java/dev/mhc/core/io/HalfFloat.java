package dev.mhc.core.io;

/**
 * Exact widening of 16-bit floats to {@code float}.
 *
 * <p>Java 17 has no {@code Float.float16ToFloat}, and widening must happen in Java because DJL's
 * PyTorch engine cannot be trusted with BF16 arrays. Both conversions are exact.
 */
public final class HalfFloat {
    private HalfFloat() {}

    /** IEEE 754 binary16 to binary32, including subnormals, infinities and NaN payloads. */
    public static float f16ToF32(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f80_0000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // zero or subnormal: mantissa * 2^-24, exact in float since mantissa < 2^10
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        // rebias exponent from 15 to 127
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** bfloat16 is the upper half of a binary32, so widening is a shift. */
    public static float bf16ToF32(short bf16) {
        return Float.intBitsToFloat((bf16 & 0xffff) << 16);
    }
}
