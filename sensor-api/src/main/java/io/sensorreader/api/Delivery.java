package io.sensorreader.api;

/**
 * What became of one attempt to deliver a batch: a value, never an exception. Match it with a
 * {@code switch} without {@code default}, so that a new case is a compile error.
 */
public sealed interface Delivery permits Delivered, RetryLater, Rejected {
}
