/**
 * What DJL blocks lack and {@code torch.nn.Module} has: named children that can be replaced in
 * place, forward hooks, a per-call {@link dev.mhc.core.module.Forward} so a forward reads like its
 * formula, memory released as each call returns ({@code BlockScope}, {@link
 * dev.mhc.core.module.CallScope} for what a call keeps), and {@link dev.mhc.core.module.ModuleTree}'s
 * HF-style paths and selection.
 */
package dev.mhc.core.module;
