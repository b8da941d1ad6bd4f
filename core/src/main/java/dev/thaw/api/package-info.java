/**
 * The sweep API's JSON shapes (snake_case), shared by the orchestrator that serves them and the CLI
 * that reads them, so that the two cannot drift apart.
 */
package dev.thaw.api;
