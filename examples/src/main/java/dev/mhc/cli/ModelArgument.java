package dev.mhc.cli;

import dev.mhc.core.adapter.AdapterKinds;
import dev.mhc.core.lora.Lora;
import dev.mhc.hf.LoadOptions;
import dev.mhc.hf.PretrainedModel;
import dev.mhc.hf.finetune.TaskTraining;
import dev.mhc.hf.tokenize.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The MODEL argument of the commands that compute with weights, with {@code --random-weights}
 * (a directory with only config.json runs with random weights only when asked), {@code --device},
 * {@code --override}, {@code --patch}, {@code --strict-config} and {@code --adapter} (a PEFT LoRA
 * adapter applied on load).
 */
final class ModelArgument {

    @Parameters(paramLabel = "MODEL",
            description = "a checkpoint directory (config.json + safetensors), an .onnx file, or minilm")
    String model;

    @Option(names = "--random-weights",
            description = "build a config-only directory's architecture with random weights instead of refusing")
    boolean randomWeights;

    @Option(names = "--device", paramLabel = "DEVICE",
            description = "cpu, gpu or gpu:N (default: a GPU when PyTorch sees one, else the CPU); a GPU that is"
                    + " not there falls back to the CPU with a message")
    String device;

    PretrainedModel open() throws IOException {
        return open(LoadOptions.defaults());
    }

    @Mixin LoadFlags load;

    @Option(names = "--allow-non-finite-weights",
            description = "load a checkpoint whose tensors hold NaN or infinite values instead of refusing it")
    boolean allowNonFiniteWeights;

    @Option(names = "--adapter", paramLabel = "DIR",
            description = "a PEFT LoRA adapter directory (adapter_config.json + adapter_model.safetensors, as PEFT's"
                    + " save_pretrained or mhc finetune writes it), applied to the model")
    Path adapter;

    PretrainedModel open(LoadOptions options) throws IOException {
        PretrainedModel opened = Models.openForCompute(model, randomWeights, device,
                load.applyTo(options).allowNonFiniteWeights(allowNonFiniteWeights));
        if (adapter == null) {
            return opened;
        }
        try {
            if (!load.strictConfig) { // a strict load refuses them instead
                List<String> unknown = Lora.unknownConfigKeys(adapter);
                if (!unknown.isEmpty()) {
                    System.err.println(adapter + ": adapter config keys this library does not read, which may"
                            + " change what the adapter computes: " + unknown + " (--strict-config refuses them)");
                }
            }
            Lora.load(opened.block(), adapter, load.strictConfig);
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
        return opened;
    }

    @Option(names = "--finetuned", paramLabel = "DIR",
            description = "what mhc finetune wrote to --out for a causal-lm or image-cls run (trained weights,"
                    + " adapters/, mhc/, streams/), loaded onto the model it was trained from")
    Path finetuned;

    /**
     * Opens the model and loads onto it, when given, what {@code mhc inject} or {@code mhc finetune}
     * wrote: history mixing ({@code mhc_config.json}) or hyper-connections ({@code streams_config.json})
     * in {@code mhcDir}, or a whole fine-tuning output ({@code --finetuned}).
     */
    PretrainedModel open(Path mhcDir) throws IOException {
        if (mhcDir != null && finetuned != null) {
            throw new IllegalArgumentException("give --mhc or --finetuned, not both (--finetuned loads the run's"
                    + " connections too)");
        }
        if (adapter != null && finetuned != null) {
            throw new IllegalArgumentException("give --adapter or --finetuned, not both (--finetuned loads the run's"
                    + " adapters too)");
        }
        PretrainedModel opened = open();
        try {
            if (finetuned != null) {
                TaskTraining.loadInto(opened, finetuned);
            } else if (mhcDir != null) {
                AdapterKinds.load(opened.block(), mhcDir); // history mixing, streams, or any other kind's save
            }
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
        return opened;
    }

    TextTokenizer tokenizer(int maxLength) throws IOException {
        return Models.tokenizer(model, maxLength);
    }

    @Override
    public String toString() {
        return model;
    }
}
