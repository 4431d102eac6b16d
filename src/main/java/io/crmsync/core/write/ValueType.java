package io.crmsync.core.write;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.crmsync.core.event.EventParser;
import io.crmsync.core.event.EventRejectedException;
import io.crmsync.core.event.RejectReason;
import org.bson.types.Decimal128;

/**
 * How a mapped value is stored: the {@code type:} of a mapping's field. A value that cannot be converted is refused as
 * {@code invalid-field}, before anything is written. Converted values are plain Java (an {@link Instant} for a date, a
 * {@link BigDecimal} for a decimal): each store turns them into its own types.
 */
public enum ValueType {
    STRING, DATE, INT, LONG, DOUBLE, DECIMAL, BOOLEAN, OBJECT, STRINGS;

    /** The YAML name, as in {@code type: decimal}. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ValueType of(String yamlName) {
        for (ValueType type : values()) {
            if (type.yamlName().equals(yamlName)) {
                return type;
            }
        }
        return null;
    }

    /**
     * @param value never null
     * @param what  names the value in the refusal, such as {@code field createdAt of event e-1}
     */
    public Object convert(Object value, String what) {
        try {
            Object converted = switch (this) {
                case STRING -> value instanceof Map || value instanceof List ? null : value.toString();
                case DATE -> value instanceof Instant ? value : value instanceof Date d ? d.toInstant()
                        : EventParser.parseTime(value.toString());
                case INT -> Math.toIntExact(decimal(value).longValueExact());
                case LONG -> decimal(value).longValueExact();
                case DOUBLE -> value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString().trim());
                case DECIMAL -> decimal128(decimal(value));
                case BOOLEAN -> value instanceof Boolean ? value : bool(value.toString());
                case OBJECT -> value instanceof Map || value instanceof List ? value : null;
                // a list of non-blank strings, such as an agent's lead sources
                case STRINGS -> value instanceof List<?> list && list.stream().allMatch(item -> item instanceof String text
                        && !text.isBlank()) ? List.copyOf(list) : null;
            };
            if (converted != null) {
                return converted;
            }
        } catch (ArithmeticException | NumberFormatException | EventRejectedException e) {
            // refused below, naming the value
        }
        String text = value.toString();
        throw new EventRejectedException(RejectReason.INVALID_FIELD, what + ": '"
                + (text.length() > 64 ? text.substring(0, 64) + "..." : text) + "' is not " + (this == STRINGS ? "a list of strings" : "a " + yamlName())
                + (this == DATE ? " (ISO-8601)" : ""));
    }

    /** A number as sent (a JSON number, or a string holding one), or as a store gave it back. */
    public static BigDecimal decimal(Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof Double || value instanceof Float) {
            return BigDecimal.valueOf(((Number) value).doubleValue());
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        // any other number (a BigInteger, MongoDB's Decimal128) writes its exact value as text
        return new BigDecimal(value.toString().trim());
    }

    // an IEEE 754 decimal128 (MongoDB's Decimal128): 34 digits, exponents -6176 to 6111
    private static final int DECIMAL128_DIGITS = 34;
    private static final int DECIMAL128_MIN_EXPONENT = -6176;
    private static final int DECIMAL128_MAX_EXPONENT = 6111;

    /**
     * The value, if a decimal128 holds it exactly: a decimal field or ledger amount is stored as one, so one it cannot
     * hold is refused here, whatever the store, rather than by one store's write.
     */
    private static BigDecimal decimal128(BigDecimal value) {
        if (value.signum() == 0) {
            return value;
        }
        BigDecimal digits = value.stripTrailingZeros();
        long exponent = -(long) digits.scale();
        // trailing zeros may be added back to bring a large exponent into range, as long as 34 digits hold them
        if (digits.precision() > DECIMAL128_DIGITS || exponent < DECIMAL128_MIN_EXPONENT
                || exponent - (DECIMAL128_DIGITS - digits.precision()) > DECIMAL128_MAX_EXPONENT) {
            throw new NumberFormatException(value + " does not fit a decimal128");
        }
        return value;
    }

    private static Boolean bool(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return t.equals("true") ? Boolean.TRUE : t.equals("false") ? Boolean.FALSE : null;
    }
}
