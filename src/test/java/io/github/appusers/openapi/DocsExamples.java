package io.github.appusers.openapi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code kcadm.sh} commands of the README's "Administration with kcadm.sh" section, and its
 * curl PATCH lines, so that tests run and check exactly what the README shows.
 */
public final class ReadmeKcadmExamples {

    static final String HEADING = "### Administration with kcadm.sh";

    /** One command: its arguments after {@code kcadm.sh}, and what it reads from standard input. */
    public record Command(List<String> args, String stdin) {

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

        /** The arguments with the README's placeholders replaced. */
        public List<String> args(Map<String, String> values) {
            return args.stream().map(arg -> {
                String replaced = arg;
                for (Map.Entry<String, String> value : values.entrySet()) {
                    replaced = replaced.replace(value.getKey(), value.getValue());
                }
                return replaced;
            }).toList();
        }

        @Override
        public String toString() {
            return "kcadm.sh " + String.join(" ", args);
        }
    }

    private final List<Command> commands = new ArrayList<>();
    private final List<String> curlLines = new ArrayList<>();

    private ReadmeKcadmExamples() {
    }

    public static ReadmeKcadmExamples load() {
        Path readme = Path.of(System.getProperty("it.project.dir", "."), "README.md");
        try {
            return parse(Files.readAllLines(readme));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ReadmeKcadmExamples parse(List<String> lines) {
        ReadmeKcadmExamples examples = new ReadmeKcadmExamples();
        int start = lines.indexOf(HEADING);
        if (start < 0) {
            throw new IllegalStateException("README has no section '" + HEADING + "'");
        }
        boolean inBlock = false;
        for (int i = start + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("#") && !inBlock) {
                break; // the next section
            }
            if (line.startsWith("```")) {
                inBlock = !inBlock;
                continue;
            }
            if (!inBlock) {
                continue;
            }
            String trimmed = line.trim();
            if (trimmed.startsWith("kcadm.sh ")) {
                List<String> words = words(trimmed.substring("kcadm.sh ".length()));
                String stdin = null;
                if (!words.isEmpty() && words.get(words.size() - 1).equals("<<EOF")) {
                    words.remove(words.size() - 1);
                    StringBuilder body = new StringBuilder();
                    for (i++; !lines.get(i).equals("EOF"); i++) {
                        body.append(lines.get(i)).append('\n');
                    }
                    stdin = body.toString();
                }
                if (!words.get(0).equals("config")) {
                    examples.commands.add(new Command(words, stdin));
                }
            } else if (trimmed.startsWith("curl ")) {
                StringBuilder curl = new StringBuilder(trimmed);
                while (curl.toString().endsWith("\\")) {
                    curl.setLength(curl.length() - 1);
                    curl.append(' ').append(lines.get(++i).trim());
                }
                examples.curlLines.add(curl.toString());
            }
        }
        return examples;
    }

    /** Shell words: split on spaces, with single and double quotes (and {@code <<'EOF'} as {@code <<EOF}). */
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

    public List<Command> commands() {
        return commands;
    }

    /** The curl commands of the section, continuation lines joined. */
    public List<String> curlLines() {
        return curlLines;
    }
}
