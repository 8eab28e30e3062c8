package io.github.appusers.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The resource classes a sub-resource locator may return, where its declared type cannot say
 * (it answers CORS preflights with another class). Read by readers and by the OpenAPI check.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ServedBy {
    Class<?>[] value();
}
