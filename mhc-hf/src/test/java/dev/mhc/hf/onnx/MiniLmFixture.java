package dev.mhc.hf.onnx;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The embedded MiniLM, parsed and imported once per test JVM because it is 90 MB. */
final class MiniLmFixture {
    private static OnnxModel model;
    private static OnnxBertImport imported;

    private MiniLmFixture() {}

    static synchronized OnnxModel model() {
        if (model == null) {
            try {
                model = OnnxModel.readResource(AllMiniLmL6V2.ONNX_RESOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return model;
    }

    static synchronized OnnxBertImport imported() {
        if (imported == null) {
            try {
                imported = OnnxBertImport.from(model());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return imported;
    }
}
