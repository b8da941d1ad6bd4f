/**
 * A sweep task's inputs as validation sees them: the source model's layer-group count, which data
 * and model locations a host admits, and the errors reading them raises. Implemented by the worker
 * module, which can read models and data; used by the sweep module, which cannot.
 */
package dev.thaw.task;
