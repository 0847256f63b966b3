package dev.mhc.hf.task;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntToLongFunction;

/** Seeded, class-balanced selections of example indices. */
public final class Splits {

    private Splits() {}

    /**
     * @return per class, the first {@code perClass} indices of a seeded shuffle (fewer where a class
     *     has fewer), interleaved by class
     */
    public static int[] perClass(int size, IntToLongFunction label, int perClass, long seed) {
        Map<Long, List<Integer>> byClass = byClass(size, label, seed);
        List<Integer> picked = new ArrayList<>();
        for (int k = 0; k < perClass; k++) {
            for (List<Integer> members : byClass.values()) {
                if (k < members.size()) {
                    picked.add(members.get(k));
                }
            }
        }
        return picked.stream().mapToInt(Integer::intValue).toArray();
    }

    /** @return [train indices, held-out indices]: {@code heldOut} of each class held out, stratified */
    public static int[][] stratified(int size, IntToLongFunction label, double heldOut, long seed) {
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (List<Integer> members : byClass(size, label, seed).values()) {
            int cut = (int) Math.round(members.size() * heldOut);
            test.addAll(members.subList(0, cut));
            train.addAll(members.subList(cut, members.size()));
        }
        return new int[][] {train.stream().mapToInt(Integer::intValue).toArray(),
            test.stream().mapToInt(Integer::intValue).toArray()};
    }

    private static Map<Long, List<Integer>> byClass(int size, IntToLongFunction label, long seed) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new Random(seed));
        Map<Long, List<Integer>> byClass = new LinkedHashMap<>();
        for (int i : order) {
            byClass.computeIfAbsent(label.applyAsLong(i), k -> new ArrayList<>()).add(i);
        }
        return new java.util.TreeMap<>(byClass);
    }
}
