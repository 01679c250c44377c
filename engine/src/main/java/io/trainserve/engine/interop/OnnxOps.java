package io.trainserve.engine.interop;

import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The ONNX operators (opset 13, default domain) a network needs that Tribuo's {@link ONNXOperators}
 * does not list; Tribuo builds their nodes through this {@link ONNXOperator} description.
 */
enum OnnxOps implements ONNXOperator {
    RELU("Relu", 1, 0),
    TANH("Tanh", 1, 0),
    LEAKY_RELU("LeakyRelu", 1, 0, attr("alpha", AttributeType.FLOAT)),
    ELU("Elu", 1, 0, attr("alpha", AttributeType.FLOAT)),
    SOFTMAX("Softmax", 1, 0, attr("axis", AttributeType.INT)),
    CONV("Conv", 2, 1, attr("kernel_shape", AttributeType.INTS), attr("strides", AttributeType.INTS), attr("pads", AttributeType.INTS)),
    MAX_POOL("MaxPool", 1, 0, attr("kernel_shape", AttributeType.INTS), attr("strides", AttributeType.INTS), attr("pads", AttributeType.INTS)),
    BATCH_NORM("BatchNormalization", 5, 0, attr("epsilon", AttributeType.FLOAT)),
    FLATTEN("Flatten", 1, 0, attr("axis", AttributeType.INT)),
    RESHAPE("Reshape", 2, 0);

    private final String opName;
    private final int inputs, optionalInputs;
    private final Map<String, ONNXAttribute> attributes;

    OnnxOps(String opName, int inputs, int optionalInputs, ONNXAttribute... attributes) {
        this.opName = opName;
        this.inputs = inputs;
        this.optionalInputs = optionalInputs;
        this.attributes = Arrays.stream(attributes).collect(Collectors.toUnmodifiableMap(ONNXAttribute::getName, Function.identity()));
    }

    private static ONNXAttribute attr(String name, AttributeType type) {
        return new ONNXAttribute(name, type, false);
    }

    @Override
    public String getOpName() { return opName; }

    @Override
    public int getNumInputs() { return inputs; }

    @Override
    public int getNumOptionalInputs() { return optionalInputs; }

    @Override
    public int getNumOutputs() { return 1; }

    @Override
    public Map<String, ONNXAttribute> getAttributes() { return attributes; }

    @Override
    public Set<String> getMandatoryAttributeNames() { return Set.of(); }

    @Override
    public int getOpVersion() { return ONNXOperators.getOpsetVersion(); }

    @Override
    public String getOpDomain() { return ""; }
}
