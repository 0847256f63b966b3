package dev.mhc.core.train;

import ai.djl.nn.Block;

/** Scores the model after an epoch; higher is better (return a negated loss for losses). */
@FunctionalInterface
public interface Evaluator {

    double evaluate(Block model);
}
