package io.github.appusers.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The Markdown pages link only to what exists in the repository: every relative link resolves to
 * a file of the project and, with a {@code #fragment}, to a heading of that page; and no page,
 * source file or script points at files outside the repository.
 */
class DocsLinksTest {

    /**
     * Pages that other changes add (security notes, upgrade notes, the container image): links to
     * them may be ahead of the pages themselves. Once a page exists it is checked like any other.
     */
    private static final Set<String> PAGES_ON_THEIR_WAY = Set.of("docs/security.md", "docs/upgrade.md",
            "docs/container.md");

    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");
    /** Names of documents that live outside the repository, built so this file does not name them itself. */
    private static final List<String> OUTSIDE = List.of("../" + "shared", "CONTRACT" + ".md",
            "CONTRACT" + " §", "DESIGN" + ".md", "STYLE" + ".md", "/work" + "/");

    private final List<MarkdownPages.Page> pages = MarkdownPages.load();
    private final Path root = MarkdownPages.projectDir();

    @Test
    void everyRelativeLinkResolvesToAFileAndHeadingOfTheRepository() {
        Map<Path, MarkdownPages.Page> byFile = new HashMap<>();
        pages.forEach(page -> byFile.put(page.file(), page));
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (MarkdownPages.Page page : pages) {
            for (String line : page.prose()) {
                Matcher link = LINK.matcher(INLINE_CODE.matcher(line).replaceAll(""));
                while (link.find()) {
                    String target = link.group(1);
                    if (target.matches("[a-z][a-z0-9+.-]*:.*")) {
                        continue; // http:, https:, mailto: ...
                    }
                    checked++;
                    String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                    String fragment = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
                    Path resolved = file.isEmpty() ? page.file() : page.file().getParent().resolve(file).normalize();
                    String where = page.name() + ": " + target;
                    if (!resolved.startsWith(root)) {
                        broken.add(where + " (outside the repository)");
                    } else if (!Files.exists(resolved)) {
                        String name = root.relativize(resolved).toString().replace('\\', '/');
                        if (!(PAGES_ON_THEIR_WAY.contains(name) && fragment == null)) {
                            broken.add(where + " (no such file)");
                        }
                    } else if (fragment != null) {
                        MarkdownPages.Page linked = byFile.get(resolved);
                        if (linked == null) {
                            broken.add(where + " (a fragment of a file that is not a Markdown page)");
                        } else if (!linked.anchors().contains(fragment)) {
                            broken.add(where + " (no such heading; there are " + linked.anchors() + ")");
                        }
                    }
                }
            }
        }
        assertTrue(broken.isEmpty(), "broken links: " + String.join("\n", broken));
        assertTrue(checked > 100, "relative links checked: " + checked);
    }

    @Test
    void theReadmeLinksEveryDocsPage() throws IOException {
        MarkdownPages.Page readme = pages.get(0);
        String text = String.join("\n", readme.lines());
        List<String> unlinked = new ArrayList<>();
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            for (Path page : docs.filter(file -> file.toString().endsWith(".md")).sorted().toList()) {
                if (!text.contains("](docs/" + page.getFileName() + ")")) {
                    unlinked.add(page.getFileName().toString());
                }
            }
        }
        for (String page : PAGES_ON_THEIR_WAY) {
            if (!text.contains("](" + page + ")")) {
                unlinked.add(page);
            }
        }
        assertTrue(unlinked.isEmpty(), "docs pages the README does not link: " + unlinked);
    }

    @Test
    void nothingPointsAtFilesOutsideTheRepository() throws IOException {
        List<Path> files = new ArrayList<>();
        pages.forEach(page -> files.add(page.file()));
        for (String dir : List.of("src", "openapi", "bench", "examples", "realm-config", "themes", ".ci")) {
            try (Stream<Path> walk = Files.walk(root.resolve(dir))) {
                walk.filter(Files::isRegularFile).filter(DocsLinksTest::isText).forEach(files::add);
            }
        }
        files.add(root.resolve("run.sh"));
        files.add(root.resolve("pom.xml"));
        List<String> found = new ArrayList<>();
        for (Path file : files) {
            String text = Files.readString(file);
            for (String outside : OUTSIDE) {
                if (text.contains(outside)) {
                    found.add(root.relativize(file) + " names " + outside);
                }
            }
        }
        assertTrue(found.isEmpty(), "references to files outside the repository: " + found);
        assertTrue(files.size() > 100, "files read: " + files.size());
    }

    @Test
    void githubAnchorsAreComputedAsGithubDoes() {
        assertEquals("administration-with-kcadmsh", MarkdownPages.slug("Administration with kcadm.sh"));
        assertEquals("browser-apps-cors", MarkdownPages.slug("Browser apps (CORS)"));
        assertEquals("the-is_anonymous-claim", MarkdownPages.slug("The `is_anonymous` claim"));
        assertEquals("linking-unlinking-deleting", MarkdownPages.slug("Linking, unlinking, deleting"));
    }

    private static boolean isText(Path file) {
        String name = file.getFileName().toString();
        return Stream.of(".java", ".md", ".yaml", ".yml", ".json", ".sh", ".properties", ".ftl", ".xml", ".js",
                ".html", ".css", ".txt").anyMatch(name::endsWith) || name.equals("run");
    }
}
