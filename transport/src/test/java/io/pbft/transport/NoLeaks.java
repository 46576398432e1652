package io.pbft.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a leaked buffer. Netty only notices a leak once the
 * buffer is garbage collected and a later allocation polls the reference queue, so after the
 * class we collect and allocate a few times; a leak that escapes this is caught by a later class.
 */
final class NoLeaks implements BeforeAllCallback, AfterAllCallback {

    private static final int ROUNDS = 3;
    private static final int ALLOCATIONS_PER_ROUND = 64;

    @Override
    public void beforeAll(ExtensionContext context) {
        assertThat(ResourceLeakDetector.getLevel())
                .as("surefire must run with -Dio.netty.leakDetection.level=paranoid")
                .isEqualTo(ResourceLeakDetector.Level.PARANOID);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        for (int round = 0; round < ROUNDS; round++) {
            System.gc();
            for (ByteBufAllocator allocator : new ByteBufAllocator[] {
                    ByteBufAllocator.DEFAULT, PooledByteBufAllocator.DEFAULT, UnpooledByteBufAllocator.DEFAULT}) {
                for (int i = 0; i < ALLOCATIONS_PER_ROUND; i++) {
                    ByteBuf probe = allocator.ioBuffer(16);
                    probe.release();
                }
            }
        }
        assertThat(LeakRecorder.leaks()).as("Netty leak reports").isEmpty();
    }
}
