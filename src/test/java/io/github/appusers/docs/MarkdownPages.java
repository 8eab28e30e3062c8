package io.github.appusers.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The Markdown pages of the repository (README.md, docs/, the READMEs of realm-config/ and
 * examples/), for the tests that keep the documentation true.
 */
public final class MarkdownPages {

    /** Build output, local runs and tool folders hold no documentation of ours. */
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of(".git", ".run", "target", "node_modules", ".idea");

    /** One page: its path relative to the project directory, and its lines. */
    public record Page(String name, Path file, List<String> lines) {

        /** The lines inside fenced code blocks, each block as one list. */
        public List<List<String>> codeBlocks() {
            List<List<String>> blocks = new ArrayList<>();
            List<String> block = null;
            for (String line : lines) {
                if (line.trim().startsWith("```")) {
                    if (block == null) {
                        block = new ArrayList<>();
                    } else {
                        blocks.add(block);
                        block = null;
                    }
                } else if (block != null) {
                    block.add(line);
                }
            }
            return blocks;
        }

        /** The lines outside fenced code blocks. */
        public List<String> prose() {
            List<String> prose = new ArrayList<>();
            boolean inBlock = false;
            for (String line : lines) {
                if (line.trim().startsWith("```")) {
                    inBlock = !inBlock;
                } else if (!inBlock) {
                    prose.add(line);
                }
            }
            return prose;
        }

        /** The anchors GitHub gives the page's headings. */
        public Set<String> anchors() {
            Set<String> anchors = new LinkedHashSet<>();
            for (String line : prose()) {
                if (line.matches("#{1,6} .*")) {
                    String slug = slug(line.replaceFirst("#{1,6} ", ""));
                    String anchor = slug;
                    for (int i = 1; anchors.contains(anchor); i++) {
                        anchor = slug + "-" + i;
                    }
                    anchors.add(anchor);
                }
            }
            return anchors;
        }
    }

    private MarkdownPages() {
    }

    public static Path projectDir() {
        return Path.of(System.getProperty("it.project.dir", ".")).toAbsolutePath().normalize();
    }

    /** Every Markdown page of the project, README.md first, then by path. */
    public static List<Page> load() {
        Path root = projectDir();
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> paths = files
                    .filter(file -> file.getFileName().toString().endsWith(".md"))
                    .filter(file -> {
                        for (Path part : root.relativize(file)) {
                            if (SKIPPED_DIRECTORIES.contains(part.toString())) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .sorted((a, b) -> {
                        boolean aFront = a.equals(root.resolve("README.md"));
                        boolean bFront = b.equals(root.resolve("README.md"));
                        return aFront != bFront ? (aFront ? -1 : 1) : a.compareTo(b);
                    })
                    .toList();
            List<Page> pages = new ArrayList<>();
            for (Path path : paths) {
                pages.add(new Page(root.relativize(path).toString().replace('\\', '/'), path,
                        Files.readAllLines(path)));
            }
            return pages;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * GitHub's heading anchor: lower case, punctuation dropped (letters, digits, spaces, hyphens
     * and underscores stay), spaces as hyphens.
     */
    public static String slug(String heading) {
        String text = heading.trim().toLowerCase(Locale.ROOT);
        StringBuilder slug = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                slug.appendCodePoint(c);
            } else if (c == ' ') {
                slug.append('-');
            }
            i += Character.charCount(c);
        }
        return slug.toString();
    }
}
