/**
 * Extraction of learned mixing weights, their analytics and reports. Placeholder until the
 * mhc-viz issue lands.
 */
package dev.mhc.viz;
