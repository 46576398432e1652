package io.pbft.chaos.behaviour;

import java.util.List;
import java.util.Locale;

/**
 * The catalogue of behaviours by name, so that a simulation's configuration (and the command that
 * replays it) can say which replica misbehaves and how:
 *
 * <pre>
 * honest                 a correct replica
 * silent[@T]             sends nothing from T ms on (a crash, a pause that never ends)
 * crash@T                at T, its next broadcast reaches only some peers; then silent
 * mute-to:P[@T]          from T ms on, nothing it sends reaches replica P
 * equivocate[@T]         as primary, sends conflicting pre-prepares to different backups
 * lie-in-view-changes    hides, forges or pads the certificates of its view changes
 * tamper-new-view        as new primary, announces a re-issued set that differs from the true one
 * replay-old[@T]         from T on, sends nothing new, only replays what it sent before
 * slow:D[@T]             from T on, holds each of its pre-prepares D ms before sending it
 * wrong-state[@T]        from T on, serves wrong parts of every checkpoint a replica fetches from it
 * equivocate-votes[@T]   from T on, sends some peers its prepares, commits and checkpoints, others different ones
 * wrong-checkpoints[@T]  from T on, certifies a wrong state digest at every checkpoint
 * wrong-replies[@T]      from T on, tells clients wrong results
 * twin                   runs as two honest processes with the same identity and keys (the simulator)
 * </pre>
 *
 * Each call makes a fresh instance: some behaviours remember what they sent.
 */
public final class Behaviours {

    /** The names, for help texts and for "all". */
    public static final String NAMES =
            "honest, silent[@T], crash@T, mute-to:P[@T], equivocate[@T], lie-in-view-changes, tamper-new-view,"
                    + " replay-old[@T], slow:D[@T], wrong-state[@T], equivocate-votes[@T], wrong-checkpoints[@T],"
                    + " wrong-replies[@T], twin";

    /**
     * What {@code pbft chaos --behaviours all} sweeps: every behaviour, with start times that let the
     * cluster run honestly first where the behaviour takes one (a fault that strikes mid-run
     * exercises more than one present from the start).
     */
    public static final String SWEEP_TEXT = "silent, silent@500, crash@400, mute-to:0@200, equivocate,"
            + " equivocate@600, lie-in-view-changes, tamper-new-view, replay-old@500, slow:700, wrong-state,"
            + " equivocate-votes, equivocate-votes@400, wrong-checkpoints, wrong-replies, twin";

    /** {@link #SWEEP_TEXT} as a list (the text is what help texts, which must be constants, quote). */
    public static final List<String> SWEEP = List.of(SWEEP_TEXT.split(", "));

    /** The spec of a replica run as twins; the simulator starts its second process. */
    public static final String TWIN = "twin";

    private Behaviours() {}

    /**
     * The behaviour {@code spec} names.
     *
     * @throws IllegalArgumentException naming what is wrong with the spec
     */
    public static Behaviour parse(String spec) {
        String text = spec.trim().toLowerCase(Locale.ROOT);
        int at = text.indexOf('@');
        String head = at < 0 ? text : text.substring(0, at);
        long fromMillis = at < 0 ? 0 : millis(spec, text.substring(at + 1), "'@'");
        int colon = head.indexOf(':');
        String name = colon < 0 ? head : head.substring(0, colon);
        String argument = colon < 0 ? null : head.substring(colon + 1);
        Behaviour behaviour = switch (name) {
            case "honest" -> Behaviour.honest();
            case "silent" -> new Silent(fromMillis);
            case "crash" -> new Crash(fromMillis);
            case "mute-to" -> new MuteTo(replica(spec, argument), fromMillis);
            case "equivocate" -> new Equivocate(fromMillis);
            case "lie-in-view-changes" -> new LieInViewChanges();
            case "tamper-new-view" -> new TamperNewView();
            case "replay-old" -> new ReplayOld(fromMillis);
            case "slow" -> new SlowPrimary(argumentMillis(spec, argument), fromMillis);
            case "wrong-state" -> new WrongState(fromMillis);
            case "equivocate-votes" -> new EquivocateVotes(fromMillis);
            case "wrong-checkpoints" -> new WrongCheckpoints(fromMillis);
            case "wrong-replies" -> new WrongReplies(fromMillis);
            case TWIN -> new Twin();
            default -> throw new IllegalArgumentException("unknown behaviour '" + spec + "'; known: " + NAMES);
        };
        if (argument != null && !name.equals("mute-to") && !name.equals("slow")) {
            throw new IllegalArgumentException("behaviour '" + name + "' takes no ':' argument, in '" + spec + "'");
        }
        return behaviour;
    }

    private static long millis(String spec, String text, String after) {
        try {
            long millis = Long.parseLong(text);
            if (millis >= 0) {
                return millis;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(after + " must be followed by a time in ms, in '" + spec + "'");
    }

    private static long argumentMillis(String spec, String text) {
        if (text == null) {
            throw new IllegalArgumentException("slow needs a hold time in ms, as in slow:900, in '" + spec + "'");
        }
        return millis(spec, text, "'slow:'");
    }

    private static int replica(String spec, String text) {
        try {
            if (text != null) {
                return Integer.parseInt(text);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("mute-to needs a replica id, as in mute-to:2, in '" + spec + "'");
    }
}
