package io.crmsync.core.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class StampedMergeTest {

    private static final Instant T = Instant.parse("2024-05-01T10:00:00Z");

    /** A document as a store keeps it: values and stamps. */
    private static final class Doc {
        final Map<String, Object> values = new LinkedHashMap<>();
        final Map<String, String> stamps = new HashMap<>();

        Outcome apply(StampedMerge.Change change) {
            StampedMerge.Plan plan = StampedMerge.plan(stamps, List.of(change));
            values.putAll(plan.set());
            plan.unset().forEach(values::remove);
            stamps.clear();
            stamps.putAll(plan.stamps());
            return plan.outcomes().get(change);
        }
    }

    private static StampedMerge.Change event(int second, Map<String, Object> fields) {
        return new StampedMerge.Change(Stamp.of(T.plusSeconds(second), false, "e" + second), fields, Set.of(), false, false);
    }

    private static StampedMerge.Change delete(int second, Map<String, Object> fields) {
        return new StampedMerge.Change(Stamp.of(T.plusSeconds(second), true, "d" + second), fields, Set.of(), true, false);
    }

    @Test
    void aLateEventOlderThanTheDeleteWritesNothingNotEvenFieldsTheDeleteDoesNotName() {
        Doc organization = new Doc();
        organization.apply(delete(2, Map.of("deleted", true)));

        Outcome late = organization.apply(event(1, Map.of("name", "Acme", "isActive", true)));

        assertThat(late).isEqualTo(Outcome.STALE);
        assertThat(organization.values).containsOnlyKeys("deleted").containsEntry("deleted", true);
    }

    @Test
    void aDeleteRemovesWhatEarlierEventsWroteSoTheOrderOfArrivalDoesNotMatter() {
        Doc organization = new Doc();
        organization.apply(event(1, Map.of("name", "Acme", "isActive", true)));

        assertThat(organization.apply(delete(2, Map.of("deleted", true, "deletedAt", "t2")))).isEqualTo(Outcome.PROCESSED);

        assertThat(organization.values).isEqualTo(Map.of("deleted", true, "deletedAt", "t2"));
        assertThat(organization.stamps).doesNotContainKeys("name", "isActive");
    }

    @Test
    void anEventNewerThanTheDeleteBringsTheDocumentBackWithoutTheMark() {
        Doc user = new Doc();
        user.apply(delete(2, Map.of("deleted", true, "isActive", false, "deletedAt", "t2")));

        user.apply(event(3, Map.of("email", "back@x")));

        assertThat(user.values).isEqualTo(Map.of("isActive", false, "deletedAt", "t2", "email", "back@x"));
        // what came before the delete still cannot write
        assertThat(user.apply(event(1, Map.of("name", "old")))).isEqualTo(Outcome.STALE);
        assertThat(user.values).doesNotContainKey("name");
    }

    @Test
    void aDeleteOlderThanAnEventAlreadyAppliedDoesNotMarkTheDocument() {
        Doc user = new Doc();
        user.apply(event(1, Map.of("name", "first")));
        user.apply(event(3, Map.of("email", "new@x", "isActive", true)));

        user.apply(delete(2, Map.of("deleted", true, "isActive", false)));

        assertThat(user.values).isEqualTo(Map.of("email", "new@x", "isActive", true));
    }

    @Test
    void aRedeliveredDeleteChangesNothing() {
        Doc user = new Doc();
        StampedMerge.Change delete = delete(2, Map.of("deleted", true));
        user.apply(delete);

        StampedMerge.Plan again = StampedMerge.plan(user.stamps, List.of(delete));

        assertThat(again.writes()).isFalse();
        assertThat(again.outcomes()).containsValue(Outcome.PROCESSED);
    }

    @Test
    void aNewerEventsOwnDeletedValueIsKeptWhenItBringsTheDocumentBack() {
        Doc purchase = new Doc();
        purchase.apply(delete(2, Map.of("deleted", true)));

        purchase.apply(event(3, Map.of("deleted", false, "total", 5)));

        assertThat(purchase.values).isEqualTo(Map.of("deleted", false, "total", 5));
    }

    @Test
    void aMarkStampedBeforeStampsSaidWhetherADeleteWroteThemCountsAsADelete() {
        Doc user = new Doc();
        user.values.put("deleted", true);
        user.stamps.put("deleted", String.format("%019d|%s", (T.getEpochSecond() + 2) * 1_000_000_000L, "d2"));

        assertThat(user.apply(event(1, Map.of("isActive", true)))).isEqualTo(Outcome.STALE);
        assertThat(user.values).doesNotContainKey("isActive");
    }

    @Test
    void aDocumentWrittenBeforeDeletesHadTheirOwnStampTakesItsDeleteFromTheMark() {
        Doc user = new Doc();
        user.values.put("deleted", true);
        user.stamps.put("deleted", Stamp.of(T.plusSeconds(2), true, "d2").value());

        assertThat(user.apply(event(1, Map.of("isActive", true)))).isEqualTo(Outcome.STALE);
        assertThat(user.stamps).containsKey(StampedMerge.DELETE);
    }

    private static StampedMerge.Change created(int second, String createdAt) {
        return new StampedMerge.Change(Stamp.of(T.plusSeconds(second), false, "c" + second), Map.of("createdAt", createdAt),
                Set.of("createdAt"), false, false);
    }

    @Test
    void aSetOnceFieldIsLeftAloneByDeletesSoItsEarliestValueWinsInEveryOrder() {
        List<List<StampedMerge.Change>> orders = List.of(
                List.of(created(1, "t1"), created(3, "t3"), delete(2, Map.of("deleted", true))),
                List.of(delete(2, Map.of("deleted", true)), created(1, "t1"), created(3, "t3")),
                List.of(created(3, "t3"), delete(2, Map.of("deleted", true)), created(1, "t1")));
        for (List<StampedMerge.Change> order : orders) {
            Doc doc = new Doc();
            order.forEach(doc::apply);
            // the creation at 3 came after the delete, so the document is back, and it was first created at 1
            assertThat(doc.values).as(order.toString()).isEqualTo(Map.of("createdAt", "t1"));
        }
    }

    @Test
    void everyOrderOfArrivalAndEveryBatchingEndsInTheSameDocument() {
        List<StampedMerge.Change> events = List.of(
                event(1, Map.of("name", "a", "isActive", true)),
                event(2, Map.of("isActive", false, "reason", "r")),
                delete(3, Map.of("deleted", true, "isActive", false, "deletedAt", "t3")),
                event(4, Map.of("email", "e4")),
                event(5, Map.of("isActive", true)),
                delete(6, Map.of("deleted", true, "deletedAt", "t6")),
                event(7, Map.of("name", "z")),
                created(8, "t8"),
                created(0, "t0"));
        Random random = new Random(7);
        Doc reference = null;
        for (int trial = 0; trial < 300; trial++) {
            List<StampedMerge.Change> shuffled = new ArrayList<>(events);
            Collections.shuffle(shuffled, random);
            Doc doc = new Doc();
            int i = 0;
            while (i < shuffled.size()) {
                // batches of one to three, as a store merges what queued up together
                int size = Math.min(shuffled.size() - i, 1 + random.nextInt(3));
                StampedMerge.Plan plan = StampedMerge.plan(doc.stamps, shuffled.subList(i, i + size));
                doc.values.putAll(plan.set());
                plan.unset().forEach(doc.values::remove);
                doc.stamps.clear();
                doc.stamps.putAll(plan.stamps());
                i += size;
            }
            if (reference == null) {
                reference = doc;
                assertThat(doc.values).isEqualTo(Map.of("deletedAt", "t6", "name", "z", "createdAt", "t0"));
            }
            assertThat(doc.values).as("trial " + trial).isEqualTo(reference.values);
            assertThat(doc.stamps).as("trial " + trial).isEqualTo(reference.stamps);
        }
    }
}
