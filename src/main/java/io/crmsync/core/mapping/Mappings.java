package io.crmsync.core.mapping;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.crmsync.core.event.UnknownEventTypeException;

/**
 * The mappings in effect, by id, and which file declared each. A file's new mappings are put in place one by one
 * (each exchange sees one version of a mapping), and those it no longer declares stay answerable until the routes
 * changed with it have been applied, so a running route never loses the mapping it names mid-reload.
 */
public final class Mappings {

    private final Map<String, Mapping> byId = new ConcurrentHashMap<>();
    // removed from their file but still answered, until the routes that named them have been replaced too
    private final Map<String, Mapping> retired = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> idsByFile = new HashMap<>();
    private final Map<String, String> hashes = new HashMap<>();
    // each file's types: (event type -> mapping id) and aliases (spelling -> event type)
    private final Map<String, Map<String, String>> typesByFile = new HashMap<>();
    private final Map<String, Map<String, String>> aliasesByFile = new HashMap<>();
    // all files' together, swapped whole so a lookup never sees half a reload
    private volatile Map<String, String> byType = Map.of();
    private volatile Map<String, Set<String>> typesById = Map.of();
    private Consumer<Map<String, String>> aliasesListener = aliases -> { };

    public Mapping get(String id) {
        Mapping mapping = byId.get(id);
        return mapping != null ? mapping : retired.get(id);
    }

    /**
     * The mapping a store endpoint applies to an event of this (normalised) type: the one it names, else the one
     * declaring the type under {@code types:}. This is the one place an unknown type is refused: neither a named
     * mapping that lists other types, nor no mapping at all, handles it.
     *
     * @param id the endpoint's {@code mapping=}, or null
     */
    public Mapping forEvent(String id, String type) {
        String chosen = id != null ? id : type == null ? null : byType.get(type);
        Set<String> handles = id == null ? null : typesById.get(id);
        if (chosen == null || (handles != null && !handles.contains(type))) {
            throw new UnknownEventTypeException("no mapping handles event type " + type
                    + (handles != null ? " (mapping " + id + " handles " + handles + ")" : ""));
        }
        Mapping mapping = get(chosen);
        if (mapping == null) {
            throw new IllegalStateException("mapping '" + chosen + "' is no longer declared");
        }
        return mapping;
    }

    /** The mapping ids declaring event types, by type. */
    public Map<String, String> types() {
        return byType;
    }

    /** Told the aliases of all files together whenever they change (the running app's mappings put them in effect). */
    public synchronized void onAliases(Consumer<Map<String, String>> listener) {
        aliasesListener = listener;
        listener.accept(aliases());
    }

    public synchronized Map<String, String> aliases() {
        Map<String, String> all = new TreeMap<>();
        aliasesByFile.values().forEach(all::putAll);
        return Map.copyOf(all);
    }

    /** Which file's mapping handles the type, other than {@code exceptFile}'s; null when none. */
    public synchronized String fileHandling(String type, String exceptFile) {
        return typesByFile.entrySet().stream().filter(e -> !e.getKey().equals(exceptFile) && e.getValue().containsKey(type))
                .map(Map.Entry::getKey).findFirst().orElse(null);
    }

    public synchronized void replace(String file, String hash, List<Mapping> mappings) {
        replace(file, hash, mappings, Map.of(), Map.of());
    }

    /**
     * @param hash     the content hash of the file's version, so a reload knows what is in effect
     * @param mappings the file's whole new content; empty (and hash null) when the file was deleted
     * @param types    event type to mapping id, as the file declares them
     * @param aliases  its aliases of event types
     */
    public synchronized void replace(String file, String hash, List<Mapping> mappings, Map<String, String> types,
            Map<String, String> aliases) {
        Map<String, String> previousAliases = aliases();
        typesByFile.put(file, Map.copyOf(types));
        aliasesByFile.put(file, Map.copyOf(aliases));
        if (hash == null) {
            typesByFile.remove(file);
            aliasesByFile.remove(file);
        }
        Map<String, String> allTypes = new HashMap<>();
        Map<String, Set<String>> byMapping = new HashMap<>();
        typesByFile.values().forEach(t -> t.forEach((type, id) -> {
            allTypes.put(type, id);
            byMapping.computeIfAbsent(id, k -> new TreeSet<>()).add(type);
        }));
        Set<String> previous = idsByFile.getOrDefault(file, Set.of());
        Set<String> next = new TreeSet<>();
        mappings.forEach(m -> {
            byId.put(m.id(), m);
            next.add(m.id());
        });
        previous.stream().filter(id -> !next.contains(id)).forEach(id -> {
            Mapping gone = byId.remove(id);
            if (gone != null) {
                retired.put(id, gone);
            }
        });
        next.forEach(retired::remove);
        if (hash == null) {
            idsByFile.remove(file);
            hashes.remove(file);
        } else {
            idsByFile.put(file, next);
            hashes.put(file, hash);
        }
        byType = Map.copyOf(allTypes);
        typesById = Map.copyOf(byMapping);
        if (!aliases().equals(previousAliases)) {
            aliasesListener.accept(aliases());
        }
    }

    /** Which file declares the id, other than {@code exceptFile}; null when none. */
    public synchronized String fileDeclaring(String id, String exceptFile) {
        return idsByFile.entrySet().stream().filter(e -> !e.getKey().equals(exceptFile) && e.getValue().contains(id))
                .map(Map.Entry::getKey).findFirst().orElse(null);
    }

    public synchronized Set<String> idsOf(String file) {
        return Set.copyOf(idsByFile.getOrDefault(file, Set.of()));
    }

    /** The files in effect, by name, with their content hashes. */
    public synchronized Map<String, String> files() {
        return Map.copyOf(hashes);
    }

    /** Forgets the mappings files no longer declare: called once the routes that may have named them are replaced. */
    public void dropRetired() {
        retired.clear();
    }

    /** A copy to try a change on before it is applied (retired mappings left out). */
    public synchronized Mappings copy() {
        Mappings copy = new Mappings();
        idsByFile.forEach((file, ids) -> copy.replace(file, hashes.get(file), ids.stream().map(byId::get).toList(),
                typesByFile.getOrDefault(file, Map.of()), aliasesByFile.getOrDefault(file, Map.of())));
        return copy;
    }

    /** ", did you mean ...?" for a mistyped id, or nothing. */
    public String suggestion(String id) {
        return byId.keySet().stream().filter(known -> known.equalsIgnoreCase(id) || known.startsWith(id) || id.startsWith(known))
                .sorted().findFirst().map(known -> " (did you mean '" + known + "'?)").orElse("");
    }
}
