package dev.mhc.hf.config;

import java.util.List;

/**
 * A config record that reads maps nested in config.json ({@code rope_parameters}) and can say which
 * of their keys it left unread, so that the load report names them as it names unknown top-level
 * keys.
 */
public interface NestedConfigKeys {

    /** @return the unread nested keys as dotted paths ({@code rope_parameters.attention_factor}) */
    List<String> unusedNestedKeys();
}
