/** Console defaults: the library prints nothing unless something is wrong. */
package dev.mhc.core.logging;
