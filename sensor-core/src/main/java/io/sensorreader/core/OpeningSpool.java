package io.sensorreader.core;

import io.sensorreader.api.Batch;
import io.sensorreader.api.agent.DeadLetter;
import io.sensorreader.api.agent.Spool;
import io.sensorreader.api.agent.SpoolException;
import io.sensorreader.api.agent.SpoolStats;
import io.sensorreader.api.agent.SpooledBatch;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A spool that opens on a background thread, for {@code run}: start-up and the first live delivery
 * do not wait for it. Every call waits until it is open. One that fails to open is replaced by the
 * fallback (a memory spool), with an ERROR, so that batches are still kept while the agent runs.
 */
final class OpeningSpool implements Spool {

    private static final Logger LOG = LoggerFactory.getLogger(OpeningSpool.class);

    private final CompletableFuture<Spool> opened = new CompletableFuture<>();
    private final String where;

    OpeningSpool(Supplier<Spool> opener, Supplier<Spool> fallback, String where) {
        this.where = where;
        Thread.ofPlatform().name("spool-open").daemon(true).start(() -> {
            try {
                opened.complete(opener.get());
            } catch (RuntimeException | LinkageError e) {
                LOG.error("the spool in {} cannot be opened ({}); undelivered batches are kept in memory until a"
                        + " restart. Check the folder's permissions and free space", where, e.getMessage());
                opened.complete(fallback.get());
            }
        });
    }

    /** Runs {@code action} once opening has finished (at once when it has), on the opening thread or the caller's. */
    void whenOpen(Runnable action) {
        opened.thenRun(action);
    }

    /** Whether opening has finished, so that a call would not wait. */
    boolean ready() {
        return opened.isDone();
    }

    private Spool spool() throws SpoolException {
        try {
            return opened.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpoolException("interrupted while the spool in " + where + " opens", e);
        } catch (ExecutionException e) {
            throw new SpoolException("the spool in " + where + " did not open", e.getCause());
        }
    }

    @Override
    public SpooledBatch append(Batch batch, int lastStatus) throws SpoolException {
        return spool().append(batch, lastStatus);
    }

    @Override
    public List<SpooledBatch> oldest(int max) throws SpoolException {
        return spool().oldest(max);
    }

    @Override
    public void acknowledge(List<SpooledBatch> delivered) throws SpoolException {
        spool().acknowledge(delivered);
    }

    @Override
    public void recordAttempt(SpooledBatch batch, int status, String reason) throws SpoolException {
        spool().recordAttempt(batch, status, reason);
    }

    @Override
    public void deadLetter(SpooledBatch batch, int status, String reason) throws SpoolException {
        spool().deadLetter(batch, status, reason);
    }

    @Override
    public void deadLetter(Batch batch, int status, String reason) throws SpoolException {
        spool().deadLetter(batch, status, reason);
    }

    @Override
    public List<DeadLetter> deadLetters(int max) throws SpoolException {
        return spool().deadLetters(max);
    }

    @Override
    public int requeue(List<String> keys) throws SpoolException {
        return spool().requeue(keys);
    }

    @Override
    public SpoolStats stats() throws SpoolException {
        return spool().stats();
    }

    @Override
    public Optional<DrainLock> tryLockDrain() throws SpoolException {
        return spool().tryLockDrain();
    }

    @Override
    public String location() {
        return opened.isDone() ? opened.join().location() : where;
    }

    @Override
    public void close() {
        try {
            spool().close();
        } catch (SpoolException e) {
            LOG.debug("nothing to close: {}", e.getMessage());
        }
    }
}
