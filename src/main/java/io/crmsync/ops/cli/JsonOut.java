package io.crmsync.ops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * {@code --json} output: the same objects the actuator endpoints return.
 */
final class JsonOut {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .enable(SerializationFeature.INDENT_OUTPUT).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private JsonOut() {
    }

    static void print(Object value) throws Exception {
        System.out.println(JSON.writeValueAsString(value));
    }
}
