package dev.mhc.viz;

import ai.djl.nn.Block;
import dev.mhc.core.inject.InjectedMHC;
import dev.mhc.core.inject.Mhc;
import dev.mhc.core.inject.MhcConfig;
import dev.mhc.core.inject.MhcDirectory;
import dev.mhc.core.inject.Mixing;
import dev.mhc.core.module.ModuleTree;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the learned mixing weights out of an injected model or a saved mhc directory. */
public final class MixingWeights {

    private MixingWeights() {}

    /** From a live model with mHC injected. */
    public static MixingSnapshot extract(Block model, String label) {
        List<InjectedMHC> injected = Mhc.layers(model);
        if (injected.isEmpty()) {
            throw new IllegalArgumentException("the model has no mHC layers; inject them with Mhc.injectMhc first");
        }
        MhcConfig settings = injected.get(0).config();
        List<LayerMixing> rows = new ArrayList<>();
        for (InjectedMHC layer : injected) {
            float[] raw = layer.alpha().getArray().toFloatArray();
            Float gate = layer.gate() == null ? null : layer.gate().getArray().getFloat(0);
            rows.add(row(layer.path(), ModuleTree.className(layer.wrapped()), layer.position(), raw, gate, settings));
        }
        return new MixingSnapshot(label, settings, rows);
    }

    /** From a directory {@code Mhc.save} wrote, without the base model. */
    public static MixingSnapshot extract(Path mhcDir) throws IOException {
        MhcDirectory saved = MhcDirectory.read(mhcDir);
        List<LayerMixing> rows = new ArrayList<>();
        for (MhcDirectory.Layer layer : saved.layers()) {
            rows.add(row(layer.path(), layer.className(), layer.position(), saved.alpha(layer), saved.gate(layer),
                    saved.settings()));
        }
        return new MixingSnapshot(mhcDir.getFileName().toString(), saved.settings(), rows);
    }

    private static LayerMixing row(String path, String className, int position, float[] raw, Float gate,
            MhcConfig settings) {
        int h = settings.maxHistory();
        int available = Mixing.available(position, h);
        float[] coefficients = padded(Mixing.effectiveCoefficients(raw, gate, available, settings), h);
        float[] initial = padded(Mixing.effectiveCoefficients(Mixing.initialWeights(settings, available),
                gate == null ? null : 0f, available, settings), h);
        return new LayerMixing(path, className, position, available, raw.clone(), gate, coefficients, initial);
    }

    private static float[] padded(float[] values, int length) {
        return java.util.Arrays.copyOf(values, length);
    }
}
