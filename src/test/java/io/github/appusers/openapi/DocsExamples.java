package io.github.appusers.openapi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.appusers.docs.MarkdownPages;

/**
 * The command-line examples of the documentation, so that tests run and check exactly what the
 * pages show: the {@code kcadm.sh} walkthrough of docs/rest-api.md's section "Administration with
 * kcadm.sh" (with its curl PATCH lines), and every {@code kcadm.sh} and curl example in the code
 * blocks of every Markdown page.
 */
public final class DocsExamples {

    static final Pattern KCADM_HEADING = Pattern.compile("#{1,6} Administration with kcadm\\.sh");
    private static final Pattern CURL = Pattern.compile("(?:^|\\$\\()curl\\s");
    private static final Pattern ASSIGNMENT = Pattern.compile("([A-Z_][A-Z0-9_]*)=([^\\s$'\"`(]+)");

    /** One kcadm command: its page, its arguments after {@code kcadm.sh}, and what it reads from standard input. */
    public record Command(String page, List<String> args, String stdin) {

        public String verb() {
            return args.get(0);
        }

        /** The path argument, e.g. {@code app-users/settings}. */
        public String path() {
            return args.get(1);
        }

        /** The HTTP method kcadm sends for the verb. */
        public String httpMethod() {
            return switch (verb()) {
                case "get" -> "GET";
                case "create" -> "POST";
                case "update" -> "PUT";
                case "delete" -> "DELETE";
                default -> throw new IllegalStateException("not an HTTP verb of kcadm: " + verb());
            };
        }

        /** The arguments with the pages' placeholders replaced. */
        public List<String> args(Map<String, String> values) {
            return args.stream().map(arg -> {
                String replaced = arg;
                for (Map.Entry<String, String> value : values.entrySet()) {
                    replaced = replaced.replace(value.getKey(), value.getValue());
                }
                return replaced;
            }).toList();
        }

        /** The arguments with the realm after {@code -r} as {@code demo}: the command up to its realm. */
        public List<String> argsInDemo() {
            List<String> args = new ArrayList<>(this.args);
            for (int i = 0; i + 1 < args.size(); i++) {
                if (args.get(i).equals("-r")) {
                    args.set(i + 1, "demo");
                }
            }
            return args;
        }

        @Override
        public String toString() {
            return page + ": kcadm.sh " + String.join(" ", args);
        }
    }

    /** One curl command: its page, the command line (continuations joined) and its shell words. */
    public record Curl(String page, String line, List<String> words) {

        /** The HTTP method: {@code -X}, else POST with a body, else GET. */
        public String method() {
            for (int i = 0; i < words.size(); i++) {
                if (words.get(i).equals("-X") && i + 1 < words.size()) {
                    return words.get(i + 1);
                }
            }
            boolean body = words.stream().anyMatch(word -> word.equals("-d") || word.startsWith("--data")
                    || word.equals("-F"));
            return body ? "POST" : "GET";
        }

        /** The URL's path (no query), or null when the command names no http(s) URL. */
        public String path() {
            return words.stream().filter(word -> word.matches("https?://[^/]+/.*")).findFirst()
                    .map(url -> url.replaceFirst("https?://[^/]+", "").replaceFirst("[?#].*", ""))
                    .orElse(null);
        }

        /** The values of the form fields given with {@code -d name=value}. */
        public Map<String, String> formFields() {
            Map<String, String> fields = new HashMap<>();
            for (int i = 0; i + 1 < words.size(); i++) {
                if ((words.get(i).equals("-d") || words.get(i).startsWith("--data")) && words.get(i + 1).contains("=")
                        && !words.get(i + 1).startsWith("{")) {
                    String field = words.get(i + 1);
                    fields.put(field.substring(0, field.indexOf('=')), field.substring(field.indexOf('=') + 1));
                }
            }
            return fields;
        }

        @Override
        public String toString() {
            return page + ": " + line;
        }
    }

    private String walkthroughPage;
    private final List<Command> commands = new ArrayList<>();
    private final List<String> curlLines = new ArrayList<>();
    private final List<Command> allCommands = new ArrayList<>();
    private final List<Curl> allCurls = new ArrayList<>();

    private DocsExamples() {
    }

    public static DocsExamples load() {
        return parse(MarkdownPages.load());
    }

    static DocsExamples parse(List<MarkdownPages.Page> pages) {
        DocsExamples examples = new DocsExamples();
        for (MarkdownPages.Page page : pages) {
            examples.readWalkthrough(page);
            for (List<String> block : page.codeBlocks()) {
                examples.readBlock(page.name(), block);
            }
        }
        if (examples.walkthroughPage == null) {
            throw new IllegalStateException("no page has the section 'Administration with kcadm.sh'");
        }
        return examples;
    }

    /** The section "Administration with kcadm.sh": its kcadm commands in order, and its curl lines. */
    private void readWalkthrough(MarkdownPages.Page page) {
        List<String> lines = page.lines();
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (KCADM_HEADING.matcher(lines.get(i)).matches()) {
                if (walkthroughPage != null || start >= 0) {
                    throw new IllegalStateException("two sections 'Administration with kcadm.sh': " + walkthroughPage
                            + ", " + page.name());
                }
                start = i;
            }
        }
        if (start < 0) {
            return;
        }
        walkthroughPage = page.name();
        boolean inBlock = false;
        List<String> section = new ArrayList<>();
        for (int i = start + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("#") && !inBlock) {
                break; // the next section
            }
            if (line.startsWith("```")) {
                inBlock = !inBlock;
                if (!inBlock) {
                    readKcadm(page.name(), section, commands);
                    curlLines.addAll(curls(page.name(), section).stream().map(Curl::line).toList());
                    section.clear();
                }
                continue;
            }
            if (inBlock) {
                section.add(line);
            }
        }
    }

    private void readBlock(String page, List<String> block) {
        readKcadm(page, block, allCommands);
        allCurls.addAll(curls(page, block));
    }

    private static void readKcadm(String page, List<String> block, List<Command> into) {
        for (int i = 0; i < block.size(); i++) {
            String trimmed = block.get(i).trim();
            if (!trimmed.startsWith("kcadm.sh ")) {
                continue;
            }
            List<String> words = words(trimmed.substring("kcadm.sh ".length()));
            String stdin = null;
            if (!words.isEmpty() && words.get(words.size() - 1).equals("<<EOF")) {
                words.remove(words.size() - 1);
                StringBuilder body = new StringBuilder();
                for (i++; !block.get(i).equals("EOF"); i++) {
                    body.append(block.get(i)).append('\n');
                }
                stdin = body.toString();
            }
            if (!words.get(0).equals("config")) {
                into.add(new Command(page, words, stdin));
            }
        }
    }

    /**
     * The curl commands of a code block: continuation lines (a trailing backslash, or a quote
     * still open) joined, and the block's simple variables ({@code B=http://...}) filled in.
     */
    static List<Curl> curls(String page, List<String> block) {
        Map<String, String> variables = new HashMap<>();
        List<Curl> curls = new ArrayList<>();
        for (int i = 0; i < block.size(); i++) {
            String line = block.get(i).trim();
            Matcher assignment = ASSIGNMENT.matcher(line);
            if (assignment.matches()) {
                variables.put(assignment.group(1), assignment.group(2));
                continue;
            }
            Matcher curl = CURL.matcher(line);
            if (!curl.find()) {
                continue;
            }
            StringBuilder command = new StringBuilder(line.substring(curl.start()).replaceFirst("^\\$\\(", ""));
            while ((command.toString().endsWith("\\") || openQuote(command)) && i + 1 < block.size()) {
                if (command.toString().endsWith("\\")) {
                    command.setLength(command.length() - 1);
                }
                command.append(' ').append(block.get(++i).trim());
            }
            String text = command.toString().trim();
            for (Map.Entry<String, String> variable : variables.entrySet()) {
                text = text.replace("$" + variable.getKey() + "/", variable.getValue() + "/");
            }
            List<String> words = words(text);
            curls.add(new Curl(page, text, words.subList(1, words.size())));
        }
        return curls;
    }

    private static boolean openQuote(CharSequence text) {
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            }
        }
        return quote != 0;
    }

    /**
     * Shell words: split on spaces, with single and double quotes (and {@code <<'EOF'} as
     * {@code <<EOF}); an unquoted {@code #} starts a comment, a {@code |} or {@code )} ends the command.
     */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == ' ') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else if ((c == '#' || c == '|') && !inWord) {
                break;
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** The page that has the kcadm walkthrough. */
    public String walkthroughPage() {
        return walkthroughPage;
    }

    /** The kcadm commands of the walkthrough, in order. */
    public List<Command> commands() {
        return commands;
    }

    /** The curl commands of the walkthrough, continuation lines joined. */
    public List<String> curlLines() {
        return curlLines;
    }

    /** Every kcadm command in the code blocks of every page (the walkthrough's too). */
    public List<Command> allCommands() {
        return allCommands;
    }

    /** Every curl command in the code blocks of every page. */
    public List<Curl> allCurls() {
        return allCurls;
    }
}
