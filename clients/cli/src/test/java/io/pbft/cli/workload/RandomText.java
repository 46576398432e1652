package io.pbft.cli.workload;

import java.util.SplittableRandom;

/** Short strings rich in what JSON must escape: control characters, quotes, separators, surrogates. */
final class RandomText {

    private RandomText() {}

    static String of(SplittableRandom random) {
        int length = random.nextInt(12);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(5)) {
                case 0 -> text.append((char) random.nextInt(0x20));
                case 1 -> text.append("\"\\/\u2028\u2029\u007f".charAt(random.nextInt(6)));
                case 2 -> text.append((char) (0xD800 + random.nextInt(0x800))); // surrogates, paired or not
                case 3 -> text.appendCodePoint(0x1F600 + random.nextInt(50));
                default -> text.append((char) (0x20 + random.nextInt(0x60)));
            }
        }
        return text.toString();
    }
}
