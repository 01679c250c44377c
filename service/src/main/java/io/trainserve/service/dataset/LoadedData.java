package io.trainserve.service.dataset;

import io.trainserve.engine.data.ImageSet;
import io.trainserve.engine.data.Table;

/** A dataset parsed by the engine's readers: a table (CSV) or images with labels (IDX). */
public sealed interface LoadedData permits LoadedData.TableData, LoadedData.ImageData {
    record TableData(Table table) implements LoadedData {
    }

    record ImageData(ImageSet images) implements LoadedData {
    }
}
