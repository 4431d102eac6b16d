package io.crmsync.core.write;

/**
 * A planned write that checks itself against its store: what a store endpoint other than MongoDB's puts in the body
 * when asked only to plan, so {@code verify} asks each store about its own writes.
 */
public interface VerifiableWrite {

    Verdict verify();
}
