package dev.mhc.hf.onnx;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One graph node, reduced to what weight import needs: its wiring, the tensors held in its
 * attributes (a {@code Constant} node keeps its tensor in the {@code value} attribute), and its
 * integer attributes (a {@code Gemm}'s {@code transB} decides a weight's layout).
 *
 * @param name the node name, often the module path in the exporter's naming ({@code /encoder/layer.0/...})
 * @param opType the operator, e.g. {@code MatMul}
 * @param domain the operator set domain; empty for the default ONNX domain
 * @param inputs the names of the values it consumes, in order
 * @param outputs the names of the values it produces, in order
 * @param tensorAttributes tensor-valued attributes by attribute name
 * @param intAttributes integer-valued attributes by attribute name
 */
public record OnnxNode(String name, String opType, String domain, List<String> inputs, List<String> outputs,
        Map<String, OnnxTensor> tensorAttributes, Map<String, Long> intAttributes) {

    public OnnxNode {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(opType, "opType");
        Objects.requireNonNull(domain, "domain");
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        tensorAttributes = Map.copyOf(tensorAttributes);
        intAttributes = Map.copyOf(intAttributes);
    }

    @Override
    public String toString() {
        return opType + " '" + name + "' " + inputs + " -> " + outputs;
    }
}
