package io.crmsync.core.mapping;

import java.util.List;

import io.crmsync.core.event.CanonicalEvent;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;

/**
 * Where a mapped value comes from: a field of the event, a part of the event itself, a constant, or an expression in
 * one of Camel's languages. A null or blank result means the event does not carry the value.
 */
sealed interface Value {

    /** @param exchange the exchange carrying the event as its body, for expressions */
    Object resolve(CanonicalEvent event, Exchange exchange);

    /** How a message names this value, such as {@code userId} or {@code simple expression}. */
    String describe();

    static Object present(Object value) {
        return value instanceof String text && text.isBlank() ? null : value;
    }

    /**
     * Whether the event sends this value as an explicit null: a newer event clears what it names that way. Only a
     * field of {@code data}, named on its own, can (a list of fallbacks goes on to the next instead).
     */
    default boolean sentAsNull(CanonicalEvent event) {
        return false;
    }

    /** A field of {@code data} as sent, else the message's top-level field of that name. */
    record Field(String name) implements Value {
        @Override
        public boolean sentAsNull(CanonicalEvent event) {
            return event.data().containsKey(name) && event.data().get(name) == null;
        }

        @Override
        public Object resolve(CanonicalEvent event, Exchange exchange) {
            Object value = present(event.data().get(name));
            if (value == null) {
                value = name.equals("entityId") && event.entityId() != null ? event.entityId()
                        : name.equals("entityType") && event.entityType() != null ? event.entityType()
                        : present(event.fields().get(name));
            }
            return value;
        }

        @Override
        public String describe() {
            return name;
        }
    }

    /** {@code event.<part>}: the canonical event's own identity, time, type, tenant or payload. */
    record EventPart(String part) implements Value {
        static final List<String> PARTS = List.of("id", "type", "tenantId", "entityId", "entityType", "time", "data",
                "metadata", "fields", "source", "position");

        @Override
        public Object resolve(CanonicalEvent event, Exchange exchange) {
            return present(switch (part) {
                case "id" -> event.id();
                case "type" -> event.type();
                case "tenantId" -> event.tenantId();
                case "entityId" -> event.entityId();
                case "entityType" -> event.entityType();
                // ISO-8601, as the contract keeps dates; type: date stores it as a BSON date
                case "time" -> event.time().toString();
                case "data" -> event.data();
                case "metadata" -> event.metadata();
                case "fields" -> event.fields();
                case "source" -> event.source();
                case "position" -> event.position();
                default -> throw new IllegalStateException("unknown event part " + part);
            });
        }

        @Override
        public String describe() {
            return "event." + part;
        }
    }

    record Constant(Object value) implements Value {
        @Override
        public Object resolve(CanonicalEvent event, Exchange exchange) {
            return present(value);
        }

        @Override
        public String describe() {
            return "constant " + value;
        }
    }

    /** An expression in a Camel language, compiled once when the mapping is loaded; a string result is trimmed. */
    record Expr(String language, String text, Expression expression) implements Value {
        @Override
        public Object resolve(CanonicalEvent event, Exchange exchange) {
            Object value = expression.evaluate(exchange, Object.class);
            return present(value instanceof String s ? s.trim() : value);
        }

        @Override
        public String describe() {
            return language + " expression";
        }
    }

    /**
     * Several values joined by a separator, {@code {join: [firstName, lastName]}}: those the event does not carry are
     * left out, and none carried is no value.
     */
    record Join(List<Value> parts, String separator) implements Value {
        @Override
        public Object resolve(CanonicalEvent event, Exchange exchange) {
            StringBuilder joined = new StringBuilder();
            for (Value part : parts) {
                Object value = part.resolve(event, exchange);
                if (value != null) {
                    joined.append(joined.isEmpty() ? "" : separator).append(value.toString().strip());
                }
            }
            return present(joined.toString());
        }

        @Override
        public String describe() {
            return "join of " + String.join(", ", parts.stream().map(Value::describe).toList());
        }
    }

    /** The first of several values that the event carries. */
    record FirstOf(List<Value> choices) implements Value {
        @Override
        public Object resolve(CanonicalEvent event, Exchange exchange) {
            for (Value choice : choices) {
                Object value = choice.resolve(event, exchange);
                if (value != null) {
                    return value;
                }
            }
            return null;
        }

        @Override
        public String describe() {
            return String.join(", ", choices.stream().map(Value::describe).toList());
        }
    }
}
