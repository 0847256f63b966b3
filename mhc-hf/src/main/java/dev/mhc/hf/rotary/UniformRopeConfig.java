package dev.mhc.hf.rotary;

import dev.mhc.hf.config.NestedConfigKeys;
import java.util.List;
import java.util.Map;

/**
 * A config whose layers all rotate alike (Llama, Qwen): its RoPE from either config.json form
 * ({@link RopeSettings#uniform}), and the scaling keys its type leaves unread.
 */
public interface UniformRopeConfig extends NestedConfigKeys {

    Double ropeTheta();

    Map<String, Object> ropeScaling();

    Map<String, Object> ropeParameters();

    /** @return RoPE as config.json gives it, in the 4.x form (rope_theta, rope_scaling) or the 5.x one (rope_parameters) */
    default RopeSettings rope() {
        return RopeSettings.uniform(ropeTheta(), ropeScaling(), ropeParameters());
    }

    @Override
    default List<String> unusedNestedKeys() {
        return rope().unusedKeys();
    }
}
