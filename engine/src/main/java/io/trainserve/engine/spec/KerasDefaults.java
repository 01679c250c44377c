package io.trainserve.engine.spec;

/** Every default a job spec takes when a value is left out, following Keras where Keras has one. */
public final class KerasDefaults {
    public static final Optimizer OPTIMIZER = Optimizer.RMSPROP;
    public static final int EPOCHS = 1;
    public static final int BATCH_SIZE = 32;
    public static final boolean SHUFFLE = true;
    public static final long SEED = 42;
    /** momentum / nesterov */
    public static final double MOMENTUM = 0.9;
    public static final Activation ACTIVATION = Activation.LINEAR;
    public static final Init INIT = Init.XAVIER;
    public static final double LEAKY_RELU_ALPHA = 0.2;
    public static final double ELU_ALPHA = 1.0;
    public static final double BATCH_NORM_MOMENTUM = 0.99;
    public static final double BATCH_NORM_EPSILON = 0.001;
    public static final int CONV_KERNEL = 3;
    public static final int CONV_STRIDE = 1;
    /** max_pool2d; its strides default to the pool size */
    public static final int POOL_SIZE = 2;
    public static final Padding PADDING = Padding.VALID;
    /** lstm/gru: the cell's (candidate's) activation and the gates' */
    public static final Activation RECURRENT_CELL_ACTIVATION = Activation.TANH;
    public static final Activation RECURRENT_GATE_ACTIVATION = Activation.SIGMOID;
    /** gru: Keras 2's default reset_after=True (the reset gate applied after the recurrent product, two bias vectors); the only form here */
    public static final boolean GRU_RESET_AFTER = true;
    /** embedding: Keras' RandomUniform(-0.05, 0.05) table */
    public static final double EMBEDDING_UNIFORM_LIMIT = 0.05;
    public static final String MONITOR = "val_loss";
    public static final double REDUCE_LR_FACTOR = 0.1;
    public static final ScalingKind TABLE_SCALING = ScalingKind.NONE;
    public static final ScalingKind IMAGE_SCALING = ScalingKind.PIXEL;

    private KerasDefaults() {
    }
}
