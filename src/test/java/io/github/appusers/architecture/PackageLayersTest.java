package io.github.appusers.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The packages of the extension form layers that depend one way only: {@code common} and
 * {@code secrets} at the bottom, then {@code settings}, then {@code identity} and {@code signin},
 * then the features,
 * then the packages that put features together ({@code linking}, {@code account}, {@code rest},
 * {@code setup}). Read from the sources' imports (and same-package-free qualified names), so a
 * new dependency that closes a cycle or points upwards fails here.
 */
class PackageLayersTest {

    private static final String BASE = "io.github.appusers";
    private static final Path SOURCES = Path.of("src/main/java/io/github/appusers");
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.github\\.appusers\\.([a-z]+)\\.");

    /** Each package's layer; a package may use packages of its own layer or lower ones, never higher. */
    private static final Map<String, Integer> LAYERS = Map.ofEntries(
            Map.entry("common", 0), Map.entry("secrets", 0),
            Map.entry("settings", 1),
            Map.entry("identity", 2), Map.entry("signin", 2),
            Map.entry("anonymous", 3), Map.entry("apikeys", 3), Map.entry("customdata", 3),
            Map.entry("customtoken", 3), Map.entry("emailpassword", 3), Map.entry("functions", 3),
            Map.entry("linking", 4), Map.entry("account", 4), Map.entry("rest", 5), Map.entry("setup", 5));

    static Map<String, Set<String>> dependencies() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String own = SOURCES.relativize(file).getName(0).toString();
                Set<String> uses = graph.computeIfAbsent(own, p -> new TreeSet<>());
                Matcher matcher = REFERENCE.matcher(Files.readString(file));
                while (matcher.find()) {
                    if (!matcher.group(1).equals(own)) {
                        uses.add(matcher.group(1));
                    }
                }
            }
        }
        return graph;
    }

    @Test
    void everyPackageHasALayer() throws IOException {
        assertEquals(new TreeSet<>(LAYERS.keySet()), new TreeSet<>(dependencies().keySet()),
                "a new package needs its place in " + PackageLayersTest.class.getSimpleName() + ".LAYERS");
    }

    @Test
    void noPackageUsesAHigherLayer() throws IOException {
        List<String> upwards = new ArrayList<>();
        dependencies().forEach((from, uses) -> uses.forEach(to -> {
            if (LAYERS.getOrDefault(to, Integer.MAX_VALUE) > LAYERS.getOrDefault(from, -1)) {
                upwards.add(BASE + "." + from + " -> " + to);
            }
        }));
        assertTrue(upwards.isEmpty(), "dependencies that point up the layers: " + upwards);
    }

    @Test
    void thePackagesFormNoCycle() throws IOException {
        List<List<String>> cycles = cycles(dependencies());
        assertTrue(cycles.isEmpty(), "package cycles: " + cycles);
    }

    /** The strongly connected components of more than one package (Tarjan). */
    static List<List<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<List<String>> components = new ArrayList<>();
        int[] counter = {0};
        for (String node : graph.keySet()) {
            if (!index.containsKey(node)) {
                connect(node, graph, index, low, stack, components, counter);
            }
        }
        return components.stream().filter(c -> c.size() > 1).toList();
    }

    private static void connect(String node, Map<String, Set<String>> graph, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, List<List<String>> components, int[] counter) {
        index.put(node, counter[0]);
        low.put(node, counter[0]++);
        stack.push(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            if (!index.containsKey(next)) {
                connect(next, graph, index, low, stack, components, counter);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (stack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            List<String> component = new ArrayList<>();
            String member;
            do {
                member = stack.pop();
                component.add(member);
            } while (!member.equals(node));
            components.add(component);
        }
    }

    @Test
    void theCycleFinderFindsCycles() {
        Map<String, Set<String>> graph = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
        assertEquals(1, cycles(graph).size());
        assertEquals(Set.of("a", "b", "c"), Set.copyOf(cycles(graph).get(0)));
        assertTrue(cycles(Map.of("a", Set.of("b"), "b", Set.of())).isEmpty());
    }
}
