package dev.mhc.hf.onnx;

import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ONNX Runtime running an export as it was exported: the reference our imported weights must
 * reproduce. Test scope only; the library itself never depends on ONNX Runtime.
 */
final class OrtOracle implements AutoCloseable {
    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TOKEN_TYPE_IDS = "token_type_ids";
    static final String LAST_HIDDEN_STATE = "last_hidden_state";

    private final OrtEnvironment env;
    private final OrtSession session;

    /** Output of one run: {@code values} row-major with {@code shape} [batch, seq, hidden]. */
    record Output(float[] values, long[] shape) {}

    private OrtOracle(byte[] model) throws OrtException {
        env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            session = env.createSession(model, options);
        }
    }

    static OrtOracle forResource(String resource) throws IOException, OrtException {
        try (InputStream in = OrtOracle.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("classpath resource '" + resource + "' not found");
            }
            return new OrtOracle(in.readAllBytes());
        }
    }

    List<String> inputNames() throws OrtException {
        return List.copyOf(session.getInputNames());
    }

    List<String> outputNames() throws OrtException {
        return List.copyOf(session.getOutputNames());
    }

    /** Runs the model on int64 [batch, seq] inputs and returns {@code last_hidden_state}. */
    Output lastHiddenState(long[][] inputIds, long[][] attentionMask, long[][] tokenTypeIds) throws OrtException {
        Map<String, ai.onnxruntime.OnnxTensor> inputs = new LinkedHashMap<>();
        try {
            inputs.put(INPUT_IDS, ai.onnxruntime.OnnxTensor.createTensor(env, inputIds));
            inputs.put(ATTENTION_MASK, ai.onnxruntime.OnnxTensor.createTensor(env, attentionMask));
            inputs.put(TOKEN_TYPE_IDS, ai.onnxruntime.OnnxTensor.createTensor(env, tokenTypeIds));
            try (OrtSession.Result result = session.run(inputs)) {
                OnnxValue value = result.get(LAST_HIDDEN_STATE)
                        .orElseThrow(() -> new IllegalStateException("the model has no output " + LAST_HIDDEN_STATE));
                ai.onnxruntime.OnnxTensor tensor = (ai.onnxruntime.OnnxTensor) value;
                FloatBuffer buffer = tensor.getFloatBuffer();
                float[] values = new float[buffer.remaining()];
                buffer.get(values);
                return new Output(values, tensor.getInfo().getShape());
            }
        } finally {
            inputs.values().forEach(ai.onnxruntime.OnnxTensor::close);
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
