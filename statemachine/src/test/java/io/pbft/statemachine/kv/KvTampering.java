package io.pbft.statemachine.kv;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What a Byzantine replica might do to the chunks of a partition it serves. Every change gives
 * content other than the original, so an install must refuse it, by a chunk check or by the digest.
 */
final class KvTampering {

    private KvTampering() {}

    /** A changed copy of {@code chunks}, which hold at least one entry, of a partition of {@code source}. */
    static List<byte[]> tamper(List<byte[]> chunks, KeyValueStateMachine source, SplittableRandom random) {
        List<byte[]> copy = new ArrayList<>();
        chunks.forEach(chunk -> copy.add(chunk.clone()));
        int target = nonEmptyChunk(copy, random);
        byte[] chunk = copy.get(target);
        switch (random.nextInt(7)) {
            case 0 -> chunk[random.nextInt(chunk.length)] ^= (byte) (1 << random.nextInt(8));
            case 1 -> copy.set(target, Arrays.copyOf(chunk, random.nextInt(chunk.length)));
            case 2 -> copy.set(target, Arrays.copyOf(chunk, chunk.length + 1 + random.nextInt(8)));
            case 3 -> copy.remove(target);
            case 4 -> copy.add(random.nextInt(copy.size() + 1), chunk.clone()); // a chunk served twice
            case 5 -> copy.set(target, withOneValueChanged(chunk, random));
            default -> copy.add(random.nextInt(copy.size() + 1), chunkOfAnotherPartition(source, chunk, random));
        }
        return copy;
    }

    private static int nonEmptyChunk(List<byte[]> chunks, SplittableRandom random) {
        while (true) {
            int index = random.nextInt(chunks.size());
            if (chunks.get(index).length > 0) {
                return index;
            }
        }
    }

    /** Well-formed, in order, in the right partition: only the digest can tell. */
    private static byte[] withOneValueChanged(byte[] chunk, SplittableRandom random) {
        List<Map.Entry<String, String>> entries = new ArrayList<>(KvChunkCodec.decode(chunk));
        int changed = random.nextInt(entries.size());
        entries.set(changed, Map.entry(entries.get(changed).getKey(), entries.get(changed).getValue() + "!"));
        return encode(entries);
    }

    /** One entry whose key belongs elsewhere, or, with one partition, the same chunk changed. */
    private static byte[] chunkOfAnotherPartition(KeyValueStateMachine source, byte[] chunk, SplittableRandom random) {
        String ownKey = KvChunkCodec.decode(chunk).get(0).getKey();
        for (int i = 0; i < 1000; i++) {
            String key = "intruder" + random.nextInt();
            if (source.partitionOf(key) != source.partitionOf(ownKey)) {
                return encode(List.of(Map.entry(key, "v")));
            }
        }
        return withOneValueChanged(chunk, random);
    }

    static byte[] encode(List<Map.Entry<String, String>> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, String> entry : entries) {
            KvEncoding.writeString(out, entry.getKey());
            KvEncoding.writeString(out, entry.getValue());
        }
        return out.toByteArray();
    }
}
