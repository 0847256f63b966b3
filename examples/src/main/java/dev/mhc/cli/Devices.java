package dev.mhc.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.PrintStream;
import java.util.Locale;

/** The {@code --device} option: cpu, gpu or gpu:N, with a fall-back to the CPU when the GPU is not there. */
final class Devices {

    private Devices() {}

    /**
     * @param option the option's value, or {@code null} for DJL's default
     * @param messages where a fall-back to the CPU is announced
     * @return the device to load on, or {@code null} for DJL's default
     */
    static Device choose(String option, PrintStream messages) {
        if (option == null) {
            return null;
        }
        String value = option.trim().toLowerCase(Locale.ROOT);
        if (value.equals("cpu")) {
            return Device.cpu();
        }
        int id;
        if (value.equals("gpu")) {
            id = 0;
        } else if (value.matches("gpu:\\d{1,4}")) {
            id = Integer.parseInt(value.substring(4));
        } else {
            throw new IllegalArgumentException("--device must be cpu, gpu or gpu:N, got \"" + option + "\"");
        }
        int gpus = Engine.getInstance().getGpuCount();
        if (id >= gpus) {
            messages.println("mhc: --device " + option + ": PyTorch sees " + gpus + " GPU(s) (the CPU build of its"
                    + " natives is on the classpath, or no CUDA driver); running on the CPU. docs/scaling.md says how"
                    + " to run on a GPU.");
            return Device.cpu();
        }
        return Device.gpu(id);
    }
}
