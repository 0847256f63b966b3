/**
 * Hyper-connections by history mixing (the card's {@code InjectedMHC}): each wrapped layer is fed
 * a learned mix of its input and the inputs of the wrapped layers before it in the same forward
 * call. {@link dev.mhc.core.inject.Mhc} is the facade; saves and loads go through the adapter
 * lifecycle.
 */
package dev.mhc.core.inject;
