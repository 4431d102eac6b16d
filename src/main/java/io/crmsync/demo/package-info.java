/**
 * {@code demo}: the same app with its servers embedded, fed the contract's sample events, for a first look.
 */
package io.crmsync.demo;
