package org.pneumo.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class EngineSmokeTest {
    @Test
    void pytorchEngineLoadsOffline() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThat(m.create(new float[] {1, 2}).sum().getFloat()).isEqualTo(3f);
        }
        assertThat(Engine.getInstance().getEngineName()).isEqualTo("PyTorch");
    }
}
