package io.crmsync.core.mapping;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

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

    public Mapping get(String id) {
        Mapping mapping = byId.get(id);
        return mapping != null ? mapping : retired.get(id);
    }

    /**
     * @param hash     the content hash of the file's version, so a reload knows what is in effect
     * @param mappings the file's whole new content; empty (and hash null) when the file was deleted
     */
    public synchronized void replace(String file, String hash, List<Mapping> mappings) {
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
        idsByFile.forEach((file, ids) -> copy.replace(file, hashes.get(file), ids.stream().map(byId::get).toList()));
        return copy;
    }

    /** ", did you mean ...?" for a mistyped id, or nothing. */
    public String suggestion(String id) {
        return byId.keySet().stream().filter(known -> known.equalsIgnoreCase(id) || known.startsWith(id) || id.startsWith(known))
                .sorted().findFirst().map(known -> " (did you mean '" + known + "'?)").orElse("");
    }
}
