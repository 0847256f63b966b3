/**
 * The one lifecycle every injection kind goes through ({@link dev.mhc.core.adapter.Adapters}):
 * select, check, wrap, list, parameters by key, remove, save and load by path. A kind is its
 * settings record, its wrapper ({@link dev.mhc.core.adapter.AdapterLayer}) and an {@link
 * dev.mhc.core.adapter.AdapterKind}; the kind's javadoc tells how to add one.
 */
package dev.mhc.core.adapter;
