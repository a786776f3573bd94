package org.pneumo.infer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScopeVerdictTest {
    @Test
    void anImageInsideTheCutBeyondTheValidation95thPercentileCarriesANote() {
        ScopeVerdict ordinary = ScopeVerdict.of(10, 20, 0.5);
        ScopeVerdict unusual = ScopeVerdict.of(18, 20, 0.973);
        ScopeVerdict atTheBand = ScopeVerdict.of(17, 20, ScopeVerdict.UNUSUAL_PERCENTILE);
        ScopeVerdict beyond = ScopeVerdict.of(25, 20, 1.0);
        assertThat(ordinary.inScope()).isTrue();
        assertThat(ordinary.note()).isNull();
        assertThat(unusual.inScope()).isTrue();
        assertThat(unusual.note()).isEqualTo("more atypical than 97.3% of the validation images; check that this is a"
                + " frontal chest X-ray of a child");
        assertThat(atTheBand.note()).startsWith("more atypical than 95.0%");
        // Out of scope says so in its reason, not in a note; a model without a guard has neither.
        assertThat(beyond.outOfScope()).isTrue();
        assertThat(beyond.note()).isNull();
        assertThat(ScopeVerdict.unavailable().note()).isNull();
    }

    @Test
    void theNoteIsAFieldOfEveryPrediction() {
        Prediction p = new Prediction("x.png", 0.9, org.pneumo.data.Diagnosis.PNEUMONIA, 0.5, "m", null,
                ScopeVerdict.of(18, 20, 0.973));
        assertThat(p.fields()).containsEntry("inScope", true).containsEntry("scopeReason", null)
                .hasEntrySatisfying("scopeNote", v -> assertThat((String) v).startsWith("more atypical than 97.3%"));
        Prediction plain = new Prediction("y.png", 0.1, org.pneumo.data.Diagnosis.NORMAL, 0.5, "m", null,
                ScopeVerdict.of(5, 20, 0.2));
        assertThat(plain.fields()).containsEntry("scopeNote", null);
    }
}
