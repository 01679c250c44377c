package io.trainserve.service.dataset;

import io.trainserve.engine.DataTable;

/** A dataset parsed by the engine's readers: a table (CSV) or images with labels (IDX, or image folders stored as IDX). */
public sealed interface LoadedData permits LoadedData.TableData, LoadedData.ImageData {
    record TableData(DataTable table) implements LoadedData {
    }

    record ImageData(io.trainserve.engine.ImageData images) implements LoadedData {
    }
}
