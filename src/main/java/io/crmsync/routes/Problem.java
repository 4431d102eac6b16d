package io.crmsync.routes;

/**
 * One thing wrong with a routes file, printed as {@code file:line: message} (the line when Camel knows it).
 *
 * @param file    the file name
 * @param line    1-based line, or 0 when unknown
 * @param message what is wrong, in one line
 */
public record Problem(String file, int line, String message) {

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }
}
