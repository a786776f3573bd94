package org.pneumo.train;

import java.nio.file.Path;
import java.util.List;
import org.pneumo.model.ModelInfo;

/**
 * What a finished training run produced: the model folder, its info, the full history and the counts a summary
 * needs.
 *
 * @param bestEpoch the epoch whose weights were kept
 * @param stoppedEarly whether early stopping ended the run before its last epoch
 * @param skippedFiles files left out because they could not be used
 * @param seconds wall time of this process's part of the run
 */
public record TrainingOutcome(
        Path modelDir,
        ModelInfo info,
        List<EpochRecord> history,
        int bestEpoch,
        boolean stoppedEarly,
        int trainImages,
        int validationImages,
        int skippedFiles,
        double seconds) {}
