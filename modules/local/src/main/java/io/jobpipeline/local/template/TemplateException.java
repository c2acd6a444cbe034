package io.jobpipeline.local.template;

/**
 * The template cannot be read, or says something the local stack cannot honour. The message always names the file,
 * and the resource (or section) and property at fault, e.g. {@code template.yaml: resource JobsQueue, property
 * VisibilityTimeout: expected a whole number of seconds, got 'abc'}.
 */
public final class TemplateException extends Exception {
    private static final long serialVersionUID = 1L;

    public TemplateException(String message) {
        super(message);
    }

    public TemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
