package dev.mhc.hf.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mhc.hf.onnx.OnnxFormatException;
import dev.mhc.hf.onnx.OnnxModel;
import dev.mhc.hf.onnx.OnnxTensor;
import java.util.List;

/** Any bytes as an ONNX model: parsed with every initializer decoded, or an OnnxFormatException. */
class OnnxFuzzTest {

    @FuzzTest(maxDuration = FuzzBudget.DURATION)
    void anyBytes(byte[] bytes) throws Exception {
        Expected.only(List.of(OnnxFormatException.class), () -> {
            OnnxModel model = OnnxModel.parse(bytes, "fuzz.onnx");
            for (OnnxTensor tensor : model.initializers().values()) {
                tensor.numel();
                if (!tensor.isExternal()) {
                    tensor.toFloats();
                }
            }
        });
    }
}
