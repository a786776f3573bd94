package org.pneumo.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PatientIdsTest {
    @Test
    void parsesThePatientFromKaggleNames() {
        assertThat(PatientIds.of("person1234_bacteria_3012.jpeg")).isEqualTo("person1234");
        assertThat(PatientIds.of("person1234_virus_2100.jpeg")).isEqualTo("person1234");
        assertThat(PatientIds.of("IM-0115-0001.jpeg")).isEqualTo("IM-0115");
        assertThat(PatientIds.of("IM-0115-0002.jpeg")).isEqualTo("IM-0115");
        assertThat(PatientIds.of("NORMAL2-IM-0007-0001.jpeg")).isEqualTo("NORMAL2-IM-0007");
        assertThat(PatientIds.of("Person7_Virus_1.JPG")).isEqualTo("person7");
    }

    @Test
    void differentPatientsStayApart() {
        assertThat(PatientIds.of("person12_virus_1.jpeg")).isNotEqualTo(PatientIds.of("person123_virus_1.jpeg"));
        assertThat(PatientIds.of("IM-0007-0001.jpeg")).isNotEqualTo(PatientIds.of("NORMAL2-IM-0007-0001.jpeg"));
    }

    @Test
    void unrecognisedNamesAreTheirOwnPatient() {
        assertThat(PatientIds.of("scan.png")).isEqualTo("file:scan.png");
        assertThat(PatientIds.of("scan.png")).isNotEqualTo(PatientIds.of("scan2.png"));
    }
}
