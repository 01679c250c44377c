/**
 * The engine's implementation behind its root vocabulary: {@link io.trainserve.engine.backend.Nd4jBackend}
 * is the {@link io.trainserve.engine.EngineBackend} that the root's entry points find with
 * {@link java.util.ServiceLoader}. It wires the root to {@code nn}, {@code train}, {@code interop} and
 * {@code data}, which all depend on the root and never the other way round (PackageCyclesTest).
 */
package io.trainserve.engine.backend;
