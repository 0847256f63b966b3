package dev.mhc.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/** A model's inputs and the labels its loss compares the outputs with. */
public record Batch(NDList inputs, NDArray labels) {}
