/**
 * The frozen-prefix feature cache: a trial stage whose groups g0..g(k-1) are frozen computes their
 * output for every training and validation image once, and trains only g(k).. and the head on it,
 * across epochs and across the trials a worker runs. {@link dev.thaw.train.features.FeatureCache}
 * is the entry point; {@link dev.thaw.train.features.FeaturePrefix} says whether and where a
 * network's prefix can be cut, {@link dev.thaw.train.features.PrefixRunner} runs it, {@link
 * dev.thaw.train.features.FeatureStore} keeps the results (memory with LRU, spilled to disk).
 */
package dev.thaw.train.features;
