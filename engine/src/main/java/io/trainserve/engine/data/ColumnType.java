package io.trainserve.engine.data;

/** NUMERIC when every present value is a finite number, otherwise STRING. */
public enum ColumnType { NUMERIC, STRING }
