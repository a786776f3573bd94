package org.pneumo.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClassificationReportTest {
    @Test
    void classRowsSwapRolesForNormal() {
        ClassificationReport r = ClassificationReport.of(new ConfusionMatrix(5, 1, 2, 2));
        ClassificationReport.Row normal = r.rows().get(0);
        ClassificationReport.Row pneumonia = r.rows().get(1);
        assertThat(normal.name()).isEqualTo("NORMAL");
        assertThat(normal.precision().value()).isEqualTo(5.0 / 7);
        assertThat(normal.recall().value()).isEqualTo(5.0 / 6);
        assertThat(normal.f1().value()).isCloseTo(10.0 / 13, within(1e-15));
        assertThat(normal.support()).isEqualTo(6);
        assertThat(pneumonia.name()).isEqualTo("PNEUMONIA");
        assertThat(pneumonia.precision().value()).isEqualTo(2.0 / 3);
        assertThat(pneumonia.recall().value()).isEqualTo(0.5);
        assertThat(pneumonia.f1().value()).isCloseTo(4.0 / 7, within(1e-15));
        assertThat(pneumonia.support()).isEqualTo(4);
        assertThat(normal.precision().hasInterval()).isTrue();
        assertThat(r.accuracy()).isEqualTo(0.7);
        assertThat(r.total()).isEqualTo(10);
        assertThat(r.macro().recall().value()).isCloseTo((5.0 / 6 + 0.5) / 2, within(1e-15));
        assertThat(r.weighted().recall().value()).isCloseTo(0.7, within(1e-15));
        assertThat(r.macro().support()).isEqualTo(10);
        assertThat(r.weighted().name()).isEqualTo("weighted avg");
    }

    @Test
    void undefinedFiguresCountAsZeroInTheAverages() {
        // Nothing predicted PNEUMONIA: its precision is undefined, and counts 0 in the averages as in scikit-learn.
        ClassificationReport r = ClassificationReport.of(new ConfusionMatrix(3, 0, 2, 0));
        ClassificationReport.Row pneumonia = r.rows().get(1);
        assertThat(pneumonia.precision().undefinedReason()).isEqualTo("nothing predicted PNEUMONIA");
        assertThat(pneumonia.recall().value()).isEqualTo(0.0);
        assertThat(pneumonia.f1().value()).isEqualTo(0.0);
        assertThat(r.macro().precision().value()).isCloseTo(0.3, within(1e-15));
        assertThat(r.weighted().precision().value()).isCloseTo(0.36, within(1e-15));
    }

    @Test
    void f1IsUndefinedOnlyForAClassNeitherPresentNorPredicted() {
        ClassificationReport r = ClassificationReport.of(new ConfusionMatrix(4, 0, 0, 0));
        ClassificationReport.Row pneumonia = r.rows().get(1);
        assertThat(pneumonia.precision().defined()).isFalse();
        assertThat(pneumonia.recall().undefinedReason()).isEqualTo("no PNEUMONIA images");
        assertThat(pneumonia.f1().undefinedReason()).isEqualTo("PNEUMONIA neither present nor predicted");
        assertThat(r.macro().f1().value()).isEqualTo(0.5);
        assertThat(r.weighted().f1().value()).isEqualTo(1.0);
        assertThat(r.accuracy()).isEqualTo(1.0);
    }

    @Test
    void textLaysOutColumnsLikeScikitLearn() {
        String text = ClassificationReport.of(new ConfusionMatrix(3, 0, 2, 0)).toText();
        assertThat(text).isEqualTo(String.join("\n",
                "              precision    recall  f1-score   support",
                "",
                "      NORMAL     0.6000    1.0000    0.7500         3",
                "   PNEUMONIA  undefined    0.0000    0.0000         2",
                "",
                "    accuracy                         0.6000         5",
                "   macro avg     0.3000    0.5000    0.3750         5",
                "weighted avg     0.3600    0.6000    0.4500         5",
                ""));
    }

    @Test
    void rowsCannotBeReplaced() {
        ClassificationReport r = ClassificationReport.of(new ConfusionMatrix(1, 1, 1, 1));
        assertThatThrownBy(() -> r.rows().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void emptyMatrixIsRejected() {
        assertThatThrownBy(() -> ClassificationReport.of(new ConfusionMatrix(0, 0, 0, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("total 0");
    }
}
