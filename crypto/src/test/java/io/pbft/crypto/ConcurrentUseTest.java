package io.pbft.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One key shared by several threads must give the same answers as one thread. */
class ConcurrentUseTest {

    private static final int THREADS = 4;
    private static final int OPERATIONS_PER_THREAD = 150;
    private static final long DEADLINE_SECONDS = 60;

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stopThreads() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void sharedSigningKeyAndVerifierGiveCorrectResultsFromManyThreads() throws Exception {
        SigningKey key = SigningKey.generate(new SecureRandom());
        byte[] publicKey = key.publicKey();
        byte[][] messages = messages(THREADS * OPERATIONS_PER_THREAD);
        byte[][] expected = new byte[messages.length][];
        for (int i = 0; i < messages.length; i++) {
            expected[i] = key.sign(messages[i]);
        }

        List<Integer> correct = runOnAllThreads(thread -> {
            int count = 0;
            for (int op = 0; op < OPERATIONS_PER_THREAD; op++) {
                int i = thread * OPERATIONS_PER_THREAD + op;
                byte[] signature = key.sign(messages[i]);
                boolean valid = SignatureVerifier.verify(publicKey, messages[i], signature);
                // Another thread's message must not verify under this signature.
                boolean crossValid = SignatureVerifier.verify(publicKey, messages[(i + 1) % messages.length], signature);
                if (Arrays.equals(signature, expected[i]) && valid && !crossValid) {
                    count++;
                }
            }
            return count;
        });

        assertThat(correct).containsOnly(OPERATIONS_PER_THREAD);
    }

    @Test
    void sharedSessionKeyAndDigestsGiveCorrectResultsFromManyThreads() throws Exception {
        byte[] keyBytes = new byte[SessionKey.KEY_BYTES];
        new SecureRandom().nextBytes(keyBytes);
        SessionKey key = SessionKey.of(keyBytes);
        int count = THREADS * OPERATIONS_PER_THREAD * 10;
        byte[][] messages = messages(count);
        byte[][] expectedMacs = new byte[count][];
        byte[][] expectedDigests = new byte[count][];
        for (int i = 0; i < count; i++) {
            expectedMacs[i] = key.mac(messages[i]);
            expectedDigests[i] = Digests.sha256(messages[i]);
        }

        List<Integer> correct = runOnAllThreads(thread -> {
            int matches = 0;
            for (int op = 0; op < OPERATIONS_PER_THREAD * 10; op++) {
                int i = thread * OPERATIONS_PER_THREAD * 10 + op;
                boolean macOk = Arrays.equals(key.mac(messages[i]), expectedMacs[i])
                        && key.verify(messages[i], expectedMacs[i])
                        && !key.verify(messages[i], expectedMacs[(i + 1) % count]);
                boolean digestOk = Arrays.equals(Digests.sha256(messages[i]), expectedDigests[i]);
                if (macOk && digestOk) {
                    matches++;
                }
            }
            return matches;
        });

        assertThat(correct).containsOnly(OPERATIONS_PER_THREAD * 10);
    }

    /** Distinct messages of varying length, so every index is told apart. */
    private static byte[][] messages(int count) {
        byte[][] messages = new byte[count][];
        for (int i = 0; i < count; i++) {
            messages[i] = ByteBuffer.allocate(Integer.BYTES + i % 97).putInt(i).array();
        }
        return messages;
    }

    private interface PerThread {
        int run(int thread) throws Exception;
    }

    /** Starts all threads together, so that they really overlap, and waits a bounded time for them. */
    private List<Integer> runOnAllThreads(PerThread work) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> futures = new ArrayList<>();
        for (int thread = 0; thread < THREADS; thread++) {
            int id = thread;
            Callable<Integer> task = () -> {
                if (!start.await(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("threads were not released");
                }
                return work.run(id);
            };
            futures.add(pool.submit(task));
        }
        start.countDown();
        List<Integer> results = new ArrayList<>();
        for (Future<Integer> future : futures) {
            results.add(future.get(DEADLINE_SECONDS, TimeUnit.SECONDS));
        }
        return results;
    }
}
