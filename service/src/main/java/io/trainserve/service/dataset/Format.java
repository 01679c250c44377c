package io.trainserve.service.dataset;

/** How a dataset was uploaded: a CSV table, or an MNIST-style IDX pair of images and labels. */
public enum Format { CSV, IDX }
