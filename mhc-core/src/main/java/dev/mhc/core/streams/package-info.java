/**
 * Multi-stream hyper-connections: the residual stream widened into n parallel streams, with
 * static or dynamic hyper-connections (Zhu et al.) or DeepSeek's manifold-constrained mHC
 * (Sinkhorn-projected, doubly stochastic residual mixing) on every residual branch of the
 * targeted pre-norm layers. {@link dev.mhc.core.streams.HyperConnections} is the facade; an
 * injection kind of the adapter lifecycle.
 */
package dev.mhc.core.streams;
