package io.github.appusers.openapi;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.LinkedHashSet;
import java.util.Set;

import io.github.appusers.rest.ServedBy;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

/**
 * The operations (method and full path) that the extension's JAX-RS classes serve, found by
 * walking resource methods and sub-resource locators from a root class, as RESTEasy routes them.
 */
public final class JaxRsOperations {

    private final Set<String> operations = new LinkedHashSet<>();
    private final Set<Class<?>> visited = new LinkedHashSet<>();

    /** Walks {@code root}, mounted at {@code prefix} (e.g. {@code /realms/{realm}/app-users}). */
    public JaxRsOperations walk(Class<?> root, String prefix) {
        visit(root, prefix);
        return this;
    }

    /** {@code "GET /realms/{realm}/app-users/me"}, ... */
    public Set<String> operations() {
        return operations;
    }

    /** Every class reached (roots and sub-resources). */
    public Set<Class<?>> classes() {
        return visited;
    }

    private void visit(Class<?> resource, String prefix) {
        visited.add(resource);
        String base = join(prefix, pathOf(resource));
        for (Method method : resource.getMethods()) {
            String http = httpMethod(method);
            Path path = method.getAnnotation(Path.class);
            String full = join(base, path == null ? "" : path.value());
            if (HttpMethod.OPTIONS.equals(http)) {
                continue; // CORS preflights, not operations of the API
            }
            if (http != null) {
                operations.add(http + " " + full);
            } else if (path != null) {
                // A sub-resource locator: its return type (or the types it names) serves the rest of the path.
                ServedBy servedBy = method.getAnnotation(ServedBy.class);
                for (Class<?> served : servedBy == null ? new Class<?>[] {method.getReturnType()} : servedBy.value()) {
                    visit(served, full);
                }
            }
        }
    }

    /** The JAX-RS HTTP method of a resource method (an annotation meta-annotated with @HttpMethod). */
    public static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    /** True when a class has a JAX-RS resource method or locator. */
    public static boolean isResource(Class<?> type) {
        if (type.isAnnotationPresent(Path.class)) {
            return true;
        }
        for (Method method : type.getDeclaredMethods()) {
            if (method.isAnnotationPresent(Path.class) || httpMethod(method) != null) {
                return true;
            }
        }
        return false;
    }

    private static String pathOf(Class<?> resource) {
        Path path = resource.getAnnotation(Path.class);
        return path == null ? "" : path.value();
    }

    private static String join(String prefix, String path) {
        String trimmed = path.replaceAll("^/+|/+$", "");
        return trimmed.isEmpty() ? prefix : prefix + "/" + trimmed;
    }
}
