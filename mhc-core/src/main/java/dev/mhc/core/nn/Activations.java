package dev.mhc.core.nn;

import ai.djl.ndarray.NDArray;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/** The activation functions Hugging Face configs name in {@code hidden_act}, by those names. */
public final class Activations {

    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    private static final Map<String, UnaryOperator<NDArray>> BY_NAME = new TreeMap<>();

    static {
        BY_NAME.put("gelu", ai.djl.nn.Activation::gelu); // exact, with erf (torch's default)
        BY_NAME.put("gelu_new", Activations::tanhGelu);
        BY_NAME.put("gelu_pytorch_tanh", Activations::tanhGelu);
        BY_NAME.put("gelu_fast", Activations::tanhGelu);
        BY_NAME.put("quick_gelu", x -> x.mul(ai.djl.nn.Activation.sigmoid(Scalars.mul(x, 1.702))));
        BY_NAME.put("relu", ai.djl.nn.Activation::relu);
        BY_NAME.put("silu", x -> x.mul(ai.djl.nn.Activation.sigmoid(x)));
        BY_NAME.put("swish", x -> x.mul(ai.djl.nn.Activation.sigmoid(x)));
        BY_NAME.put("tanh", NDArray::tanh);
        BY_NAME.put("sigmoid", ai.djl.nn.Activation::sigmoid);
    }

    private Activations() {}

    /**
     * @param hfName the config's name, e.g. {@code "gelu"} (exact erf GELU) or {@code "gelu_new"}
     *     (GPT-2's tanh approximation)
     */
    public static UnaryOperator<NDArray> named(String hfName) {
        UnaryOperator<NDArray> f = BY_NAME.get(hfName == null ? "" : hfName.toLowerCase(Locale.ROOT));
        if (f == null) {
            throw new IllegalArgumentException(
                    "unsupported activation \"" + hfName + "\"; supported: " + BY_NAME.keySet());
        }
        return f;
    }

    /** 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), as HF's NewGELUActivation. */
    public static NDArray tanhGelu(NDArray x) {
        NDArray inner = Scalars.mul(x.add(Scalars.mul(Scalars.pow(x, 3), 0.044715)), SQRT_2_OVER_PI);
        return Scalars.mul(x, 0.5).mul(inner.tanh().add(1f));
    }
}
