package io.trainserve.service.training;

import static io.trainserve.service.support.TestFiles.SOFTMAX_CSV;
import static io.trainserve.service.support.TestFiles.csv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import io.trainserve.engine.EpochMetrics;
import io.trainserve.engine.TrainingListener;
import io.trainserve.engine.nn.NdArrays;
import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.TrainingSpec;
import io.trainserve.service.support.ApiTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

/**
 * A job whose worker died is picked up again (attempt 2) and continues from its last epoch
 * checkpoint, not from zero, ending with exactly the weights of an uninterrupted run.
 */
@ApiTest
class EngineJobRunnerResumeTest {
    @Autowired
    MockMvc mvc;
    @Autowired
    JobRunner runner;
    @Autowired
    io.trainserve.service.storage.BlobStore blobs;

    @Test
    void aPickedUpJobResumesFromItsLastEpochCheckpoint() throws Exception {
        assertThat(runner).isInstanceOf(EngineJobRunner.class);
        String body = mvc.perform(multipart("/datasets").file(csv(SOFTMAX_CSV))).andExpect(status().isCreated())
                .andReturn().getResponse().getContentAsString();
        String datasetId = JsonPath.read(body, "$.id");
        JobSpec spec = new JobSpec("resume", datasetId, "label", null, null, null,
                ModelSpec.of("sparse_categorical_crossentropy", LayerSpec.dense(6, "tanh"), LayerSpec.dense(3, "softmax")),
                TrainingSpec.of("adam", 0.05, 12, 4, 3), null);

        JobOutcome uninterrupted = runner.run(new JobRun("job-a", spec, 1, TrainingListener.NONE, () -> false, "checkpoints/job-a/checkpoint.zip"));

        // first attempt: the worker goes away after epoch 5, leaving that epoch's checkpoint
        String dir = "checkpoints/job-b/checkpoint.zip";
        List<Integer> firstEpochs = new ArrayList<>();
        JobOutcome crashed = runner.run(new JobRun("job-b", spec, 1, recorder(firstEpochs, null), () -> firstEpochs.size() >= 5, dir));
        assertThat(crashed.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(blobs.exists(dir)).as("checkpoint blob").isTrue();

        // second attempt on another worker
        List<Integer> secondEpochs = new ArrayList<>();
        List<Integer> startedAfter = new ArrayList<>();
        JobOutcome resumed = runner.run(new JobRun("job-b", spec, 2, recorder(secondEpochs, startedAfter), () -> false, dir));

        assertThat(startedAfter).containsExactly(5);
        assertThat(secondEpochs).containsExactly(6, 7, 8, 9, 10, 11, 12);
        assertThat(resumed.status()).isEqualTo(JobStatus.SUCCEEDED);
        // the runner hands the trained model back; registering it is the worker's job
        assertThat(resumed.modelVersion()).isNull();
        float[] expected = NdArrays.read(uninterrupted.model().parts().params());
        float[] actual = NdArrays.read(resumed.model().parts().params());
        assertThat(actual).containsExactly(expected);
    }

    private static TrainingListener recorder(List<Integer> epochs, List<Integer> startedAfter) {
        return new TrainingListener() {
            @Override
            public void onStart(RunInfo info) {
                if (startedAfter != null) startedAfter.add(info.startEpoch());
            }

            @Override
            public void onEpochEnd(EpochMetrics e) {
                epochs.add(e.epoch());
            }
        };
    }
}
