package io.trainserve.service.dataset;

/**
 * How a dataset was uploaded: a CSV table, an MNIST-style IDX pair of images and labels, or a zip of
 * image class folders (stored decoded as an IDX pair of [n, C, H, W] images and labels, beside the zip).
 */
public enum Format { CSV, IDX, IMAGES }
