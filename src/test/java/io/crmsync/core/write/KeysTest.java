package io.crmsync.core.write;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeysTest {

    @Test
    void idsWithoutColonsJoinAsTheContractShowsThem() {
        assertThat(Keys.join("acme", "u-1")).isEqualTo("acme:u-1");
    }

    @Test
    void colonsInsideAPartCannotMakeTwoKeysTheSame() {
        assertThat(Keys.join("a:b", "c")).isNotEqualTo(Keys.join("a", "b:c"));
        assertThat(Keys.join("a%3Ab", "c")).isNotEqualTo(Keys.join("a:b", "c"));
    }

    @Test
    void aJoinedKeyIsTakenApartIntoTheSamePartsWhateverTheyHold() {
        for (String[] parts : new String[][] { { "acme", "u-1" }, { "a:b", "c" }, { "a%3Ab", "%25", "" } }) {
            assertThat(Keys.split(Keys.join(parts))).containsExactly(parts);
        }
    }
}
