/**
 * The data layer of the trainer: naming a dataset ({@link dev.thaw.data.DatasetRef}), loading it as
 * unsigned-byte images ({@link dev.thaw.data.BuiltinDatasets}, {@link
 * dev.thaw.data.ImageFolderDataset}) and splitting it reproducibly ({@link
 * dev.thaw.data.DatasetSplitter}). Plain Java arrays, no DJL types.
 */
package dev.thaw.data;
