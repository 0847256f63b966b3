/**
 * Import of BERT-family weights from ONNX exports, for users who hold their models as ONNX.
 *
 * <p>{@link dev.mhc.hf.onnx.OnnxModel} reads a ModelProto straight from the protobuf wire format
 * (no generated classes, no protoc) and keeps only nodes, initializers and graph input/output
 * names. {@link dev.mhc.hf.onnx.OnnxBertImport} maps the initializers to Hugging Face
 * {@code BertModel} state-dict keys, transposing MatMul weights back to torch's Linear layout,
 * and hands them out as a {@link dev.mhc.core.io.TensorSource}.
 */
package dev.mhc.hf.onnx;
