package io.crmsync.core.mapping;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.crmsync.core.event.CanonicalEvent;
import io.crmsync.core.event.EventExchange;
import io.crmsync.core.event.EventRejectedException;
import io.crmsync.core.event.RejectReason;
import io.crmsync.core.mapping.Directory;
import io.crmsync.core.mapping.LookupMissException;
import io.crmsync.core.write.Keys;
import io.crmsync.core.write.ValueType;
import io.crmsync.core.write.Write;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

/**
 * What one kind of event writes, as a {@code *.mapping.yaml} declares it (docs/mappings.md): the document key, the
 * fields and their types, tombstone fields, lookups in other collections, skip conditions and, for the ledger write
 * kind, the signed amount and its balances. Pure: applying it reads lookups but writes nothing and changes nothing on
 * the exchange, so {@code verify} and the route tests ask it too; its values are plain (BigDecimal, Instant,
 * strings, lists, maps), and each store converts them to its own types.
 *
 * @param id     the name store endpoints give it ({@code mapping=user-created})
 * @param origin {@code file:line} of its declaration, for messages
 */
public record Mapping(String id, String origin, Key key, Copy copy, Set<String> exclude, List<FieldRule> fields,
        Map<String, Object> tombstone, List<Lookup> lookups, List<Skip> skips, List<Reject> rejects, Ledger ledger) {

    /** Which of the event's own fields are copied as sent, before the declared fields. */
    public enum Copy { NONE, DATA, FIELDS }

    /** The document key: the first value present, or several joined with {@code :}, optionally after the tenant. */
    public record Key(Value first, List<Value> joined, boolean tenantPrefix) {
    }

    public record FieldRule(String name, Value value, ValueType type, boolean required, boolean setOnce) {
    }

    /**
     * Finds a document of another collection (or a row of another table) within the tenant; copies fields of it the
     * event does not carry.
     */
    public record Lookup(String collection, Predicate when, Map<String, Value> match, Map<String, String> copy,
            RejectReason missing, Mismatch mismatch) {
    }

    /**
     * When a lookup finds nothing by its match but finds a record by this one, the two systems disagree on an
     * identifier: the event is refused with {@code reason}, naming both values, instead of waiting for a record that
     * will never come. A repair ({@link io.crmsync.core.event.EventExchange#RELINK}) sets the lookup's match on that
     * record instead: the mapping plans the {@link Relink}, the store endpoint makes it.
     */
    public record Mismatch(Map<String, Value> match, RejectReason reason) {
    }

    public record Skip(Predicate when, String reason) {
    }

    /** The event can never be applied: it is dead-lettered at once with this reason (a deleted ledger row, say). */
    public record Reject(Predicate when, RejectReason reason) {
    }

    public enum Sign { POSITIVE, NEGATIVE, AS_SENT }

    /**
     * @param entry     the ledger entry's id when not the event's (a captured row's identity), else null
     * @param maxAmount the largest absolute amount accepted: a bound on one movement keeps a wallet's running sum far
     *                  from what its type holds (CONTRACT notes: "Ledger and balance")
     * @param maxScale  the most decimal places an amount may carry
     * @param balances  the collection of the balances the movements fold into, by its contract name (the mapping's
     *                  ledger writes to the endpoint's collection)
     */
    public record Ledger(Value amount, Sign sign, ValueType type, Value entry, BigDecimal maxAmount, int maxScale,
            String balances) {

        /** Where balances go unless the ledger: section says otherwise. */
        public static final String DEFAULT_BALANCES = "creditBalances";

        /** 10^15: with 8 decimal places 23 digits, leaving a balance (34 digits as an IEEE decimal128) 11 for its sum. */
        public static final BigDecimal DEFAULT_MAX_AMOUNT = new BigDecimal("1000000000000000");

        /** Whole amounts for the integer types, which refuse fractions anyway; 8 places (a satoshi) otherwise. */
        public static int defaultMaxScale(ValueType type) {
            return type == ValueType.LONG || type == ValueType.INT ? 0 : 8;
        }

        public Ledger(Value amount, Sign sign, ValueType type, Value entry) {
            this(amount, sign, type, entry, DEFAULT_MAX_AMOUNT, defaultMaxScale(type), DEFAULT_BALANCES);
        }
    }

    // identity and fence of the write, never attributes of the document
    private static final Set<String> NEVER_COPIED = Set.of("tenantId", "eventId");

    /**
     * The write this event asks of a store endpoint's target, as {@link #screen}, {@link #key} and {@link #plan} give
     * it, relinking nothing: for tests and tools that only ask.
     */
    public Write apply(CanonicalEvent event, Exchange exchange, Target target, Directory directory) {
        Write.Skip skip = screen(event, exchange);
        return skip != null ? skip : plan(event, exchange, key(event, exchange), target, directory, false).write();
    }

    /**
     * The first step: refuses an event a {@code reject} condition matches, else the skip of the first {@code skip}
     * condition that matches, else null (the event is written).
     */
    public Write.Skip screen(CanonicalEvent event, Exchange exchange) {
        for (Reject reject : rejects) {
            if (reject.when() == null || reject.when().matches(exchange)) {
                throw new EventRejectedException(reject.reason(), "event " + event.id() + " (" + event.type()
                        + ") is refused by mapping " + id + ": " + reject.reason().code());
            }
        }
        for (Skip skip : skips) {
            if (skip.when() == null || skip.when().matches(exchange)) {
                return new Write.Skip(skip.reason());
            }
        }
        return null;
    }

    /**
     * The write of an event {@link #screen} let through, with plain values (BigDecimal, Instant, strings, lists,
     * maps) for the store to convert. Reads lookups, changes nothing: with {@code relink}, a lookup's mismatch finds
     * the record as if relinked and lists the relink for the caller to make.
     *
     * @param key the entity's key, {@link #key}
     */
    public Plan plan(CanonicalEvent event, Exchange exchange, String key, Target target, Directory directory,
            boolean relink) {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, ?> source = copy == Copy.DATA ? event.data() : copy == Copy.FIELDS ? event.fields() : Map.of();
        source.forEach((name, value) -> {
            // an explicit null is copied too: a newer event clears the field with it
            if ((value == null || Value.present(value) != null) && !exclude.contains(name) && !NEVER_COPIED.contains(name)) {
                values.put(name, value);
            }
        });
        Set<String> setOnce = new HashSet<>();
        for (FieldRule rule : fields) {
            Object value = rule.value().resolve(event, exchange);
            if (value == null) {
                if (rule.required()) {
                    throw missing(event, rule.value().describe());
                }
                if (rule.value().sentAsNull(event)) {
                    values.put(rule.name(), null);
                }
                continue;
            }
            values.put(rule.name(), rule.type() == null ? value
                    : rule.type().convert(value, "field " + rule.name() + " of event " + event.id()));
            if (rule.setOnce()) {
                setOnce.add(rule.name());
            }
        }
        values.putAll(tombstone);
        List<Relink> relinks = relink ? new ArrayList<>() : null;
        for (Lookup lookup : lookups) {
            if (lookup.when() == null || lookup.when().matches(exchange)) {
                enrich(event, exchange, lookup, directory, values, relinks);
            }
        }
        Write write = ledger != null
                ? new Write.CreditMovement(target.collection(), ledger.balances(), key, amount(event, exchange),
                        ledger.type(), values, ledger.entry() == null ? null : entryId(event, exchange))
                : new Write.FieldUpdate(target.collection(), key, values, Set.copyOf(setOnce), !tombstone.isEmpty());
        return new Plan(write, relinks == null ? List.of() : List.copyOf(relinks));
    }

    /** What a store endpoint's mapping writes to: its collection or table (the ledger, for a ledger mapping). */
    public record Target(String collection) {
    }

    /** An event's write, and the records a repair relinks before it is made. */
    public record Plan(Write write, List<Relink> relinks) {
    }

    /** Sets {@code values} on the one record of {@code collection} that {@code where} finds ({@link Directory#relink}). */
    public record Relink(String tenantId, String collection, Map<String, Object> where, Map<String, Object> values) {
    }

    /** The entity's key: the first key value the event carries, or several joined, after the tenant if declared. */
    public String key(CanonicalEvent event, Exchange exchange) {
        List<String> parts = new ArrayList<>();
        if (key.tenantPrefix()) {
            parts.add(event.tenantId());
        }
        for (Value part : key.first() != null ? List.of(key.first()) : key.joined()) {
            Object value = part.resolve(event, exchange);
            if (value == null) {
                throw missing(event, part.describe());
            }
            parts.add(value.toString());
        }
        return parts.size() == 1 ? parts.get(0) : Keys.join(parts.toArray(String[]::new));
    }

    private static void enrich(CanonicalEvent event, Exchange exchange, Lookup lookup, Directory directory,
            Map<String, Object> values, List<Relink> relinks) {
        Map<String, Object> match = resolve(event, exchange, lookup.match());
        Map<String, Object> found = directory.find(event.tenantId(), lookup.collection(), match);
        if (found == null && lookup.mismatch() != null) {
            found = mismatched(event, exchange, lookup, directory, match, relinks);
        }
        if (found == null) {
            throw new LookupMissException(lookup.missing(), "no " + lookup.collection() + " record with " + match
                    + " in tenant " + event.tenantId());
        }
        Map<String, Object> record = found;
        lookup.copy().forEach((target, field) -> {
            if (record.get(field) != null) {
                values.putIfAbsent(target, record.get(field));
            }
        });
    }

    /**
     * The record found by the mismatch match as it will be once relinked (a repair: {@code relinks} is not null, and
     * gets the relink), else a refusal naming both values.
     */
    private static Map<String, Object> mismatched(CanonicalEvent event, Exchange exchange, Lookup lookup,
            Directory directory, Map<String, Object> match, List<Relink> relinks) {
        Map<String, Object> by = resolve(event, exchange, lookup.mismatch().match());
        Map<String, Object> other = directory.find(event.tenantId(), lookup.collection(), by);
        if (other == null) {
            return null;
        }
        if (relinks != null) {
            relinks.add(new Relink(event.tenantId(), lookup.collection(), by, match));
            Map<String, Object> relinked = new LinkedHashMap<>(other);
            relinked.putAll(match);
            return relinked;
        }
        StringBuilder differs = new StringBuilder();
        match.forEach((field, wanted) -> differs.append(differs.isEmpty() ? "" : ", ").append(field).append(" is '")
                .append(other.get(field)).append("' there, '").append(wanted).append("' in the event"));
        throw new EventRejectedException(lookup.mismatch().reason(), "no " + lookup.collection() + " record with "
                + match + " in tenant " + event.tenantId() + ", but one with " + by + ": " + differs);
    }

    private static Map<String, Object> resolve(CanonicalEvent event, Exchange exchange, Map<String, Value> spec) {
        Map<String, Object> resolved = new LinkedHashMap<>();
        spec.forEach((field, value) -> {
            Object result = value.resolve(event, exchange);
            if (result == null) {
                throw missing(event, value.describe());
            }
            resolved.put(field, result);
        });
        return resolved;
    }

    private String entryId(CanonicalEvent event, Exchange exchange) {
        Object id = ledger.entry().resolve(event, exchange);
        if (id == null) {
            throw missing(event, ledger.entry().describe());
        }
        return id.toString();
    }

    private BigDecimal amount(CanonicalEvent event, Exchange exchange) {
        Object sent = ledger.amount().resolve(event, exchange);
        if (sent == null) {
            throw missing(event, ledger.amount().describe());
        }
        BigDecimal amount;
        try {
            amount = ValueType.decimal(sent);
        } catch (NumberFormatException e) {
            throw new EventRejectedException(RejectReason.INVALID_FIELD, "amount '" + sent + "' of event " + event.id()
                    + " is not a number");
        }
        // refused here, before any write, when outside the declared range...
        String text = sent.toString().length() > 64 ? sent.toString().substring(0, 64) + "..." : sent.toString();
        if (amount.abs().compareTo(ledger.maxAmount()) > 0) {
            throw new EventRejectedException(RejectReason.INVALID_FIELD, "amount '" + text + "' of event " + event.id()
                    + " is out of range: mapping " + id + " accepts at most " + ledger.maxAmount().toPlainString()
                    + " in absolute value (ledger maxAmount)");
        }
        // ...or when the ledger's type cannot hold it exactly...
        ledger.type().convert(amount, "amount of event " + event.id());
        int places = Math.max(0, amount.stripTrailingZeros().scale());
        if (places > ledger.maxScale()) {
            throw new EventRejectedException(RejectReason.INVALID_FIELD, "amount '" + text + "' of event " + event.id()
                    + " has " + places + " decimal place" + (places == 1 ? "" : "s") + ": mapping " + id
                    + " accepts at most " + ledger.maxScale() + " (ledger maxScale)");
        }
        return switch (ledger.sign()) {
            case POSITIVE -> amount.abs();
            // the ledger is signed so a balance is its plain sum
            case NEGATIVE -> amount.abs().negate();
            case AS_SENT -> amount;
        };
    }

    private static EventRejectedException missing(CanonicalEvent event, String names) {
        return new EventRejectedException(RejectReason.MISSING_FIELD, "event " + event.id() + " (" + event.type()
                + ") has " + (names.contains(",") ? "none of " : "no ") + names);
    }
}
