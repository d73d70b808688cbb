package io.sensorreader.api;

/**
 * The collector stored the batch (201). Forget it.
 *
 * @param status the HTTP status, or 0 for exporters without one
 */
public record Delivered(int status) implements Delivery {
}
