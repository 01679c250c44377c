package io.trainserve.service.sweep;

import io.trainserve.engine.spec.InvalidSpecException;
import io.trainserve.engine.spec.Violation;
import io.trainserve.service.training.JobSpec;
import io.trainserve.service.training.TrialJobs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a sweep request into its trials: fills in defaults, checks the parameters and strategy (400 naming the path),
 * draws the trials' parameter values, and checks every trial's job spec with the job check {@code POST /jobs} runs,
 * so a sweep that would queue a bad trial is refused up front.
 */
@Component
class SweepPlanner {
    static final int MAX_TRIALS = 100;
    static final int DEFAULT_RANDOM_TRIALS = 10;
    private static final Pattern METRIC = Pattern.compile("(val_)?[a-z][a-z_]{0,40}");

    private final TrialJobs jobs;
    private final JsonMapper json;

    SweepPlanner(TrialJobs jobs, JsonMapper json) {
        this.jobs = jobs;
        this.json = json;
    }

    /** A checked request with its defaults, and its trials' parameter values in queue order. */
    record Plan(SweepRequest request, List<Map<String, JsonNode>> trials) {
    }

    Plan plan(SweepRequest r) {
        List<Violation> v = new ArrayList<>();
        if (r.modelId() == null) v.add(new Violation("modelId", "none", "the model id the best trial's model is published as"));
        if (!(r.job() instanceof ObjectNode)) v.add(new Violation("job", String.valueOf(r.job()), "a job spec (without modelId)"));
        else if (r.job().has("modelId")) v.add(new Violation("job.modelId", r.job().get("modelId").toString(), "no modelId: the sweep's modelId is used"));
        SweepRequest.Strategy s = strategy(r.strategy(), v);
        ParameterSpace space = new ParameterSpace(r.parameters());
        v.addAll(space.check("grid".equals(s.type())));
        if (!v.isEmpty()) throw new InvalidSpecException(v);

        SweepRequest.Objective objective = objective(r.objective(), r.job(), v);
        int maxTrials = s.maxTrials() != null ? s.maxTrials()
                : "grid".equals(s.type()) ? (int) Math.min(space.gridSize(), MAX_TRIALS + 1) : DEFAULT_RANDOM_TRIALS;
        if (maxTrials > MAX_TRIALS) {
            v.add(new Violation("strategy.maxTrials", s.maxTrials() == null ? "none, and a grid of " + space.gridSize() + " points" : String.valueOf(maxTrials),
                    "at most " + MAX_TRIALS + " trials (set maxTrials to run the first ones of a larger grid)"));
        }
        if (!v.isEmpty()) throw new InvalidSpecException(v);
        long seed = s.seed() != null ? s.seed() : ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        List<Map<String, JsonNode>> trials = "grid".equals(s.type()) ? space.grid(maxTrials) : space.random(maxTrials, seed);
        SweepRequest.Strategy resolved = new SweepRequest.Strategy(s.type(), trials.size(),
                s.maxConcurrentTrials() == null ? trials.size() : s.maxConcurrentTrials(), seed,
                s.reductionFactor(), s.minEpochs());
        SweepRequest request = new SweepRequest(r.modelId(), r.job(), r.parameters(), resolved, objective, r.versionsAllTrials());
        for (int t = 0; t < trials.size(); t++) checkTrial(request, trials.get(t), t + 1);
        return new Plan(request, trials);
    }

    /** A trial's job: the sweep's job spec with its modelId and the trial's parameter values set. */
    JobSpec trialSpec(SweepRequest r, Map<String, JsonNode> values) {
        ObjectNode spec = ((ObjectNode) r.job()).deepCopy();
        spec.put("modelId", r.modelId());
        List<Violation> v = new ArrayList<>();
        values.forEach((path, value) -> {
            String wrong = JsonPaths.set(spec, path, value);
            if (wrong != null) v.add(new Violation("parameters." + path, value.toString(), "a field of the job spec (" + wrong + ")"));
        });
        if (!v.isEmpty()) throw new InvalidSpecException(v);
        try {
            return json.treeToValue(spec, JobSpec.class);
        } catch (JacksonException e) {
            String where = pathOf(e);
            String parameter = values.keySet().stream().filter(p -> p.equals(where) || where.startsWith(p + ".") || where.startsWith(p + "["))
                    .findFirst().orElse(null);
            if (parameter != null && e instanceof UnrecognizedPropertyException u) {
                throw new InvalidSpecException("parameters." + parameter, "\"" + parameter + "\"", "a field of the job spec; known at "
                        + (where.contains(".") ? where.substring(0, where.lastIndexOf('.')) : "the top") + ": " + u.getKnownPropertyIds());
            }
            if (parameter != null) {
                throw new InvalidSpecException("parameters." + parameter, values.get(parameter), "a value of that field's type ("
                        + e.getOriginalMessage() + ")");
            }
            throw new InvalidSpecException(where.isEmpty() ? "job" : "job." + where, "a value Jackson cannot read", e.getOriginalMessage());
        }
    }

    /** The job check of one trial: a violation of a swept field is named by its parameter path. */
    private void checkTrial(SweepRequest r, Map<String, JsonNode> values, int trial) {
        try {
            jobs.check(trialSpec(r, values));
        } catch (InvalidSpecException e) {
            List<Violation> named = e.violations().stream().map(x -> {
                String field = x.field();
                String parameter = values.keySet().stream().filter(p -> field.equals(p) || field.startsWith(p + ".") || field.startsWith(p + "["))
                        .findFirst().orElse(null);
                if (field.startsWith("parameters.")) return new Violation(field, x.given(), x.allowed() + " (trial " + trial + ")");
                if (parameter != null) return new Violation("parameters." + parameter, x.given(), x.allowed() + " (trial " + trial + ": " + values + ")");
                return new Violation(field.equals("modelId") ? field : "job." + field, x.given(), x.allowed());
            }).toList();
            throw new InvalidSpecException(named);
        }
    }

    private static String pathOf(JacksonException e) {
        StringBuilder b = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!b.isEmpty()) b.append('.');
                b.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                b.append('[').append(ref.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static SweepRequest.Strategy strategy(SweepRequest.Strategy s, List<Violation> v) {
        if (s == null) s = new SweepRequest.Strategy("grid", null, null, null, null, null);
        String type = s.type() == null ? "grid" : s.type();
        if (!List.of("grid", "random", "asha").contains(type)) v.add(new Violation("strategy.type", "\"" + type + "\"", "grid, random, asha"));
        if (s.maxTrials() != null && s.maxTrials() < 1) v.add(new Violation("strategy.maxTrials", s.maxTrials().toString(), "1 to " + MAX_TRIALS));
        if (s.maxConcurrentTrials() != null && s.maxConcurrentTrials() < 1) {
            v.add(new Violation("strategy.maxConcurrentTrials", s.maxConcurrentTrials().toString(), "an integer >= 1"));
        }
        boolean asha = "asha".equals(type);
        if (!asha && (s.reductionFactor() != null || s.minEpochs() != null)) {
            v.add(new Violation(s.reductionFactor() != null ? "strategy.reductionFactor" : "strategy.minEpochs", "with strategy " + type,
                    "only with strategy asha"));
        }
        if (s.reductionFactor() != null && s.reductionFactor() < 2) {
            v.add(new Violation("strategy.reductionFactor", s.reductionFactor().toString(), "an integer >= 2"));
        }
        if (s.minEpochs() != null && s.minEpochs() < 1) v.add(new Violation("strategy.minEpochs", s.minEpochs().toString(), "an integer >= 1"));
        return new SweepRequest.Strategy(type, s.maxTrials(), s.maxConcurrentTrials(), s.seed(),
                asha ? (s.reductionFactor() == null ? 3 : s.reductionFactor()) : null, asha ? (s.minEpochs() == null ? 1 : s.minEpochs()) : null);
    }

    private static SweepRequest.Objective objective(SweepRequest.Objective o, JsonNode job, List<Violation> v) {
        boolean validation = job.has("validation") && !job.get("validation").isNull();
        String metric = o == null || o.metric() == null ? (validation ? "val_loss" : "loss") : o.metric();
        if (!METRIC.matcher(metric).matches()) {
            v.add(new Violation("objective.metric", "\"" + metric + "\"", "a metric the trials report: loss, accuracy, mae, mse, ... or val_ and one of them"));
        } else if (metric.startsWith("val_") && !validation) {
            v.add(new Violation("objective.metric", "\"" + metric + "\"", "a training metric (loss, accuracy, ...), or give the job a validation split or set"));
        }
        String goal = o == null || o.goal() == null ? (metric.contains("accuracy") ? "maximize" : "minimize") : o.goal();
        if (!List.of("minimize", "maximize").contains(goal)) v.add(new Violation("objective.goal", "\"" + goal + "\"", "minimize, maximize"));
        return new SweepRequest.Objective(metric, goal);
    }
}
