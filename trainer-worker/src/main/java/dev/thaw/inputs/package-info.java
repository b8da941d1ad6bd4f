/**
 * Trust at the boundary between a submitted sweep and the host that runs it: the data and model
 * paths a sweep names must resolve, symlinks followed, inside configured roots ({@link
 * dev.thaw.inputs.AllowedRoots}), and remote model URLs are refused unless allowed ({@link
 * dev.thaw.inputs.InputPolicy}). The orchestrator checks at submit time, every worker again at
 * trial start with its own settings.
 */
package dev.thaw.inputs;
